package io.tttv2.api.modules;

import io.tttv2.api.ops.Device;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a module runs: its knobs. Defaults come from the spec and the device ({@link #defaults(int, int, Device)});
 * an assembly overrides a knob per kind or per module path ({@link #with}), a specialization table replaces them
 * with tuned values. Every knob is honoured by the core implementations of the kinds that take a config
 * (attention, MLP, router, mixture of experts, LM head, encoder kinds); kinds without matmuls ignore
 * {@code matmulSplit}.
 *
 * @param maxBatch     sequences one decode step may carry (decode workspaces are sized for it up front,
 *                     so the decode path allocates nothing); the runner's, not overridable per module
 * @param prefillChunk tokens a prefill processes at once (bounds prefill workspaces; longer prompts run
 *                     in chunks)
 * @param matmulSplit  chunks per worker every matmul of the module is split into over its output rows
 *                     ({@link io.tttv2.api.ops.Ops#matmul(io.tttv2.api.tensor.Tensor, io.tttv2.api.tensor.Tensor,
 *                     io.tttv2.api.tensor.Tensor, io.tttv2.api.tensor.Tensor, int)})
 */
public record ModuleConfig(int maxBatch, int prefillChunk, int matmulSplit) {

    public static final int DEFAULT_MAX_BATCH = 16;
    public static final int DEFAULT_PREFILL_CHUNK = 512;
    /** Chunks per worker when the device has several workers: enough to even out a descheduled one. */
    public static final int DEFAULT_MATMUL_SPLIT = 4;

    /** The knobs an assembly or a specialization table may set, by their JSON names. */
    public static final List<String> KNOBS = List.of("prefillChunk", "matmulSplit");

    public ModuleConfig {
        if (maxBatch <= 0 || prefillChunk <= 0 || matmulSplit <= 0) {
            throw new IllegalArgumentException("maxBatch, prefillChunk and matmulSplit must be positive, found "
                    + maxBatch + ", " + prefillChunk + ", " + matmulSplit);
        }
    }

    /** The knobs before 2.2, with the default matmul split. */
    public ModuleConfig(int maxBatch, int prefillChunk) {
        this(maxBatch, prefillChunk, DEFAULT_MATMUL_SPLIT);
    }

    /** The defaults: room for {@value #DEFAULT_MAX_BATCH} sequences and {@value #DEFAULT_PREFILL_CHUNK}-token chunks. */
    public static ModuleConfig defaults() {
        return new ModuleConfig(DEFAULT_MAX_BATCH, DEFAULT_PREFILL_CHUNK);
    }

    /**
     * Defaults for a runner on {@code device}: one chunk per matmul on a single worker (a split would only add
     * claims), {@value #DEFAULT_MATMUL_SPLIT} per worker otherwise.
     */
    public static ModuleConfig defaults(int maxBatch, int prefillChunk, Device device) {
        return new ModuleConfig(maxBatch, prefillChunk, device.parallelism() <= 1 ? 1 : DEFAULT_MATMUL_SPLIT);
    }

    /** The knobs as name → value, sorted ({@link #KNOBS} plus maxBatch): what dumps and tables hold. */
    public Map<String, Integer> knobs() {
        Map<String, Integer> out = new TreeMap<>();
        out.put("maxBatch", maxBatch);
        out.put("prefillChunk", prefillChunk);
        out.put("matmulSplit", matmulSplit);
        return out;
    }

    /**
     * This config with {@code overrides} (knob name → value) in place of its own values.
     *
     * @throws IllegalArgumentException naming a knob not in {@link #KNOBS} or a value that is not positive
     */
    public ModuleConfig with(Map<String, Integer> overrides) {
        int chunk = prefillChunk;
        int split = matmulSplit;
        for (Map.Entry<String, Integer> e : overrides.entrySet()) {
            int v = e.getValue();
            if (v <= 0) {
                throw new IllegalArgumentException("knob '" + e.getKey() + "' expected a positive integer, found " + v);
            }
            switch (e.getKey()) {
                case "prefillChunk" -> chunk = v;
                case "matmulSplit" -> split = v;
                default -> throw new IllegalArgumentException("knob '" + e.getKey() + "' expected one of "
                        + String.join(", ", KNOBS) + ", found an unknown knob");
            }
        }
        return new ModuleConfig(maxBatch, chunk, split);
    }
}
