package io.tttv2.models.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tttv2.api.modules.RouterSpec;
import io.tttv2.api.modules.RouterSpec.Scoring;
import io.tttv2.integration.hf.config.ConfigFormatException;
import io.tttv2.integration.hf.config.HfConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Expert numbers from config.json, and one line naming the key when they do not fit together. */
class MoePlansTest {

    private static final Path FIXTURE = Path.of("../../testdata/fixtures/deepseek_v3/config.json");
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

    private RouterSpec grouped(Consumer<ObjectNode> edit) throws IOException {
        return MoePlans.groupedRouter(config(edit), "n_routed_experts", 256, 8, 8, 4, Scoring.SIGMOID, true, true, 2.5f);
    }

    private String refused(Consumer<ObjectNode> edit) {
        return assertThrows(ConfigFormatException.class, () -> grouped(edit)).getMessage()
                .replace(dir.resolve("config.json").toString(), "config.json");
    }

    @Test
    void anyExpertsGroupsAndTopK() throws IOException {
        RouterSpec r = grouped(c -> c.put("n_routed_experts", 64).put("n_group", 8).put("topk_group", 3)
                .put("num_experts_per_tok", 6));
        assertEquals(new RouterSpec(64, 64, 6, Scoring.SIGMOID, true, 8, 3, true, 2.5f), r);
        // defaults where the keys are absent
        RouterSpec d = grouped(c -> c.remove(java.util.List.of("n_routed_experts", "n_group", "topk_group",
                "num_experts_per_tok")));
        assertEquals(new RouterSpec(64, 256, 8, Scoring.SIGMOID, true, 8, 4, true, 2.5f), d);
    }

    @Test
    void ungroupedRoutersIgnoreGroupKeys() throws IOException {
        RouterSpec r = MoePlans.router(config(c -> c.put("n_group", 3)), "n_routed_experts", 8, 2, Scoring.SOFTMAX, false);
        assertEquals(RouterSpec.softmax(64, 4, 2, false), r);
    }

    @Test
    void inconsistentNumbersNameTheKey() {
        assertEquals("config.json: key 'num_experts_per_tok' expected at most the 4 experts of 'n_routed_experts',"
                + " found 5", refused(c -> c.put("num_experts_per_tok", 5)));
        assertEquals("config.json: key 'n_group' expected a number of groups that divides the 4 experts of"
                + " 'n_routed_experts', found 3", refused(c -> c.put("n_group", 3)));
        assertEquals("config.json: key 'topk_group' expected at most the 2 groups of 'n_group', found 3",
                refused(c -> c.put("n_group", 2).put("topk_group", 3)));
        assertEquals("config.json: key 'num_experts_per_tok' expected at most the 2 experts of the 1 groups"
                + " 'topk_group' keeps, found 3", refused(c -> c.put("n_group", 2).put("topk_group", 1)
                .put("num_experts_per_tok", 3)));
        assertEquals("config.json: key 'n_routed_experts' expected a positive integer, found 0",
                refused(c -> c.put("n_routed_experts", 0)));
    }
}
