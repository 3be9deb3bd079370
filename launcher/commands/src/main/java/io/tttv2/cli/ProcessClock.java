package io.tttv2.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Time since this process started, for the start-up figures ({@code generate --verbose}, {@code bench --json}).
 *
 * <p>Why not {@code ProcessHandle.info().startInstant()} alone: on Linux the JDK adds the process's start
 * (clock ticks since boot) to the boot time from {@code /proc/stat}, which is whole seconds; the result is late
 * by up to a second, the same for every process of one boot (0.62 s on the machine this was found on), so every
 * "since process start" figure came out that much too long. Both numbers read here, the process's start
 * ({@code /proc/self/stat} field 22) and the time since boot ({@code /proc/uptime}), are on the kernel's boot
 * clock at 10 ms resolution, so their difference is exact to 10 ms. Elsewhere the JDK's start instant is used.
 */
public final class ProcessClock {

    private static final double TICKS_PER_SECOND = 100;   // USER_HZ: what /proc reports in, on every Linux ABI

    private ProcessClock() {
    }

    /** Milliseconds since this process started, or -1 if the platform does not say. */
    public static long millisSinceStart() {
        long fromProc = fromProc();
        if (fromProc >= 0) {
            return fromProc;
        }
        return ProcessHandle.current().info().startInstant()
                .map(start -> Duration.between(start, Instant.now()).toMillis()).orElse(-1L);
    }

    private static long fromProc() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so count fields after the last ')'
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            long startTicks = Long.parseLong(fields[19]);              // field 22 of the whole line
            String uptime = Files.readString(Path.of("/proc/uptime"));
            double sinceBoot = Double.parseDouble(uptime.substring(0, uptime.indexOf(' ')));
            return Math.max(0, Math.round((sinceBoot - startTicks / TICKS_PER_SECOND) * 1000));
        } catch (IOException | RuntimeException notLinux) {
            return -1;
        }
    }
}
