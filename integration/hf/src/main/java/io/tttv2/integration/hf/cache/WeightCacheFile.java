package io.tttv2.integration.hf.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * One cache file. Layout (little-endian):
 *
 * <pre>
 *   [0, 8)    magic "TTTV2WC\0"
 *   [8, 12)   format version (u32)
 *   [12, 16)  header length H (u32)
 *   [16, 20)  CRC32C of the header bytes (u32)
 *   [20, 24)  zero
 *   [24, 24+H) header: JSON {"source", "layout", "library", "file_size", "data_offset",
 *              "tensors": [{"name", "dtype", "shape", "offset", "bytes"}]}
 *   data      from data_offset; every tensor starts at a multiple of 64 bytes
 * </pre>
 *
 * <p>A reader trusts nothing it has not checked: the magic, the format, the header's checksum, the key, the
 * file's size against the size the header declares (a torn file is shorter), every tensor inside the data,
 * its dtype known and its byte count that of its shape. The data itself carries no checksum: verifying it
 * would read the whole file, which is what the cache exists to avoid; it is written in full, forced to
 * disk and only then renamed into place.
 */
final class WeightCacheFile {
    static final byte[] MAGIC = "TTTV2WC\0".getBytes(StandardCharsets.US_ASCII);
    static final int FORMAT = 1;
    static final int PREFIX = 24;
    static final int ALIGNMENT = 64;
    /** A header beyond this is not one this writer made (a few hundred bytes per tensor). */
    static final int MAX_HEADER = 64 << 20;
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ObjectMapper JSON = new ObjectMapper();

    private WeightCacheFile() {
    }

    /**
     * Writes {@code tensors} (each contiguous) under {@code key} to {@code path}: a temporary file beside it,
     * forced to disk, then renamed over {@code path}.
     */
    static void write(Path path, WeightCacheKey key, Map<String, Tensor> tensors) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        header.put("source", key.source()).put("layout", key.layout()).put("library", key.libraryVersion());
        ArrayNode table = JSON.createArrayNode();
        long offset = 0;      // of the next tensor, from data_offset
        long end = 0;         // of the data written so far, from data_offset
        long[] offsets = new long[tensors.size()];
        int index = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            long bytes = t.segment().byteSize();
            ObjectNode row = table.addObject().put("name", e.getKey()).put("dtype", t.dtype().name());
            ArrayNode shape = row.putArray("shape");
            for (int d : t.shape()) {
                shape.add(d);
            }
            row.put("offset", offset).put("bytes", bytes);
            offsets[index++] = offset;
            end = offset + bytes;
            offset = align(end);
        }
        // the header states its own data offset and the file size: sized with the two numbers at their widest
        header.put("file_size", Long.MAX_VALUE).put("data_offset", Long.MAX_VALUE).set("tensors", table);
        long dataOffset = align(PREFIX + JSON.writeValueAsBytes(header).length);
        header.put("data_offset", dataOffset).put("file_size", dataOffset + end);
        byte[] json = JSON.writeValueAsBytes(header);
        if (json.length > MAX_HEADER) {
            throw new IOException(path + ": header of " + json.length + " bytes exceeds " + MAX_HEADER);
        }
        CRC32C crc = new CRC32C();
        crc.update(json);
        ByteBuffer prefix = ByteBuffer.allocate(PREFIX).order(ByteOrder.LITTLE_ENDIAN)
                .put(MAGIC).putInt(FORMAT).putInt(json.length).putInt((int) crc.getValue()).putInt(0).flip();

        Path absolute = path.toAbsolutePath();
        Path temporary = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".partial");
        try {
            try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(out, prefix);
                writeFully(out, ByteBuffer.wrap(json));
                long at = PREFIX + json.length;
                index = 0;
                for (Tensor t : tensors.values()) {
                    long start = dataOffset + offsets[index++];
                    writeFully(out, ByteBuffer.allocate((int) (start - at)));   // zeros up to the tensor's offset
                    MemorySegment bytes = t.segment();
                    for (long chunk = 0; chunk < bytes.byteSize(); chunk += 1 << 30) {
                        writeFully(out, bytes.asSlice(chunk, Math.min(1 << 30, bytes.byteSize() - chunk)).asByteBuffer());
                    }
                    at = start + bytes.byteSize();
                }
                out.force(true);
            }
            try {
                Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            forceDirectory(absolute.getParent());
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Maps {@code path} and returns its tensors, in the order written.
     *
     * @throws UnusableCacheFile if the file is from another key, layout, version or format, torn or corrupt
     * @throws IOException       if it cannot be read at all
     */
    static Map<String, Tensor> read(Path path, WeightCacheKey key, Arena arena) throws IOException, UnusableCacheFile {
        MemorySegment file;
        try (FileChannel in = FileChannel.open(path, StandardOpenOption.READ)) {
            file = in.map(FileChannel.MapMode.READ_ONLY, 0, in.size(), arena);
        }
        long size = file.byteSize();
        if (size < PREFIX) {
            throw unusable(path, "torn: " + size + " bytes, shorter than the " + PREFIX + "-byte prefix");
        }
        if (!Arrays.equals(file.asSlice(0, 8).toArray(ValueLayout.JAVA_BYTE), MAGIC)) {
            throw unusable(path, "not a weight cache file (bad magic)");
        }
        int format = file.get(U32, 8);
        if (format != FORMAT) {
            throw unusable(path, "stale: cache format " + format + ", expected " + FORMAT);
        }
        long headerLength = Integer.toUnsignedLong(file.get(U32, 12));
        if (headerLength > MAX_HEADER || PREFIX + headerLength > size) {
            throw unusable(path, "torn: header of " + headerLength + " bytes does not fit the file's " + size);
        }
        byte[] json = file.asSlice(PREFIX, headerLength).toArray(ValueLayout.JAVA_BYTE);
        CRC32C crc = new CRC32C();
        crc.update(json);
        if ((int) crc.getValue() != file.get(U32, 16)) {
            throw unusable(path, "corrupt: header checksum mismatch");
        }
        JsonNode header;
        try {
            header = JSON.readTree(json);
        } catch (IOException e) {
            throw unusable(path, "corrupt: header is not JSON");
        }
        same(path, "layout", key.layout(), header);
        same(path, "library", key.libraryVersion(), header);
        same(path, "source", key.source(), header);
        long declared = header.path("file_size").asLong(-1);
        if (declared != size) {
            throw unusable(path, "torn: " + size + " bytes, expected " + declared);
        }
        long dataOffset = header.path("data_offset").asLong(-1);
        if (dataOffset < PREFIX + headerLength || dataOffset > size) {
            throw unusable(path, "corrupt: data offset " + dataOffset + " outside the file");
        }
        if (!header.path("tensors").isArray()) {
            throw unusable(path, "corrupt: no tensor table");
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (JsonNode row : header.path("tensors")) {
            String name = row.path("name").asText();
            long offset = row.path("offset").asLong(-1);
            long bytes = row.path("bytes").asLong(-1);
            if (offset < 0 || bytes < 0 || offset > size - dataOffset - bytes) {
                throw unusable(path, "corrupt: tensor '" + name + "' at " + offset + "+" + bytes + " outside the data");
            }
            DType dtype;
            try {
                dtype = DType.valueOf(row.path("dtype").asText());
            } catch (IllegalArgumentException e) {
                throw unusable(path, "stale: tensor '" + name + "' has dtype " + row.path("dtype").asText()
                        + ", unknown to this library");
            }
            int[] shape = new int[row.path("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = row.path("shape").get(i).asInt(-1);
            }
            try {
                tensors.put(name, Tensor.wrap(file.asSlice(dataOffset + offset, bytes), dtype, shape));
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw unusable(path, "corrupt: tensor '" + name + "' " + e.getMessage());
            }
        }
        return tensors;
    }

    private static void same(Path path, String field, String expected, JsonNode header) throws UnusableCacheFile {
        String found = header.path(field).asText(null);
        if (!expected.equals(found)) {
            String what = field.equals("source") ? "source weights changed" : field + " '" + found + "', expected '" + expected + "'";
            throw unusable(path, "stale: " + what);
        }
    }

    private static UnusableCacheFile unusable(Path path, String why) {
        return new UnusableCacheFile(path + ": " + why);
    }

    static long align(long at) {
        return (at + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    /** The rename is durable once the directory is forced; where a directory cannot be opened, skip it. */
    private static void forceDirectory(Path directory) {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not every platform opens directories; the file itself is on disk
        }
    }
}
