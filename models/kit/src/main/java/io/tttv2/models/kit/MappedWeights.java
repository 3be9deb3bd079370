package io.tttv2.models.kit;

import io.tttv2.api.modules.Weights;
import io.tttv2.api.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The checkpoint's weights under the kit's names, through a {@link WeightMapping}. A renamed tensor or a part
 * of a fused tensor laid out part after part is a view of the mapped file; a transposed tensor or a part of an
 * interleaved one is copied once and kept, so modules rebuilt by a hot-swap get the same tensors again.
 */
final class MappedWeights implements Weights {

    private final Weights checkpoint;
    private final WeightMapping mapping;
    private final Map<String, long[]> expected;          // kit name → shape, for the rows of each part
    private final Map<String, Tensor> derived;           // kit or checkpoint name → tensor read once
    private final String prefix;

    MappedWeights(Weights checkpoint, WeightMapping mapping, Map<String, long[]> expected) {
        this(checkpoint, mapping, expected, new ConcurrentHashMap<>(), "");
    }

    private MappedWeights(Weights checkpoint, WeightMapping mapping, Map<String, long[]> expected,
                          Map<String, Tensor> derived, String prefix) {
        this.checkpoint = checkpoint;
        this.mapping = mapping;
        this.expected = expected;
        this.derived = derived;
        this.prefix = prefix;
    }

    @Override
    public Tensor get(String name) {
        String full = prefix + name;
        WeightMapping.Source source = mapping.source(full);
        if (!source.isPart()) {
            return source.transposed() ? derived.computeIfAbsent(full, n -> transposed(source.checkpointName()))
                    : checkpoint.get(source.checkpointName());
        }
        Tensor fused = source.transposed()
                ? derived.computeIfAbsent(source.checkpointName(), this::transposed)
                : checkpoint.get(source.checkpointName());
        PartRows rows = PartRows.of(source, leaf(full), expected);
        if (source.split().groups() == 1) {
            return fused.slice(0, rows.offset(), rows.rows());
        }
        return derived.computeIfAbsent(full, n -> TensorCopies.interleavedPart(fused, source.split().groups(),
                rows.groupOffset(), rows.groupRows(), rows.groupStride()));
    }

    @Override
    public boolean contains(String name) {
        String full = prefix + name;
        return expected.containsKey(full) || checkpoint.contains(mapping.source(full).checkpointName());
    }

    @Override
    public Weights scoped(String scope) {
        return new MappedWeights(checkpoint, mapping, expected, derived, prefix + scope + ".");
    }

    private Tensor transposed(String checkpointName) {
        return TensorCopies.transposed(checkpoint.get(checkpointName));
    }

    private static String leaf(String name) {
        return name.substring(name.lastIndexOf('.') + 1);
    }

    /**
     * Where one part's rows lie in its fused tensor, from the shapes the plan gives every part.
     *
     * @param offset      first row of the part (groups == 1)
     * @param rows        rows of the part
     * @param groupOffset first row of the part inside each group
     * @param groupRows   rows of the part in each group
     * @param groupStride rows of one whole group
     */
    record PartRows(int offset, int rows, int groupOffset, int groupRows, int groupStride) {

        static PartRows of(WeightMapping.Source source, String leaf, Map<String, long[]> expected) {
            WeightMapping.Split split = source.split();
            int groups = split.groups();
            int offset = 0;
            int total = 0;
            int own = 0;
            for (int p = 0; p < split.partNames().size(); p++) {
                int rows = partRows(split.partNames().get(p), source.layerIndices(), leaf, expected);
                if (p == source.part()) {
                    offset = total;
                    own = rows;
                }
                total += rows;
            }
            return new PartRows(offset, own, offset / groups, own / groups, total / groups);
        }

        /** Rows of the part {@code partPattern} (its {@code *} replaced by the indices) from the plan's shapes. */
        static int partRows(String partPattern, List<String> indices, String leaf, Map<String, long[]> expected) {
            StringBuilder name = new StringBuilder();
            int i = 0;
            for (char c : partPattern.toCharArray()) {
                name.append(c == '*' ? indices.get(i++) : String.valueOf(c));
            }
            long[] shape = expected.get(name + "." + leaf);
            if (shape == null) {
                throw new IllegalStateException("weight mapping: part '" + name + "." + leaf + "' is not a tensor the plan reads");
            }
            return (int) shape[0];
        }
    }
}
