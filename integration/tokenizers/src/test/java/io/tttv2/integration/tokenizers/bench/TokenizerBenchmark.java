package io.tttv2.integration.tokenizers.bench;

import io.tttv2.integration.tokenizers.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encoding and decoding speed on about 1 MiB of King-James-like English: words of the bytelevel-bpe vocabulary
 * (trained on the King James Bible, so its word tokens are its words) in random order, with punctuation.
 * One operation handles the whole text, so MB/s = {@link #textBytes} / (seconds per operation).
 *
 * <p>Run by hand (not part of the build), from integration/tokenizers after {@code mvn test-compile}:
 * <pre>
 * java -Dtttv2.root=../.. -cp target/test-classes:target/classes:$(cat cp.txt) org.openjdk.jmh.Main TokenizerBenchmark
 * </pre>
 * where cp.txt comes from {@code mvn dependency:build-classpath -Dmdep.outputFile=cp.txt}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TokenizerBenchmark {
    private static final int TARGET_BYTES = 1 << 20;

    private Path fixtures;
    private Tokenizer byteLevel;
    private Tokenizer sentencePiece;
    private String text;
    private int[] ids;
    /** UTF-8 size of {@link #text}, printed at setup to turn ms/op into MB/s. */
    public int textBytes;

    @Setup
    public void setUp() {
        fixtures = Path.of(System.getProperty("tttv2.root", "../..")).resolve("testdata/fixtures/tokenizers");
        byteLevel = Tokenizer.load(fixtures.resolve("bytelevel-bpe/tokenizer.json"));
        sentencePiece = Tokenizer.load(fixtures.resolve("sentencepiece-bpe/tokenizer.json"));
        text = kingJamesLikeText(byteLevel);
        ids = byteLevel.encode(text, false).ids();
        textBytes = text.getBytes(StandardCharsets.UTF_8).length;
        System.out.printf("%ninput: %d bytes, %d byte-level tokens%n", textBytes, ids.length);
    }

    /** A fresh tokenizer (empty word cache) for every call of {@link #byteLevelEncodeColdCache}. */
    @State(Scope.Thread)
    public static class ColdTokenizer {
        Tokenizer tokenizer;

        @Setup(Level.Invocation)
        public void load(TokenizerBenchmark benchmark) {
            tokenizer = Tokenizer.load(benchmark.fixtures.resolve("bytelevel-bpe/tokenizer.json"));
        }
    }

    /**
     * Words of the vocabulary (tokens {@code Ġ} + letters: whole King James words) drawn at random, with a comma
     * or full stop after about one word in ten and a line break after about one in thirty, until 1 MiB.
     */
    static String kingJamesLikeText(Tokenizer tokenizer) {
        java.util.List<String> words = new java.util.ArrayList<>();
        for (int id = 0; id < tokenizer.vocabSize(); id++) {
            String token = tokenizer.idToToken(id);
            if (token != null && token.length() > 1 && token.charAt(0) == 'Ġ'
                    && token.substring(1).chars().allMatch(Character::isLetter)) {
                words.add(token.substring(1));
            }
        }
        Random random = new Random(1611);
        StringBuilder out = new StringBuilder(TARGET_BYTES + 64);
        while (out.length() < TARGET_BYTES) {
            out.append(words.get(random.nextInt(words.size())));
            int r = random.nextInt(30);
            out.append(r == 0 ? ".\n" : r < 2 ? ". " : r < 4 ? ", " : " ");
        }
        return out.toString();
    }

    @Benchmark
    public int[] byteLevelEncode() {
        return byteLevel.encode(text, false).ids();
    }

    /** Every call starts with an empty cache: only the first occurrence of each word is merged. */
    @Benchmark
    public int[] byteLevelEncodeColdCache(ColdTokenizer cold) {
        return cold.tokenizer.encode(text, false).ids();
    }

    @Benchmark
    public String byteLevelDecode() {
        return byteLevel.decode(ids, false);
    }

    /** No pre-tokenizer: the whole text is one word merged with the heap (nothing is cached). */
    @Benchmark
    public int[] sentencePieceEncode() {
        return sentencePiece.encode(text, false).ids();
    }
}
