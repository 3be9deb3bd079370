package io.tttv2.integration.tokenizers.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tttv2.integration.tokenizers.Encoding;
import io.tttv2.integration.tokenizers.Tokenizer;
import io.tttv2.integration.tokenizers.TokenizerException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * tokenizer.json loading and encoding with any input: a tokenizer loads and then encodes and decodes any text
 * into ids of its vocabulary, or the file is refused with one line naming it. Any other exception is a finding.
 */
class TokenizerFuzzTest {
    private static final Path DIR = tempDir();
    private static final Path FILE = DIR.resolve("tokenizer.json");
    /** The three real tokenizers of testdata (byte-level BPE, SentencePiece BPE, WordPiece). */
    private static final List<Tokenizer> FIXTURES = fixtures();

    /** Input: a tokenizer.json, a NUL byte, then the text to encode with it. */
    @FuzzTest(maxDuration = "2h")
    void loadAndEncode(byte[] input) throws IOException {
        int nul = indexOf(input, (byte) 0);
        byte[] json = nul < 0 ? input : Arrays.copyOf(input, nul);
        String text = nul < 0 ? "Hello, world! 123 ünïcödé" : new String(input, nul + 1, input.length - nul - 1,
                StandardCharsets.UTF_8);
        Files.write(FILE, json);
        Tokenizer tokenizer;
        try {
            tokenizer = Tokenizer.load(FILE);
        } catch (TokenizerException e) {
            assertTrue(e.getMessage().startsWith(FILE.toString()), "does not name the file: " + e.getMessage());
            assertFalse(e.getMessage().contains("\n"), "more than one line: " + e.getMessage());
            return;
        }
        try {
            encodeAndDecode(tokenizer, text);
        } catch (TokenizerException e) {
            // a loaded tokenizer may still refuse a text it cannot represent, in one line
            assertFalse(e.getMessage().contains("\n"), "more than one line: " + e.getMessage());
        }
    }

    /** Any text through each real tokenizer: every id is a token of it, and decoding them works. */
    @FuzzTest(maxDuration = "2h")
    void encodeAnyText(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        for (Tokenizer tokenizer : FIXTURES) {
            encodeAndDecode(tokenizer, text);
        }
    }

    private static void encodeAndDecode(Tokenizer tokenizer, String text) {
        for (boolean special : new boolean[] {false, true}) {
            Encoding encoding = tokenizer.encode(text, special);
            for (int id : encoding.ids()) {
                // ids need not be dense (added tokens may sit above the model's), but each must be a token
                assertTrue(tokenizer.idToToken(id) != null, "id " + id + " is no token of the tokenizer");
            }
            tokenizer.decode(encoding.ids(), special);
        }
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("tttv2-fuzz");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Tokenizer> fixtures() {
        Path root = Path.of(System.getProperty("tttv2.root", "../.."), "testdata/fixtures/tokenizers");
        return List.of("bytelevel-bpe", "sentencepiece-bpe", "wordpiece").stream()
                .map(name -> Tokenizer.load(root.resolve(name).resolve("tokenizer.json"))).toList();
    }
}
