package io.tttv2.integration.tokenizers.gguf;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tttv2.integration.hf.gguf.GgufMetadata;
import io.tttv2.integration.tokenizers.TokenizerException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tokenizer.json that does what llama.cpp does with a GGUF file's {@code tokenizer.ggml.*}, so the one
 * tokenizer pipeline runs both. Two kinds:
 * <ul>
 * <li>{@code gpt2}: byte-level BPE — {@code tokens} are the vocabulary in byte-level characters, {@code merges}
 * ranked in order, the split regex chosen by {@code tokenizer.ggml.pre};</li>
 * <li>{@code llama}: SentencePiece BPE — spaces become {@code ▁} (with one prepended unless
 * {@code add_space_prefix} is false), then llama.cpp's merge loop: the adjacent pair whose concatenation is a
 * token with the highest {@code score} merges first, leftmost first among equals. That is BPE with merges ranked
 * by the merged token's score, which is how the merges are made here; bytes with no token fall back to
 * {@code <0xNN>}.</li>
 * </ul>
 * Tokens of type control (3) and user-defined (4) are added tokens, matched in the text before the model runs;
 * control tokens are special.
 */
final class GgufTokenizerJson {
    static final int NORMAL = 1;
    static final int UNKNOWN = 2;
    static final int CONTROL = 3;
    static final int USER_DEFINED = 4;
    static final int BYTE = 6;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private GgufTokenizerJson() {
    }

    static ObjectNode of(GgufMetadata m) {
        String model = m.optionalString("tokenizer.ggml.model").orElseThrow(() -> error(m, "tokenizer.ggml.model",
                "gpt2 or llama", "it missing (the file has no tokenizer)"));
        String[] tokens = m.optionalStrings("tokenizer.ggml.tokens").orElseThrow(() ->
                error(m, "tokenizer.ggml.tokens", "an array of strings", "it missing"));
        long[] types = m.optionalIntegers("tokenizer.ggml.token_type").orElse(null);
        if (types != null && types.length != tokens.length) {
            throw error(m, "tokenizer.ggml.token_type", tokens.length + " entries (one per token)",
                    String.valueOf(types.length));
        }
        boolean spm = switch (model) {
            case "gpt2" -> false;
            case "llama" -> true;
            default -> throw error(m, "tokenizer.ggml.model", "gpt2 or llama", "'" + model + "'");
        };
        ObjectNode root = JSON.objectNode();
        root.put("version", "1.0");
        ArrayNode added = root.putArray("added_tokens");
        for (int id = 0; id < tokens.length; id++) {
            int type = types == null ? NORMAL : (int) types[id];
            if (type == CONTROL || type == USER_DEFINED) {
                ObjectNode t = added.addObject();
                t.put("id", id);
                t.put("content", tokens[id]);
                t.put("single_word", false);
                t.put("lstrip", false);
                t.put("rstrip", false);
                t.put("normalized", false);
                t.put("special", type == CONTROL);
            }
        }
        boolean addBos = m.optionalBool("tokenizer.ggml.add_bos_token").orElse(spm || preName(m).equals("llama-bpe"));
        boolean addEos = m.optionalBool("tokenizer.ggml.add_eos_token").orElse(false);
        ObjectNode modelNode = root.putObject("model");
        modelNode.put("type", "BPE");
        ObjectNode vocab = modelNode.putObject("vocab");
        for (int id = 0; id < tokens.length; id++) {
            if (!vocab.has(tokens[id])) {
                vocab.put(tokens[id], id);
            }
        }
        if (spm) {
            llama(m, root, modelNode, tokens, types);
        } else {
            gpt2(m, root, modelNode);
        }
        root.set("post_processor", postProcessor(m, tokens, addBos, addEos));
        return root;
    }

    private static String preName(GgufMetadata m) {
        return m.optionalString("tokenizer.ggml.pre").orElse("default");
    }

    private static void gpt2(GgufMetadata m, ObjectNode root, ObjectNode model) {
        String pre = preName(m);
        GgufPreTokenizer preTokenizer = GgufPreTokenizer.ofGguf(pre).orElseThrow(() -> error(m, "tokenizer.ggml.pre",
                "one of " + GgufPreTokenizer.names(), "'" + pre + "'"));
        String[] merges = m.optionalStrings("tokenizer.ggml.merges").orElseThrow(() ->
                error(m, "tokenizer.ggml.merges", "an array of strings for a gpt2 tokenizer", "it missing"));
        ArrayNode list = model.putArray("merges");
        for (String merge : merges) {
            list.add(merge);
        }
        // llama.cpp looks a whole pre-token up in the vocabulary before merging for Llama 3, as HF's ignore_merges
        model.put("ignore_merges", preTokenizer == GgufPreTokenizer.LLAMA_BPE);
        root.putNull("normalizer");
        ObjectNode seq = root.putObject("pre_tokenizer");
        seq.put("type", "Sequence");
        ArrayNode parts = seq.putArray("pretokenizers");
        ObjectNode split = parts.addObject();
        split.put("type", "Split");
        split.putObject("pattern").put("Regex", preTokenizer.regex);
        split.put("behavior", "Isolated");
        split.put("invert", false);
        ObjectNode byteLevel = parts.addObject();
        byteLevel.put("type", "ByteLevel");
        byteLevel.put("add_prefix_space", false);
        byteLevel.put("use_regex", false);
        root.putObject("decoder").put("type", "ByteLevel");
    }

    private static void llama(GgufMetadata m, ObjectNode root, ObjectNode model, String[] tokens, long[] types) {
        float[] scores = m.optionalFloats("tokenizer.ggml.scores").orElseThrow(() ->
                error(m, "tokenizer.ggml.scores", "an array of FLOAT32 for a llama tokenizer", "it missing"));
        if (scores.length != tokens.length) {
            throw error(m, "tokenizer.ggml.scores", tokens.length + " entries (one per token)",
                    String.valueOf(scores.length));
        }
        model.put("byte_fallback", true);
        model.put("fuse_unk", true);
        for (int id = 0; id < tokens.length; id++) {
            if (types != null && types[id] == UNKNOWN) {
                model.put("unk_token", tokens[id]);
                break;
            }
        }
        ArrayNode list = model.putArray("merges");
        for (String[] pair : mergesByScore(tokens, types, scores)) {
            list.addArray().add(pair[0]).add(pair[1]);
        }
        boolean prefix = m.optionalBool("tokenizer.ggml.add_space_prefix").orElse(true);
        ObjectNode normalizer = root.putObject("normalizer");
        normalizer.put("type", "Sequence");
        ArrayNode norms = normalizer.putArray("normalizers");
        if (prefix) {
            norms.addObject().put("type", "Prepend").put("prepend", "▁");
        }
        ObjectNode replace = norms.addObject().put("type", "Replace");
        replace.putObject("pattern").put("String", " ");
        replace.put("content", "▁");
        root.putNull("pre_tokenizer");
        ObjectNode decoder = root.putObject("decoder");
        decoder.put("type", "Sequence");
        ArrayNode decoders = decoder.putArray("decoders");
        ObjectNode back = decoders.addObject().put("type", "Replace");
        back.putObject("pattern").put("String", "▁");
        back.put("content", " ");
        decoders.addObject().put("type", "ByteFallback");
        decoders.addObject().put("type", "Fuse");
        if (prefix) {
            decoders.addObject().put("type", "Strip").put("content", " ").put("start", 1).put("stop", 0);
        }
    }

    /**
     * Every split of a normal token into two tokens, ranked by the token's score (highest first; equal scores by
     * id, then by the left part's length) — the pairs llama.cpp's SentencePiece loop would merge, in its order.
     */
    static List<String[]> mergesByScore(String[] tokens, long[] types, float[] scores) {
        Map<String, Integer> ids = new HashMap<>();
        for (int id = 0; id < tokens.length; id++) {
            ids.putIfAbsent(tokens[id], id);
        }
        record Merge(String left, String right, int id, float score) {
        }
        List<Merge> merges = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int id = 0; id < tokens.length; id++) {
            int type = types == null ? NORMAL : (int) types[id];
            String t = tokens[id];
            if ((type != NORMAL && type != USER_DEFINED) || t.codePointCount(0, t.length()) < 2 || !seen.add(t)) {
                continue;
            }
            for (int cut = t.offsetByCodePoints(0, 1); cut < t.length(); cut = t.offsetByCodePoints(cut, 1)) {
                String left = t.substring(0, cut);
                String right = t.substring(cut);
                if (ids.containsKey(left) && ids.containsKey(right)) {
                    merges.add(new Merge(left, right, id, scores[id]));
                }
            }
        }
        merges.sort(Comparator.comparingDouble((Merge x) -> -x.score).thenComparingInt(Merge::id)
                .thenComparingInt(x -> x.left.length()));
        return merges.stream().map(x -> new String[] {x.left, x.right}).toList();
    }

    private static ObjectNode postProcessor(GgufMetadata m, String[] tokens, boolean addBos, boolean addEos) {
        ObjectNode p = JSON.objectNode();
        p.put("type", "TemplateProcessing");
        ArrayNode single = p.putArray("single");
        ArrayNode pair = p.putArray("pair");
        ObjectNode specials = p.putObject("special_tokens");
        String bos = addBos ? special(m, tokens, "tokenizer.ggml.bos_token_id", specials) : null;
        String eos = addEos ? special(m, tokens, "tokenizer.ggml.eos_token_id", specials) : null;
        // single: [bos] A [eos]; pair: [bos] A [eos] [bos] B [eos], B's of type 1
        wrap(single, bos, eos, "A", 0);
        wrap(pair, bos, eos, "A", 0);
        wrap(pair, bos, eos, "B", 1);
        return p;
    }

    private static void wrap(ArrayNode target, String bos, String eos, String sequence, int typeId) {
        if (bos != null) {
            target.addObject().putObject("SpecialToken").put("id", bos).put("type_id", typeId);
        }
        target.addObject().putObject("Sequence").put("id", sequence).put("type_id", typeId);
        if (eos != null) {
            target.addObject().putObject("SpecialToken").put("id", eos).put("type_id", typeId);
        }
    }

    private static String special(GgufMetadata m, String[] tokens, String key, ObjectNode specials) {
        int id = m.optionalCount(key).orElseThrow(() -> error(m, key, "a token id (the tokenizer adds it)",
                "it missing"));
        if (id >= tokens.length) {
            throw error(m, key, "an id below the " + tokens.length + " tokens", String.valueOf(id));
        }
        ObjectNode s = specials.putObject(tokens[id]);
        s.put("id", tokens[id]);
        s.putArray("ids").add(id);
        s.putArray("tokens").add(tokens[id]);
        return tokens[id];
    }

    static TokenizerException error(GgufMetadata m, String key, String expected, String found) {
        return new TokenizerException(m.file() + ": key '" + key + "' expected " + expected + ", found " + found);
    }
}
