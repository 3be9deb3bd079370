package io.tttv2.testing.profile;

import java.util.Locale;

/**
 * The profile as text, one line per module kind and phase: calls, share of the phase's module time, median
 * call, achieved GFLOP/s and GB/s, arithmetic intensity and the fraction of the roof at that intensity.
 */
public final class ProfileTable {

    private ProfileTable() {
    }

    public static String render(ProfiledRun run) {
        Profile profile = run.profile();
        MachinePeak peak = run.peak();
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "machine peak: %.1f GFLOP/s FMA, %.1f GB/s read (ridge at %.1f FLOPs/byte)%n",
                peak.gflops(), peak.gbytesPerSecond(), peak.ridge()));
        s.append(String.format(Locale.ROOT, "%-8s %-20s %8s %7s %11s %9s %8s %9s %8s%n", "phase", "kind", "calls",
                "time", "median", "GFLOP/s", "GB/s", "FLOP/B", "of roof"));
        for (KindProfile k : profile.kinds()) {
            s.append(String.format(Locale.ROOT, "%-8s %-20s %8d %6.1f%% %9.1f µs %9s %8s %9s %8s%n", k.phase(),
                    k.kind().id(), k.calls(), 100 * profile.share(k), k.medianNanos() / 1e3,
                    k.costed() ? String.format(Locale.ROOT, "%.2f", k.gflops()) : "-",
                    k.costed() ? String.format(Locale.ROOT, "%.2f", k.gbytesPerSecond()) : "-",
                    k.costed() ? String.format(Locale.ROOT, "%.2f", k.intensity()) : "-",
                    k.costed() ? String.format(Locale.ROOT, "%.1f%%", 100 * k.fractionOfRoof(peak)) : "-"));
        }
        return s.toString();
    }
}
