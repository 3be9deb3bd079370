package io.tttv2.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class StartTimesTest {

    private static final Pattern LINE = Pattern.compile(
            "tttv2: host started in 1480 ms; since process start: model loaded (\\d+) ms, first token (\\d+) ms");

    @Test
    void theFirstTokenIsKeptAndFollowsTheLoad() throws InterruptedException {
        StartTimes times = new StartTimes(1480);
        times.modelLoaded();
        Thread.sleep(30);
        times.tokenStreamed();
        String first = times.line();
        Thread.sleep(30);
        times.tokenStreamed();       // later tokens do not move it
        Matcher m = LINE.matcher(times.line());
        assertTrue(m.matches(), times.line());
        long loaded = Long.parseLong(m.group(1));
        long token = Long.parseLong(m.group(2));
        assertTrue(loaded > 0 && token >= loaded + 20, times.line());
        assertTrue(first.equals(times.line()), first + " vs " + times.line());
    }
}
