package io.tttv2.registry;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.assembly.AssemblyFormatException;
import io.tttv2.api.assembly.Requirement;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.candidate.Tier;
import io.tttv2.api.modules.ModuleConfig;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.osgi.framework.VersionRange;

/**
 * Reads an assembly descriptor (format in {@code io.tttv2.api.assembly.Assemblies}). Strict: an unknown
 * key, a kind that does not exist, a malformed range or tier is refused with one line naming the source,
 * the key, what was expected and what was found.
 */
final class AssemblyJson {

    private static final Set<String> TOP_KEYS = Set.of("model", "modules", "moduleConfig");
    private static final List<String> MODULE_KEYS = List.of("name", "version", "minimumTier", "variants", "dtypes", "config");
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    private AssemblyJson() {
    }

    static Assembly read(InputStream in, String source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(in);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            // Jackson names its source "[Source: REDACTED ...; line: 1, column: 12]": the file is named already
            String message = e.getOriginalMessage().replaceAll("\\[Source: .*?; line: (\\d+), column: (\\d+)\\]", "line $1, column $2");
            throw new AssemblyFormatException(source + ": not valid JSON: " + message.replaceAll("\\s+", " ")
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"), e);
        } catch (IOException e) {
            throw new AssemblyFormatException(source + ": cannot read: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw bad(source, "(top level)", "an object with \"modules\"", root == null ? "nothing" : type(root));
        }
        unknownKeys(source, root, TOP_KEYS, "", "model, modules, moduleConfig");
        String model = null;
        if (root.has("model")) {
            model = text(source, root.get("model"), "model");
        }
        Map<ModuleKind, Requirement> requirements = new EnumMap<>(ModuleKind.class);
        JsonNode modules = root.get("modules");
        if (modules == null) {
            throw bad(source, "modules", "an object of module kind → requirement", "nothing");
        }
        if (!modules.isObject()) {
            throw bad(source, "modules", "an object of module kind → requirement", type(modules));
        }
        for (Map.Entry<String, JsonNode> e : modules.properties()) {
            ModuleKind kind = kind(source, e.getKey());
            requirements.put(kind, requirement(source, kind, e.getValue()));
        }
        Map<String, Map<String, Integer>> moduleConfig = new TreeMap<>();
        JsonNode paths = root.get("moduleConfig");
        if (paths != null) {
            if (!paths.isObject()) {
                throw bad(source, "moduleConfig", "an object of module path → knobs", type(paths));
            }
            for (Map.Entry<String, JsonNode> e : paths.properties()) {
                moduleConfig.put(e.getKey(), knobs(source, e.getValue(), "moduleConfig." + e.getKey()));
            }
        }
        return new Assembly(model, requirements, moduleConfig);
    }

    /**
     * {"prefillChunk": 64, "kvDtype": "BF16", "fusedProjections": false, …}: knob names from ModuleConfig.KNOBS, each
     * value as the knob takes it (ModuleConfig.parse: integers, the KV dtype by name, booleans), held in ModuleConfig's
     * integer encoding.
     */
    static Map<String, Integer> knobs(String source, JsonNode node, String at) {
        if (node == null) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw bad(source, at, "an object of knob → value (" + String.join(", ", ModuleConfig.KNOBS) + ")", type(node));
        }
        Map<String, Integer> out = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!ModuleConfig.KNOBS.contains(e.getKey())) {
                throw bad(source, at + "." + e.getKey(), "a knob (" + String.join(", ", ModuleConfig.KNOBS) + ")", "an unknown knob");
            }
            JsonNode v = e.getValue();
            Object spelled = v.isTextual() ? v.asText() : v.isBoolean() ? (Object) v.asBoolean()
                    : v.isIntegralNumber() && v.canConvertToLong() ? (Object) v.asLong() : null;
            try {
                out.put(e.getKey(), ModuleConfig.parse(e.getKey(), spelled));
            } catch (IllegalArgumentException ex) {
                String expected = ex.getMessage().replaceFirst("^knob '[^']*' expected (.*), found .*$", "$1");
                throw bad(source, at + "." + e.getKey(), expected, type(v));
            }
        }
        return out;
    }

    private static ModuleKind kind(String source, String id) {
        try {
            return ModuleKind.of(id);
        } catch (IllegalArgumentException e) {
            throw bad(source, "modules." + id, "a module kind (" + Arrays.stream(ModuleKind.values()).map(ModuleKind::id)
                    .collect(Collectors.joining(", ")) + ")", id);
        }
    }

    private static Requirement requirement(String source, ModuleKind kind, JsonNode node) {
        String at = "modules." + kind.id();
        if (!node.isObject()) {
            throw bad(source, at, "an object with " + String.join(", ", MODULE_KEYS) + " (all optional)", type(node));
        }
        unknownKeys(source, node, Set.copyOf(MODULE_KEYS), at + ".", String.join(", ", MODULE_KEYS));
        String name = node.has("name") ? text(source, node.get("name"), at + ".name") : null;
        if (name != null && !name.matches("[a-z0-9][a-z0-9._-]*/" + Pattern.quote(kind.id()) + "/[a-z0-9][a-z0-9._/-]*")) {
            throw bad(source, at + ".name", "a candidate name of kind " + kind.id() + " (owner/" + kind.id() + "/name)", name);
        }
        String range = node.has("version") ? text(source, node.get("version"), at + ".version") : null;
        if (range != null) {
            try {
                new VersionRange(range);
            } catch (IllegalArgumentException e) {
                throw bad(source, at + ".version", "an OSGi version range such as [1.0,2)", "'" + range + "'");
            }
        }
        Tier tier = null;
        if (node.has("minimumTier")) {
            String id = text(source, node.get("minimumTier"), at + ".minimumTier");
            try {
                tier = Tier.of(id);
            } catch (IllegalArgumentException e) {
                throw bad(source, at + ".minimumTier", "one of core, contrib, community, experimental", id);
            }
        }
        return new Requirement(name, range, tier, strings(source, node.get("variants"), at + ".variants"),
                strings(source, node.get("dtypes"), at + ".dtypes"), knobs(source, node.get("config"), at + ".config"));
    }

    private static void unknownKeys(String source, JsonNode node, Set<String> known, String prefix, String expected) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                throw bad(source, prefix + key, "a known key (" + expected + ")", "an unknown key");
            }
        }
    }

    private static String text(String source, JsonNode node, String key) {
        if (!node.isTextual() || node.asText().isBlank()) {
            throw bad(source, key, "a non-empty string", type(node));
        }
        return node.asText().trim();
    }

    private static List<String> strings(String source, JsonNode node, String key) {
        if (node == null) {
            return List.of();
        }
        if (!node.isArray()) {
            throw bad(source, key, "a list of strings", type(node));
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : node) {
            out.add(text(source, item, key + "[" + out.size() + "]"));
        }
        return out;
    }

    private static String type(JsonNode node) {
        return switch (node.getNodeType()) {
            case OBJECT -> "an object";
            case ARRAY -> "a list";
            case STRING -> "\"" + node.asText() + "\"";
            case NULL -> "null";
            default -> node.toString();
        };
    }

    private static AssemblyFormatException bad(String source, String key, String expected, String found) {
        return new AssemblyFormatException(source + ": key '" + printable(key) + "' expected " + expected + ", found "
                + printable(found));
    }

    /** Control characters from the file escaped as JSON writes them, so a message stays one line. */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            out.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }
}
