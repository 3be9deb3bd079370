package io.tttv2.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tttv2.api.candidate.CandidateDescriptor;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.candidate.Tier;
import java.util.List;
import org.junit.jupiter.api.Test;

class BindingsTest {

    private static final CandidateDescriptor SDPA = Candidates.of("tttv2/attention/sdpa", "1.0.0", Tier.CORE);

    private static ServiceOffer offer(ModuleKind kind, long bundleId, String version, long serviceId, int ranking) {
        return new ServiceOffer(kind, "tttv2/attention/sdpa", version, "core", bundleId, "b/1", serviceId, ranking, null);
    }

    private static Object bind(List<ServiceOffer> offers) {
        Bindable b = Bindings.of(List.of(new DeclaredCandidate(7, SDPA)), offers, o -> "service " + o.serviceId(),
                d -> "none for " + d.descriptor().name()).get(0);
        return b.factory() == null ? b.unavailable() : b.factory().get();
    }

    @Test
    void theDeclaringBundlesServiceOfTheSameKindNameAndVersionImplementsTheCandidate() {
        assertEquals("service 3", bind(List.of(offer(ModuleKind.ATTENTION, 7, "1.0", 3, 0))));
        assertEquals("none for tttv2/attention/sdpa", bind(List.of(offer(ModuleKind.ATTENTION, 8, "1.0.0", 3, 0))));
        assertEquals("none for tttv2/attention/sdpa", bind(List.of(offer(ModuleKind.MLP, 7, "1.0.0", 3, 0))));
        assertEquals("none for tttv2/attention/sdpa", bind(List.of(offer(ModuleKind.ATTENTION, 7, "1.1.0", 3, 0))));
        assertEquals("none for tttv2/attention/sdpa", bind(List.of(offer(ModuleKind.ATTENTION, 7, "not a version", 3, 0))));
    }

    @Test
    void ofSeveralTheHighestRankingThenTheOldestWins() {
        assertEquals("service 5", bind(List.of(offer(ModuleKind.ATTENTION, 7, "1.0.0", 3, 0), offer(ModuleKind.ATTENTION, 7, "1.0.0", 5, 10))));
        assertEquals("service 3", bind(List.of(offer(ModuleKind.ATTENTION, 7, "1.0.0", 5, 0), offer(ModuleKind.ATTENTION, 7, "1.0.0", 3, 0))));
    }

    @Test
    void aBindableWithoutServiceHasNoFactory() {
        Bindable b = Bindings.of(List.of(new DeclaredCandidate(7, SDPA)), List.of(), o -> null, d -> "why").get(0);
        assertNull(b.factory());
        assertEquals("why", b.unavailable());
    }
}
