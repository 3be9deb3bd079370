package io.tttv2.integration.tokenizers.pipeline;

import io.tttv2.integration.tokenizers.json.JsonValue;
import io.tttv2.integration.tokenizers.pretokenizer.SplitPattern;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads a {@code pattern} of {@code tokenizer.json}: {@code {"String": "…"}} or {@code {"Regex": "…"}}. */
final class PatternReader {
    private PatternReader() {
    }

    static SplitPattern read(JsonValue pattern) {
        Map<String, JsonValue> members = pattern.members();
        if (members.size() == 1 && members.containsKey("String")) {
            return SplitPattern.literal(members.get("String").asString());
        }
        if (members.size() == 1 && members.containsKey("Regex")) {
            return SplitPattern.regex(compile(members.get("Regex")));
        }
        throw pattern.error("unsupported pattern " + members.keySet() + " (expected {\"String\": …} or {\"Regex\": …})");
    }

    /**
     * Compiles an Oniguruma regex (what HF uses) as a Java regex. The constructs tokenizer files use
     * ({@code \p{L}}, {@code (?i:…)}, {@code (?!…)}, possessive quantifiers) mean the same in both; Unicode
     * character classes make {@code \s} and {@code \w} Unicode-aware as they are in Oniguruma.
     */
    static Pattern compile(JsonValue regex) {
        try {
            return Pattern.compile(regex.asString(), Pattern.UNICODE_CHARACTER_CLASS);
        } catch (PatternSyntaxException e) {
            throw regex.error("invalid regex (" + e.getDescription() + " at index " + e.getIndex() + ")");
        }
    }
}
