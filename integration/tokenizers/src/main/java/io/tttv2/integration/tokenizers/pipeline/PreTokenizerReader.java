package io.tttv2.integration.tokenizers.pipeline;

import io.tttv2.integration.tokenizers.json.JsonValue;
import io.tttv2.integration.tokenizers.pretokenizer.ByteLevelPreTokenizer;
import io.tttv2.integration.tokenizers.pretokenizer.CharClassSplit;
import io.tttv2.integration.tokenizers.pretokenizer.Metaspace;
import io.tttv2.integration.tokenizers.pretokenizer.PreTokenizer;
import io.tttv2.integration.tokenizers.pretokenizer.PreTokenizerSequence;
import io.tttv2.integration.tokenizers.pretokenizer.Split;
import io.tttv2.integration.tokenizers.pretokenizer.SplitBehavior;

/** Reads {@code pre_tokenizer} of {@code tokenizer.json}. */
final class PreTokenizerReader {
    static final String SUPPORTED = "ByteLevel, Split, Metaspace, Whitespace, WhitespaceSplit, BertPreTokenizer, "
            + "Digits, Punctuation, Sequence";

    private PreTokenizerReader() {
    }

    /** The pre-tokenizer, or null when the value is null. */
    static PreTokenizer read(JsonValue json) {
        if (json.isNull()) {
            return null;
        }
        String type = json.type();
        return switch (type) {
            case "ByteLevel" -> new ByteLevelPreTokenizer(json.bool("add_prefix_space", true),
                    json.bool("use_regex", true));
            case "Split" -> new Split(PatternReader.read(json.required("pattern")),
                    behavior(json.required("behavior")), json.bool("invert", false));
            case "Metaspace" -> metaspace(json);
            case "Whitespace" -> CharClassSplit.whitespace();
            case "WhitespaceSplit" -> CharClassSplit.whitespaceSplit();
            case "BertPreTokenizer" -> CharClassSplit.bert();
            case "Digits" -> CharClassSplit.digits(json.bool("individual_digits", false));
            case "Punctuation" -> CharClassSplit.punctuation(
                    json.has("behavior") ? behavior(json.get("behavior")) : SplitBehavior.ISOLATED);
            case "Sequence" -> new PreTokenizerSequence(
                    json.required("pretokenizers").elements().stream().map(PreTokenizerReader::read).toList());
            default -> throw json.unsupported("pre-tokenizer", type, SUPPORTED);
        };
    }

    static SplitBehavior behavior(JsonValue json) {
        SplitBehavior behavior = SplitBehavior.fromJson(json.asString());
        if (behavior == null) {
            throw json.error("unsupported behavior '" + json.asString()
                    + "' (expected Removed, Isolated, MergedWithPrevious, MergedWithNext or Contiguous)");
        }
        return behavior;
    }

    private static Metaspace metaspace(JsonValue json) {
        return new Metaspace(replacement(json), prependScheme(json), json.bool("split", true));
    }

    /** The single replacement character (▁ by default). */
    static int replacement(JsonValue json) {
        String replacement = json.string("replacement", "\u2581");
        if (replacement.codePointCount(0, replacement.length()) != 1) {
            throw json.get("replacement").error("must be one character, found '" + replacement + "'");
        }
        return replacement.codePointAt(0);
    }

    /** {@code prepend_scheme}, or the older {@code add_prefix_space} (true → always, false → never). */
    static Metaspace.PrependScheme prependScheme(JsonValue json) {
        if (json.has("prepend_scheme")) {
            Metaspace.PrependScheme scheme = Metaspace.PrependScheme.fromJson(json.string("prepend_scheme"));
            if (scheme == null) {
                throw json.get("prepend_scheme").error("unsupported value '" + json.string("prepend_scheme")
                        + "' (expected always, first or never)");
            }
            return scheme;
        }
        return json.bool("add_prefix_space", true) ? Metaspace.PrependScheme.ALWAYS : Metaspace.PrependScheme.NEVER;
    }
}
