package io.tttv2.cli.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import org.junit.jupiter.api.Test;

class LoadingProgressTest {

    private final List<String> drawn = new CopyOnWriteArrayList<>();
    private final DelegatingProgressBarConsumer display = new DelegatingProgressBarConsumer(drawn::add, 80);

    private static String slowly(long millis, String value) {
        pause(millis);
        return value;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void quickWorkShowsNoBar() {
        assertEquals("model", LoadingProgress.whileRunning("Loading kjv-tiny", Duration.ofMillis(500), display,
                () -> slowly(20, "model")));
        pause(700);
        assertEquals(List.of(), drawn, "nothing drawn, now or later");
    }

    @Test
    void slowWorkShowsTheBarAfterTheDelayUntilItEnds() {
        assertEquals("model", LoadingProgress.whileRunning("Loading kjv-tiny", Duration.ofMillis(100), display,
                () -> slowly(900, "model")));
        assertTrue(drawn.size() >= 2, "redrawn while loading: " + drawn);
        assertTrue(drawn.get(0).startsWith("Loading kjv-tiny"), drawn.get(0));
        int after = drawn.size();
        pause(400);
        assertEquals(after, drawn.size(), "nothing drawn once the work ended");
    }

    @Test
    void aFailureOfTheWorkPassesThroughAndStopsTheBar() {
        IllegalStateException failure = new IllegalStateException("config.json: missing");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () ->
                LoadingProgress.whileRunning("Loading x", Duration.ofMillis(50), display, () -> {
                    slowly(300, "");
                    throw failure;
                }));
        assertSame(failure, thrown);
        int after = drawn.size();
        assertTrue(after > 0);
        pause(400);
        assertEquals(after, drawn.size(), "nothing drawn after the failure");
    }

    @Test
    void withoutADisplayTheWorkJustRuns() {
        assertEquals("model", LoadingProgress.whileRunning("Loading x", Duration.ZERO, null, () -> "model"));
    }
}
