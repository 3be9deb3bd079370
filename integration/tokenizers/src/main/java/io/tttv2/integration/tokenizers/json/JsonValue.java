package io.tttv2.integration.tokenizers.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.tttv2.integration.tokenizers.TokenizerException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node of a JSON file together with where it is ({@code file} and a JSON path such as
 * {@code pre_tokenizer.pretokenizers[1]}), so that every error names both.
 */
public record JsonValue(Path file, String path, JsonNode node) {

    public static JsonValue root(Path file, JsonNode node) {
        return new JsonValue(file, "", node);
    }

    /** Whether this value is absent or JSON null. */
    public boolean isNull() {
        return node == null || node.isNull() || node.isMissingNode();
    }

    public boolean has(String key) {
        return node != null && node.has(key) && !node.get(key).isNull();
    }

    /** The member {@code key} (possibly absent: check {@link #isNull()}). */
    public JsonValue get(String key) {
        return new JsonValue(file, path.isEmpty() ? key : path + "." + key, node == null ? null : node.get(key));
    }

    /** The member {@code key}, which must be present and not null. */
    public JsonValue required(String key) {
        JsonValue child = get(key);
        if (child.isNull()) {
            throw error(child.path, "is missing", "a value");
        }
        return child;
    }

    /** The {@code type} member, which every component of {@code tokenizer.json} carries. */
    public String type() {
        return required("type").asString();
    }

    public String asString() {
        if (node == null || !node.isTextual()) {
            throw error(path, "has the wrong type", "a string, found " + describe(node));
        }
        return node.asText();
    }

    public String string(String key) {
        return required(key).asString();
    }

    public String string(String key, String fallback) {
        return has(key) ? get(key).asString() : fallback;
    }

    public boolean bool(String key, boolean fallback) {
        if (!has(key)) {
            return fallback;
        }
        JsonValue child = get(key);
        if (!child.node.isBoolean()) {
            throw error(child.path, "has the wrong type", "a boolean, found " + describe(child.node));
        }
        return child.node.booleanValue();
    }

    public int integer(String key, int fallback) {
        return has(key) ? get(key).asInt() : fallback;
    }

    public int asInt() {
        if (node == null || !node.canConvertToInt() || !node.isIntegralNumber()) {
            throw error(path, "has the wrong type", "an integer, found " + describe(node));
        }
        return node.intValue();
    }

    /**
     * The largest token id accepted (README, "Limits"): above any released vocabulary; ids size arrays
     * (id → token), so an id of two billion would be an OutOfMemoryError instead of an error.
     */
    public static final int MAX_ID = (1 << 24) - 1;

    /** A token id: an integer in [0, {@link #MAX_ID}]. */
    public int asId() {
        int id = asInt();
        if (id < 0 || id > MAX_ID) {
            throw error(path, "is out of range", "a token id in [0, " + MAX_ID + "], found " + id);
        }
        return id;
    }

    /** The elements of this array. */
    public List<JsonValue> elements() {
        if (node == null || !node.isArray()) {
            throw error(path, "has the wrong type", "an array, found " + describe(node));
        }
        List<JsonValue> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            out.add(new JsonValue(file, path + "[" + i + "]", node.get(i)));
        }
        return out;
    }

    /** The members of this object, in file order. */
    public Map<String, JsonValue> members() {
        if (node == null || !node.isObject()) {
            throw error(path, "has the wrong type", "an object, found " + describe(node));
        }
        Map<String, JsonValue> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), new JsonValue(file, path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue()));
        }
        return out;
    }

    /** An error about this value: {@code file: path: problem (expected …)}. */
    public TokenizerException error(String problem) {
        return new TokenizerException(file + ": " + (path.isEmpty() ? "" : path + ": ") + problem);
    }

    /** The error for a component whose {@code type} this project does not implement. */
    public TokenizerException unsupported(String what, String type, String supported) {
        return new TokenizerException(file + ": " + path + ".type: unsupported " + what + " '" + type
                + "' (supported: " + supported + ")");
    }

    private TokenizerException error(String at, String problem, String expected) {
        return new TokenizerException(file + ": " + at + ": " + problem + " (expected " + expected + ")");
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        String text = node.toString();
        return node.getNodeType().name().toLowerCase() + " " + (text.length() > 40 ? text.substring(0, 40) + "…" : text);
    }
}
