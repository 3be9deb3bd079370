package io.tttv2.cli.tune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tttv2.api.assembly.SpecializationKey;
import io.tttv2.cli.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A specialization table as {@code tttv2 tune} writes it: the entries already in the file, with those of the same
 * key replaced by the new ones, sorted by kind, candidate, version, fingerprint, shape bucket and device, every
 * entry's fields in one order, two-space indents — so a re-run changes only the lines of what changed, and the
 * diff can be reviewed.
 */
final class SpecializationFile {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final List<String> KEY_FIELDS = List.of("kind", "candidate", "candidateVersion", "fingerprint",
            "shapeBucket", "device");

    private SpecializationFile() {
    }

    /** One new entry: the key, the tuned knobs, and the medians that chose them. */
    record Entry(SpecializationKey key, Map<String, Integer> config, long defaultNanos, long tunedNanos) {

        ObjectNode json() {
            ObjectNode n = MAPPER.createObjectNode();
            n.put("kind", key.kind().id());
            n.put("candidate", key.candidate());
            n.put("candidateVersion", key.candidateVersion());
            n.put("fingerprint", key.fingerprint());
            n.put("shapeBucket", key.shapeBucket());
            n.put("device", key.device());
            ObjectNode c = n.putObject("config");
            new java.util.TreeMap<>(config).forEach((knob, v) -> {
                // the KV dtype by name and booleans as booleans, as assemblies spell them
                Object spelled = io.tttv2.api.modules.ModuleConfig.spell(knob, v);
                if (spelled instanceof String name) {
                    c.put(knob, name);
                } else if (spelled instanceof Boolean b) {
                    c.put(knob, b);
                } else {
                    c.put(knob, v);
                }
            });
            ObjectNode m = n.putObject("measured");
            m.put("defaultNs", defaultNanos);
            m.put("tunedNs", tunedNanos);
            return n;
        }
    }

    /** Merges {@code entries} into {@code file} (created if absent) and writes it. */
    static void write(Path file, List<Entry> entries) {
        List<JsonNode> all = new ArrayList<>();
        if (Files.isRegularFile(file)) {
            try {
                JsonNode root = MAPPER.readTree(file.toFile());
                if (root != null && root.get("entries") instanceof ArrayNode old) {
                    old.forEach(all::add);
                } else {
                    throw new UserError(file + ": key 'entries' expected a list of entries, found "
                            + (root == null ? "nothing" : root.getNodeType()) + "; not overwritten", 1, null);
                }
            } catch (IOException e) {
                throw new UserError(file + ": cannot be read (" + e.getMessage().lines().findFirst().orElse("") + "); not overwritten", 1, e);
            }
        }
        for (Entry e : entries) {
            ObjectNode n = e.json();
            all.removeIf(old -> sameKey(old, n));
            all.add(n);
        }
        all.sort(Comparator.comparing(SpecializationFile::sortKey));
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode list = root.putArray("entries");
        all.forEach(list::add);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, MAPPER.writeValueAsString(root) + "\n");
        } catch (IOException e) {
            throw new UserError(file + ": cannot be written (" + e.getMessage() + ")", 1, e);
        }
    }

    private static boolean sameKey(JsonNode a, JsonNode b) {
        return KEY_FIELDS.stream().allMatch(f -> a.path(f).asText().equals(b.path(f).asText()));
    }

    private static String sortKey(JsonNode n) {
        StringBuilder s = new StringBuilder();
        KEY_FIELDS.forEach(f -> s.append(n.path(f).asText()).append('\u0000'));
        return s.toString();
    }
}
