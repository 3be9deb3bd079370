package io.tttv2.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code tttv2 tokenize} and {@code detokenize} on the embedded model's tokenizer. */
class TokenizeIT {

    private static final Path TOKENIZER = BuiltDistribution.home().resolve("models/kjv-tiny/tokenizer.json");

    @Test
    void tokenizePrintsIdsAndTokensAsJson() throws Exception {
        LauncherRun run = LauncherRun.of(BuiltDistribution.launcherJar(), "tokenize", "--tokenizer", TOKENIZER.toString(),
                "In", "the", "beginning");
        assertEquals(0, run.exitCode(), run.transcript());
        assertEquals(List.of("{\"ids\":[1145,261,2080],\"tokens\":[\"In\",\"Ġthe\",\"Ġbeginning\"]}"), run.out());
    }

    @Test
    void detokenizePrintsTheTextAndCanSkipSpecialTokens() throws Exception {
        LauncherRun run = LauncherRun.of(BuiltDistribution.launcherJar(), "detokenize", "--tokenizer", TOKENIZER.toString(),
                "1145", "261", "2080", "0");
        assertEquals(0, run.exitCode(), run.transcript());
        assertEquals(List.of("In the beginning<|endoftext|>"), run.out());
        LauncherRun skipped = LauncherRun.of(BuiltDistribution.launcherJar(), "detokenize", "--skip-special",
                "--tokenizer", TOKENIZER.toString(), "1145", "261", "2080", "0");
        assertEquals(List.of("In the beginning"), skipped.out(), skipped.transcript());
    }

    @Test
    void aMissingTokenizerFileIsOneLine() throws Exception {
        LauncherRun run = LauncherRun.of(BuiltDistribution.launcherJar(), "tokenize", "--tokenizer", "/nonexistent/tokenizer.json", "x");
        assertEquals(1, run.exitCode(), run.transcript());
        assertEquals(1, run.err().size(), run.transcript());
        assertTrue(run.err().get(0).contains("/nonexistent/tokenizer.json"), run.transcript());
    }
}
