package io.tttv2.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The fields two JSON documents differ in, by JSON pointer ({@code /modules/model.layers.0.mlp/config/matmulSplit}):
 * a leaf that changed, or a key or list element present on one side only. Objects are compared key by key (in
 * sorted order, so the result does not depend on how either was written), lists element by element.
 */
final class JsonDiff {

    /** One differing field; a side is null where the field is absent. */
    record Difference(String path, JsonNode a, JsonNode b) {
    }

    private JsonDiff() {
    }

    static List<Difference> of(JsonNode a, JsonNode b) {
        List<Difference> out = new ArrayList<>();
        walk("", a, b, out);
        return out;
    }

    private static void walk(String path, JsonNode a, JsonNode b, List<Difference> out) {
        if (a == null || b == null) {
            out.add(new Difference(path.isEmpty() ? "/" : path, a, b));
        } else if (a.isObject() && b.isObject()) {
            TreeSet<String> keys = new TreeSet<>();
            a.fieldNames().forEachRemaining(keys::add);
            b.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                walk(path + "/" + escape(k), a.get(k), b.get(k), out);
            }
        } else if (a.isArray() && b.isArray()) {
            int n = Math.max(a.size(), b.size());
            for (int i = 0; i < n; i++) {
                walk(path + "/" + i, a.get(i), b.get(i), out);
            }
        } else if (!a.equals(b)) {
            out.add(new Difference(path.isEmpty() ? "/" : path, a, b));
        }
    }

    /** RFC 6901: "~" as "~0", "/" as "~1". */
    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    static String text(JsonNode node) {
        return node == null ? "(absent)" : node.toString();
    }
}
