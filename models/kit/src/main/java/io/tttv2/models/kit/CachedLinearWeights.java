package io.tttv2.models.kit;

import io.tttv2.api.modules.Weights;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Quantization;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.integration.hf.cache.WeightCache;
import io.tttv2.integration.hf.cache.WeightCacheKey;
import io.tttv2.integration.hf.safetensors.Checkpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

/**
 * The quantised linear weights of {@link QuantizedLinearWeights}, kept in a {@link WeightCache}: the first load
 * quantises every matrix and writes them, later loads map the file and never read those source tensors. The
 * key is the checkpoint's files (paths, sizes, times), the layout (target type, the head's type, a tied
 * head) and the converting code's bundles (version and build time: a rebuilt snapshot re-quantises). Anything
 * wrong with the cache is a notice and the in-memory conversion, never a wrong tensor.
 */
final class CachedLinearWeights implements Weights {

    private final Weights source;
    private final Map<String, Tensor> converted;   // full kit name → quantised matrix
    private final String prefix;

    private CachedLinearWeights(Weights source, Map<String, Tensor> converted, String prefix) {
        this.source = source;
        this.converted = converted;
        this.prefix = prefix;
    }

    /**
     * {@code quantized} (the lazily quantising weights) with its linear matrices loaded through the cache in
     * {@code directory}; {@code quantized} itself when there is no cache or no quantisation.
     *
     * @param names every kit tensor name the model reads
     */
    static Weights over(Weights quantized, Set<String> names, Checkpoint checkpoint, DType target, boolean tiedHead,
                        Path directory, Consumer<String> notices) {
        if (directory == null || target == null) {
            return quantized;
        }
        List<String> linear = names.stream().filter(n -> QuantizedLinearWeights.isLinearWeight(n, tiedHead)).sorted().toList();
        return over(quantized, linear, checkpoint, layout(target, tiedHead), directory, notices);
    }

    /**
     * As {@link #over(Weights, Set, Checkpoint, DType, boolean, Path, Consumer)} for any model kind: the matrices of
     * {@link QuantizedLinearWeights#over(Weights, DType, String)} with {@code headWeight} the logits' matrix (or null).
     */
    static Weights over(Weights quantized, Set<String> names, Checkpoint checkpoint, DType target, String headWeight,
                        Path directory, Consumer<String> notices) {
        if (directory == null || target == null) {
            return quantized;
        }
        List<String> linear = names.stream().filter(n -> QuantizedLinearWeights.isLinearWeight(n, headWeight)).sorted()
                .toList();
        String head = headWeight == null ? "/no-head" : "/head-" + headWeight;
        return over(quantized, linear, checkpoint, layout(target, false).replace("/untied", head), directory, notices);
    }

    private static Weights over(Weights quantized, List<String> linear, Checkpoint checkpoint, String layout,
                                Path directory, Consumer<String> notices) {
        WeightCacheKey key;
        try {
            key = new WeightCacheKey(WeightCacheKey.sourceIdentity(checkpoint.files()), layout,
                    libraryVersion());
        } catch (IOException e) {
            notices.accept("weight cache: cannot identify " + checkpoint.location() + " (" + e.getMessage()
                    + "); converting in memory");
            return quantized;
        }
        Map<String, Tensor> tensors = new WeightCache(directory, notices).load(key, () -> {
            Map<String, Tensor> all = new LinkedHashMap<>();
            for (String name : linear) {
                all.put(name, quantized.get(name));
            }
            return all;
        });
        if (!tensors.keySet().equals(Set.copyOf(linear))) {
            notices.accept("weight cache " + directory + ": its tensors are not this model's; converting in memory");
            return quantized;
        }
        return new CachedLinearWeights(quantized, tensors, "");
    }

    /** What the bytes are: the target type, the head's type (Q8_0 under Q4_0) and whether the head is the embedding. */
    static String layout(DType target, boolean tiedHead) {
        String head = target == DType.Q4_0 ? DType.Q8_0.name() : target.name();
        return "kit-linear/" + target.name().toLowerCase(Locale.ROOT) + "/head-" + head.toLowerCase(Locale.ROOT)
                + (tiedHead ? "/tied" : "/untied");
    }

    /** The converting code: core-api's {@link Quantization} and this kit, by bundle version and build time. */
    static String libraryVersion() {
        return describe(FrameworkUtil.getBundle(Quantization.class)) + "; " + describe(FrameworkUtil.getBundle(CachedLinearWeights.class));
    }

    private static String describe(Bundle bundle) {
        if (bundle == null) {
            return "unbundled";   // outside OSGi (unit tests): one class path, one build
        }
        return bundle.getSymbolicName() + " " + bundle.getVersion() + " built " + bundle.getHeaders().get("Bnd-LastModified");
    }

    @Override
    public Tensor get(String name) {
        Tensor t = converted.get(prefix + name);
        return t != null ? t : source.get(name);
    }

    @Override
    public boolean contains(String name) {
        return source.contains(name);
    }

    @Override
    public Weights scoped(String scope) {
        return new CachedLinearWeights(source.scoped(scope), converted, prefix + scope + ".");
    }
}
