package io.tttv2.integration.hf.gguf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Writes a GGUF v3 file: metadata in the order put, tensors in the order added, each tensor's data at the next
 * multiple of the alignment. The file appears atomically: it is written to a temporary file beside the target,
 * forced to disk and renamed over it, so a reader never sees a torn file.
 *
 * <pre>{@code
 * GgufWriter w = new GgufWriter();
 * w.put("general.architecture", GgufValue.string("llama"));
 * w.tensor("token_embd.weight", GgmlType.F16, new long[] {hidden, vocab}, target -> fill(target));
 * w.write(Path.of("model.gguf"));
 * }</pre>
 */
@ProviderType
public final class GgufWriter {
    private final int alignment;
    private final Map<String, GgufValue> metadata = new LinkedHashMap<>();
    private final List<Pending> tensors = new ArrayList<>();

    private record Pending(String name, GgmlType type, long[] dims, long bytes, Consumer<MemorySegment> fill) {
    }

    /** A writer with ggml's default alignment (32; no {@code general.alignment} key is written). */
    public GgufWriter() {
        this(GgufParser.DEFAULT_ALIGNMENT);
    }

    /** A writer with another alignment (a power of two), recorded as {@code general.alignment}. */
    public GgufWriter(int alignment) {
        if (alignment <= 0 || Integer.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("alignment must be a power of two, was " + alignment);
        }
        this.alignment = alignment;
        if (alignment != GgufParser.DEFAULT_ALIGNMENT) {
            metadata.put("general.alignment", GgufValue.uint32(alignment));
        }
    }

    /** Adds (or replaces) a metadata value. */
    public GgufWriter put(String key, GgufValue value) {
        if (key.equals("general.alignment")) {
            throw new IllegalArgumentException("general.alignment is set by the constructor");
        }
        metadata.put(key, value);
        return this;
    }

    /**
     * Adds a tensor; {@code fill} is called once, while the file is written, with a segment of exactly the
     * tensor's bytes to write them into.
     *
     * @param dims ggml order: innermost (contiguous) dimension first
     */
    public GgufWriter tensor(String name, GgmlType type, long[] dims, Consumer<MemorySegment> fill) {
        if (dims.length < 1 || dims.length > GgufParser.MAX_DIMS || dims[0] % type.blockSize() != 0) {
            throw new IllegalArgumentException("tensor " + name + ": dims " + java.util.Arrays.toString(dims)
                    + " do not suit " + type);
        }
        long bytes = type.rowBytes(dims[0]);
        for (int d = 1; d < dims.length; d++) {
            bytes = Math.multiplyExact(bytes, dims[d]);
        }
        tensors.add(new Pending(name, type, dims.clone(), bytes, fill));
        return this;
    }

    /**
     * Writes the file atomically (temporary file, fsync, rename).
     *
     * @throws IOException if it cannot be written; the target is then left as it was
     */
    public void write(Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".part");
        try {
            readableByAll(temp);
            LittleEndian header = new LittleEndian();
            header.bytes(GgufFile.MAGIC.getBytes(StandardCharsets.US_ASCII));
            header.u32(3);
            header.u64(tensors.size());
            header.u64(metadata.size());
            metadata.forEach((k, v) -> {
                header.string(k);
                header.u32(v.type().id());
                header.value(v);
            });
            long[] offsets = new long[tensors.size()];
            long offset = 0;
            for (int i = 0; i < tensors.size(); i++) {
                Pending t = tensors.get(i);
                header.string(t.name);
                header.u32(t.dims.length);
                for (long d : t.dims) {
                    header.u64(d);
                }
                header.u32(t.type.id());
                offsets[i] = offset;
                header.u64(offset);
                offset = align(offset + t.bytes, alignment);
            }
            long dataStart = align(header.size(), alignment);
            long total = dataStart + (tensors.isEmpty() ? 0 : offsets[offsets.length - 1] + tensors.getLast().bytes);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.READ, StandardOpenOption.WRITE);
                 Arena arena = Arena.ofConfined()) {
                channel.write(ByteBuffer.wrap(header.toByteArray()));
                if (total > header.size()) {
                    MemorySegment file = channel.map(FileChannel.MapMode.READ_WRITE, 0, total, arena);
                    for (int i = 0; i < tensors.size(); i++) {
                        Pending t = tensors.get(i);
                        t.fill.accept(file.asSlice(dataStart + offsets[i], t.bytes));
                    }
                    file.force();
                }
                channel.force(true);
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** A temporary file is private to its owner; the model file is not (rw-r--r-- where POSIX). */
    private static void readableByAll(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its default stays
        }
    }

    private static long align(long offset, int alignment) {
        return (offset + alignment - 1) / alignment * alignment;
    }

    /** A growing little-endian byte buffer for the header. */
    private static final class LittleEndian extends ByteArrayOutputStream {
        private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

        void bytes(byte[] b) {
            write(b, 0, b.length);
        }

        void u32(long v) {
            scratch.clear();
            scratch.putInt((int) v);
            write(scratch.array(), 0, 4);
        }

        void u64(long v) {
            scratch.clear();
            scratch.putLong(v);
            write(scratch.array(), 0, 8);
        }

        void string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u64(b.length);
            bytes(b);
        }

        void value(GgufValue v) {
            if (v.value() instanceof GgufValue.Array a) {
                u32(a.elementType().id());
                u64(a.length());
                for (int i = 0; i < a.length(); i++) {
                    scalar(a.elementType(), java.lang.reflect.Array.get(a.values(), i));
                }
            } else {
                scalar(v.type(), v.value());
            }
        }

        private void scalar(GgufValueType type, Object v) {
            switch (type) {
                case UINT8, INT8 -> write((int) (long) (Long) v);
                case UINT16, INT16 -> {
                    long l = (Long) v;
                    write((int) l);
                    write((int) (l >> 8));
                }
                case UINT32, INT32 -> u32((Long) v);
                case UINT64, INT64 -> u64((Long) v);
                case FLOAT32 -> u32(Float.floatToRawIntBits((Float) v));
                case FLOAT64 -> u64(Double.doubleToRawLongBits((Double) v));
                case BOOL -> write((Boolean) v ? 1 : 0);
                case STRING -> string((String) v);
                case ARRAY -> throw new IllegalArgumentException("arrays of arrays are not written");
            }
        }
    }
}
