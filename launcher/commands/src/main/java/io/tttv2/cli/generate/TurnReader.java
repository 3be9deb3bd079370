package io.tttv2.cli.generate;

import io.tttv2.cli.UserError;
import java.io.IOException;
import java.io.Reader;

/**
 * Reads the chat's turns from stdin, one per line, each at most {@link #MAX_CHARS} characters: a line is
 * held whole in memory, so without a bound one endless line (a pipe from /dev/zero) fills the heap.
 */
final class TurnReader {
    /** The longest turn (README, "Limits"): the chat template's whole output is capped at the same size. */
    static final int MAX_CHARS = 1_000_000;

    private final Reader in;
    private int lineNumber;

    TurnReader(Reader in) {
        this.in = in;
    }

    /** The next line without its terminator (\n, \r\n or \r), or null at the end of input. */
    String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        lineNumber++;
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                return stripCarriageReturn(line);
            }
            if (line.length() == MAX_CHARS) {
                throw new UserError("stdin: line " + lineNumber + " is longer than " + MAX_CHARS
                        + " characters, the limit of one chat turn");
            }
            line.append((char) c);
        }
        return line.isEmpty() ? null : stripCarriageReturn(line);
    }

    private static String stripCarriageReturn(StringBuilder line) {
        int n = line.length();
        return n > 0 && line.charAt(n - 1) == '\r' ? line.substring(0, n - 1) : line.toString();
    }
}
