package io.tttv2.core.cpu.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The growable native buffers the native kernels' bindings keep per instance or per thread: a call that needs more
 * than the buffer holds gets a new one of at least twice the size (so a growing sequence reallocates a logarithmic
 * number of times), 64-byte aligned for the kernels' vector loads; the old one is freed by the GC (automatic arena).
 */
final class NativeScratch {

    private NativeScratch() {
    }

    /** {@code current} if it holds {@code bytes}, else a new segment of max(bytes, 2 · current) bytes. */
    static MemorySegment atLeast(MemorySegment current, long bytes) {
        if (current.byteSize() >= bytes) {
            return current;
        }
        return Arena.ofAuto().allocate(Math.max(bytes, 2 * current.byteSize()), 64);
    }
}
