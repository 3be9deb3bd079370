package io.tttv2.testing.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tttv2.api.candidate.ModuleKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The composed time from known per-module figures, and the roofline arithmetic. */
class ComposedTimeTest {

    @Test
    void composesCallsPerUnitTimesTheMedianCallOverKinds() {
        Profile profile = new Profile(List.of(
                // 4 layers × 10 tokens: 40 attention calls of median 50 µs (the total, 2.5 ms, is not used)
                new KindProfile(ModuleKind.ATTENTION, Profile.DECODE, 40, 2_500_000, 50_000, 1, 1),
                new KindProfile(ModuleKind.MLP, Profile.DECODE, 40, 4_000_000, 80_000, 1, 1),
                new KindProfile(ModuleKind.LM_HEAD, Profile.DECODE, 10, 3_000_000, 200_000, 1, 1),
                // prefill figures do not count towards decode
                new KindProfile(ModuleKind.MLP, Profile.PREFILL, 4, 40_000_000, 9_000_000, 1, 1)));
        // per token: 4 × 50 µs + 4 × 80 µs + 1 × 200 µs = 720 µs
        assertEquals(720_000, ComposedTime.perUnit(profile, Profile.DECODE, 10), 1e-6);
        assertEquals(36_000_000, ComposedTime.perUnit(profile, Profile.PREFILL, 1), 1e-6);
        assertEquals(0, ComposedTime.perUnit(new Profile(List.of()), Profile.DECODE, 5));
        assertThrows(IllegalArgumentException.class, () -> ComposedTime.perUnit(profile, Profile.DECODE, 0));
    }

    @Test
    void rooflineArithmetic() {
        MachinePeak peak = new MachinePeak(100, 20);             // ridge at 5 FLOPs/byte
        assertEquals(5, peak.ridge(), 1e-12);
        assertEquals(20, peak.roof(1), 1e-12);
        assertEquals(100, peak.roof(50), 1e-12);
        // 2e9 FLOPs over 4e8 bytes in 0.1 s: 20 GFLOP/s at 5 FLOPs/byte, a fifth of the roof
        KindProfile k = new KindProfile(ModuleKind.MLP, Profile.DECODE, 1, 100_000_000, 100_000_000, 2e9, 4e8);
        assertEquals(20, k.gflops(), 1e-9);
        assertEquals(4, k.gbytesPerSecond(), 1e-9);
        assertEquals(5, k.intensity(), 1e-12);
        assertEquals(0.2, k.fractionOfRoof(peak), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new MachinePeak(0, 1));
    }

    @Test
    void theMachinePeakIsMeasuredPositiveAndTheFmaRoofAboveTheScalarOne() {
        MachinePeak peak = PeakBenchmark.measure(1);
        // one core does at least one scalar FMA (2 FLOPs) per nanosecond when vectors work at all
        assertTrue(peak.gflops() > 0.5, peak.toString());
        assertTrue(peak.gbytesPerSecond() > 0.1, peak.toString());
    }

    private static void assertTrue(boolean condition, String message) {
        org.junit.jupiter.api.Assertions.assertTrue(condition, message);
    }
}
