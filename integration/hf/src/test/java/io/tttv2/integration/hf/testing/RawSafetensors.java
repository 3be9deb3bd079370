package io.tttv2.integration.hf.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An independent, deliberately naive safetensors decoder for tests: reads the whole file into a byte array,
 * parses the header with plain Jackson, and decodes values by hand from bytes. It shares no code with the
 * reader under test, so agreement between the two means something.
 */
public final class RawSafetensors {
    public record Raw(String dtype, long[] shape, int begin, int end) {
    }

    private final byte[] bytes;
    private final int dataStart;
    public final Map<String, Raw> tensors = new LinkedHashMap<>();

    public RawSafetensors(Path file) {
        try {
            bytes = Files.readAllBytes(file);
            long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            dataStart = 8 + (int) n;
            JsonNode header = new ObjectMapper().readTree(new String(bytes, 8, (int) n, StandardCharsets.UTF_8));
            header.properties().forEach(e -> {
                if (!e.getKey().equals("__metadata__")) {
                    JsonNode t = e.getValue();
                    long[] shape = new long[t.get("shape").size()];
                    for (int i = 0; i < shape.length; i++) {
                        shape[i] = t.get("shape").get(i).longValue();
                    }
                    tensors.put(e.getKey(), new Raw(t.get("dtype").textValue(), shape,
                            t.get("data_offsets").get(0).intValue(), t.get("data_offsets").get(1).intValue()));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public byte[] bytes(String name) {
        Raw t = tensors.get(name);
        return Arrays.copyOfRange(bytes, dataStart + t.begin(), dataStart + t.end());
    }

    /** Element i of an F32, BF16 or F16 tensor, decoded bit by bit. */
    public float floatAt(String name, int i) {
        Raw t = tensors.get(name);
        int at = dataStart + t.begin();
        return switch (t.dtype()) {
            case "F32" -> Float.intBitsToFloat(u8(at + 4 * i) | u8(at + 4 * i + 1) << 8
                    | u8(at + 4 * i + 2) << 16 | u8(at + 4 * i + 3) << 24);
            // bfloat16: sign, 8 exponent bits, 7 mantissa bits: the top 16 bits of a float32
            case "BF16" -> Float.intBitsToFloat((u8(at + 2 * i) | u8(at + 2 * i + 1) << 8) << 16);
            case "F16" -> halfToFloat(u8(at + 2 * i) | u8(at + 2 * i + 1) << 8);
            default -> throw new IllegalArgumentException(t.dtype());
        };
    }

    /** Element i of an I64 tensor. */
    public long longAt(String name, int i) {
        int at = dataStart + tensors.get(name).begin() + 8 * i;
        long v = 0;
        for (int b = 7; b >= 0; b--) {
            v = v << 8 | u8(at + b);
        }
        return v;
    }

    private int u8(int at) {
        return bytes[at] & 0xff;
    }

    /** IEEE half precision by its definition: (-1)^s · 2^(e−15) · 1.m, subnormals 2^−14 · 0.m. */
    public static float halfToFloat(int h) {
        int sign = (h >> 15) & 1;
        int exponent = (h >> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        double magnitude;
        if (exponent == 0) {
            magnitude = Math.pow(2, -14) * (mantissa / 1024.0);
        } else if (exponent == 31) {
            magnitude = mantissa == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else {
            magnitude = Math.pow(2, exponent - 15) * (1 + mantissa / 1024.0);
        }
        return (float) (sign == 1 ? -magnitude : magnitude);
    }
}
