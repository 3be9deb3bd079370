package io.tttv2.models.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tttv2.api.runner.ModelLoadException;
import io.tttv2.integration.hf.config.HfConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rotary a config states, or one line where no spec can say what HF would do. */
class HfPlansRotaryTest {

    private static final Path FIXTURE = Path.of("../../testdata/fixtures/llama/config.json");    // head_dim 16
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private HfConfig config(Consumer<ObjectNode> edit) throws IOException {
        ObjectNode config = (ObjectNode) JSON.readTree(FIXTURE.toFile());
        edit.accept(config);
        Path file = dir.resolve("config.json");
        JSON.writeValue(file.toFile(), config);
        return HfConfig.read(file);
    }

    @Test
    void aPartialFactorGivingAnEvenCountRotatesThatMany() throws IOException {
        HfConfig c = config(j -> ((ObjectNode) j.get("rope_parameters")).put("partial_rotary_factor", 0.25));
        assertEquals(4, HfPlans.rotary(c, HfConfig.FULL_ATTENTION).rotaryDim());
    }

    @Test
    void anOddCountIsRefusedInsteadOfRoundedDown() throws IOException {
        HfConfig c = config(j -> ((ObjectNode) j.get("rope_parameters")).put("partial_rotary_factor", 0.3125));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> HfPlans.rotary(c, HfConfig.FULL_ATTENTION));
        assertEquals("config.json: key 'partial_rotary_factor' expected a fraction of head_dim 16 that is a positive even"
                + " number of elements, found 0.3125 (5 elements)", e.getMessage());
    }
}
