package io.tttv2.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * {@code --matmul-precision}: every model command that runs a decoder takes it, shows it in its help, and a value
 * that is not f32 or bf16 stops the command first, in one line naming the option, the values it takes and the one
 * found, exit 2 (as does a bad {@code -Dtttv2.matmul.precision}); nothing is set then.
 */
class MatmulPrecisionOptionTest {

    private static final CommandContext NO_HOST = new CommandContext(null, null, null, null);

    @ParameterizedTest
    @ValueSource(strings = {"generate", "chat", "serve", "bench", "validate"})
    void aBadValueIsOneLineAndExitTwoBeforeAnythingRuns(String command) {
        String before = System.getProperty(MatmulPrecisionOption.PROPERTY);
        String[] args = command.equals("validate")
                ? new String[] {command, "--model", "/nowhere", "--reference", "/nowhere", "--matmul-precision", "fp8"}
                : command.equals("generate") ? new String[] {command, "--matmul-precision", "fp8", "In"}
                : command.equals("bench") ? new String[] {command, "--model", "/nowhere", "--matmul-precision", "fp8"}
                : new String[] {command, "--matmul-precision", "fp8"};
        CommandLine.ParseResult parsed = TttCommand.commandLine(NO_HOST).parseArgs(args);
        Callable<?> call = parsed.subcommand().commandSpec().commandLine().getCommand();
        UserError e = assertThrows(UserError.class, call::call);
        assertEquals("--matmul-precision: expected f32 or bf16, found 'fp8'", e.getMessage());
        assertEquals(2, e.exitCode());
        assertEquals(before, System.getProperty(MatmulPrecisionOption.PROPERTY), "nothing set");
    }

    @Test
    void aBadPropertyIsNamedAsTheProperty() {
        String before = System.getProperty(MatmulPrecisionOption.PROPERTY);
        try {
            System.setProperty(MatmulPrecisionOption.PROPERTY, "half");
            UserError e = assertThrows(UserError.class,
                    () -> new MatmulPrecisionOption().apply(null, new PrintWriter(new StringWriter())));
            assertEquals("-Dtttv2.matmul.precision: expected f32 or bf16, found 'half'", e.getMessage());
            assertEquals(2, e.exitCode());
        } finally {
            if (before == null) {
                System.clearProperty(MatmulPrecisionOption.PROPERTY);
            } else {
                System.setProperty(MatmulPrecisionOption.PROPERTY, before);
            }
        }
    }

    @Test
    void theEffectiveValueIsTheProperty() {
        String before = System.getProperty(MatmulPrecisionOption.PROPERTY);
        try {
            System.clearProperty(MatmulPrecisionOption.PROPERTY);
            assertEquals("f32", MatmulPrecisionOption.effective());
            System.setProperty(MatmulPrecisionOption.PROPERTY, "BF16");
            assertEquals("bf16", MatmulPrecisionOption.effective());
        } finally {
            if (before == null) {
                System.clearProperty(MatmulPrecisionOption.PROPERTY);
            } else {
                System.setProperty(MatmulPrecisionOption.PROPERTY, before);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"generate", "chat", "serve", "bench", "validate"})
    void theHelpShowsIt(String command) {
        StringWriter out = new StringWriter();
        CommandLine cli = TttCommand.commandLine(NO_HOST);
        cli.setOut(new PrintWriter(out));
        assertEquals(0, cli.execute(command, "--help"));
        assertTrue(out.toString().contains("--matmul-precision=P"), out.toString());
    }
}
