package io.tttv2.core.cpu.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * For tests outside this package: the route of the calling thread's paged attention ({@link AttentionKernel}):
 * force the Java code, ask which route the last call took, and whether the native route is usable here at all.
 */
public final class AttentionRoute {

    private AttentionRoute() {
    }

    /** Sets whether the calling thread's attention calls run the Java code only; returns the old setting. */
    public static boolean javaOnly(boolean javaOnly) {
        return AttentionKernel.javaOnly(javaOnly);
    }

    /** Whether the calling thread's last attention call ran paged_attention.c. */
    public static boolean lastCallNative() {
        return AttentionKernel.lastCallNative();
    }

    /** exp of every element of in (a multiple of 16 long) by the exp the native kernel calls. */
    public static float[] nativeExp(float[] in) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = arena.allocate(4L * in.length, 64);
            MemorySegment b = arena.allocate(4L * in.length, 64);
            MemorySegment.copy(in, 0, a, ValueLayout.JAVA_FLOAT, 0, in.length);
            NativeKernels.ATTENTION_EXP.invokeExact(NativeAttention.EXP_FN, a.address(), b.address(), (long) in.length);
            return b.toArray(ValueLayout.JAVA_FLOAT);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the native route is bound and enabled (NativeAttention.ENABLED). */
    public static boolean enabled() {
        return NativeAttention.ENABLED;
    }
}
