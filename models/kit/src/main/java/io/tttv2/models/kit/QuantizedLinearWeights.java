package io.tttv2.models.kit;

import io.tttv2.api.modules.Weights;
import io.tttv2.api.runner.ModelLoadException;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Quantization;
import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The kit's weights with the linear layers' float weight matrices quantised at load ({@code --quantize q8_0|q4_0}):
 * every {@code *_proj.weight} (attention, MLP, experts), {@code lm_head.weight}, and the embedding table when the
 * head is tied to it (it is then the largest matmul; its lookups dequantise a row). Norms, biases, routers and
 * untied embeddings stay as stored. The head (the logits' matrix) is quantised to Q8_0 when the rest is Q4_0: its
 * error reaches the logits undamped (llama.cpp's quantiser likewise keeps {@code output.weight} at 6 bits or more
 * for its 4-bit types; Q6_K there, Q8_0 here, the nearest type we encode). Each matrix is quantised once, on first {@link #get}, by
 * {@link Quantization#quantize} — the one place a weight changes format on the load path (a weight cache goes
 * here) — and kept, so modules rebuilt by a hot-swap get the same tensors again.
 */
final class QuantizedLinearWeights implements Weights {

    private final Weights source;
    private final DType target;
    private final Predicate<String> quantized;            // full kit names of the matrices to quantise
    private final Predicate<String> head;                 // full kit name of the head's matrix
    private final Map<String, Tensor> done;
    private final String prefix;

    private QuantizedLinearWeights(Weights source, DType target, Predicate<String> quantized, Predicate<String> head,
                                   Map<String, Tensor> done, String prefix) {
        this.source = source;
        this.target = target;
        this.quantized = quantized;
        this.head = head;
        this.done = done;
        this.prefix = prefix;
    }

    /**
     * {@code weights} with the linear weight matrices in {@code target}; {@code weights} itself if target is null.
     *
     * @param tiedHead true if the LM head reads the embedding table
     */
    static Weights over(Weights weights, DType target, boolean tiedHead) {
        if (target == null) {
            return weights;
        }
        String headName = (tiedHead ? DecoderModules.EMBED_TOKENS : DecoderModules.LM_HEAD) + ".weight";
        return new QuantizedLinearWeights(weights, target, name -> isLinearWeight(name, tiedHead), headName::equals,
                new ConcurrentHashMap<>(), "");
    }

    /**
     * As {@link #over(Weights, DType, boolean)} for any model kind: the linear matrices are the {@code *_proj} and
     * {@code *.dense} weights (an encoder's pooler and masked-LM transform) and {@code headWeight}, the full kit
     * name of the matrix that gives the logits (T5's {@code lm_head.weight} or {@code decoder.embed_tokens.weight}
     * when tied, BERT's masked-LM decoder), or null for a model without one.
     */
    static Weights over(Weights weights, DType target, String headWeight) {
        if (target == null) {
            return weights;
        }
        return new QuantizedLinearWeights(weights, target, name -> isLinearWeight(name, headWeight),
                name -> name.equals(headWeight), new ConcurrentHashMap<>(), "");
    }

    /** {@code …_proj.weight}, {@code …dense.weight}, and {@code headWeight} (may be null). */
    static boolean isLinearWeight(String name, String headWeight) {
        if (name.equals(headWeight)) {
            return true;
        }
        if (!name.endsWith(".weight")) {
            return false;
        }
        String module = name.substring(0, name.length() - ".weight".length());
        String leaf = module.substring(module.lastIndexOf('.') + 1);
        return leaf.endsWith("_proj") || leaf.equals("dense");
    }

    /** {@code …_proj.weight}, {@code lm_head.weight}, and {@code model.embed_tokens.weight} if the head is tied. */
    static boolean isLinearWeight(String name, boolean tiedHead) {
        if (!name.endsWith(".weight")) {
            return false;
        }
        String module = name.substring(0, name.length() - ".weight".length());
        String leaf = module.substring(module.lastIndexOf('.') + 1);
        return leaf.endsWith("_proj") || module.equals(DecoderModules.LM_HEAD)
                || tiedHead && module.equals(DecoderModules.EMBED_TOKENS);
    }

    @Override
    public Tensor get(String name) {
        String full = prefix + name;
        if (!quantized.test(full)) {
            return source.get(name);
        }
        DType type = target == DType.Q4_0 && head.test(full) ? DType.Q8_0 : target;
        return done.computeIfAbsent(full, n -> quantize(n, source.get(name), type));
    }

    private Tensor quantize(String name, Tensor weight, DType type) {
        if (weight.dtype().isQuantized() || weight.rank() != 2) {
            return weight;      // already quantised (a GGUF file), or not a matrix
        }
        try {
            Tensor converted = Quantization.quantize(weight, type);
            releaseSourcePages(weight);
            return converted;
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException("--quantize " + target.name().toLowerCase(java.util.Locale.ROOT) + ": tensor '"
                    + name + "': " + e.getMessage());
        }
    }

    /**
     * Drops the source matrix's pages from this process's resident set once it is quantised: nothing reads it
     * again, and kept resident the BF16 file's pages added up to the whole checkpoint beside its quantised copy
     * (a 1B model's first Q8_0 load peaked at 3.1 GB). Only a read-only file mapping is released: its pages come
     * back from the file if anything does read them; memory that is not a file mapping would come back zero.
     */
    static void releaseSourcePages(Tensor source) {
        MemorySegment segment = source.segment();
        if (segment.isMapped() && segment.isReadOnly()) {
            try {
                segment.unload();     // madvise(MADV_DONTNEED) over the segment's pages
            } catch (UnsupportedOperationException | IllegalStateException e) {
                // not releasable here (a platform without it, a closed mapping): it only costs memory
            }
        }
    }

    @Override
    public boolean contains(String name) {
        return source.contains(name);
    }

    @Override
    public Weights scoped(String scope) {
        return new QuantizedLinearWeights(source.scoped(scope), target, quantized, head, done, prefix + scope + ".");
    }
}
