package io.tttv2.testing.profile;

import io.tttv2.api.candidate.ModuleKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;
import org.osgi.service.component.annotations.Component;

/**
 * Whether modules are profiled, and the figures of every profiled call. Offered as an OSGi service by the
 * testing bundle; tests and tools outside a framework construct their own.
 *
 * <p>Enabling takes effect for modules created afterwards (the decorator wraps only while enabled, so a model
 * built with profiling off runs its implementations untouched); disabling also stops recording in modules
 * already wrapped. Thread-safe.
 */
@ProviderType
@Component(service = ProfileRegistry.class)
public final class ProfileRegistry {

    private volatile boolean enabled;
    // guarded by this; keyed by kind and phase, in first-call order
    private final Map<String, Calls> calls = new LinkedHashMap<>();

    public ProfileRegistry() {
    }

    public void enable() {
        enabled = true;
    }

    public void disable() {
        enabled = false;
    }

    public boolean isEnabled() {
        return enabled;
    }

    /** Forgets every call recorded so far (e.g. after warm-up). */
    public synchronized void clear() {
        calls.clear();
    }

    /** One call of a profiled module: its own time (without profiled modules it called) and its cost. */
    public void record(ModuleKind kind, String phase, long selfNanos, CallCost cost) {
        if (!enabled) {
            return;
        }
        synchronized (this) {
            calls.computeIfAbsent(kind.id() + " " + phase, k -> new Calls(kind, phase)).add(selfNanos, cost);
        }
    }

    /** The figures so far, per kind in the kind table's order, prefill before decode. */
    public synchronized Profile profile() {
        List<KindProfile> kinds = new ArrayList<>();
        for (Calls c : calls.values()) {
            kinds.add(c.summary());
        }
        kinds.sort(Comparator.comparing((KindProfile k) -> k.phase().equals(Profile.PREFILL) ? 0 : 1)
                .thenComparing(KindProfile::kind));
        return new Profile(kinds);
    }

    /** One kind's calls in one phase. */
    private static final class Calls {
        private final ModuleKind kind;
        private final String phase;
        private long[] nanos = new long[64];
        private int count;
        private long total;
        private double flops;
        private double bytes;

        Calls(ModuleKind kind, String phase) {
            this.kind = kind;
            this.phase = phase;
        }

        void add(long selfNanos, CallCost cost) {
            if (count == nanos.length) {
                nanos = Arrays.copyOf(nanos, count * 2);
            }
            nanos[count++] = selfNanos;
            total += selfNanos;
            flops += cost.flops();
            bytes += cost.bytes();
        }

        KindProfile summary() {
            long[] sorted = Arrays.copyOf(nanos, count);
            Arrays.sort(sorted);
            long median = count == 0 ? 0 : count % 2 == 1 ? sorted[count / 2]
                    : (sorted[count / 2 - 1] + sorted[count / 2]) / 2;
            return new KindProfile(kind, phase, count, total, median, flops, bytes);
        }
    }
}
