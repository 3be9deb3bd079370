package io.tttv2.core.modules.testing;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.ops.Activation;
import io.tttv2.api.ops.AttentionParams;
import io.tttv2.api.ops.Device;
import io.tttv2.api.ops.Ops;
import io.tttv2.api.ops.RotaryStyle;
import io.tttv2.api.tensor.Tensor;

/**
 * A device whose ops do nothing, so that what the modules themselves allocate on their forward paths can
 * be measured apart from the kernels. Its KV caches come from the CPU device (they are never written).
 */
public final class NoOpDevice implements Device {

    private final Ops ops = new NoOps();

    @Override
    public String name() {
        return "no-op";
    }

    @Override
    public int parallelism() {
        return 1;
    }

    @Override
    public Ops ops() {
        return ops;
    }

    @Override
    public PagedKvCache allocateKvCache(KvCacheSpec spec) {
        return TestDevices.cpu().allocateKvCache(spec);
    }

    private static final class NoOps implements Ops {
        @Override
        public void matmul(Tensor x, Tensor w, Tensor bias, Tensor out) {
        }

        @Override
        public void rmsNorm(Tensor x, Tensor weight, float eps, float weightOffset, Tensor out) {
        }

        @Override
        public void layerNorm(Tensor x, Tensor weight, Tensor bias, float eps, Tensor out) {
        }

        @Override
        public void softmax(Tensor x, Tensor out) {
        }

        @Override
        public void rotary(Tensor x, Tensor cos, Tensor sin, int[] positions, RotaryStyle style, Tensor out) {
        }

        @Override
        public void activation(Activation act, Tensor x, Tensor out) {
        }

        @Override
        public void gatedActivation(Activation act, Tensor gate, Tensor up, Tensor out) {
        }

        @Override
        public void add(Tensor a, Tensor b, Tensor out) {
        }

        @Override
        public void mul(Tensor a, Tensor b, Tensor out) {
        }

        @Override
        public void scale(Tensor x, float s, Tensor out) {
        }

        @Override
        public void softcap(Tensor x, float cap, Tensor out) {
        }

        @Override
        public void copy(Tensor src, Tensor dst) {
        }

        @Override
        public void embedding(Tensor table, int[] ids, Tensor out) {
        }

        @Override
        public void writeKv(PagedKvCache cache, int layer, BlockTable table, int start, Tensor k, Tensor v) {
        }

        @Override
        public void attentionPrefill(Tensor q, PagedKvCache cache, int layer, BlockTable table, int start,
                                     AttentionParams params, Tensor out) {
        }

        @Override
        public void attentionDecode(Tensor q, PagedKvCache cache, int layer, BlockTable[] tables, int[] positions,
                                    AttentionParams params, Tensor out) {
        }

        @Override
        public void argmax(Tensor logits, int[] out) {
        }

        @Override
        public void topK(Tensor row, int k, int[] indices, float[] values) {
        }

        @Override
        public void attentionPrefill(Tensor q, PagedKvCache cache, int layer, BlockTable table, int start,
                                     AttentionParams params, Tensor bias, Tensor out) {
        }

        @Override
        public void attention(Tensor q, Tensor k, Tensor v, boolean[] keyMask, Tensor bias, AttentionParams params,
                              Tensor out) {
        }
    }
}
