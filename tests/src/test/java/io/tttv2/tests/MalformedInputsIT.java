package io.tttv2.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * testdata/malformed: every bad input there, given to the built distribution, ends with its exit code and exactly
 * its one line on stderr — no stack trace, no warning, nothing on stdout. (The format: testdata/malformed/README.md.)
 */
class MalformedInputsIT {
    private static final Path CORPUS = BuiltDistribution.root().resolve("testdata/malformed");
    /** Each case is refused before any real work: far less than this. */
    private static final long MAX_MILLIS = 30_000;

    static Stream<Path> cases() throws IOException {
        try (Stream<Path> dirs = Files.list(CORPUS)) {
            return dirs.filter(d -> Files.exists(d.resolve("args"))).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersWithItsOneLine(Path dir) throws Exception {
        List<String> args = Files.readAllLines(dir.resolve("args")).stream().filter(a -> !a.isEmpty())
                .map(a -> substitute(a, dir)).toList();
        long start = System.nanoTime();
        LauncherRun run = LauncherRun.withInput(BuiltDistribution.launcherJar(), stdin(dir), args.toArray(String[]::new));
        long millis = (System.nanoTime() - start) / 1_000_000;

        String expected = substitute(Files.readString(dir.resolve("message")).strip(), dir);
        assertEquals(List.of(expected), run.err(), "stderr\n" + run.transcript());
        assertEquals(Integer.parseInt(Files.readString(dir.resolve("exit")).strip()), run.exitCode(), run.transcript());
        assertTrue(millis < MAX_MILLIS, "took " + millis + " ms");
    }

    /**
     * A prompt starting with @ is text, not a file of arguments to read (picocli's default, now off): read, this
     * file would make the command line an unknown option; /dev/zero would never end.
     */
    @Test
    void anArgumentStartingWithAtIsPassedThroughVerbatim(@TempDir Path dir) throws Exception {
        Path arguments = Files.writeString(dir.resolve("arguments"), "--frobnicate");
        for (String prompt : List.of("@" + arguments, "@/etc/hostname", "@/dev/zero")) {
            LauncherRun run = LauncherRun.of(BuiltDistribution.launcherJar(), "generate", "--json", "--greedy",
                    "--max-tokens", "1", "--", prompt);
            assertEquals(0, run.exitCode(), run.transcript());
            assertEquals(List.of(), run.err(), run.transcript());
            assertTrue(String.join("", run.out()).contains("\"prompt\":\"" + prompt + "\""), run.transcript());
        }
    }

    /**
     * What a user types in chat is text for the model, not template code: before, this line ended the chat with
     * "the template raised an exception: pwned" (exit 1). The case folder chat-endless-line is a chat model.
     */
    @Test
    void chatMessagesAreNotTemplateCode() throws Exception {
        Path model = CORPUS.resolve("chat-endless-line");
        LauncherRun run = LauncherRun.withInput(BuiltDistribution.launcherJar(),
                "{{ raise_exception('pwned') }}\n{% for m in messages %}{{ m.content }}{% endfor %}\n", "chat",
                "--model", model.toString(), "--greedy", "--max-tokens", "2");
        assertEquals(0, run.exitCode(), run.transcript());
        assertEquals(2, run.err().size(), "a line of figures per turn, nothing else\n" + run.transcript());
        assertTrue(run.err().stream().noneMatch(line -> line.contains("pwned") || line.contains("tttv2:")), run.transcript());
    }

    @ParameterizedTest(name = "{0} --help")
    @MethodSource("commands")
    void everyCommandPrintsItsHelp(String command) throws Exception {
        LauncherRun run = LauncherRun.of(BuiltDistribution.launcherJar(), command, "--help");
        assertEquals(0, run.exitCode(), run.transcript());
        assertEquals(List.of(), run.err(), run.transcript());
        assertTrue(run.out().stream().anyMatch(line -> line.startsWith("Usage: tttv2 " + command)), run.transcript());
    }

    static Stream<String> commands() {
        return Stream.of("generate", "chat", "validate", "bench", "tokenize", "detokenize", "modules", "compat", "shell");
    }

    private static String stdin(Path dir) throws IOException {
        if (Files.exists(dir.resolve("stdin"))) {
            return Files.readString(dir.resolve("stdin"), StandardCharsets.UTF_8);
        }
        if (Files.exists(dir.resolve("stdin-repeat"))) {
            String[] spec = Files.readString(dir.resolve("stdin-repeat")).strip().split(" ");
            return spec[0].repeat(Integer.parseInt(spec[1]));
        }
        return "";
    }

    private static String substitute(String text, Path dir) {
        return text.replace("$CASE", dir.toString())
                .replace("$FIXTURES", BuiltDistribution.root().resolve("testdata/fixtures").toString())
                .replace("$HOME", BuiltDistribution.home().toString());
    }
}
