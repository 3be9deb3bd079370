package io.tttv2.integration.hf.safetensors;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Writes named tensors as a safetensors file laid out as HuggingFace's writer does
 * ({@code safetensors::serialize_to_file}): tensors ordered by descending dtype alignment, then by name; a
 * compact JSON header with {@code __metadata__} first and the tensors in data order; the header padded with
 * spaces to a multiple of 8 bytes, so every tensor starts aligned to its element size. Given the same tensors
 * and metadata, the output is byte-for-byte what HuggingFace writes.
 *
 * <p>Values given as arrays are copied when added; a {@link MemorySegment} is read when {@link #write} runs.
 * The file is written beside its destination and moved into place, so a reader never sees half a file.
 *
 * <pre>{@code
 * new SafetensorsWriter()
 *         .metadata("format", "pt")
 *         .addF32("logits", new long[] {2, 12, 256}, logits)   // [B, T, V]
 *         .addI64("input_ids", new long[] {2, 12}, ids)        // [B, T]
 *         .write(Path.of("dump.safetensors"));
 * }</pre>
 */
@ProviderType
public final class SafetensorsWriter {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final JsonFactory JSON = new JsonFactory();

    private record Pending(String name, Dtype dtype, long[] shape, MemorySegment bytes) {
    }

    private final Map<String, Pending> tensors = new LinkedHashMap<>();
    private final Map<String, String> metadata = new TreeMap<>();

    /** Adds a {@code __metadata__} entry (HuggingFace writes {@code format: pt}). */
    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /** Adds a float32 tensor; {@code values} is row-major and copied now. */
    public SafetensorsWriter addF32(String name, long[] shape, float[] values) {
        MemorySegment bytes = MemorySegment.ofArray(new byte[Math.multiplyExact(values.length, 4)]);
        MemorySegment.copy(values, 0, bytes, F32, 0, values.length);
        return add(name, Dtype.F32, shape, values.length, bytes);
    }

    /** Adds an int64 tensor (token ids, positions); {@code values} is row-major and copied now. */
    public SafetensorsWriter addI64(String name, long[] shape, long[] values) {
        MemorySegment bytes = MemorySegment.ofArray(new byte[Math.multiplyExact(values.length, 8)]);
        MemorySegment.copy(values, 0, bytes, I64, 0, values.length);
        return add(name, Dtype.I64, shape, values.length, bytes);
    }

    /** Adds an int32 tensor; {@code values} is row-major and copied now. */
    public SafetensorsWriter addI32(String name, long[] shape, int[] values) {
        MemorySegment bytes = MemorySegment.ofArray(new byte[Math.multiplyExact(values.length, 4)]);
        MemorySegment.copy(values, 0, bytes, I32, 0, values.length);
        return add(name, Dtype.I32, shape, values.length, bytes);
    }

    /**
     * Adds a tensor of any dtype from its little-endian bytes, which are read when {@link #write} runs (keep
     * them alive and unchanged until then).
     */
    public SafetensorsWriter add(String name, Dtype dtype, long[] shape, MemorySegment bytes) {
        if (dtype.isBlockQuantised()) {
            throw new IllegalArgumentException("tensor '" + name + "': " + dtype + " is a GGUF block type, which "
                    + "safetensors cannot name");
        }
        long elements = elementCount(name, shape);
        long expected;
        try {
            expected = Math.multiplyExact(elements, (long) dtype.byteSize());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("tensor '" + name + "' shape " + Arrays.toString(shape)
                    + " of " + dtype + " expected a byte size below 2^63, found one that overflows");
        }
        if (bytes.byteSize() != expected) {
            throw new IllegalArgumentException("tensor '" + name + "' expected " + expected + " bytes for shape "
                    + Arrays.toString(shape) + " of " + dtype + ", found " + bytes.byteSize());
        }
        put(new Pending(name, dtype, shape.clone(), bytes));
        return this;
    }

    /** Adds a tensor read from another file (its bytes are read when {@link #write} runs). */
    public SafetensorsWriter add(TensorEntry entry) {
        return add(entry.name(), entry.dtype(), entry.shape(), entry.data());
    }

    private SafetensorsWriter add(String name, Dtype dtype, long[] shape, int valueCount, MemorySegment bytes) {
        long elements = elementCount(name, shape);
        if (elements != valueCount) {
            throw new IllegalArgumentException("tensor '" + name + "' expected " + elements + " values for shape "
                    + Arrays.toString(shape) + ", found " + valueCount);
        }
        put(new Pending(name, dtype, shape.clone(), bytes));
        return this;
    }

    private void put(Pending p) {
        if (p.name().equals(SafetensorsHeader.METADATA_KEY)) {
            throw new IllegalArgumentException("tensor name expected anything but '" + SafetensorsHeader.METADATA_KEY
                    + "' (reserved for metadata), found it");
        }
        if (tensors.putIfAbsent(p.name(), p) != null) {
            throw new IllegalArgumentException("tensor '" + p.name() + "' expected once, found it added twice");
        }
    }

    private static long elementCount(String name, long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor '" + name + "' shape expected non-negative dimensions, found "
                        + Arrays.toString(shape));
            }
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("tensor '" + name + "' shape " + Arrays.toString(shape)
                        + " expected an element count below 2^63, found one that overflows");
            }
        }
        return n;
    }

    /**
     * Writes the file, replacing {@code path} if it exists.
     *
     * @throws IOException if the file cannot be written
     */
    public void write(Path path) throws IOException {
        List<Pending> ordered = dataOrder();
        byte[] header = header(ordered);
        Path absolute = path.toAbsolutePath();
        Path temporary = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".partial");
        try {
            try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).flip();
                writeFully(out, prefix);
                writeFully(out, ByteBuffer.wrap(header));
                for (Pending p : ordered) {
                    writeSegment(out, p.bytes());
                }
                out.force(false);
            }
            try {
                Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** HuggingFace's data order: descending dtype alignment ({@link Dtype} declaration order), then name. */
    private List<Pending> dataOrder() {
        List<Pending> ordered = new ArrayList<>(tensors.values());
        Comparator<Pending> byAlignment = Comparator.comparing(Pending::dtype, Comparator.reverseOrder());
        // Rust compares String by UTF-8 bytes, which differs from String.compareTo beyond the BMP
        ordered.sort(byAlignment.thenComparing((a, b) -> Arrays.compareUnsigned(
                a.name().getBytes(StandardCharsets.UTF_8), b.name().getBytes(StandardCharsets.UTF_8))));
        return ordered;
    }

    private byte[] header(List<Pending> ordered) throws IOException {
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(json)) {
            g.writeStartObject();
            if (!metadata.isEmpty()) {
                g.writeObjectFieldStart(SafetensorsHeader.METADATA_KEY);
                for (Map.Entry<String, String> m : metadata.entrySet()) {
                    g.writeStringField(m.getKey(), m.getValue());
                }
                g.writeEndObject();
            }
            long offset = 0;
            for (Pending p : ordered) {
                long end = offset + p.bytes().byteSize();
                g.writeObjectFieldStart(p.name());
                g.writeStringField("dtype", p.dtype().name());
                g.writeArrayFieldStart("shape");
                for (long d : p.shape()) {
                    g.writeNumber(d);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("data_offsets");
                g.writeNumber(offset);
                g.writeNumber(end);
                g.writeEndArray();
                g.writeEndObject();
                offset = end;
            }
            g.writeEndObject();
        }
        int padding = (8 - json.size() % 8) % 8;
        for (int i = 0; i < padding; i++) {
            json.write(' ');
        }
        if (json.size() > SafetensorsHeader.MAX_HEADER_LENGTH) {
            throw new IllegalStateException("header expected at most " + SafetensorsHeader.MAX_HEADER_LENGTH
                    + " bytes, found " + json.size() + " (too many tensors for one file)");
        }
        return json.toByteArray();
    }

    /** A ByteBuffer holds at most 2 GiB: larger tensors go out in chunks. */
    private static void writeSegment(FileChannel out, MemorySegment bytes) throws IOException {
        final long chunk = 1L << 30;
        for (long at = 0; at < bytes.byteSize(); at += chunk) {
            writeFully(out, bytes.asSlice(at, Math.min(chunk, bytes.byteSize() - at)).asByteBuffer());
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }
}
