package io.tttv2.integration.tokenizers.normalizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tttv2.integration.tokenizers.pretokenizer.SplitPattern;
import java.text.Normalizer.Form;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Normalizers with the semantics of HuggingFace's Rust implementation. */
class NormalizersTest {

    @Test
    void bertNormalizerCleansPadsCjkStripsAccentsAndLowercases() {
        BertNormalizer bert = new BertNormalizer(true, true, true, true);
        assertEquals("hello  中  文  x y", bert.normalize("Héllo\u200b 中文\tX\u00a0Y"));
        assertEquals("ab", bert.normalize("a\u0000\uFFFD\u0007b"));
        BertNormalizer keepCase = new BertNormalizer(false, false, false, false);
        assertEquals("Héllo\tX", keepCase.normalize("Héllo\tX"));
    }

    @Test
    void lowercaseIsPerCharacterWithoutTheFinalSigmaRule() {
        assertEquals("σασ", new Lowercase().normalize("ΣΑΣ"));
        assertEquals("i\u0307", new Lowercase().normalize("İ"));
    }

    @Test
    void unicodeFormsAndAccentStripping() {
        assertEquals("fi", new UnicodeNormalization(Form.NFKC).normalize("ﬁ"));
        assertEquals("cafe", new NormalizerSequence(List.of(new UnicodeNormalization(Form.NFD), new StripAccents()))
                .normalize("café"));
    }

    @Test
    void prependReplaceAndStrip() {
        assertEquals("▁hi", new Prepend("▁").normalize("hi"));
        assertEquals("", new Prepend("▁").normalize(""));
        assertEquals("a▁b▁▁c", new Replace(SplitPattern.literal(" "), "▁").normalize("a b  c"));
        assertEquals("a_b_c", new Replace(SplitPattern.regex(Pattern.compile(" {2,}")), "_").normalize("a  b   c"));
        assertEquals("x \u00a0y", new Strip(true, true).normalize("\u00a0 x \u00a0y\t\n"));
        assertEquals("x  ", new Strip(true, false).normalize("  x  "));
    }
}
