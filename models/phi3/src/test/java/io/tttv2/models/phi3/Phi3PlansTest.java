package io.tttv2.models.phi3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.DecoderLayerSpec.ResidualPattern;
import io.tttv2.api.modules.RopeScaling;
import io.tttv2.api.modules.RotarySpec;
import io.tttv2.integration.hf.config.ConfigFormatException;
import io.tttv2.integration.hf.config.HfConfig;
import io.tttv2.models.kit.DecoderModel;
import io.tttv2.models.kit.LayerPlan;
import io.tttv2.models.kit.WeightMapping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Phi-3's fused projections and LongRoPE, from the fixture's config.json and from edited copies of it. */
class Phi3PlansTest {

    private static final Path FIXTURE = Path.of("../../testdata/fixtures/phi3/config.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private DecoderModel model(Consumer<ObjectNode> edit) throws IOException {
        ObjectNode config = (ObjectNode) JSON.readTree(FIXTURE.toFile());
        edit.accept(config);
        Path file = dir.resolve("config.json");
        Files.writeString(file, JSON.writeValueAsString(config));
        return Phi3Plans.of(HfConfig.read(file));
    }

    private static RotarySpec rotary(DecoderModel model) {
        return model.plan().layers().get(0).rotary();
    }

    /** {@code n} distinct factors: 1.0, 1.25, 1.5, … */
    private static List<Double> factors(int n, double step) {
        return IntStream.range(0, n).mapToObj(i -> 1.0 + step * i).toList();
    }

    private static ArrayNode array(List<Double> values) {
        ArrayNode a = JSON.createArrayNode();
        values.forEach(a::add);
        return a;
    }

    /** The fixture with {@code rope_parameters} of type longrope over {@code pairs} rotated pairs. */
    private static Consumer<ObjectNode> longrope(int pairs, Consumer<ObjectNode> rope) {
        return c -> {
            ObjectNode p = c.putObject("rope_parameters");
            p.put("rope_type", "longrope").put("rope_theta", 10000.0).put("partial_rotary_factor", 1.0);
            p.set("short_factor", array(factors(pairs, 0.25)));
            p.set("long_factor", array(factors(pairs, 2.0)));
            c.put("max_position_embeddings", 16384);
            rope.accept(p);
        };
    }

    @Test
    void splitsTheFusedProjectionsIntoViews() {
        WeightMapping m = Phi3Plans.of(HfConfig.read(FIXTURE)).mapping();
        String[] qkv = {"q_proj", "k_proj", "v_proj"};
        for (int part = 0; part < qkv.length; part++) {
            WeightMapping.Source s = m.source("model.layers.1.self_attn." + qkv[part] + ".weight");
            assertEquals("model.layers.1.self_attn.qkv_proj.weight", s.checkpointName());
            assertEquals(part, s.part());
            assertEquals(1, s.split().groups());
        }
        WeightMapping.Source gate = m.source("model.layers.0.mlp.gate_proj.weight");
        WeightMapping.Source up = m.source("model.layers.0.mlp.up_proj.weight");
        assertEquals("model.layers.0.mlp.gate_up_proj.weight", gate.checkpointName());
        assertEquals(0, gate.part());
        assertEquals(1, up.part());
        assertEquals("model.layers.0.self_attn.o_proj.weight", m.source("model.layers.0.self_attn.o_proj.weight").checkpointName());
        assertFalse(m.source("model.layers.0.mlp.down_proj.weight").isPart());
    }

    @Test
    void isLlamaShapedOtherwise() {
        DecoderModel model = Phi3Plans.of(HfConfig.read(FIXTURE));
        for (LayerPlan layer : model.plan().layers()) {
            assertEquals(ResidualPattern.PRE_NORM, layer.pattern());
            AttentionSpec a = layer.attention();
            assertFalse(a.qkvBias() || a.outputBias());
            assertEquals(AttentionSpec.QkNorm.NONE, a.qkNorm());
            assertEquals(0, a.slidingWindow());
            assertFalse(layer.mlp().bias());
            assertEquals(1e-6f, layer.inputNorm().eps());
        }
        RotarySpec r = rotary(model);
        assertEquals(16, r.rotaryDim());
        assertEquals("default", r.scaling().type());
        assertFalse(model.plan().tiedHead());
    }

    @Test
    void slidesInEveryLayerWhenAWindowIsSet() throws IOException {
        for (LayerPlan layer : model(c -> c.put("sliding_window", 5)).plan().layers()) {
            assertEquals(5, layer.attention().slidingWindow());
        }
    }

    @Test
    void defaultsArePhi3ConfigsNotLlamas() throws IOException {
        DecoderModel model = model(c -> c.remove(List.of("rms_norm_eps", "tie_word_embeddings")));
        assertEquals(1e-5f, model.plan().finalNorm().eps());
        assertFalse(model.plan().tiedHead());
        assertTrue(model(c -> c.put("tie_word_embeddings", true)).plan().tiedHead());
    }

    @Test
    void longropeCarriesBothFactorListsAndTheRatioOfContexts() throws IOException {
        RotarySpec r = rotary(model(longrope(8, p -> { })));
        RopeScaling s = r.scaling();
        assertEquals(16, r.rotaryDim());
        assertEquals("longrope", s.type());
        assertEquals(10000.0, s.theta());
        assertEquals(factors(8, 0.25), s.shortFactor());
        assertEquals(factors(8, 2.0), s.longFactor());
        // the fixture's top-level original_max_position_embeddings (4096); max_position_embeddings 16384
        assertEquals(4096, s.originalMaxPositions());
        assertEquals(4.0, s.factor());
        assertTrue(Double.isNaN(s.attentionFactor()));
    }

    @Test
    void topLevelOriginalContextWinsAndDefaultsTo4096() throws IOException {
        RopeScaling inside = rotary(model(longrope(8, p -> p.put("original_max_position_embeddings", 2048)))).scaling();
        assertEquals(4096, inside.originalMaxPositions());
        RopeScaling absent = rotary(model(longrope(8, p -> { }).andThen(c -> c.remove("original_max_position_embeddings"))))
                .scaling();
        assertEquals(4096, absent.originalMaxPositions());
        assertEquals(4.0, absent.factor());
        RopeScaling top = rotary(model(longrope(8, p -> { }).andThen(c -> c.put("original_max_position_embeddings", 8192))))
                .scaling();
        assertEquals(8192, top.originalMaxPositions());
        assertEquals(2.0, top.factor());
    }

    @Test
    void explicitFactorAndAttentionFactorWin() throws IOException {
        RopeScaling s = rotary(model(longrope(8, p -> p.put("factor", 2.0).put("attention_factor", 1.5)))).scaling();
        assertEquals(2.0, s.factor());
        assertEquals(1.5, s.attentionFactor());
    }

    @Test
    void legacyRopeScalingWithSuIsLongrope() throws IOException {
        RopeScaling s = rotary(model(c -> {
            c.remove("rope_parameters");
            c.put("rope_theta", 250000.0);
            c.put("max_position_embeddings", 131072);
            ObjectNode scaling = c.putObject("rope_scaling");
            scaling.put("type", "su");
            scaling.set("short_factor", array(factors(8, 0.5)));
            scaling.set("long_factor", array(factors(8, 3.0)));
        })).scaling();
        assertEquals("longrope", s.type());
        assertEquals(250000.0, s.theta());
        assertEquals(32.0, s.factor());
        assertEquals(factors(8, 3.0), s.longFactor());
    }

    @Test
    void partialRotaryLikePhi4MiniRotatesThreeQuarters() throws IOException {
        RotarySpec r = rotary(model(longrope(6, p -> p.put("partial_rotary_factor", 0.75))));
        assertEquals(16, r.headDim());
        assertEquals(12, r.rotaryDim());
        assertEquals(6, r.scaling().shortFactor().size());
        // the top-level key, as Phi-4-mini's config.json states it, with plain RoPE
        RotarySpec top = rotary(model(c -> {
            ((ObjectNode) c.get("rope_parameters")).remove("partial_rotary_factor");
            c.put("partial_rotary_factor", 0.75);
        }));
        assertEquals(12, top.rotaryDim());
    }

    @Test
    void factorListsOfTheWrongLengthAreOneLine() {
        ConfigFormatException e = assertThrows(ConfigFormatException.class, () -> model(longrope(7, p -> { })));
        assertTrue(e.getMessage().contains("config.json: key 'rope_parameters.short_factor' expected 8 factors"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("found 7"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void otherRopeTypesAreRefusedInOneLine() {
        ConfigFormatException e = assertThrows(ConfigFormatException.class, () -> model(c -> c.putObject("rope_parameters")
                .put("rope_type", "linear").put("rope_theta", 10000.0).put("factor", 2.0)));
        assertTrue(e.getMessage().contains("key 'rope_parameters' expected rope_type 'default' or 'longrope'"), e.getMessage());
        assertTrue(e.getMessage().endsWith("found 'linear'"), e.getMessage());
    }
}
