package io.tttv2.testing.profile;

/**
 * The machine's measured peak: fused multiply-add throughput (GFLOP/s over every core) and memory read
 * bandwidth (GB/s), measured by {@link PeakBenchmark} in the same run as the profile it is compared with.
 */
public record MachinePeak(double gflops, double gbytesPerSecond) {

    public MachinePeak {
        if (!(gflops > 0) || !(gbytesPerSecond > 0)) {
            throw new IllegalArgumentException("a machine peak must be positive, found " + gflops + " GFLOP/s, "
                    + gbytesPerSecond + " GB/s");
        }
    }

    /** The roofline at {@code intensity} FLOPs/byte: min(peak, intensity × bandwidth), GFLOP/s. */
    public double roof(double intensity) {
        return Math.min(gflops, intensity * gbytesPerSecond);
    }

    /** The intensity (FLOPs/byte) where the bandwidth line meets the peak. */
    public double ridge() {
        return gflops / gbytesPerSecond;
    }
}
