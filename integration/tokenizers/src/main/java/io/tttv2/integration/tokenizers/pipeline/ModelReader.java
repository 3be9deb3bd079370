package io.tttv2.integration.tokenizers.pipeline;

import io.tttv2.integration.tokenizers.json.JsonValue;
import io.tttv2.integration.tokenizers.model.Bpe;
import io.tttv2.integration.tokenizers.model.MergeTable;
import io.tttv2.integration.tokenizers.model.Model;
import io.tttv2.integration.tokenizers.model.Vocabulary;
import io.tttv2.integration.tokenizers.model.WordPiece;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads {@code model} of {@code tokenizer.json}. */
final class ModelReader {
    static final String SUPPORTED = "BPE, WordPiece";

    private ModelReader() {
    }

    static Model read(JsonValue json) {
        if (json.isNull()) {
            throw json.error("is missing (expected a model object)");
        }
        // Older files omit "type" for BPE; HF then infers it from the presence of merges.
        String type = json.has("type") ? json.type() : json.has("merges") ? "BPE" : "";
        return switch (type) {
            case "BPE" -> bpe(json);
            case "WordPiece" -> new WordPiece(vocabulary(json.required("vocab")), json.string("unk_token", "[UNK]"),
                    json.string("continuing_subword_prefix", "##"), json.integer("max_input_chars_per_word", 100));
            default -> throw json.unsupported("model", type, SUPPORTED);
        };
    }

    private static Bpe bpe(JsonValue json) {
        Vocabulary vocabulary = vocabulary(json.required("vocab"));
        String prefix = json.string("continuing_subword_prefix", null);
        List<JsonValue> merges = json.has("merges") ? json.get("merges").elements() : List.of();
        MergeTable table = new MergeTable(merges.size());
        int prefixLength = prefix == null ? 0 : prefix.length();
        for (int rank = 0; rank < merges.size(); rank++) {
            JsonValue merge = merges.get(rank);
            String[] pair = pair(merge);
            int left = vocabulary.id(pair[0]);
            int right = vocabulary.id(pair[1]);
            String mergedToken = pair[0] + pair[1].substring(Math.min(prefixLength, pair[1].length()));
            int merged = vocabulary.id(mergedToken);
            if (left < 0 || right < 0 || merged < 0) {
                String missing = left < 0 ? pair[0] : right < 0 ? pair[1] : mergedToken;
                throw merge.error("merge uses '" + missing + "', which is not in model.vocab");
            }
            table.put(left, right, rank, merged);
        }
        return new Bpe(vocabulary, table, json.string("unk_token", null), prefix,
                json.string("end_of_word_suffix", null), json.bool("fuse_unk", false),
                json.bool("byte_fallback", false), json.bool("ignore_merges", false));
    }

    /** A merge: {@code ["a", "b"]}, or the older {@code "a b"}. */
    private static String[] pair(JsonValue merge) {
        if (merge.node().isArray()) {
            List<JsonValue> parts = merge.elements();
            if (parts.size() == 2) {
                return new String[] {parts.get(0).asString(), parts.get(1).asString()};
            }
        } else if (merge.node().isTextual()) {
            String[] parts = merge.asString().split(" ", -1);
            if (parts.length == 2) {
                return parts;
            }
        }
        throw merge.error("is not a merge (expected [\"left\", \"right\"] or \"left right\", found "
                + merge.node() + ")");
    }

    private static Vocabulary vocabulary(JsonValue vocab) {
        Map<String, Integer> ids = new LinkedHashMap<>();
        vocab.members().forEach((token, id) -> ids.put(token, id.asId()));
        return new Vocabulary(ids);
    }
}
