package io.tttv2.testing.profiling;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.modules.AttentionBackendSpec;
import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.DecodeStep;
import io.tttv2.api.modules.DecoderLayerSpec;
import io.tttv2.api.modules.EmbeddingSpec;
import io.tttv2.api.modules.LmHeadSpec;
import io.tttv2.api.modules.MlpSpec;
import io.tttv2.api.modules.MoeSpec;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.modules.PrefillStep;
import io.tttv2.api.modules.RotarySpec;
import io.tttv2.api.modules.RouterSpec;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.testing.profile.CallCost;
import java.util.List;

/**
 * FLOPs and bytes of one module call, from the module's spec, its weights' dtype and the call's arguments
 * (their shapes and dtypes). Counted as the arithmetic the module must do and the memory it must touch at
 * least once — weights, KV cache, activations in and out — not what a given kernel happens to do. A module
 * is charged its own work only: the profiled modules it calls (an attention's rotary and backend, a mixture's
 * router and shared expert, a layer's norms, attention and MLP) are charged their own.
 */
final class CallCosts {

    /** Weight names that say a module's weight dtype, in the order tried (HF's names across families). */
    private static final List<String> WEIGHT_NAMES = List.of("weight", "q_proj.weight", "qkv_proj.weight",
            "c_attn.weight", "query_key_value.weight", "up_proj.weight", "gate_up_proj.weight", "fc1.weight",
            "c_fc.weight", "dense_h_to_4h.weight", "experts.0.up_proj.weight");

    private final ModuleKind kind;
    private final Record spec;
    private final double weightBytes;

    private CallCosts(ModuleKind kind, Record spec, double weightBytes) {
        this.kind = kind;
        this.spec = spec;
        this.weightBytes = weightBytes;
    }

    static CallCosts of(ModuleKind kind, Record spec, Weights weights) {
        // bytes per element averaged over whole blocks: a block-quantised type has no byte size per element
        // (1024 elements are whole blocks of 32 and of 256)
        return new CallCosts(kind, spec, weightDType(weights).bytesFor(1024) / 1024.0);
    }

    /** Bytes per weight element; F32 when the module has no weights (or none under a known name). */
    static DType weightDType(Weights weights) {
        if (weights == null) {
            return DType.F32;
        }
        for (String name : WEIGHT_NAMES) {
            try {
                if (weights.contains(name)) {
                    return weights.get(name).dtype();
                }
            } catch (RuntimeException e) {
                return DType.F32;
            }
        }
        return DType.F32;
    }

    /** The cost of one call of {@code method} with {@code args}. */
    CallCost of(String method, Object[] args) {
        Tensor x = firstTensor(args);
        return switch (kind) {
            case NORM -> norm((NormSpec) spec, x);
            case MLP -> mlp((MlpSpec) spec, rows(x), x, 1);
            case MOE -> moe((MoeSpec) spec, x);
            case ROUTER -> router((RouterSpec) spec, x);
            case ATTENTION -> attention((AttentionSpec) spec, x, args);
            case ATTENTION_BACKEND -> backend((AttentionBackendSpec) spec, method, x, args);
            case ROTARY -> rotary((RotarySpec) spec, x);
            case EMBEDDING -> embedding((EmbeddingSpec) spec, args);
            case LM_HEAD -> lmHead((LmHeadSpec) spec, x);
            case POSITION_EMBEDDING -> x == null ? CallCost.UNKNOWN
                    : new CallCost(x.elementCount(), x.elementCount() * (2.0 * act(x) + weightBytes));
            case DECODER_LAYER -> decoderLayer((DecoderLayerSpec) spec, x);
            default -> CallCost.UNKNOWN;
        };
    }

    /** x, out [rows, dim]: square, sum, scale, weight (LayerNorm: also mean and shift). */
    private CallCost norm(NormSpec s, Tensor x) {
        double n = x.elementCount();
        double flops = (s.kind() == NormSpec.NormKind.RMS ? 4 : 7) * n;
        return new CallCost(flops, 2 * n * act(x) + s.dim() * weightBytes);
    }

    /** x, out [rows, hidden]; gated: gate and up [hidden → intermediate], down back. */
    private CallCost mlp(MlpSpec s, int rows, Tensor x, int copies) {
        int matrices = s.gated() ? 3 : 2;
        double weights = (double) matrices * s.hidden() * s.intermediate();
        double flops = 2.0 * rows * weights;
        double bytes = copies * weights * weightBytes + 2.0 * rows * s.hidden() * act(x)
                + (matrices - 1.0) * rows * s.intermediate() * act(x);
        return new CallCost(flops, bytes);
    }

    /** Each row runs top-k experts; the weights of every expert some row chose are read (at most all). */
    private CallCost moe(MoeSpec s, Tensor x) {
        int rows = rows(x);
        RouterSpec r = s.router();
        int chosen = rows * r.topK();
        CallCost perRow = mlp(s.expert(), chosen, x, Math.min(r.experts(), chosen));
        return perRow;
    }

    /** x [rows, hidden] → scores [rows, experts]. */
    private CallCost router(RouterSpec s, Tensor x) {
        int rows = rows(x);
        double weights = (double) s.hidden() * s.experts();
        return new CallCost(2.0 * rows * weights, weights * weightBytes + (double) rows * s.hidden() * act(x));
    }

    /**
     * The projections: q, k, v [hidden → heads·headDim, kvHeads·headDim] and o back, and the KV rows written
     * to the cache; the attention proper is the backend's.
     */
    private CallCost attention(AttentionSpec s, Tensor x, Object[] args) {
        int rows = rows(x);
        double qkv = (double) (s.heads() + 2 * s.kvHeads()) * s.headDim();
        double weights = s.hidden() * qkv + (double) s.heads() * s.headDim() * s.hidden();
        double cacheBytes = cacheDType(args).byteSize();
        double bytes = weights * weightBytes + rows * (2.0 * s.hidden() + qkv) * act(x)
                + rows * 2.0 * s.kvHeads() * s.headDim() * cacheBytes;
        return new CallCost(2.0 * rows * weights, bytes);
    }

    /**
     * Scores (q·k over headDim) and the weighted sum of values (over valueDim) for every query against each key
     * it sees, causal and within the sliding window; the cache rows it sees read once per KV head.
     */
    private CallCost backend(AttentionBackendSpec s, String method, Tensor q, Object[] args) {
        int window = s.params().slidingWindow();
        double keysSeen = 0;
        double keysRead = 0;
        if (method.equals("prefill")) {
            int rows = rows(q);
            int start = (Integer) args[4];
            for (int t = 0; t < rows; t++) {
                keysSeen += visible(start + t + 1, window);
            }
            keysRead = visible(start + rows, window + rows - 1);
        } else {
            for (int p : (int[]) args[4]) {
                keysSeen += visible(p + 1, window);
            }
            keysRead = keysSeen;
        }
        double width = s.headDim() + s.valueDim();
        double flops = 2.0 * s.heads() * width * keysSeen;
        double cacheBytes = ((PagedKvCache) args[1]).spec().dtype().byteSize();
        double bytes = keysRead * s.kvHeads() * width * cacheBytes + rows(q) * 2.0 * s.heads() * width / 2 * act(q);
        return new CallCost(flops, bytes);
    }

    private static double visible(int keys, int window) {
        return window > 0 ? Math.min(keys, window) : keys;
    }

    /** x, out [rows, heads·headDim]: a rotation of each pair in the rotary part (2 products and a sum each). */
    private CallCost rotary(RotarySpec s, Tensor x) {
        double rotated = x.elementCount() * (double) s.rotaryDim() / s.headDim();
        double rows = rows(x);
        return new CallCost(3 * rotated, 2.0 * x.elementCount() * act(x) + rows * s.rotaryDim() * Float.BYTES);
    }

    /** ids [rows] → out [rows, hidden]: a row of the table copied (and scaled) per id. */
    private CallCost embedding(EmbeddingSpec s, Object[] args) {
        int rows = ((int[]) args[0]).length;
        Tensor out = (Tensor) args[1];
        double n = (double) rows * s.hidden();
        return new CallCost(n, n * (weightBytes + act(out)) + rows * (double) Integer.BYTES);
    }

    /** x [rows, hidden] → out [rows, vocab]. */
    private CallCost lmHead(LmHeadSpec s, Tensor x) {
        int rows = rows(x);
        double weights = (double) s.hidden() * s.vocab();
        return new CallCost(2.0 * rows * weights,
                weights * weightBytes + (double) rows * (s.hidden() + s.vocab()) * act(x));
    }

    /** The layer's own work: the residual additions around its parts (two per layer). */
    private CallCost decoderLayer(DecoderLayerSpec s, Tensor x) {
        double n = (double) rows(x) * s.hidden();
        return new CallCost(2 * n, 6 * n * act(x));
    }

    private static DType cacheDType(Object[] args) {
        for (Object a : args) {
            if (a instanceof PrefillStep p) {
                return p.cache().spec().dtype();
            }
            if (a instanceof DecodeStep d) {
                return d.cache().spec().dtype();
            }
        }
        return DType.F32;
    }

    private static Tensor firstTensor(Object[] args) {
        if (args != null) {
            for (Object a : args) {
                if (a instanceof Tensor t) {
                    return t;
                }
            }
        }
        return null;
    }

    private static int rows(Tensor x) {
        return x == null ? 0 : x.dim(0);
    }

    private static double act(Tensor x) {
        return x == null ? Float.BYTES : x.dtype().byteSize();
    }
}
