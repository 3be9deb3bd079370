package io.tttv2.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A copy of a one-file checkpoint without its data section, for dry runs: config.json and model.safetensors cut
 * right after the header, optionally with one matrix's shape reversed (rows and columns swapped: the same byte
 * count, so the header stays consistent and only the plan's shape check can find it).
 */
final class HeaderOnlyCheckpoint {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HeaderOnlyCheckpoint() {
    }

    /** {@code source}'s config.json and safetensors header in {@code target}; {@code reversed} null for none. */
    static Path of(Path source, Path target, String reversed) throws Exception {
        Files.createDirectories(target);
        Files.copy(source.resolve("config.json"), target.resolve("config.json"));
        byte[] file = Files.readAllBytes(source.resolve("model.safetensors"));
        long n = ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        ObjectNode header = (ObjectNode) JSON.readTree(new String(file, 8, (int) n, StandardCharsets.UTF_8));
        if (reversed != null) {
            ArrayNode shape = (ArrayNode) header.get(reversed).get("shape");
            JsonNode rows = shape.get(0);
            shape.set(0, shape.get(1));
            shape.set(1, rows);
        }
        byte[] text = JSON.writeValueAsBytes(header);
        ByteBuffer out = ByteBuffer.allocate(8 + text.length).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(text.length).put(text);
        Files.write(target.resolve("model.safetensors"), out.array());
        return target;
    }
}
