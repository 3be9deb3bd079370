package io.tttv2.testing.against;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.Module;
import io.tttv2.testing.metrics.Comparison;
import io.tttv2.testing.validation.Tolerance;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;
import org.osgi.service.component.annotations.Component;

/**
 * What runs against what: while started, modules of {@link #kind()} (for {@link ModuleKind#DEVICE}: modules of
 * every kind with an output tensor) are built with a twin from {@link #other()}, and every call's comparison is
 * recorded here. Offered as an OSGi service by the testing bundle; tests construct their own. Thread-safe.
 */
@ProviderType
@Component(service = AgainstRegistry.class)
public final class AgainstRegistry {

    private volatile Target target;
    private volatile Tolerance tolerance = Tolerance.DEFAULT;
    // guarded by this
    private final List<TwinComparison> records = new ArrayList<>();
    private final Map<Object, String> names = new IdentityHashMap<>();
    private final Map<Object, Pair> candidates = new IdentityHashMap<>();

    private record Pair(ModuleKind kind, String chosen, String other) {
    }
    private final Map<ModuleKind, Integer> created = new LinkedHashMap<>();

    /**
     * The kind compared and the other side: a factory of {@code kind}'s service type, or for
     * {@link ModuleKind#DEVICE} the other {@link io.tttv2.api.ops.Device}.
     */
    public record Target(ModuleKind kind, String otherName, Object other) {
    }

    public AgainstRegistry() {
    }

    /** Whether modules of {@code kind} can be run beside a twin (they write one output tensor per call). */
    public static boolean twinnable(ModuleKind kind) {
        return io.tttv2.testing.twinning.TwinFactories.TWINNABLE.contains(kind);
    }

    /** The kinds that can be compared, by id. */
    public static List<String> twinnableKinds() {
        return io.tttv2.testing.twinning.TwinFactories.TWINNABLE.stream().map(ModuleKind::id).toList();
    }

    /** Builds twins for modules created from now on, and compares their calls within {@code tolerance}. */
    public synchronized void start(ModuleKind kind, String otherName, Object other, Tolerance tolerance) {
        this.tolerance = tolerance;
        records.clear();
        names.clear();
        candidates.clear();
        created.clear();
        this.target = new Target(kind, otherName, other);
    }

    /** No more twins for new modules, nor comparisons in modules already twinned. */
    public void stop() {
        target = null;
    }

    /** What is compared, or null when stopped. */
    public Target target() {
        return target;
    }

    public Tolerance tolerance() {
        return tolerance;
    }

    /** A module with a twin was created; returns its default name ({@code attention#3}) until named by path. */
    public synchronized String created(Object module, ModuleKind kind, String chosen, String other) {
        int n = created.merge(kind, 1, Integer::sum);
        String name = kind.id() + "#" + n;
        names.put(module, name);
        candidates.put(module, new Pair(kind, chosen, other));
        return name;
    }

    /** Names the twinned modules among {@code modules} (a runner's module map) by their paths; returns how many. */
    public synchronized int nameModules(Map<String, ? extends Module> modules) {
        int named = 0;
        for (Map.Entry<String, ? extends Module> e : modules.entrySet()) {
            if (names.containsKey(e.getValue())) {
                names.put(e.getValue(), e.getKey());
                named++;
            }
        }
        return named;
    }

    /** Records one call of {@code module} beside its twin. */
    public void record(Object module, String entry, Comparison comparison, String failure) {
        Tolerance t = tolerance;
        boolean passed = failure == null && comparison != null && t.passes(comparison);
        double allowed = comparison == null ? Double.NaN : t.allowedMaxAbsError(comparison);
        synchronized (this) {
            String name = names.getOrDefault(module, "?");
            String why = failure != null ? failure : passed ? null : String.format(java.util.Locale.ROOT,
                    "%s: PCC %.6f (needs %.6f), max abs error %.3e (allowed %.3e) at element %d: %g vs %g", entry,
                    comparison.pcc(), t.minPcc(), comparison.maxAbsError(), allowed, comparison.worstIndex(),
                    comparison.worstActual(), comparison.worstExpected());
            records.add(new TwinComparison(name, entry, comparison, passed, allowed, why));
        }
    }

    public synchronized List<TwinComparison> records() {
        return List.copyOf(records);
    }

    /** Per module, in the order of their first call. */
    public synchronized List<ModuleAgainst> summary() {
        Map<String, List<TwinComparison>> byModule = new LinkedHashMap<>();
        for (TwinComparison r : records) {
            byModule.computeIfAbsent(r.module(), m -> new ArrayList<>()).add(r);
        }
        Map<String, Object> moduleByName = new LinkedHashMap<>();
        names.forEach((module, name) -> moduleByName.put(name, module));
        List<ModuleAgainst> out = new ArrayList<>();
        for (Map.Entry<String, List<TwinComparison>> e : byModule.entrySet()) {
            long failed = 0;
            double worstPcc = Double.POSITIVE_INFINITY;
            double maxAbs = 0;
            String first = null;
            for (TwinComparison r : e.getValue()) {
                if (!r.passed()) {
                    failed++;
                    first = first == null ? r.failure() : first;
                }
                if (r.comparison() != null) {
                    worstPcc = Math.min(worstPcc, r.comparison().pcc());
                    maxAbs = Math.max(maxAbs, r.comparison().maxAbsError());
                }
            }
            Object module = moduleByName.get(e.getKey());
            Pair pair = module == null ? new Pair(ModuleKind.DEVICE, "?", "?") : candidates.get(module);
            out.add(new ModuleAgainst(e.getKey(), pair.kind(), pair.chosen(), pair.other(), e.getValue().size(), failed,
                    worstPcc, maxAbs, first));
        }
        return out;
    }
}
