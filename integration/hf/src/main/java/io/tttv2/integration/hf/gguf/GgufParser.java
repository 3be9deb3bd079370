package io.tttv2.integration.hf.gguf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a GGUF header (v2 or v3), metadata and tensor infos from the mapped file, trusting nothing: every read
 * is checked against the bytes left, every count against the fewest bytes its items could take before anything
 * is allocated for it, every tensor's extent against the data section and the others. Each failure is one line
 * naming the file, the part and what was expected and found.
 *
 * <p>Layout (little-endian): {@code "GGUF"}, u32 version, u64 tensor count, u64 metadata count; metadata as
 * (string key, u32 value type, value); tensor infos as (string name, u32 n_dims, u64 dims[n_dims] innermost
 * first, u32 ggml type, u64 offset); padding to the alignment ({@code general.alignment}, default 32); the data.
 * A string is a u64 byte length and UTF-8 bytes; an array a u32 element type, a u64 count and the elements.
 */
final class GgufParser {
    static final int DEFAULT_ALIGNMENT = 32;
    /** ggml's GGML_MAX_DIMS. */
    static final int MAX_DIMS = 4;
    /** The fewest bytes one metadata pair takes: key length, value type, a one-byte value. */
    private static final int MIN_KV_BYTES = 8 + 4 + 1;
    /** The fewest bytes one tensor info takes: name length, n_dims, one dim, type, offset. */
    private static final int MIN_TENSOR_INFO_BYTES = 8 + 4 + 8 + 4 + 8;
    /** Longest file value quoted in a message. */
    private static final int MAX_QUOTED = 80;

    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path file;
    private final MemorySegment content;
    private final long size;
    private long pos;
    /** What is being read, for messages: "header", "key 'general.name'", "tensor info 3". */
    private String where = "header";

    record Parsed(int version, GgufMetadata metadata, List<GgufTensorInfo> tensors, int alignment, long dataStart) {
    }

    private GgufParser(Path file, MemorySegment content) {
        this.file = file;
        this.content = content;
        this.size = content.byteSize();
    }

    static Parsed parse(Path file, MemorySegment content) {
        return new GgufParser(file, content).parse();
    }

    private Parsed parse() {
        if (size < 4 || content.get(ValueLayout.JAVA_BYTE, 0) != 'G' || content.get(ValueLayout.JAVA_BYTE, 1) != 'G'
                || content.get(ValueLayout.JAVA_BYTE, 2) != 'U' || content.get(ValueLayout.JAVA_BYTE, 3) != 'F') {
            throw fail("expected the magic 'GGUF' at offset 0, found " + (size < 4 ? "a file of " + size + " bytes"
                    : "bytes " + hex(0, 4)));
        }
        pos = 4;
        long version = u32();
        if (version != 2 && version != 3) {
            throw fail("expected version 2 or 3, found " + version
                    + (version == 1 ? " (GGUF v1, with 32-bit counts, is not read)"
                    : Integer.reverseBytes((int) version) == 3 || Integer.reverseBytes((int) version) == 2
                    ? " (a big-endian file, which is not read)" : ""));
        }
        long tensorCount = u64();
        long kvCount = u64();
        checkCount("tensor count", tensorCount, MIN_TENSOR_INFO_BYTES);
        checkCount("metadata count", kvCount, MIN_KV_BYTES);

        Map<String, GgufValue> values = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            where = "metadata pair " + i;
            String key = string("key");
            where = "key '" + quote(key) + "'";
            if (values.containsKey(key)) {
                throw fail("expected each key once, found it again");
            }
            GgufValueType type = valueType(u32());
            values.put(key, value(type));
        }
        GgufMetadata metadata = new GgufMetadata(file, values);
        int alignment = alignment(values.get("general.alignment"));

        List<GgufTensorInfo> infos = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (long i = 0; i < tensorCount; i++) {
            where = "tensor info " + i;
            String name = string("name");
            where = "tensor '" + quote(name) + "'";
            if (!names.add(name)) {
                throw fail("expected each tensor name once, found it again");
            }
            infos.add(tensorInfo(name, alignment));
        }
        where = "header";
        long dataStart = align(pos, alignment);
        if (tensorCount > 0 && dataStart > size) {
            throw fail("expected the data section at offset " + dataStart + ", found the file ending at " + size);
        }
        checkExtents(infos, Math.max(0, size - dataStart));
        return new Parsed((int) version, metadata, List.copyOf(infos), alignment, dataStart);
    }

    private GgufTensorInfo tensorInfo(String name, int alignment) {
        long nDims = u32();
        if (nDims < 1 || nDims > MAX_DIMS) {
            throw fail("expected 1 to " + MAX_DIMS + " dimensions, found " + nDims);
        }
        long[] dims = new long[(int) nDims];
        for (int d = 0; d < nDims; d++) {
            dims[d] = u64();
            if (dims[d] < 0) {
                throw fail("expected dimension " + d + " below 2^63, found " + Long.toUnsignedString(dims[d]));
            }
        }
        long typeId = u32();
        GgmlType type = GgmlType.of(typeId).orElseThrow(() -> fail("expected a known ggml type, found type number "
                + typeId));
        long offset = u64();
        if (dims[0] % type.blockSize() != 0) {
            throw fail("expected its first dimension to be a multiple of " + type + "'s block of "
                    + type.blockSize() + ", found " + dims[0]);
        }
        long bytes;
        try {
            bytes = type.rowBytes(dims[0]);
            for (int d = 1; d < dims.length; d++) {
                bytes = Math.multiplyExact(bytes, dims[d]);
            }
        } catch (ArithmeticException e) {
            throw fail("expected a size below 2^63 bytes, found dimensions " + java.util.Arrays.toString(dims)
                    + " of " + type);
        }
        if (offset < 0 || offset % alignment != 0) {
            throw fail("expected a data offset that is a multiple of the alignment " + alignment + ", found "
                    + Long.toUnsignedString(offset));
        }
        return new GgufTensorInfo(name, dims, type, offset, bytes);
    }

    /** Every tensor inside the data section, none overlapping another. */
    private void checkExtents(List<GgufTensorInfo> infos, long dataLength) {
        List<GgufTensorInfo> byOffset = new ArrayList<>(infos);
        byOffset.sort(Comparator.comparingLong(GgufTensorInfo::offset));
        GgufTensorInfo previous = null;
        for (GgufTensorInfo t : byOffset) {
            if (t.bytes() > dataLength || t.offset() > dataLength - t.bytes()) {
                throw new GgufFormatException(file + ": tensor '" + quote(t.name()) + "' data [" + t.offset() + ", "
                        + (t.offset() + Math.min(t.bytes(), Long.MAX_VALUE - t.offset())) + ") of " + t.type() + " "
                        + java.util.Arrays.toString(t.dims()) + " expected within the " + dataLength
                        + " data bytes, found it past the end of the file (truncated?)");
            }
            if (previous != null && t.offset() < previous.offset() + previous.bytes()) {
                throw new GgufFormatException(file + ": tensor '" + quote(t.name()) + "' data at offset " + t.offset()
                        + " expected after tensor '" + quote(previous.name()) + "' ending at "
                        + (previous.offset() + previous.bytes()) + ", found them overlapping");
            }
            previous = t;
        }
    }

    private int alignment(GgufValue value) {
        if (value == null) {
            return DEFAULT_ALIGNMENT;
        }
        if (value.type() != GgufValueType.UINT32) {
            throw new GgufFormatException(file + ": key 'general.alignment' expected a UINT32, found " + value.type());
        }
        long a = (Long) value.value();
        if (a == 0 || Long.bitCount(a) != 1) {
            throw new GgufFormatException(file + ": key 'general.alignment' expected a power of two, found " + a);
        }
        return (int) a;
    }

    private GgufValueType valueType(long id) {
        return GgufValueType.of(id).orElseThrow(() -> fail("expected a value type 0 to 12, found " + id));
    }

    private GgufValue value(GgufValueType type) {
        if (type == GgufValueType.ARRAY) {
            GgufValueType element = valueType(u32());
            if (element == GgufValueType.ARRAY) {
                throw fail("expected an array of values, found an array of arrays (not read)");
            }
            long count = u64();
            checkCount("array count", count, element.minimumBytes());
            return new GgufValue(type, new GgufValue.Array(element, elements(element, (int) count)));
        }
        return new GgufValue(type, scalar(type));
    }

    private Object scalar(GgufValueType type) {
        return switch (type) {
            case UINT8 -> (long) Byte.toUnsignedInt(bytes(1).get(ValueLayout.JAVA_BYTE, 0));
            case INT8 -> (long) bytes(1).get(ValueLayout.JAVA_BYTE, 0);
            case UINT16 -> (long) Short.toUnsignedInt(bytes(2).get(U16, 0));
            case INT16 -> (long) bytes(2).get(U16, 0);
            case UINT32 -> u32();
            case INT32 -> (long) bytes(4).get(U32, 0);
            case UINT64, INT64 -> u64();
            case FLOAT32 -> bytes(4).get(F32, 0);
            case FLOAT64 -> bytes(8).get(F64, 0);
            case BOOL -> {
                byte b = bytes(1).get(ValueLayout.JAVA_BYTE, 0);
                if (b != 0 && b != 1) {
                    throw fail("expected a bool 0 or 1, found " + b);
                }
                yield b == 1;
            }
            case STRING -> string("value");
            case ARRAY -> throw new IllegalStateException("arrays are read by value()");
        };
    }

    /** {@code count} was checked against the bytes left, so the array's size is bounded by the file's. */
    private Object elements(GgufValueType element, int count) {
        switch (element) {
            case FLOAT32 -> {
                float[] out = new float[count];
                MemorySegment.copy(bytes(4L * count), F32, 0, out, 0, count);
                return out;
            }
            case FLOAT64 -> {
                double[] out = new double[count];
                MemorySegment.copy(bytes(8L * count), F64, 0, out, 0, count);
                return out;
            }
            case BOOL -> {
                boolean[] out = new boolean[count];
                for (int i = 0; i < count; i++) {
                    out[i] = (Boolean) scalar(element);
                }
                return out;
            }
            case STRING -> {
                String[] out = new String[count];
                for (int i = 0; i < count; i++) {
                    out[i] = string("element " + i);
                }
                return out;
            }
            default -> {
                long[] out = new long[count];
                for (int i = 0; i < count; i++) {
                    out[i] = (Long) scalar(element);
                }
                return out;
            }
        }
    }

    /** A count whose items take at least {@code minBytes} each: it must fit in the bytes left (and an int). */
    private void checkCount(String what, long count, int minBytes) {
        long left = size - pos;
        if (count < 0 || count > left / minBytes || count > Integer.MAX_VALUE - 8) {
            throw fail("expected a " + what + " that fits the " + left + " bytes left (at least " + minBytes
                    + " bytes each), found " + Long.toUnsignedString(count));
        }
    }

    private String string(String what) {
        long length = u64();
        if (length < 0 || length > size - pos || length > Integer.MAX_VALUE - 8) {
            throw fail("expected a " + what + " string of at most the " + (size - pos) + " bytes left, found length "
                    + Long.toUnsignedString(length));
        }
        return new String(bytes(length).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    private long u32() {
        return Integer.toUnsignedLong(bytes(4).get(U32, 0));
    }

    private long u64() {
        return bytes(8).get(U64, 0);
    }

    /** The next {@code n} bytes, after checking they are there. */
    private MemorySegment bytes(long n) {
        if (n > size - pos) {
            throw fail("expected " + n + " more bytes at offset " + pos + ", found the file ending at " + size
                    + " (truncated?)");
        }
        MemorySegment s = content.asSlice(pos, n);
        pos += n;
        return s;
    }

    private static long align(long offset, int alignment) {
        return (offset + alignment - 1) / alignment * alignment;
    }

    private GgufFormatException fail(String problem) {
        return new GgufFormatException(file + ": " + where + ": " + problem);
    }

    private String hex(long from, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(String.format("%02x", content.get(ValueLayout.JAVA_BYTE, from + i)));
        }
        return sb.toString();
    }

    static String quote(String s) {
        String shown = s.length() > MAX_QUOTED ? s.substring(0, MAX_QUOTED) + "…" : s;
        StringBuilder sb = new StringBuilder();
        shown.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", c));
            } else {
                sb.appendCodePoint(c);
            }
        });
        return sb.toString();
    }
}
