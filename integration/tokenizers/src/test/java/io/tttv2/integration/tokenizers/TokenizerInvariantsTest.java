package io.tttv2.integration.tokenizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Edge cases where HuggingFace gave no expected value, checked through invariants: byte-level BPE and
 * SentencePiece-style BPE with byte fallback decode their own encoding back to the input, whatever it is.
 */
class TokenizerInvariantsTest {

    static Stream<String> edgeCases() {
        List<String> texts = new ArrayList<>(List.of(
                "", " ", "  ", "a", "\n", "\r\n", "\t\t",
                "a" + " ".repeat(1000) + "b", "\n".repeat(50), " \t \n ".repeat(40),
                "emoji 👋🏽 🎉 👨‍👩‍👧 🏳️‍🌈", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝟙𝟚𝟛", "日本語のテキスト 中文 한국어 ภาษาไทย العربية",
                "Ærøskøbing ß ﬁ ＦＵＬＬＷＩＤＴＨ", "mixed\u00a0nbsp\u200bzero-width\u2028sep",
                "combining e\u0301 a\u0308 ∑x²", "'s 'S 'LL ' 're", "12345678901234567890 3.14159e-10",
                "\u0000control\u0001\u007f", "\uFFFD replacement char"));
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            StringBuilder s = new StringBuilder();
            int length = random.nextInt(40);
            for (int k = 0; k < length; k++) {
                int cp = switch (random.nextInt(4)) {
                    case 0 -> 0x20 + random.nextInt(0x5F);
                    case 1 -> 0x80 + random.nextInt(0x780);
                    case 2 -> 0x3000 + random.nextInt(0x6000);
                    default -> 0x1F300 + random.nextInt(0x300);
                };
                s.appendCodePoint(cp);
            }
            texts.add(s.toString());
        }
        return texts.stream();
    }

    @ParameterizedTest
    @MethodSource("edgeCases")
    void byteLevelBpeRoundTrips(String text) {
        Tokenizer tokenizer = Fixtures.tokenizer(Fixtures.BYTELEVEL);
        Encoding encoding = tokenizer.encode(text, true);
        assertEquals(text, tokenizer.decode(encoding.ids(), false));
        assertEquals(encoding.size(), encoding.tokens().size());
    }

    @ParameterizedTest
    @MethodSource("edgeCases")
    void sentencePieceBpeRoundTripsThroughByteFallback(String text) {
        Tokenizer tokenizer = Fixtures.tokenizer(Fixtures.SENTENCEPIECE);
        assertEquals(text, tokenizer.decode(tokenizer.encode(text, false).ids(), false));
        // <s> is added by the post-processor and removed again by skipping special tokens
        int[] withBos = tokenizer.encode(text, true).ids();
        assertEquals(tokenizer.tokenId("<s>"), withBos[0]);
    }

    @Test
    void emptyTextHasNoTokensButTheTemplateStillAddsBos() {
        assertEquals(0, Fixtures.tokenizer(Fixtures.BYTELEVEL).encode("", true).size());
        assertEquals(0, Fixtures.tokenizer(Fixtures.WORDPIECE).encode("", true).size());
        assertArrayEquals(new int[] {1}, Fixtures.tokenizer(Fixtures.SENTENCEPIECE).encode("", true).ids());
    }

    @Test
    void specialTokenStringsInTextAreRecognisedWithOrWithoutAddSpecialTokens() {
        Tokenizer tokenizer = Fixtures.tokenizer(Fixtures.BYTELEVEL);
        int start = tokenizer.tokenId("<|im_start|>");
        int end = tokenizer.tokenId("<|im_end|>");
        for (boolean addSpecial : new boolean[] {true, false}) {
            Encoding e = tokenizer.encode("<|im_start|><|im_end|>x<|im_start|>", addSpecial);
            assertEquals(start, e.ids()[0]);
            assertEquals(end, e.ids()[1]);
            assertEquals(start, e.ids()[e.size() - 1]);
            assertEquals("<|im_start|>", e.tokens().get(0));
        }
        // a partial special-token string is ordinary text
        Encoding partial = tokenizer.encode("<|im_start", false);
        for (int id : partial.ids()) {
            assertFalse(tokenizer.isSpecial(id));
        }
        assertEquals("x", tokenizer.decode(tokenizer.encode("<|im_start|>x<|im_end|>", false).ids(), true));
    }

    @Test
    void longWhitespaceRunsFollowTheSplitRegex() {
        Tokenizer tokenizer = Fixtures.tokenizer(Fixtures.BYTELEVEL);
        // \s+(?!\S) leaves the last space of a run to the following word: "a", run of 9 spaces, " b"
        Encoding e = tokenizer.encode("a" + " ".repeat(10) + "b", false);
        assertEquals("Ġb", e.tokens().get(e.size() - 1));
        assertEquals(" ".repeat(9), tokenizer.decode(java.util.Arrays.copyOfRange(e.ids(), 1, e.size() - 1), false));
    }

    @Test
    void vocabularyQueries() {
        Tokenizer tokenizer = Fixtures.tokenizer(Fixtures.BYTELEVEL);
        assertEquals(4096, tokenizer.vocabSize());
        assertArrayEquals(new int[] {0, 1, 2}, tokenizer.specialTokenIds());
        assertEquals(0, tokenizer.tokenId("<|endoftext|>"));
        assertEquals("<|im_end|>", tokenizer.idToToken(2));
        assertEquals("Ġthe", tokenizer.idToToken(tokenizer.tokenId("Ġthe")));
        assertEquals(-1, tokenizer.tokenId("no such token"));
        assertEquals(null, tokenizer.idToToken(1_000_000));
        assertTrue(tokenizer.isSpecial(1));
        assertFalse(tokenizer.isSpecial(261));
        assertEquals("", tokenizer.decode(new int[] {1_000_000, -5}, false), "unknown ids are ignored");
        Tokenizer wordPiece = Fixtures.tokenizer(Fixtures.WORDPIECE);
        assertEquals(2000, wordPiece.vocabSize());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, wordPiece.specialTokenIds());
    }

    @Test
    void concurrentEncodingGivesTheSameResultsAsSequential() throws Exception {
        Tokenizer tokenizer = Tokenizer.load(Fixtures.tokenizersDir().resolve("bytelevel-bpe/tokenizer.json"));
        List<String> texts = edgeCases().toList();
        List<int[]> sequential = texts.stream().map(t -> tokenizer.encode(t, true).ids()).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<int[]>>> futures = new ArrayList<>();
            for (int worker = 0; worker < 4; worker++) {
                futures.add(pool.submit(() -> texts.stream().map(t -> tokenizer.encode(t, true).ids()).toList()));
            }
            for (Future<List<int[]>> future : futures) {
                List<int[]> parallel = future.get();
                for (int i = 0; i < texts.size(); i++) {
                    assertArrayEquals(sequential.get(i), parallel.get(i), texts.get(i));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
