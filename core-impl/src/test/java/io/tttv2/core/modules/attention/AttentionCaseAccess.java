package io.tttv2.core.modules.attention;

import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.ops.Device;
import io.tttv2.api.tensor.DType;

/** A Llama-like random attention and its reference, for tests of the modules built around attention. */
public final class AttentionCaseAccess {

    private final AttentionCase c;

    private AttentionCaseAccess(AttentionCase c) {
        this.c = c;
    }

    /** hidden 64, 4 heads, 2 kv heads, head dim 16, default rope. */
    public static AttentionCaseAccess llama(DType dtype, long seed) {
        return new AttentionCaseAccess(new AttentionCase(AttentionCase.llama(), 16, dtype, seed));
    }

    public GroupedQueryAttention build(Device device, ModuleConfig config, int layer) {
        return c.build(device, config, layer);
    }

    /** The attention output [t, hidden] of x [t, hidden] at positions 0 .. t-1, in float64. */
    public double[] reference(double[] x, int t) {
        return c.reference(x, t);
    }
}
