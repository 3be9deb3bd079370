package io.tttv2.testing.profile;

import io.tttv2.api.candidate.ModuleKind;

/**
 * One module kind in one phase ({@code prefill} or {@code decode}) over a profiled run.
 *
 * @param calls        calls made
 * @param selfNanos    time inside the kind's calls, less the time of the profiled modules they called
 * @param medianNanos  the median of one call's own time (robust to the shared machine's noise)
 * @param flops        FLOPs of all calls (0: no cost model for this kind)
 * @param bytes        bytes moved by all calls
 */
public record KindProfile(ModuleKind kind, String phase, long calls, long selfNanos, long medianNanos, double flops,
                          double bytes) {

    /** Achieved GFLOP/s over the kind's own time. */
    public double gflops() {
        return selfNanos == 0 ? 0 : flops / selfNanos;
    }

    /** Achieved GB/s over the kind's own time. */
    public double gbytesPerSecond() {
        return selfNanos == 0 ? 0 : bytes / selfNanos;
    }

    /** FLOPs per byte moved; NaN when the kind has no cost model. */
    public double intensity() {
        return bytes == 0 ? Double.NaN : flops / bytes;
    }

    /** Whether FLOPs and bytes were estimated for this kind (it can be placed on a roofline). */
    public boolean costed() {
        return flops > 0 && bytes > 0;
    }

    /**
     * The fraction of the machine's roof at this kind's intensity that it achieved: GFLOP/s over
     * min(peak GFLOP/s, intensity × bandwidth). NaN without a cost model.
     */
    public double fractionOfRoof(MachinePeak peak) {
        if (!costed()) {
            return Double.NaN;
        }
        return gflops() / peak.roof(intensity());
    }
}
