package io.tttv2.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tttv2.api.assembly.AssemblyFormatException;
import io.tttv2.api.assembly.SpecializationKey;
import io.tttv2.api.candidate.ModuleKind;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One specialization table (reviewed JSON, written by {@code tttv2 tune}):
 *
 * <pre>
 * {"entries": [{"kind": "mlp", "candidate": "tttv2/mlp/gated", "candidateVersion": "1.0.0",
 *               "fingerprint": "4f1c0e…", "shapeBucket": "ctx&lt;=256", "device": "cpu/2",
 *               "config": {"matmulSplit": 2, "prefillChunk": 128},
 *               "measured": {"defaultNs": 81234, "tunedNs": 70211}}]}
 * </pre>
 *
 * A table that is not such an object is refused whole; an entry that is malformed or names an unknown kind is
 * skipped; each is one line naming the source and the entry ({@link #problems()}). {@code measured} is the
 * evidence a reviewer reads, not part of the key.
 *
 * @param source   names the table in messages, e.g. {@code io.tttv2.core.impl!/specializations.json}
 * @param entries  the well-formed entries
 * @param problems one line per skipped entry (or for the whole table)
 */
record SpecializationTable(String source, List<Entry> entries, List<String> problems) {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> KEYS = Set.of("kind", "candidate", "candidateVersion", "fingerprint", "shapeBucket",
            "device", "config", "measured");

    /** One tuned configuration. */
    record Entry(SpecializationKey key, Map<String, Integer> config, int index) {
    }

    static SpecializationTable read(InputStream in, String source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(in);
        } catch (JsonProcessingException e) {
            return refused(source, "expected a JSON object with \"entries\", found invalid JSON ("
                    + e.getOriginalMessage().replaceAll("\\s+", " ") + ")");
        } catch (IOException e) {
            return refused(source, "cannot be read (" + e.getMessage() + ")");
        }
        if (root == null || !root.isObject() || !root.has("entries") || !root.get("entries").isArray()) {
            return refused(source, "key 'entries' expected a list of entries, found "
                    + (root == null ? "nothing" : root.isObject() ? describe(root.get("entries")) : describe(root)));
        }
        List<Entry> entries = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int i = 0;
        for (JsonNode node : root.get("entries")) {
            try {
                entries.add(entry(source, node, i));
            } catch (AssemblyFormatException e) {
                problems.add(e.getMessage() + "; entry ignored, defaults used");
            }
            i++;
        }
        return new SpecializationTable(source, List.copyOf(entries), List.copyOf(problems));
    }

    private static SpecializationTable refused(String source, String why) {
        return new SpecializationTable(source, List.of(), List.of(source + ": " + why + "; table ignored, defaults used"));
    }

    private static Entry entry(String source, JsonNode node, int i) {
        String at = "entries[" + i + "]";
        if (!node.isObject()) {
            throw new AssemblyFormatException(source + ": " + at + " expected an object, found " + describe(node));
        }
        for (var it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw new AssemblyFormatException(source + ": " + at + "." + key + " expected a known key ("
                        + String.join(", ", KEYS.stream().sorted().toList()) + "), found an unknown key");
            }
        }
        String kindId = text(source, node, at, "kind");
        ModuleKind kind;
        try {
            kind = ModuleKind.of(kindId);
        } catch (IllegalArgumentException e) {
            throw new AssemblyFormatException(source + ": " + at + ".kind expected a module kind, found unknown kind '"
                    + kindId + "'");
        }
        SpecializationKey key = new SpecializationKey(kind, text(source, node, at, "candidate"),
                text(source, node, at, "candidateVersion"), text(source, node, at, "fingerprint"),
                text(source, node, at, "shapeBucket"), text(source, node, at, "device"));
        Map<String, Integer> config = AssemblyJson.knobs(source, node.get("config"), at + ".config");
        if (config.isEmpty()) {
            throw new AssemblyFormatException(source + ": " + at + ".config expected at least one knob, found "
                    + describe(node.get("config")));
        }
        return new Entry(key, config, i);
    }

    private static String text(String source, JsonNode node, String at, String key) {
        JsonNode v = node.get(key);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new AssemblyFormatException(source + ": " + at + "." + key + " expected a non-empty string, found "
                    + describe(v));
        }
        return v.asText();
    }

    private static String describe(JsonNode node) {
        if (node == null) {
            return "nothing";
        }
        String text = node.toString();
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }
}
