package io.tttv2.core.cpu.kernel;

/**
 * Per-thread float buffers for kernels, grown on first use and rarely after, so that ops allocate nothing
 * on the decode path. A slot is used by one kernel call on one thread at a time; calls do not nest.
 */
final class ThreadScratch {

    /** Norm weights widened to F32. */
    static final int WEIGHT = 0;
    /** A row staged between dtypes. */
    static final int ROW = 1;
    private static final int SLOTS = 2;

    private static final ThreadLocal<float[][]> BUFFERS = ThreadLocal.withInitial(() -> new float[SLOTS][0]);

    private ThreadScratch() {
    }

    /** This thread's buffer of {@code slot}, at least {@code n} floats long. */
    static float[] floats(int slot, int n) {
        float[][] buffers = BUFFERS.get();
        if (buffers[slot].length < n) {
            buffers[slot] = new float[Math.max(n, buffers[slot].length * 2)];
        }
        return buffers[slot];
    }
}
