package io.tttv2.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/**
 * The one place a failure becomes what the user reads: one line on stderr and an exit code; the stack trace
 * only with {@code --verbose}. Every command's failure passes here, {@link Error}s included, so that no input
 * can end the process on a raw trace.
 */
public final class FailureLine {
    /** How the {@code ./tttv2} script passes JVM options (it honours this variable); named in the advice. */
    static final String JVM_OPTIONS_VARIABLE = "TTTV2_JAVA_OPTS";

    private FailureLine() {
    }

    /** Prints {@code failure} as one line (and its trace if {@code verbose}); returns the exit code. */
    public static int report(Throwable failure, PrintWriter err, boolean verbose) {
        err.println("tttv2: " + describe(failure));
        if (verbose) {
            failure.printStackTrace(err);
        }
        err.flush();
        return failure instanceof UserError u ? u.exitCode() : 1;
    }

    /** What went wrong, on one line. */
    static String describe(Throwable failure) {
        Throwable t = unwrap(failure);
        String message = switch (t) {
            case UserError u -> u.getMessage();
            case OutOfMemoryError oom -> "out of memory (" + oneLine(oom.getMessage()) + ", heap limit "
                    + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB): the input or model needs more; raise the"
                    + " heap, e.g. " + JVM_OPTIONS_VARIABLE + "=-Xmx4g ./tttv2 …, or give a smaller input";
            case StackOverflowError so -> "the input nests too deeply to process (stack overflow); raise the thread"
                    + " stack with " + JVM_OPTIONS_VARIABLE + "=-Xss16m or simplify the input";
            case NoSuchFileException e -> e.getFile() + ": no such file";
            case AccessDeniedException e -> e.getFile() + ": permission denied";
            case FileSystemException e -> oneLine(e.getMessage());
            // the project's own exceptions carry one line naming the file, key, expected and found value
            case RuntimeException e when ownMessage(e) -> e.getMessage();
            default -> "internal error: " + t.getClass().getSimpleName()
                    + (t.getMessage() == null ? "" : ": " + t.getMessage()) + where(t) + " (run with --verbose for the trace)";
        };
        return oneLine(message);
    }

    /** Wrappers add nothing the user can act on: report what they wrap. */
    private static Throwable unwrap(Throwable t) {
        while ((t instanceof UncheckedIOException || t instanceof java.util.concurrent.ExecutionException
                || t instanceof java.lang.reflect.InvocationTargetException
                || t.getClass().getName().equals("picocli.CommandLine$ExecutionException"))
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static boolean ownMessage(RuntimeException e) {
        return e.getClass().getName().startsWith("io.tttv2.") && e.getMessage() != null && !e.getMessage().isBlank();
    }

    /** The first frame of ours: where an internal error happened, for a bug report. */
    private static String where(Throwable t) {
        for (StackTraceElement frame : t.getStackTrace()) {
            if (frame.getClassName().startsWith("io.tttv2.")) {
                String simple = frame.getClassName().substring(frame.getClassName().lastIndexOf('.') + 1);
                return " at " + simple + "." + frame.getMethodName() + ":" + frame.getLineNumber();
            }
        }
        return "";
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
