package io.tttv2.integration.hf.safetensors;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.tttv2.integration.hf.gguf.GgufFile;
import io.tttv2.integration.hf.gguf.GgufModel;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The weights of a HuggingFace checkpoint directory as one name → tensor view, whether they are in a single
 * {@code model.safetensors} or sharded over several files listed by {@code model.safetensors.index.json}
 * (HuggingFace looks for them in that order). Every file is opened and validated up front — headers only,
 * no tensor data is read — so that an inconsistent checkpoint fails at open with one line, not halfway
 * through loading a model.
 *
 * <p>For a sharded checkpoint the index is checked against the shards: every shard it names exists, every
 * tensor it maps is in that shard, and every tensor of a shard is mapped to that shard (a tensor in two
 * shards, or in none that the index names, is an error).
 *
 * <pre>{@code
 * try (Checkpoint weights = Checkpoint.open(Path.of("models/llama"))) {
 *     TensorEntry up = weights.entry("model.layers.3.mlp.up_proj.weight"); // [intermediate, hidden]
 * }
 * }</pre>
 */
@ProviderType
public final class Checkpoint implements AutoCloseable {
    /** HuggingFace's {@code SAFE_WEIGHTS_NAME}. */
    public static final String SINGLE_FILE_NAME = "model.safetensors";
    /** HuggingFace's {@code SAFE_WEIGHTS_INDEX_NAME}. */
    public static final String INDEX_FILE_NAME = ShardIndex.FILE_NAME;

    private final Path location;
    private final List<SafetensorsFile> files;
    /** name → entry, in index order (sharded) or data order (single file). */
    private final Map<String, TensorEntry> entries;
    /** A GGUF model file the entries come from (null for safetensors). */
    private final GgufModel gguf;

    private Checkpoint(Path location, List<SafetensorsFile> files, Map<String, TensorEntry> entries) {
        this(location, files, entries, null);
    }

    private Checkpoint(Path location, List<SafetensorsFile> files, Map<String, TensorEntry> entries, GgufModel gguf) {
        this.location = location;
        this.files = files;
        this.entries = entries;
        this.gguf = gguf;
    }

    /**
     * Opens the weights of a checkpoint directory, a single {@code .safetensors} file given directly, or a GGUF
     * model file (its tensors under HF names, see {@link GgufModel}).
     *
     * @throws CheckpointFormatException if no weights are found, a file is not valid safetensors, or the shard
     *                                   index and the shards disagree; the message is one line
     */
    public static Checkpoint open(Path directoryOrFile) {
        if (GgufFile.isGguf(directoryOrFile)) {
            GgufModel model = GgufModel.open(directoryOrFile);
            return new Checkpoint(directoryOrFile, List.of(), model.tensors(), model);
        }
        if (Files.isRegularFile(directoryOrFile)) {
            return single(directoryOrFile, directoryOrFile);
        }
        if (!Files.isDirectory(directoryOrFile)) {
            throw new CheckpointFormatException(directoryOrFile
                    + ": expected a checkpoint directory or a safetensors file, found nothing there");
        }
        Path single = directoryOrFile.resolve(SINGLE_FILE_NAME);
        if (Files.isRegularFile(single)) {
            return single(directoryOrFile, single);
        }
        Path index = directoryOrFile.resolve(INDEX_FILE_NAME);
        if (Files.isRegularFile(index)) {
            return sharded(directoryOrFile, index);
        }
        throw new CheckpointFormatException(directoryOrFile + ": expected " + SINGLE_FILE_NAME + " or "
                + INDEX_FILE_NAME + ", found neither");
    }

    private static Checkpoint single(Path location, Path file) {
        SafetensorsFile f = SafetensorsFile.open(file);
        Map<String, TensorEntry> entries = new LinkedHashMap<>();
        for (TensorEntry e : f.entries()) {
            entries.put(e.name(), e);
        }
        return new Checkpoint(location, List.of(f), Collections.unmodifiableMap(entries));
    }

    private static Checkpoint sharded(Path directory, Path indexFile) {
        ShardIndex index = ShardIndex.read(indexFile);
        Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, String> m : index.weightMap().entrySet()) {
                String shardName = m.getValue();
                if (!shards.containsKey(shardName)) {
                    Path shardPath = directory.resolve(shardName);
                    if (!Files.isRegularFile(shardPath)) {
                        throw new CheckpointFormatException(indexFile + ": tensor '" + OneLine.quote(m.getKey())
                                + "' maps to shard '" + OneLine.quote(shardName) + "', expected that file in "
                                + directory + ", found none");
                    }
                    shards.put(shardName, SafetensorsFile.open(shardPath));
                }
            }
            Map<String, TensorEntry> entries = new LinkedHashMap<>();
            for (Map.Entry<String, String> m : index.weightMap().entrySet()) {
                SafetensorsFile shard = shards.get(m.getValue());
                TensorEntry entry = shard.find(m.getKey()).orElseThrow(() -> new CheckpointFormatException(
                        indexFile + ": tensor '" + OneLine.quote(m.getKey()) + "' expected in shard '"
                                + OneLine.quote(m.getValue()) + "', found absent from that file"));
                entries.put(m.getKey(), entry);
            }
            for (Map.Entry<String, SafetensorsFile> s : shards.entrySet()) {
                for (String name : s.getValue().names()) {
                    String mapped = index.weightMap().get(name);
                    String tensor = s.getValue().path() + ": tensor '" + OneLine.quote(name) + "'";
                    if (mapped == null) {
                        throw new CheckpointFormatException(tensor + " expected in the weight_map of "
                                + INDEX_FILE_NAME + ", found absent from it");
                    }
                    if (!mapped.equals(s.getKey())) {
                        throw new CheckpointFormatException(tensor + " expected only in shard '"
                                + OneLine.quote(mapped) + "' (per " + INDEX_FILE_NAME + "), found in this shard too");
                    }
                }
            }
            return new Checkpoint(directory, List.copyOf(shards.values()), Collections.unmodifiableMap(entries));
        } catch (RuntimeException e) {
            shards.values().forEach(SafetensorsFile::close);
            throw e;
        }
    }

    /** The directory (or single file) the checkpoint was opened from. */
    public Path location() {
        return location;
    }

    /** The files behind the view: the safetensors files in the order they were first named, or the GGUF file. */
    public List<Path> files() {
        if (gguf != null) {
            return List.of(gguf.file().path());
        }
        List<Path> paths = new ArrayList<>();
        files.forEach(f -> paths.add(f.path()));
        return List.copyOf(paths);
    }

    /** Every tensor name: the index's order for a sharded checkpoint, data order for a single file. */
    public List<String> names() {
        return List.copyOf(entries.keySet());
    }

    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    public Optional<TensorEntry> find(String name) {
        return Optional.ofNullable(entries.get(name));
    }

    /**
     * The tensor called {@code name}, from whichever shard holds it.
     *
     * @throws CheckpointFormatException {@code <dir>: tensor 'model.layers.3.mlp.up_proj.weight' is missing
     *                                   from the checkpoint}
     */
    public TensorEntry entry(String name) {
        return find(name).orElseThrow(() -> new CheckpointFormatException(
                location + ": tensor '" + OneLine.quote(name) + "' is missing from the checkpoint"));
    }

    /** Unmaps every file; entries handed out before become unreadable. */
    @Override
    public void close() {
        files.forEach(SafetensorsFile::close);
        if (gguf != null) {
            gguf.close();
        }
    }

    @Override
    public String toString() {
        return "Checkpoint[" + location + ", " + files.size() + " files, " + entries.size() + " tensors]";
    }
}
