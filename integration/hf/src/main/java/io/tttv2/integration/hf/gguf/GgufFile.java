package io.tttv2.integration.hf.gguf;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A GGUF file (v2 or v3), memory-mapped read-only and validated at open ({@link #open} lists what is checked).
 * Opening reads the header, metadata and tensor infos; a tensor's bytes are touched when the caller reads its
 * {@link #data} slice. The mapping belongs to a shared arena owned by this object: slices may be read from any
 * thread until {@link #close()}, after which reading one throws {@link IllegalStateException}.
 *
 * <pre>{@code
 * try (GgufFile f = GgufFile.open(Path.of("model.gguf"))) {
 *     String arch = f.metadata().string("general.architecture");
 *     MemorySegment q = f.data(f.tensor("blk.0.attn_q.weight"));
 * }
 * }</pre>
 */
@ProviderType
public final class GgufFile implements AutoCloseable {
    /** The magic at offset 0. */
    public static final String MAGIC = "GGUF";

    private final Path path;
    private final Arena arena;
    private final int version;
    private final GgufMetadata metadata;
    private final Map<String, GgufTensorInfo> tensors;
    private final int alignment;
    private final MemorySegment data;

    private GgufFile(Path path, Arena arena, int version, GgufMetadata metadata, Map<String, GgufTensorInfo> tensors,
                     int alignment, MemorySegment data) {
        this.path = path;
        this.arena = arena;
        this.version = version;
        this.metadata = metadata;
        this.tensors = tensors;
        this.alignment = alignment;
        this.data = data;
    }

    /** Whether {@code path} is a regular file that starts with the GGUF magic. */
    public static boolean isGguf(Path path) {
        if (!Files.isRegularFile(path)) {
            return false;
        }
        try (var in = Files.newInputStream(path)) {
            byte[] magic = in.readNBytes(4);
            return new String(magic, java.nio.charset.StandardCharsets.ISO_8859_1).equals(MAGIC);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Maps and validates {@code path}: the magic, the version (2 or 3), every count against the bytes left before
     * anything is allocated for it, every string's length, every value type, the alignment (a power of two), every
     * tensor's dimensions (1 to 4, first a multiple of its type's block), type (known) and data (aligned, within
     * the file, not overlapping another).
     *
     * @throws GgufFormatException one line naming the file, the part and the problem
     */
    public static GgufFile open(Path path) {
        if (Files.isDirectory(path)) {
            throw new GgufFormatException(path + ": expected a GGUF file, found a directory");
        }
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment content = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena).asReadOnly();
            GgufParser.Parsed parsed = GgufParser.parse(path, content);
            MemorySegment data = content.asSlice(Math.min(parsed.dataStart(), content.byteSize()));
            Map<String, GgufTensorInfo> tensors = new LinkedHashMap<>();
            parsed.tensors().forEach(t -> tensors.put(t.name(), t));
            return new GgufFile(path, arena, parsed.version(), parsed.metadata(), Collections.unmodifiableMap(tensors),
                    parsed.alignment(), data);
        } catch (NoSuchFileException e) {
            arena.close();
            throw new GgufFormatException(path + ": cannot be read (no such file)", e);
        } catch (AccessDeniedException e) {
            arena.close();
            throw new GgufFormatException(path + ": cannot be read (permission denied)", e);
        } catch (IOException e) {
            arena.close();
            throw new GgufFormatException(path + ": cannot be read (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    /** 2 or 3. */
    public int version() {
        return version;
    }

    public GgufMetadata metadata() {
        return metadata;
    }

    /** The tensor infos in file order. */
    public List<GgufTensorInfo> tensors() {
        return List.copyOf(tensors.values());
    }

    public Optional<GgufTensorInfo> find(String name) {
        return Optional.ofNullable(tensors.get(name));
    }

    public GgufTensorInfo tensor(String name) {
        return find(name).orElseThrow(() -> new GgufFormatException(path + ": tensor '" + GgufParser.quote(name)
                + "' expected in the file, found it missing"));
    }

    /** The data section's alignment ({@code general.alignment}, default 32). */
    public int alignment() {
        return alignment;
    }

    /** The tensor's bytes: a read-only slice of the mapping (no copy). */
    public MemorySegment data(GgufTensorInfo tensor) {
        return data.asSlice(tensor.offset(), tensor.bytes());
    }

    @Override
    public void close() {
        arena.close();
    }

    @Override
    public String toString() {
        return "GgufFile[" + path + ", v" + version + ", " + metadata.keys().size() + " keys, " + tensors.size()
                + " tensors]";
    }
}
