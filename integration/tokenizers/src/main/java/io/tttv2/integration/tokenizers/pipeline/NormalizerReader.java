package io.tttv2.integration.tokenizers.pipeline;

import io.tttv2.integration.tokenizers.json.JsonValue;
import io.tttv2.integration.tokenizers.normalizer.BertNormalizer;
import io.tttv2.integration.tokenizers.normalizer.Lowercase;
import io.tttv2.integration.tokenizers.normalizer.Normalizer;
import io.tttv2.integration.tokenizers.normalizer.NormalizerSequence;
import io.tttv2.integration.tokenizers.normalizer.Prepend;
import io.tttv2.integration.tokenizers.normalizer.Replace;
import io.tttv2.integration.tokenizers.normalizer.Strip;
import io.tttv2.integration.tokenizers.normalizer.StripAccents;
import io.tttv2.integration.tokenizers.normalizer.UnicodeNormalization;
import java.text.Normalizer.Form;

/** Reads {@code normalizer} of {@code tokenizer.json}. */
final class NormalizerReader {
    static final String SUPPORTED =
            "NFC, NFD, NFKC, NFKD, Lowercase, StripAccents, Prepend, Replace, BertNormalizer, Strip, Sequence";

    private NormalizerReader() {
    }

    /** The normalizer, or null when the value is null. */
    static Normalizer read(JsonValue json) {
        if (json.isNull()) {
            return null;
        }
        String type = json.type();
        return switch (type) {
            case "NFC" -> new UnicodeNormalization(Form.NFC);
            case "NFD" -> new UnicodeNormalization(Form.NFD);
            case "NFKC" -> new UnicodeNormalization(Form.NFKC);
            case "NFKD" -> new UnicodeNormalization(Form.NFKD);
            case "Lowercase" -> new Lowercase();
            case "StripAccents" -> new StripAccents();
            case "Prepend" -> new Prepend(json.string("prepend"));
            case "Replace" -> new Replace(PatternReader.read(json.required("pattern")), json.string("content"));
            case "Strip" -> new Strip(json.bool("strip_left", true), json.bool("strip_right", true));
            case "BertNormalizer" -> {
                boolean lowercase = json.bool("lowercase", true);
                yield new BertNormalizer(json.bool("clean_text", true), json.bool("handle_chinese_chars", true),
                        json.bool("strip_accents", lowercase), lowercase);
            }
            case "Sequence" -> new NormalizerSequence(
                    json.required("normalizers").elements().stream().map(NormalizerReader::read).toList());
            default -> throw json.unsupported("normalizer", type, SUPPORTED);
        };
    }
}
