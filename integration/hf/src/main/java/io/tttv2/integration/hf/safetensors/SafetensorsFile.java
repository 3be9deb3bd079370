package io.tttv2.integration.hf.safetensors;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A safetensors file, memory-mapped read-only and validated ({@link SafetensorsHeader} lists the rules, the
 * same as HuggingFace's reader). Opening reads the length prefix and the header only; a tensor's bytes are
 * touched when the caller reads its {@link TensorEntry#data()} slice.
 *
 * <p>The mapping belongs to a shared {@link Arena} owned by this object: slices may be read from any thread
 * until {@link #close()}, after which reading one throws {@link IllegalStateException} (never a crash).
 *
 * <pre>{@code
 * try (SafetensorsFile f = SafetensorsFile.open(Path.of("model.safetensors"))) {
 *     TensorEntry q = f.entry("model.layers.0.self_attn.q_proj.weight"); // [hidden, hidden], e.g. BF16
 *     MemorySegment bytes = q.data();
 * }
 * }</pre>
 */
@ProviderType
public final class SafetensorsFile implements AutoCloseable {
    private final Path path;
    private final Arena arena;
    private final Map<String, String> metadata;
    /** In data order. */
    private final Map<String, TensorEntry> entries;
    private volatile boolean closed;

    private SafetensorsFile(Path path, Arena arena, Map<String, String> metadata, Map<String, TensorEntry> entries) {
        this.path = path;
        this.arena = arena;
        this.metadata = metadata;
        this.entries = entries;
    }

    /**
     * Maps and validates {@code path}.
     *
     * @throws CheckpointFormatException if the file cannot be read or is not a valid safetensors file; the
     *                                   message is one line naming the file and what is wrong
     */
    public static SafetensorsFile open(Path path) {
        if (Files.isDirectory(path)) {
            throw new CheckpointFormatException(path + ": expected a safetensors file, found a directory");
        }
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment content = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena).asReadOnly();
            SafetensorsHeader header = SafetensorsHeader.parse(path.toString(), content);
            MemorySegment data = content.asSlice(header.dataStart(), header.dataLength);
            Map<String, TensorEntry> entries = new LinkedHashMap<>();
            for (TensorSlot t : header.tensors) {
                // a slice is a view: creating it reads nothing
                entries.put(t.name(), new TensorEntry(path, t.name(), t.dtype(), t.shape(),
                        data.asSlice(t.begin(), t.end() - t.begin())));
            }
            return new SafetensorsFile(path, arena, header.metadata, Collections.unmodifiableMap(entries));
        } catch (IOException e) {
            arena.close();
            throw new CheckpointFormatException(path + ": cannot be read (" + describe(e) + ")", e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /**
     * Reads {@code path}'s length prefix and header only — for a dry run: no tensor data is mapped or read, and the
     * data section may be absent. Every entry's {@link TensorEntry#data()} is an empty segment (reading it throws).
     *
     * @throws CheckpointFormatException as {@link #open}, for the header
     */
    public static SafetensorsFile openHeader(Path path) {
        if (Files.isDirectory(path)) {
            throw new CheckpointFormatException(path + ": expected a safetensors file, found a directory");
        }
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            java.nio.ByteBuffer prefix = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            while (prefix.hasRemaining() && channel.read(prefix) >= 0) {
                // a short read of a regular file only happens at its end
            }
            long n = prefix.position() == 8 ? prefix.getLong(0) : 0;
            long size = prefix.position() == 8 && n >= 0 && n <= SafetensorsHeader.MAX_HEADER_LENGTH
                    ? Math.min(8 + n, channel.size()) : prefix.position();
            java.nio.ByteBuffer head = java.nio.ByteBuffer.allocate((int) size);
            channel.position(0);
            while (head.hasRemaining() && channel.read(head) >= 0) {
                // as above
            }
            MemorySegment content = MemorySegment.ofArray(head.array()).asSlice(0, head.position());
            SafetensorsHeader header = SafetensorsHeader.parse(path.toString(), content, true);
            Map<String, TensorEntry> entries = new LinkedHashMap<>();
            for (TensorSlot t : header.tensors) {
                entries.put(t.name(), new TensorEntry(path, t.name(), t.dtype(), t.shape(), MemorySegment.NULL));
            }
            return new SafetensorsFile(path, arena, header.metadata, Collections.unmodifiableMap(entries));
        } catch (IOException e) {
            arena.close();
            throw new CheckpointFormatException(path + ": cannot be read (" + describe(e) + ")", e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** The path the file was opened with. */
    public Path path() {
        return path;
    }

    /** The header's {@code __metadata__} (e.g. {@code format: pt}); empty if it has none. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Tensor names in the order of their data in the file. */
    public List<String> names() {
        return List.copyOf(entries.keySet());
    }

    /** Every tensor, in data order. */
    public Collection<TensorEntry> entries() {
        checkOpen();
        return entries.values();
    }

    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    /** The tensor called {@code name}, if the file has it. */
    public Optional<TensorEntry> find(String name) {
        checkOpen();
        return Optional.ofNullable(entries.get(name));
    }

    /**
     * The tensor called {@code name}.
     *
     * @throws CheckpointFormatException if the file has no such tensor
     */
    public TensorEntry entry(String name) {
        return find(name).orElseThrow(() -> new CheckpointFormatException(
                path + ": tensor '" + OneLine.quote(name) + "' is missing from the file"));
    }

    /** Unmaps the file. Slices handed out before become unreadable. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        arena.close();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(path + ": already closed");
        }
    }

    @Override
    public String toString() {
        return "SafetensorsFile[" + path + ", " + entries.size() + " tensors]";
    }
}
