package io.tttv2.integration.tokenizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Incremental decoding: pieces are final, never a broken character, and add up to the full decode. */
class StreamingDecoderTest {

    static Stream<Arguments> fixtureIds() {
        List<Arguments> all = new ArrayList<>();
        for (Path dir : Fixtures.fixtureDirs()) {
            JsonNode cases = Fixtures.cases(dir).get("cases");
            for (int i = 0; i < cases.size(); i++) {
                for (boolean skip : new boolean[] {false, true}) {
                    all.add(Arguments.of(dir.getFileName() + " #" + i + " skip=" + skip, dir.getFileName().toString(),
                            Fixtures.ints(cases.get(i).get("ids")), skip));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtureIds")
    void piecesAddUpToTheFullDecodeAndNeverHoldBrokenCharacters(String label, String fixture, int[] ids, boolean skip) {
        Tokenizer tokenizer = Fixtures.tokenizer(fixture);
        StreamingDecoder stream = tokenizer.streamingDecoder(skip);
        StringBuilder text = new StringBuilder();
        for (int id : ids) {
            String piece = stream.next(id);
            assertFalse(piece.contains("\uFFFD"), "piece with a broken character: " + piece);
            text.append(piece);
        }
        text.append(stream.flush());
        assertEquals(tokenizer.decode(ids, skip), text.toString());
    }

    @Test
    void aByteLevelEmojiIsReleasedOnlyWhenItsLastByteArrives() {
        Tokenizer tokenizer = Fixtures.tokenizer(Fixtures.BYTELEVEL);
        int[] ids = tokenizer.encode("a👋", false).ids(); // "a", then the four bytes of U+1F44B
        StreamingDecoder stream = tokenizer.streamingDecoder(false);
        assertEquals("a", stream.next(ids[0]));
        for (int i = 1; i < ids.length - 1; i++) {
            assertEquals("", stream.next(ids[i]), "byte " + i + " must be held back");
        }
        assertEquals("👋", stream.next(ids[ids.length - 1]));
        assertEquals("", stream.flush());
    }

    @Test
    void sentencePieceWordsKeepTheirLeadingSpace() {
        Tokenizer tokenizer = Fixtures.tokenizer(Fixtures.SENTENCEPIECE);
        int[] ids = tokenizer.encode("Hello, world!", false).ids(); // ▁H e ll o ,▁ world !
        StreamingDecoder stream = tokenizer.streamingDecoder(false);
        List<String> pieces = new ArrayList<>();
        for (int id : ids) {
            pieces.add(stream.next(id));
        }
        assertEquals(List.of("H", "e", "ll", "o", ", ", "world", "!"), pieces);
    }

    @Test
    void sentencePieceByteFallbackCharactersAreWhole() {
        Tokenizer tokenizer = Fixtures.tokenizer(Fixtures.SENTENCEPIECE);
        int[] ids = tokenizer.encode("中文", false).ids(); // ▁ then six <0xNN> tokens
        StreamingDecoder stream = tokenizer.streamingDecoder(false);
        List<String> pieces = new ArrayList<>();
        for (int id : ids) {
            String piece = stream.next(id);
            if (!piece.isEmpty()) {
                pieces.add(piece);
            }
        }
        assertEquals(List.of("中", "文"), pieces);
    }

    @Test
    void flushReleasesAnIncompleteTail() {
        Tokenizer tokenizer = Fixtures.tokenizer(Fixtures.BYTELEVEL);
        int[] ids = tokenizer.encode("é", false).ids(); // two byte tokens
        StreamingDecoder stream = tokenizer.streamingDecoder(false);
        assertEquals("", stream.next(ids[0]));
        assertEquals("\uFFFD", stream.flush());
        assertEquals("é", stream.next(ids[0]) + stream.next(ids[1]), "the decoder starts afresh after flush");
    }
}
