package io.tttv2.api.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tttv2.api.candidate.ModuleKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AssemblyOverrideTest {

    private static final Assembly SHIPPED = new Assembly("tttv2/model/x",
            Map.of(ModuleKind.MLP, new Requirement("tttv2/mlp/gated", "[1.0,2)", null, List.of(), List.of(),
                    Map.of("prefillChunk", 128))));

    @Test
    void anOverrideThatOnlySetsKnobsKeepsTheChoiceAndLaysTheKnobsOver() {
        Assembly merged = SHIPPED.overriddenBy(new Assembly(null,
                Map.of(ModuleKind.MLP, new Requirement(null, null, null, List.of(), List.of(), Map.of("matmulSplit", 2)))));
        Requirement mlp = merged.requirement(ModuleKind.MLP);
        assertEquals("tttv2/mlp/gated", mlp.name());
        assertEquals("[1.0,2)", mlp.versionRange());
        assertEquals(Map.of("prefillChunk", 128, "matmulSplit", 2), mlp.config());
    }

    @Test
    void anOverrideThatSelectsReplacesTheRequirement() {
        Assembly merged = SHIPPED.overriddenBy(new Assembly(null,
                Map.of(ModuleKind.MLP, new Requirement("acme/mlp/fast", null, null, List.of(), List.of()))));
        assertEquals(new Requirement("acme/mlp/fast", null, null, List.of(), List.of()), merged.requirement(ModuleKind.MLP));
        // an empty requirement still means "the default choice"
        assertEquals(Requirement.any(), SHIPPED.overriddenBy(new Assembly(null, Map.of(ModuleKind.MLP, Requirement.any())))
                .requirement(ModuleKind.MLP));
    }

    @Test
    void pathKnobsComeAfterKindKnobs() {
        Assembly a = new Assembly(null, Map.of(ModuleKind.MLP, new Requirement(null, null, null, List.of(), List.of(),
                Map.of("matmulSplit", 2, "prefillChunk", 64))), Map.of("model.layers.3.mlp", Map.of("matmulSplit", 8)));
        assertEquals(Map.of("matmulSplit", 8, "prefillChunk", 64), a.configFor(ModuleKind.MLP, "model.layers.3.mlp"));
        assertEquals(Map.of("matmulSplit", 2, "prefillChunk", 64), a.configFor(ModuleKind.MLP, "model.layers.2.mlp"));
        // kept across an override that does not name the path
        assertEquals(Map.of("matmulSplit", 8, "prefillChunk", 64),
                a.overriddenBy(new Assembly(null, Map.of())).configFor(ModuleKind.MLP, "model.layers.3.mlp"));
    }
}
