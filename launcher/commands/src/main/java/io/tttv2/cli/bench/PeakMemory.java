package io.tttv2.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's peak resident set (Linux {@code VmHWM} in /proc/self/status). */
final class PeakMemory {

    private PeakMemory() {
    }

    /** VmHWM in KiB, or -1 where there is no /proc/self/status. */
    static long kib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or an unreadable status
        }
        return -1;
    }

    static String describe() {
        Path status = Path.of("/proc/self/status");
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format("%.1f MB", kib / 1024.0);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or an unreadable status
        }
        return "unknown (no /proc/self/status)";
    }
}
