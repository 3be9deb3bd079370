package io.tttv2.integration.hf.safetensors;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Parses and validates a safetensors header with the rules of HuggingFace's reader
 * ({@code safetensors::SafeTensors::read_metadata} and {@code Metadata::validate}):
 * <ul>
 *   <li>an 8-byte little-endian header length N, at most 100,000,000, and at most the file size - 8;</li>
 *   <li>N bytes of UTF-8 JSON holding one object (trailing spaces are the writer's alignment padding);</li>
 *   <li>an optional {@code __metadata__} object of string → string;</li>
 *   <li>every other key a tensor {@code {"dtype", "shape", "data_offsets": [begin, end]}} with a known dtype,
 *       non-negative dimensions and {@code end − begin == product(shape) × dtype size} (exact arithmetic);</li>
 *   <li>sorted by offsets, the tensors tile the data area: the first begins at 0, each begins where the
 *       previous one ended, and the last ends at the end of the file.</li>
 * </ul>
 * Beyond HuggingFace, a key repeated in the JSON is an error (serde silently keeps the last one).
 */
final class SafetensorsHeader {
    /** HuggingFace's {@code MAX_HEADER_SIZE}. */
    static final long MAX_HEADER_LENGTH = 100_000_000L;
    static final String METADATA_KEY = "__metadata__";

    private static final int LENGTH_PREFIX = 8;
    /** Strict JSON: a repeated key or anything after the value is an error. */
    static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final String file;
    /** N, the header's length in bytes; the data area starts at 8 + N. */
    final long headerLength;
    /** Bytes after the header: where the tensors live. */
    final long dataLength;
    final Map<String, String> metadata;
    /** In data order (by offsets). */
    final List<TensorSlot> tensors;

    private SafetensorsHeader(String file, long headerLength, long dataLength, Map<String, String> metadata,
                              List<TensorSlot> tensors) {
        this.file = file;
        this.headerLength = headerLength;
        this.dataLength = dataLength;
        this.metadata = metadata;
        this.tensors = tensors;
    }

    long dataStart() {
        return LENGTH_PREFIX + headerLength;
    }

    /** Reads only the length prefix and the header bytes of {@code content} (the whole file). */
    static SafetensorsHeader parse(String file, MemorySegment content) {
        return parse(file, content, false);
    }

    /**
     * headerOnly: {@code content} holds the length prefix and the header, not the data; the data area is taken to
     * be as long as the tensors say (their tiling without gaps or overlaps is still checked), so a file whose
     * data section is absent or truncated is read as its header describes it.
     */
    static SafetensorsHeader parse(String file, MemorySegment content, boolean headerOnly) {
        long fileSize = content.byteSize();
        if (fileSize < LENGTH_PREFIX) {
            throw error(file, "header expected an 8-byte length prefix, found a file of " + fileSize + " bytes");
        }
        long n = content.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
        // n is unsigned: a negative long is a length of 2^63 or more
        if (n < 0 || n > MAX_HEADER_LENGTH) {
            throw error(file, "header length expected at most " + MAX_HEADER_LENGTH + " bytes, found "
                    + Long.toUnsignedString(n));
        }
        if (n > fileSize - LENGTH_PREFIX) {
            throw error(file, "header length expected at most " + (fileSize - LENGTH_PREFIX) + " bytes (file size "
                    + fileSize + " - 8), found " + n + " (file truncated?)");
        }
        byte[] bytes = content.asSlice(LENGTH_PREFIX, n).toArray(ValueLayout.JAVA_BYTE);
        JsonNode root = readJson(file, decodeUtf8(file, bytes));
        if (!root.isObject()) {
            throw error(file, "header expected a JSON object, found " + describe(root));
        }
        long dataLength = fileSize - LENGTH_PREFIX - n;
        Map<String, String> metadata = Map.of();
        List<TensorSlot> slots = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (field.getKey().equals(METADATA_KEY)) {
                metadata = readMetadata(file, field.getValue());
            } else {
                slots.add(readTensor(file, field.getKey(), field.getValue()));
            }
        }
        // HuggingFace sorts by (begin, end) before checking that the tensors tile the data area
        slots.sort(Comparator.comparingLong(TensorSlot::begin).thenComparingLong(TensorSlot::end));
        if (headerOnly) {
            dataLength = slots.stream().mapToLong(TensorSlot::end).max().orElse(0);
        }
        checkTiling(file, slots, dataLength);
        return new SafetensorsHeader(file, n, dataLength, metadata, List.copyOf(slots));
    }

    private static String decodeUtf8(String file, byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw error(file, "header expected UTF-8 text, found an invalid byte sequence at header byte "
                    + in.position());
        }
        return out.flip().toString();
    }

    private static JsonNode readJson(String file, String text) {
        try {
            JsonNode root = JSON.readTree(text);
            if (root == null || root.isMissingNode()) {
                throw error(file, "header expected a JSON object, found no JSON value");
            }
            return root;
        } catch (JacksonException e) {
            throw error(file, "header expected a JSON object, found invalid JSON (" + jsonProblem(e) + ")");
        }
    }

    /** Jackson's own message without its multi-line source excerpt, plus where it happened. */
    static String jsonProblem(JacksonException e) {
        String message = e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
        message = OneLine.quote(OneLine.of(String.valueOf(message)));
        JsonLocation at = e.getLocation();
        if (at != null && at.getLineNr() > 0) {
            message += " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        }
        return message;
    }

    private static Map<String, String> readMetadata(String file, JsonNode node) {
        if (node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw error(file, "header '" + METADATA_KEY + "' expected an object of strings, found " + describe(node));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isTextual()) {
                throw error(file, "header '" + METADATA_KEY + "' key '" + OneLine.quote(e.getKey())
                        + "' expected a string, found " + describe(e.getValue()));
            }
            metadata.put(e.getKey(), e.getValue().textValue());
        }
        return Collections.unmodifiableMap(metadata);
    }

    private static TensorSlot readTensor(String file, String name, JsonNode node) {
        String tensor = "tensor '" + OneLine.quote(name) + "'";
        if (!node.isObject()) {
            throw error(file, tensor + " expected an object with dtype, shape and data_offsets, found " + describe(node));
        }
        JsonNode dtypeNode = required(file, tensor, node, "dtype");
        Dtype dtype = (dtypeNode.isTextual() ? Dtype.fromHeaderName(dtypeNode.textValue()) : Optional.<Dtype>empty())
                .orElseThrow(() -> error(file, tensor + " dtype expected one of " + Dtype.knownNames() + ", found "
                        + describe(dtypeNode)));

        JsonNode shapeNode = required(file, tensor, node, "shape");
        if (!shapeNode.isArray()) {
            throw error(file, tensor + " shape expected an array of non-negative integers, found " + describe(shapeNode));
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = nonNegativeLong(shapeNode.get(i)).orElseThrow(() -> error(file,
                    tensor + " shape expected an array of non-negative integers, found " + describe(shapeNode)));
        }

        JsonNode offsetsNode = required(file, tensor, node, "data_offsets");
        String offsetsExpected = " data_offsets expected [begin, end] of non-negative integers, found ";
        if (!offsetsNode.isArray() || offsetsNode.size() != 2) {
            throw error(file, tensor + offsetsExpected + describe(offsetsNode));
        }
        long begin = nonNegativeLong(offsetsNode.get(0))
                .orElseThrow(() -> error(file, tensor + offsetsExpected + describe(offsetsNode)));
        long end = nonNegativeLong(offsetsNode.get(1))
                .orElseThrow(() -> error(file, tensor + offsetsExpected + describe(offsetsNode)));
        String offsets = "[" + begin + ", " + end + "]";
        if (begin > end) {
            throw error(file, tensor + " data_offsets expected begin <= end, found " + offsets);
        }

        long expectedBytes;
        try {
            long elements = 1;
            for (long d : shape) {
                elements = Math.multiplyExact(elements, d);
            }
            expectedBytes = Math.multiplyExact(elements, (long) dtype.byteSize());
        } catch (ArithmeticException overflow) {
            throw error(file, tensor + " shape " + Arrays.toString(shape) + " of " + dtype
                    + " expected a byte size below 2^63, found one that overflows");
        }
        if (end - begin != expectedBytes) {
            throw error(file, tensor + " expected " + expectedBytes + " bytes for shape " + Arrays.toString(shape)
                    + " of " + dtype + ", found " + (end - begin) + " (data_offsets " + offsets + ")");
        }
        return new TensorSlot(name, dtype, shape, begin, end);
    }

    /** Tensors sorted by offsets must leave no gap, overlap nothing, and end exactly at the end of the file. */
    private static void checkTiling(String file, List<TensorSlot> sorted, long dataLength) {
        TensorSlot previous = null;
        for (TensorSlot t : sorted) {
            long expectedBegin = previous == null ? 0 : previous.end();
            String tensor = "tensor '" + OneLine.quote(t.name()) + "' data_offsets [" + t.begin() + ", " + t.end() + "]";
            if (t.begin() != expectedBegin) {
                String relation;
                if (previous == null) {
                    relation = " leave a gap of " + t.begin() + " bytes at the start of the data area";
                } else {
                    String before = "tensor '" + OneLine.quote(previous.name()) + "' [" + previous.begin() + ", "
                            + previous.end() + "]";
                    relation = t.begin() < expectedBegin ? " overlap " + before
                            : " leave a gap of " + (t.begin() - expectedBegin) + " bytes after " + before;
                }
                throw error(file, tensor + relation + ": expected begin " + expectedBegin + ", found " + t.begin());
            }
            if (t.end() > dataLength) {
                throw error(file, tensor + " expected to end within the data area of " + dataLength
                        + " bytes, found end " + t.end() + " (file truncated?)");
            }
            previous = t;
        }
        long covered = previous == null ? 0 : previous.end();
        if (covered != dataLength) {
            String why = previous == null ? "the header lists no tensors"
                    : "where tensor '" + OneLine.quote(previous.name()) + "' ends";
            throw error(file, "header data area expected " + covered + " bytes (" + why + "), found " + dataLength
                    + " bytes after the header");
        }
    }

    private static JsonNode required(String file, String tensor, JsonNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null) {
            throw error(file, tensor + " expected key '" + key + "', found none");
        }
        return value;
    }

    private static OptionalLong nonNegativeLong(JsonNode n) {
        if (n != null && n.isIntegralNumber() && n.canConvertToLong() && n.longValue() >= 0) {
            return OptionalLong.of(n.longValue());
        }
        return OptionalLong.empty();
    }

    /** A JSON value as it appeared, kept to one short line. */
    static String describe(JsonNode node) {
        if (node.isObject()) {
            return "an object " + OneLine.quote(node.toString());
        }
        if (node.isArray()) {
            return "an array " + OneLine.quote(node.toString());
        }
        return OneLine.quote(node.toString());
    }

    private static CheckpointFormatException error(String file, String message) {
        return new CheckpointFormatException(file + ": " + message);
    }
}
