package io.tttv2.cli.validate;

import io.tttv2.cli.UserError;
import io.tttv2.integration.hf.safetensors.CheckpointFormatException;
import io.tttv2.integration.hf.safetensors.SafetensorsFile;
import io.tttv2.integration.hf.safetensors.TensorEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A HuggingFace reference file (written by tools/dump_reference.py): {@code input_ids} [B, T] and
 * what HF computed from them — {@code logits} [B, T, V], {@code hidden_states} [L+1, B, T, H],
 * {@code generated_ids} [B, T+N], {@code decode_logits} [B, N, V], {@code decode_top2_margin} [B, N].
 */
final class ReferenceFile implements AutoCloseable {

    private final Path path;
    private final SafetensorsFile file;

    private ReferenceFile(Path path, SafetensorsFile file) {
        this.path = path;
        this.file = file;
    }

    static ReferenceFile open(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new UserError(path + ": no such reference file");
        }
        try {
            return new ReferenceFile(path, SafetensorsFile.open(path));
        } catch (CheckpointFormatException e) {
            throw new UserError(e.getMessage());
        }
    }

    boolean has(String key) {
        return file.contains(key);
    }

    /** The tensor {@code key} with the given rank; its shape via {@link #shape}. */
    TensorEntry require(String key, int rank) {
        if (!file.contains(key)) {
            throw new UserError(path.getFileName() + ": key '" + key + "' is missing, expected a tensor of rank " + rank);
        }
        TensorEntry e = file.entry(key);
        if (e.rank() != rank) {
            throw new UserError(path.getFileName() + ": key '" + key + "' has shape " + Arrays.toString(e.shape())
                    + ", expected rank " + rank);
        }
        return e;
    }

    /** The shape of {@code key}, which must be present. */
    long[] shape(String key) {
        return file.entry(key).shape();
    }

    /** A one-line error naming this file. */
    UserError error(String message) {
        return new UserError(path.getFileName() + ": " + message);
    }

    int[] shape(TensorEntry e) {
        return Arrays.stream(e.shape()).mapToInt(Math::toIntExact).toArray();
    }

    Path path() {
        return path;
    }

    @Override
    public void close() {
        file.close();
    }
}
