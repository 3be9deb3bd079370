package io.tttv2.cli.synth;

import io.tttv2.integration.hf.safetensors.Dtype;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

/**
 * Fills a tensor's bytes with N(0, std)-like values, deterministically: the values depend on the seed, the
 * tensor's name and the element's index only, not on the thread count or the order tensors are written in.
 *
 * <p>Each value is a sum of four uniform 16-bit draws (Irwin–Hall, n = 4: bell-shaped, mean 2, variance 1/3),
 * centred and scaled to unit variance and then to {@code std}: one 64-bit draw per value, so a billion values
 * take seconds, where {@code nextGaussian} takes a minute. Every value is rounded to bfloat16 first and then
 * stored in the requested dtype, so the BF16, F16 and F32 checkpoints of one seed hold the same model (an
 * F32 checkpoint is the float32 reference of the BF16 one).
 */
final class SyntheticValues {
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Elements per independently seeded chunk: chunks are filled in parallel. */
    static final int CHUNK = 1 << 16;
    private static final double UNIT = Math.sqrt(3.0) / 65536.0;

    private SyntheticValues() {
    }

    /** Fills {@code out} ({@code elements × dtype.byteSize()} bytes) with one tensor's values. */
    static void fill(MemorySegment out, Dtype dtype, long elements, SynthPreset.Init init, double std, long seed,
                     String tensor) {
        switch (init) {
            case ZEROS -> out.fill((byte) 0);
            case ONES -> {
                for (long i = 0; i < elements; i++) {
                    store(out, dtype, i, 1f);
                }
            }
            case NORMAL -> {
                long base = mix(seed ^ mix(nameHash(tensor)));
                long chunks = (elements + CHUNK - 1) / CHUNK;
                LongStream.range(0, chunks).parallel().forEach(c -> {
                    SplittableRandom random = new SplittableRandom(mix(base + c * 0x9E3779B97F4A7C15L));
                    long end = Math.min(elements, (c + 1) * CHUNK);
                    for (long i = c * CHUNK; i < end; i++) {
                        store(out, dtype, i, toBf16((float) (std * standard(random.nextLong()))));
                    }
                });
            }
            default -> throw new IllegalStateException("unknown init " + init);
        }
    }

    /** Four 16-bit uniforms of one draw, summed, centred and scaled to variance 1 (within ±2√3). */
    static double standard(long bits) {
        long sum = (bits & 0xFFFF) + ((bits >>> 16) & 0xFFFF) + ((bits >>> 32) & 0xFFFF) + (bits >>> 48) + 2;
        return (sum - 131072.0) * UNIT;   // each uniform is (u + 0.5) / 65536; four of them sum to 2 on average
    }

    /** Rounds to the nearest bfloat16 (ties to even), returned as the float it stands for. */
    static float toBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        int rounded = (bits + 0x7FFF + ((bits >>> 16) & 1)) & 0xFFFF0000;
        return Float.intBitsToFloat(rounded);
    }

    private static void store(MemorySegment out, Dtype dtype, long index, float value) {
        switch (dtype) {
            case BF16 -> out.setAtIndex(I16, index, (short) (Float.floatToRawIntBits(value) >>> 16));
            case F16 -> out.setAtIndex(I16, index, Float.floatToFloat16(value));
            case F32 -> out.setAtIndex(F32, index, value);
            default -> throw new IllegalArgumentException("dtype expected BF16, F16 or F32, found " + dtype);
        }
    }

    private static long nameHash(String name) {
        long h = 0xCBF29CE484222325L;   // FNV-1a over the UTF-8 bytes: stable across JDKs, unlike hashCode's spread
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xFF)) * 0x100000001B3L;
        }
        return h;
    }

    /** SplitMix64's finaliser: nearby inputs give unrelated outputs. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
