package io.tttv2.integration.tokenizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exact equality with every case of every {@code testdata/fixtures/tokenizers/* /cases.json}, produced by
 * HuggingFace tokenizers 0.23.2: ids with and without special tokens, tokens, decoded text, and decoded text
 * with special tokens skipped. Cases are discovered, not listed.
 */
class HuggingFaceCasesTest {

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (Path dir : Fixtures.fixtureDirs()) {
            String name = dir.getFileName().toString();
            JsonNode cases = Fixtures.cases(dir).get("cases");
            for (int i = 0; i < cases.size(); i++) {
                all.add(Arguments.of(name + " #" + i + " " + abbreviate(cases.get(i).get("text").asText()), name,
                        cases.get(i)));
            }
        }
        return all.stream();
    }

    private static String abbreviate(String text) {
        String shown = text.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
        return "'" + (shown.length() > 40 ? shown.substring(0, 40) + "…" : shown) + "'";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void idsWithSpecialTokens(String label, String fixture, JsonNode c) {
        Encoding encoding = Fixtures.tokenizer(fixture).encode(c.get("text").asText(), true);
        assertArrayEquals(Fixtures.ints(c.get("ids")), encoding.ids());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void idsWithoutSpecialTokens(String label, String fixture, JsonNode c) {
        Encoding encoding = Fixtures.tokenizer(fixture).encode(c.get("text").asText(), false);
        assertArrayEquals(Fixtures.ints(c.get("ids_no_special")), encoding.ids());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void tokens(String label, String fixture, JsonNode c) {
        Encoding encoding = Fixtures.tokenizer(fixture).encode(c.get("text").asText(), false);
        assertEquals(Fixtures.strings(c.get("tokens")), encoding.tokens());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decoded(String label, String fixture, JsonNode c) {
        assertEquals(c.get("decoded").asText(),
                Fixtures.tokenizer(fixture).decode(Fixtures.ints(c.get("ids_no_special")), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decodedSkippingSpecialTokens(String label, String fixture, JsonNode c) {
        Tokenizer tokenizer = Fixtures.tokenizer(fixture);
        String expected = c.get("decoded_skip_special").asText();
        assertEquals(expected, tokenizer.decode(Fixtures.ints(c.get("ids")), true));
        assertEquals(expected, tokenizer.decode(Fixtures.ints(c.get("ids_no_special")), true));
    }
}
