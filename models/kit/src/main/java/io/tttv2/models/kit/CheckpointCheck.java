package io.tttv2.models.kit;

import io.tttv2.api.runner.ModelLoadException;
import io.tttv2.integration.hf.safetensors.Checkpoint;
import io.tttv2.integration.hf.safetensors.TensorEntry;
import io.tttv2.integration.hf.weights.CheckpointWeights;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A checkpoint against what a plan reads, before any module is built: every tensor present, of a supported
 * dtype and of the shape config.json implies (a fused tensor: the parts' rows added up), and no tensor left over
 * that the model would silently not use. Each failure is one line naming the file, the tensor, the expected and
 * the found shape.
 */
final class CheckpointCheck {

    private CheckpointCheck() {
    }

    static void check(DecoderPlan plan, Checkpoint checkpoint, WeightMapping mapping, Map<String, long[]> expected) {
        Set<String> unusedAllowed = plan.tiedHead()
                ? Set.of(mapping.source(DecoderModules.LM_HEAD + ".weight").checkpointName()) : Set.of();
        check(plan.architecture(), unusedAllowed, checkpoint, mapping, expected);
    }

    /**
     * @param unusedAllowed checkpoint tensors that may be present without being read (a tied head's own copy)
     */
    static void check(String architecture, Set<String> unusedAllowed, Checkpoint checkpoint, WeightMapping mapping,
                      Map<String, long[]> expected) {
        Set<String> used = new HashSet<>();
        Map<String, List<Part>> fused = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            WeightMapping.Source source = mapping.source(e.getKey());
            TensorEntry entry = entry(architecture, checkpoint, source.checkpointName());
            used.add(source.checkpointName());
            if (source.isPart()) {
                fused.computeIfAbsent(source.checkpointName(), n -> new ArrayList<>()).add(new Part(e.getKey(), e.getValue()));
            } else if (!Arrays.equals(found(entry, source.transposed()), e.getValue())) {
                throw new ModelLoadException(entry.file().getFileName() + ": tensor '" + entry.name() + "' has shape "
                        + Arrays.toString(found(entry, source.transposed())) + ", expected " + Arrays.toString(e.getValue())
                        + " from config.json" + (source.transposed() ? " (stored transposed)" : ""));
            }
        }
        fused.forEach((name, parts) -> checkFused(checkpoint.entry(name), mapping.source(parts.get(0).name()), parts));
        for (String name : checkpoint.names()) {
            if (!used.contains(name) && !mapping.ignores(name) && !unusedAllowed.contains(name)) {
                throw new ModelLoadException(checkpoint.entry(name).file().getFileName() + ": tensor '" + name
                        + "' is not used by " + architecture + " as config.json describes it (unexpected tensor)");
            }
        }
    }

    private static TensorEntry entry(String architecture, Checkpoint checkpoint, String name) {
        if (!checkpoint.contains(name)) {
            throw new ModelLoadException(where(checkpoint) + ": tensor '" + name
                    + "' is missing from the checkpoint (config.json's " + architecture + " needs it)");
        }
        TensorEntry entry = checkpoint.entry(name);
        try {
            CheckpointWeights.dtype(entry);
        } catch (RuntimeException e) {
            throw new ModelLoadException(e.getMessage(), e);
        }
        return entry;
    }

    /** The file a missing tensor should be in: the single file, or the shard index. */
    private static String where(Checkpoint checkpoint) {
        List<java.nio.file.Path> files = checkpoint.files();
        return files.size() == 1 ? files.get(0).getFileName().toString() : Checkpoint.INDEX_FILE_NAME;
    }

    /** The parts' rows stacked: [Σ rows, trailing dims of the parts]. */
    private static void checkFused(TensorEntry entry, WeightMapping.Source source, List<Part> parts) {
        long[] trailing = Arrays.copyOfRange(parts.get(0).shape(), 1, parts.get(0).shape().length);
        long rows = 0;
        StringBuilder sum = new StringBuilder();
        for (Part p : parts) {
            if (!Arrays.equals(Arrays.copyOfRange(p.shape(), 1, p.shape().length), trailing)) {
                throw new IllegalStateException("weight mapping: parts of '" + entry.name() + "' differ beyond their rows");
            }
            rows += p.shape()[0];
            String module = p.name().substring(0, p.name().lastIndexOf('.'));
            sum.append(sum.isEmpty() ? "" : " + ").append(module.substring(module.lastIndexOf('.') + 1))
                    .append(' ').append(p.shape()[0]);
        }
        long[] expected = new long[trailing.length + 1];
        expected[0] = rows;
        System.arraycopy(trailing, 0, expected, 1, trailing.length);
        long[] found = found(entry, source.transposed());
        if (!Arrays.equals(found, expected) || rows % source.split().groups() != 0) {
            throw new ModelLoadException(entry.file().getFileName() + ": tensor '" + entry.name() + "' has shape "
                    + Arrays.toString(found) + ", expected " + Arrays.toString(expected) + " from config.json (fused: "
                    + sum + " rows" + (source.split().groups() > 1 ? " in " + source.split().groups() + " groups" : "") + ")");
        }
    }

    private static long[] found(TensorEntry entry, boolean transposed) {
        long[] shape = entry.shape();
        return transposed && shape.length == 2 ? new long[] {shape[1], shape[0]} : shape;
    }

    private record Part(String name, long[] shape) {
    }
}
