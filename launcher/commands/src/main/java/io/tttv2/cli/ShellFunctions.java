package io.tttv2.cli;

import java.util.function.ToIntFunction;

/**
 * The shell's {@code tttv2} command ({@code tttv2 modules --check}): runs a tttv2 command in the running
 * host. Public, with a public method: Gogo calls it by reflection.
 */
public final class ShellFunctions {

    private final ToIntFunction<String[]> commandLine;

    ShellFunctions(ToIntFunction<String[]> commandLine) {
        this.commandLine = commandLine;
    }

    /** Runs {@code tttv2 args...}; prints what the command prints (its exit code only if not 0). */
    public void tttv2(String... args) {
        int exit = commandLine.applyAsInt(args);
        if (exit != 0) {
            System.out.println("(exit " + exit + ")");
        }
    }
}
