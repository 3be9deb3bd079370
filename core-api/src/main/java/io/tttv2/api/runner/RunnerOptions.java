package io.tttv2.api.runner;

import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.tensor.BlockCodec;
import io.tttv2.api.tensor.DType;
import java.nio.file.Path;

/**
 * How a runner is built.
 *
 * @param maxBatch          sequences one decode step may carry
 * @param maxSequenceLength longest sequence (prompt + generated); 0 for the model's own maximum
 * @param assembly          requirements laid over the model's own assembly, kind by kind (e.g. from
 *                          {@code --assembly FILE}); null for the model's own
 * @param quantize          a block-quantised type ({@link DType#Q8_0}, {@link DType#Q4_0}) the float weight
 *                          matrices of the linear layers are quantised to at load ({@code --quantize}); null to
 *                          keep the weights as stored
 * @param weightCache       a folder where weights converted at load (quantised by {@code quantize}) are written
 *                          once and memory-mapped by later loads ({@code --weight-cache DIR}); null to convert
 *                          in memory on every load
 */
public record RunnerOptions(int maxBatch, int maxSequenceLength, Assembly assembly, DType quantize, Path weightCache) {

    public RunnerOptions {
        if (quantize != null && (!quantize.isQuantized() || !BlockCodec.of(quantize).canEncode())) {
            throw new IllegalArgumentException("weights can be quantised at load to Q8_0 or Q4_0, not " + quantize);
        }
    }

    /** Options with the model's own assembly. */
    public RunnerOptions(int maxBatch, int maxSequenceLength) {
        this(maxBatch, maxSequenceLength, null, null, null);
    }

    /** Options with weights as stored. */
    public RunnerOptions(int maxBatch, int maxSequenceLength, Assembly assembly) {
        this(maxBatch, maxSequenceLength, assembly, null, null);
    }

    /** Options with weights quantised at load (or as stored), converted in memory on every load. */
    public RunnerOptions(int maxBatch, int maxSequenceLength, Assembly assembly, DType quantize) {
        this(maxBatch, maxSequenceLength, assembly, quantize, null);
    }

    public static RunnerOptions defaults() {
        return new RunnerOptions(16, 0);
    }

    /** These options with {@code assembly} laid over the model's own. */
    public RunnerOptions withAssembly(Assembly assembly) {
        return new RunnerOptions(maxBatch, maxSequenceLength, assembly, quantize, weightCache);
    }

    /** These options with the linear weights quantised at load to {@code type} (null: as stored). */
    public RunnerOptions withQuantize(DType type) {
        return new RunnerOptions(maxBatch, maxSequenceLength, assembly, type, weightCache);
    }

    /** These options with converted weights cached in {@code directory} (null: converted in memory every load). */
    public RunnerOptions withWeightCache(Path directory) {
        return new RunnerOptions(maxBatch, maxSequenceLength, assembly, quantize, directory);
    }
}
