package io.tttv2.integration.hf.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A JSON object read from a configuration file, with typed accessors whose errors name the file and the key.
 * Model bundles use it for the keys only their family has ({@code kv_lora_rank}, {@code n_routed_experts},
 * …): {@code config.json().requireInt("kv_lora_rank")}.
 *
 * <p>A key holding JSON {@code null} counts as absent for the {@code optional…} accessors (HuggingFace writes
 * {@code "head_dim": null} for "use the default"), and as the wrong type for the {@code require…} ones.
 * Nested objects ({@link #optionalObject}) report their keys with the path from the top:
 * {@code 'rope_parameters.factor'}.
 */
@ProviderType
public final class ConfigJson {
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    /**
     * The largest config file read (README, "Limits"): real ones are kilobytes; the bound keeps a huge file or
     * a device such as /dev/zero from filling the heap before the first key is seen.
     */
    static final int MAX_FILE_BYTES = 16 << 20;
    /** Longest value quoted in an error message. */
    private static final int MAX_QUOTED = 80;

    private final Path file;
    private final JsonNode node;
    /** "" at the top, "rope_parameters." inside that object. */
    private final String path;

    private ConfigJson(Path file, JsonNode node, String path) {
        this.file = file;
        this.node = node;
        this.path = path;
    }

    /**
     * Reads a JSON object from {@code file}.
     *
     * @throws ConfigFormatException if the file cannot be read, is not JSON, or holds something other than an object
     */
    public static ConfigJson read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(readAtMost(file, MAX_FILE_BYTES));
        } catch (JacksonException e) {
            throw new ConfigFormatException(file + ": expected a JSON object, found invalid JSON (" + problem(e) + ")", e);
        } catch (NoSuchFileException e) {
            throw new ConfigFormatException(file + ": cannot be read (no such file)", e);
        } catch (AccessDeniedException e) {
            throw new ConfigFormatException(file + ": cannot be read (permission denied)", e);
        } catch (IOException e) {
            throw new ConfigFormatException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
        if (root == null || root.isMissingNode()) {
            throw new ConfigFormatException(file + ": expected a JSON object, found an empty file");
        }
        if (!root.isObject()) {
            throw new ConfigFormatException(file + ": expected a JSON object, found " + quote(root));
        }
        return new ConfigJson(file, root, "");
    }

    private static byte[] readAtMost(Path file, int maxBytes) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw new ConfigFormatException(file + ": expected a JSON object of at most " + (maxBytes >> 20)
                        + " MiB, found a larger file");
            }
            return bytes;
        }
    }

    /** Wraps an already parsed object (e.g. from a test or another format), reporting errors against {@code file}. */
    public static ConfigJson of(Path file, JsonNode object) {
        if (!object.isObject()) {
            throw new ConfigFormatException(file + ": expected a JSON object, found " + quote(object));
        }
        return new ConfigJson(file, object, "");
    }

    private static String problem(JacksonException e) {
        String message = e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
        JsonLocation at = e.getLocation();
        String where = at != null && at.getLineNr() > 0 ? " at line " + at.getLineNr() + ", column " + at.getColumnNr() : "";
        return shorten(String.valueOf(message)) + where;
    }

    /** The file the object came from. */
    public Path file() {
        return file;
    }

    /** The raw JSON tree (read-only by convention: do not modify it). */
    public JsonNode raw() {
        return node;
    }

    /** True if the key is present with a non-null value. */
    public boolean has(String key) {
        JsonNode v = node.get(key);
        return v != null && !v.isNull();
    }

    /** True if the key is present at all, even as {@code null}. */
    public boolean hasKey(String key) {
        return node.has(key);
    }

    public int requireInt(String key) {
        return optionalInt(key).orElseThrow(() -> missingOrNull(key, "an integer"));
    }

    public Optional<Integer> optionalInt(String key) {
        JsonNode v = value(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!v.isIntegralNumber()) {
            throw wrongType(key, "an integer", v);
        }
        if (!v.canConvertToInt()) {
            throw wrongType(key, "an integer of at most 32 bits", v);
        }
        return Optional.of(v.intValue());
    }

    public double requireDouble(String key) {
        return optionalDouble(key).orElseThrow(() -> missingOrNull(key, "a number"));
    }

    public Optional<Double> optionalDouble(String key) {
        JsonNode v = value(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!v.isNumber()) {
            throw wrongType(key, "a number", v);
        }
        double d = v.doubleValue();
        if (!Double.isFinite(d)) {
            throw wrongType(key, "a finite number", v);
        }
        return Optional.of(d);
    }

    public boolean requireBoolean(String key) {
        return optionalBoolean(key).orElseThrow(() -> missingOrNull(key, "true or false"));
    }

    public Optional<Boolean> optionalBoolean(String key) {
        JsonNode v = value(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!v.isBoolean()) {
            throw wrongType(key, "true or false", v);
        }
        return Optional.of(v.booleanValue());
    }

    public String requireString(String key) {
        return optionalString(key).orElseThrow(() -> missingOrNull(key, "a string"));
    }

    public Optional<String> optionalString(String key) {
        JsonNode v = value(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw wrongType(key, "a string", v);
        }
        return Optional.of(v.textValue());
    }

    /** A list of strings; empty if the key is absent or null. */
    public List<String> stringList(String key) {
        JsonNode v = value(key);
        if (v == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (v.isArray()) {
            for (JsonNode e : v) {
                if (!e.isTextual()) {
                    throw wrongType(key, "a list of strings", v);
                }
                out.add(e.textValue());
            }
            return List.copyOf(out);
        }
        throw wrongType(key, "a list of strings", v);
    }

    /** A list of numbers; empty if the key is absent or null. */
    public List<Double> doubleList(String key) {
        JsonNode v = value(key);
        if (v == null) {
            return List.of();
        }
        List<Double> out = new ArrayList<>();
        if (v.isArray()) {
            for (JsonNode e : v) {
                if (!e.isNumber() || !Double.isFinite(e.doubleValue())) {
                    throw wrongType(key, "a list of numbers", v);
                }
                out.add(e.doubleValue());
            }
            return List.copyOf(out);
        }
        throw wrongType(key, "a list of numbers", v);
    }

    /**
     * An integer or a list of integers, as a list: HuggingFace's {@code eos_token_id} is either. Empty if the
     * key is absent or null.
     */
    public List<Integer> intOrIntList(String key) {
        JsonNode v = value(key);
        if (v == null) {
            return List.of();
        }
        if (v.isIntegralNumber() && v.canConvertToInt()) {
            return List.of(v.intValue());
        }
        if (v.isArray()) {
            List<Integer> out = new ArrayList<>();
            for (JsonNode e : v) {
                if (!e.isIntegralNumber() || !e.canConvertToInt()) {
                    throw wrongType(key, "an integer or a list of integers", v);
                }
                out.add(e.intValue());
            }
            return List.copyOf(out);
        }
        throw wrongType(key, "an integer or a list of integers", v);
    }

    /** A nested object, whose keys errors will name as {@code 'key.inner'}; empty if absent or null. */
    public Optional<ConfigJson> optionalObject(String key) {
        JsonNode v = value(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!v.isObject()) {
            throw wrongType(key, "an object", v);
        }
        return Optional.of(new ConfigJson(file, v, path + key + "."));
    }

    /** The keys of this object, in file order. */
    public List<String> keys() {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return List.copyOf(keys);
    }

    /** The key as errors name it: {@code 'rope_parameters.factor'}. */
    public String keyPath(String key) {
        return path + key;
    }

    /** An error about a key of this object, in the house format: {@code <file>: key 'k' <message>}. */
    public ConfigFormatException error(String key, String message) {
        return new ConfigFormatException(file + ": key '" + keyPath(key) + "' " + message);
    }

    /** {@code <file>: key 'k' expected <expected>, found <value as JSON>}. */
    public ConfigFormatException wrongType(String key, String expected, JsonNode found) {
        return error(key, "expected " + expected + ", found " + quote(found));
    }

    /** {@code <file>: missing required key 'k'}. */
    public ConfigFormatException missing(String key) {
        return new ConfigFormatException(file + ": missing required key '" + keyPath(key) + "'");
    }

    private ConfigFormatException missingOrNull(String key, String expected) {
        return node.has(key) ? wrongType(key, expected, node.get(key)) : missing(key);
    }

    private JsonNode value(String key) {
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? null : v;
    }

    /** A JSON value as it appears in the file ({@code "two"}, {@code 3.5}, {@code [1,2]}), kept short. */
    static String quote(JsonNode value) {
        return shorten(value.toString());
    }

    private static String shorten(String s) {
        String one = s.replaceAll("[\\r\\n\\t]+", " ");
        return one.length() <= MAX_QUOTED ? one : one.substring(0, MAX_QUOTED) + "…";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfigJson c && file.equals(c.file) && path.equals(c.path) && node.equals(c.node);
    }

    @Override
    public int hashCode() {
        return Objects.hash(file, path, node);
    }

    @Override
    public String toString() {
        return file + (path.isEmpty() ? "" : " " + path.substring(0, path.length() - 1));
    }
}
