package io.tttv2.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class ProcessClockTest {

    /**
     * The JVM notes its own start a few tens of milliseconds after the process's exec, so the two ages agree
     * closely; the JDK's start instant on Linux (boot time in whole seconds) was late by up to a second.
     */
    @Test
    void theProcessIsAsOldAsTheJvmWithinAFewTicks() {
        long jvmBefore = ManagementFactory.getRuntimeMXBean().getUptime();
        long process = ProcessClock.millisSinceStart();
        long jvmAfter = ManagementFactory.getRuntimeMXBean().getUptime();
        assertTrue(process >= jvmBefore - 20, "process " + process + " ms, JVM " + jvmBefore + " ms");
        assertTrue(process <= jvmAfter + 250, "process " + process + " ms, JVM " + jvmAfter + " ms");
    }
}
