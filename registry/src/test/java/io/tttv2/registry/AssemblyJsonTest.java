package io.tttv2.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.assembly.AssemblyFormatException;
import io.tttv2.api.assembly.Requirement;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.candidate.Tier;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class AssemblyJsonTest {

    private static Assembly read(String json) {
        return AssemblyJson.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "a.json");
    }

    @Test
    void readsConfigurationOverridesPerKindAndPerModulePath() {
        Assembly a = read("""
                {"modules": {"mlp": {"config": {"prefillChunk": 64, "matmulSplit": 2}}},
                 "moduleConfig": {"model.layers.1.mlp": {"matmulSplit": 8}}}
                """);
        assertEquals(java.util.Map.of("prefillChunk", 64, "matmulSplit", 2), a.requirement(ModuleKind.MLP).config());
        assertEquals(java.util.Map.of("prefillChunk", 64, "matmulSplit", 2), a.configFor(ModuleKind.MLP, "model.layers.0.mlp"));
        assertEquals(java.util.Map.of("prefillChunk", 64, "matmulSplit", 8), a.configFor(ModuleKind.MLP, "model.layers.1.mlp"));
        assertEquals(java.util.Map.of(), a.configFor(ModuleKind.ATTENTION, "model.layers.0.self_attn"));
    }

    @Test
    void readsTheKvDtypeByNameAndTheKvTile() {
        Assembly a = read("""
                {"modules": {"attention": {"config": {"kvDtype": "BF16", "fusedProjections": false}},
                             "attention-backend": {"config": {"kvTile": 0}}}}
                """);
        assertEquals(java.util.Map.of("kvDtype", io.tttv2.api.modules.ModuleConfig.KV_DTYPES.indexOf(
                io.tttv2.api.tensor.DType.BF16), "fusedProjections", 0), a.requirement(ModuleKind.ATTENTION).config());
        assertEquals(java.util.Map.of("kvTile", 0), a.requirement(ModuleKind.ATTENTION_BACKEND).config());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"modules": {"mlp": {"config": {"tile": 4}}}}              | a.json: key 'modules.mlp.config.tile' expected a knob (prefillChunk, matmulSplit, kvTile, kvDtype, fusedProjections), found an unknown knob
            {"modules": {"mlp": {"config": {"matmulSplit": 0}}}}       | a.json: key 'modules.mlp.config.matmulSplit' expected a positive integer, found 0
            {"modules": {}, "moduleConfig": {"lm_head": {"prefillChunk": "x"}}} | a.json: key 'moduleConfig.lm_head.prefillChunk' expected a positive integer, found "x"
            {"modules": {"attention": {"config": {"kvDtype": "Q8_0"}}}} | a.json: key 'modules.attention.config.kvDtype' expected one of "F32", "BF16", "F16", found "Q8_0"
            {"modules": {"attention": {"config": {"kvDtype": 16}}}}     | a.json: key 'modules.attention.config.kvDtype' expected one of "F32", "BF16", "F16", found 16
            {"modules": {"attention-backend": {"config": {"kvTile": -4}}}} | a.json: key 'modules.attention-backend.config.kvTile' expected an integer >= 0 (0: untiled), found -4
            {"modules": {"mlp": {"config": {"fusedProjections": "on"}}}} | a.json: key 'modules.mlp.config.fusedProjections' expected true or false, found "on"
            {"modules": {"attention-backend": {"config": {"kvTile": 1.5}}}} | a.json: key 'modules.attention-backend.config.kvTile' expected an integer >= 0 (0: untiled), found 1.5
            {"modules": {}, "moduleConfig": []}                        | a.json: key 'moduleConfig' expected an object of module path → knobs, found a list
            """)
    void badConfigurationOverridesAreOneLine(String json, String message) {
        assertEquals(message, assertThrows(AssemblyFormatException.class, () -> read(json)).getMessage());
    }

    @Test
    void readsEveryPartOfARequirement() {
        Assembly a = read("""
                {"model": "tttv2/model/llama-family",
                 "modules": {"attention": {"name": "tttv2/attention/sdpa", "version": "[1.0,2)", "minimumTier": "core",
                                           "variants": ["gqa"], "dtypes": ["BF16"]},
                             "rotary": {}}}
                """);
        assertEquals("tttv2/model/llama-family", a.model());
        assertEquals(new Requirement("tttv2/attention/sdpa", "[1.0,2)", Tier.CORE, List.of("gqa"), List.of("BF16")),
                a.requirement(ModuleKind.ATTENTION));
        assertEquals(Requirement.any(), a.requirement(ModuleKind.ROTARY));
        assertEquals(2, a.requirements().size());
    }

    @Test
    void controlCharactersInWhatWasFoundStayOnOneLine() {
        AssemblyFormatException e = assertThrows(AssemblyFormatException.class,
                () -> read("{\"modules\": {\"norm\": {\"name\": \"acme/norm/x\\ny\"}}}"));
        assertEquals("a.json: key 'modules.norm.name' expected a candidate name of kind norm (owner/norm/name), found "
                + "acme/norm/x\\u000ay", e.getMessage());
    }

    @Test
    void theModelIsOptional() {
        assertNull(read("{\"modules\": {}}").model());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            {"modules": {"attn": {}}}                                  | a.json: key 'modules.attn' expected a module kind (attention, latent-attention, attention-backend, mlp, router, moe, norm, rotary, embedding, position-embedding, lm-head, decoder-layer, encoder-attention, encoder-layer, pooler, relative-position-bias, cross-attention, biased-attention, device, model), found attn
            {"modules": {"attention": {"version": "1.0-2"}}}           | a.json: key 'modules.attention.version' expected an OSGi version range such as [1.0,2), found '1.0-2'
            {"modules": {"attention": {"minimumTier": "gold"}}}        | a.json: key 'modules.attention.minimumTier' expected one of core, contrib, community, experimental, found gold
            {"modules": {"attention": {"name": "tttv2/mlp/gated"}}}    | a.json: key 'modules.attention.name' expected a candidate name of kind attention (owner/attention/name), found tttv2/mlp/gated
            {"modules": {"attention": {"range": "[1,2)"}}}             | a.json: key 'modules.attention.range' expected a known key (name, version, minimumTier, variants, dtypes, config), found an unknown key
            {"modules": {"attention": {"variants": "gqa"}}}            | a.json: key 'modules.attention.variants' expected a list of strings, found "gqa"
            {"modules": {"attention": {"variants": [3]}}}              | a.json: key 'modules.attention.variants[0]' expected a non-empty string, found 3
            {"modules": {"attention": []}}                             | a.json: key 'modules.attention' expected an object with name, version, minimumTier, variants, dtypes, config (all optional), found a list
            {"model": "m"}                                             | a.json: key 'modules' expected an object of module kind → requirement, found nothing
            {"modules": {}, "extra": 1}                                | a.json: key 'extra' expected a known key (model, modules, moduleConfig), found an unknown key
            [1]                                                        | a.json: key '(top level)' expected an object with "modules", found a list
            """)
    void malformedDescriptorsAreOneLineNamingFileKeyExpectedAndFound(String json, String message) {
        AssemblyFormatException e = assertThrows(AssemblyFormatException.class, () -> read(json));
        assertEquals(message, e.getMessage());
    }

    @Test
    void invalidJsonNamesTheFileAndWhere() {
        AssemblyFormatException e = assertThrows(AssemblyFormatException.class, () -> read("{\"modules\": {\n"));
        assertEquals(1, e.getMessage().lines().count());
        assertEquals(true, e.getMessage().startsWith("a.json: not valid JSON: Unexpected end-of-input"), e.getMessage());
        assertEquals(true, e.getMessage().endsWith("(line 2, column 1)"), e.getMessage());
        assertEquals(false, e.getMessage().contains("REDACTED"), e.getMessage());
    }

    @Test
    void aKindGivenTwiceIsRefused() {
        assertThrows(AssemblyFormatException.class, () -> read("{\"modules\": {\"mlp\": {}, \"mlp\": {}}}"));
    }
}
