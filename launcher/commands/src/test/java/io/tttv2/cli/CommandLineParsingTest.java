package io.tttv2.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** How arguments are read, before any command runs (no framework needed: nothing here touches it). */
class CommandLineParsingTest {
    private static final CommandContext NO_HOST = new CommandContext(null, null, null, null);

    @TempDir
    Path dir;

    private static List<String> prompt(String... args) {
        CommandLine.ParseResult parsed = TttCommand.commandLine(NO_HOST).parseArgs(args);
        return parsed.subcommand().matchedPositionals().stream()
                .flatMap(p -> p.stringValues().stream()).toList();
    }

    @Test
    void anArgumentStartingWithAtIsTextNotAFileOfArguments() throws IOException {
        Path file = Files.writeString(dir.resolve("args"), "--model /nowhere injected");
        assertEquals(List.of("@" + file), prompt("generate", "@" + file));
        assertEquals(List.of("@" + file), prompt("generate", "--", "@" + file));
        assertEquals(List.of("@/etc/hostname"), prompt("generate", "--", "@/etc/hostname"));
        assertEquals(List.of("@/dev/zero"), prompt("generate", "@/dev/zero"));   // would never end if read
    }

    @Test
    void benchRoundsAreBoundedBeforeAnythingIsSizedByThem() {
        CommandLine.ParseResult parsed = TttCommand.commandLine(NO_HOST).parseArgs("bench", "--rounds", "2000000000");
        java.util.concurrent.Callable<?> bench = parsed.subcommand().commandSpec().commandLine().getCommand();
        UserError e = org.junit.jupiter.api.Assertions.assertThrows(UserError.class, bench::call);
        assertEquals("--warmup and --rounds expected at most 10000, found 10, 2000000000", e.getMessage());
        assertEquals(2, e.exitCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"generate", "chat", "validate", "bench", "tokenize", "detokenize", "modules", "compat", "shell"})
    void everyCommandPrintsItsHelp(String command) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = TttCommand.commandLine(NO_HOST);
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        assertEquals(0, cli.execute(command, "--help"), err.toString());
        assertTrue(out.toString().contains("Usage: tttv2 " + command), out.toString());
        assertEquals("", err.toString());
    }

    @Test
    void theCommandListShowsWholeSentences() {
        for (Map.Entry<String, CommandLine> e : TttCommand.commandLine(NO_HOST).getSubcommands().entrySet()) {
            CommandLine.Model.UsageMessageSpec usage = e.getValue().getCommandSpec().usageMessage();
            String[] summary = usage.header().length > 0 ? usage.header() : usage.description();
            String line = summary[0].strip();
            assertTrue(line.endsWith(".") || line.endsWith(".)") || line.endsWith("}."),
                    e.getKey() + ": 'tttv2 help' lists a line that ends mid-sentence: " + line);
        }
    }

    @Test
    void aCommandRunBuildsOnlyItsOwnSubcommand() {
        CommandLine cli = TttCommand.commandLine(NO_HOST, new String[] {"generate", "--verbose", "In the beginning"});
        assertEquals(java.util.Set.of("generate"), cli.getSubcommands().keySet());
        CommandLine.ParseResult parsed = cli.parseArgs("generate", "--verbose", "In the beginning");
        assertTrue(parsed.subcommand().hasMatchedOption("--verbose"), "the inherited --verbose reaches the lone subcommand");
        assertEquals(List.of("In the beginning"), parsed.subcommand().matchedPositionals().stream()
                .flatMap(p -> p.stringValues().stream()).toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "help", "--verbose generate", "generat", "--version"})
    void helpOptionsFirstAndUnknownNamesGetEverySubcommand(String line) {
        String[] args = line.isEmpty() ? new String[0] : line.split(" ");
        assertEquals(TttCommand.commandLine(NO_HOST).getSubcommands().keySet(),
                TttCommand.commandLine(NO_HOST, args).getSubcommands().keySet());
        assertTrue(TttCommand.commandLine(NO_HOST, args).getSubcommands().size() > 10);
    }

    @Test
    void anUnknownCommandIsStillAnsweredWithASuggestion() {
        StringWriter err = new StringWriter();
        String[] args = {"generat", "x"};
        CommandLine cli = TttCommand.commandLine(NO_HOST, args);
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute(args));
        assertTrue(err.toString().contains("unknown command 'generat' (did you mean generate"), err.toString());
    }
}
