package io.tttv2.integration.hf.safetensors;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code model.safetensors.index.json}: which shard file holds each tensor ({@code weight_map}). The shard
 * names must be plain file names in the checkpoint directory (an index cannot point outside it), and a
 * tensor name appears once (a repeated JSON key is an error, not "the last one wins").
 *
 * @param weightMap tensor name → shard file name, in the order of the index
 */
record ShardIndex(Map<String, String> weightMap) {
    static final String FILE_NAME = "model.safetensors.index.json";
    /** The largest index read (README, "Limits"): a few hundred kilobytes for the largest checkpoints. */
    static final int MAX_FILE_BYTES = 64 << 20;

    static ShardIndex read(Path indexFile) {
        JsonNode root;
        try {
            byte[] bytes;
            try (InputStream in = Files.newInputStream(indexFile)) {
                bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            }
            if (bytes.length > MAX_FILE_BYTES) {
                throw error(indexFile, "expected at most " + (MAX_FILE_BYTES >> 20) + " MiB of JSON, found a larger file");
            }
            root = SafetensorsHeader.JSON.readTree(bytes);
        } catch (JacksonException e) {
            throw error(indexFile, "expected a JSON object, found invalid JSON (" + SafetensorsHeader.jsonProblem(e) + ")");
        } catch (IOException e) {
            throw error(indexFile, "cannot be read (" + SafetensorsFile.describe(e) + ")");
        }
        if (root == null || !root.isObject()) {
            throw error(indexFile, "expected a JSON object, found "
                    + (root == null ? "nothing" : SafetensorsHeader.describe(root)));
        }
        JsonNode map = root.get("weight_map");
        if (map == null) {
            throw error(indexFile, "missing required key 'weight_map'");
        }
        if (!map.isObject()) {
            throw error(indexFile, "key 'weight_map' expected an object of tensor name → shard file, found "
                    + SafetensorsHeader.describe(map));
        }
        Map<String, String> weightMap = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            String tensor = "tensor '" + OneLine.quote(e.getKey()) + "'";
            JsonNode shard = e.getValue();
            if (!shard.isTextual() || !isPlainFileName(shard.textValue())) {
                throw error(indexFile, "weight_map " + tensor + " expected a shard file name in "
                        + parentOf(indexFile) + ", found " + SafetensorsHeader.describe(shard));
            }
            weightMap.put(e.getKey(), shard.textValue());
        }
        return new ShardIndex(Collections.unmodifiableMap(weightMap));
    }

    private static boolean isPlainFileName(String name) {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0
                || name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0) {
            return false;
        }
        try {
            return Path.of(name).getNameCount() == 1;
        } catch (InvalidPathException e) {
            return false;
        }
    }

    private static Path parentOf(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? file : parent;
    }

    private static CheckpointFormatException error(Path indexFile, String message) {
        return new CheckpointFormatException(indexFile + ": " + message);
    }
}
