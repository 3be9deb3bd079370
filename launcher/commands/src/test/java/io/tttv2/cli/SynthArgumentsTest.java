package io.tttv2.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.Callable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** {@code tttv2 synth} refuses bad arguments with one line naming the option, before writing anything. */
class SynthArgumentsTest {
    private static final CommandContext NO_HOST = new CommandContext(null, null, null, null);

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--preset llama-7b|--preset expected one of llama-3.2-1b, qwen2.5-0.5b, tinyllama-1.1b, tiny, found 'llama-7b'",
        "--preset tiny --dtype q4|--dtype expected bf16, f16 or f32, found 'q4'",
        "--preset tiny --layers 0|--layers expected 1 .. 1024, found 0"})
    void badArgumentsAreOneLineWithExitCode2(String args, String message) {
        String[] argv = ("synth --out /nonexistent/synth " + args).split(" ");
        CommandLine.ParseResult parsed = TttCommand.commandLine(NO_HOST).parseArgs(argv);
        Callable<?> synth = parsed.subcommand().commandSpec().commandLine().getCommand();
        UserError e = assertThrows(UserError.class, synth::call);
        assertEquals(message, e.getMessage());
        assertEquals(2, e.exitCode());
    }
}
