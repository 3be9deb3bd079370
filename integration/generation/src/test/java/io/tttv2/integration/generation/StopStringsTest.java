package io.tttv2.integration.generation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StopStringsTest {

    @Test
    void withoutStopStringsEveryPieceGoesStraightThrough() {
        StopStrings stops = new StopStrings(List.of());
        assertEquals("Hello", stops.push("Hello"));
        assertEquals(" world", stops.push(" world"));
        assertEquals("", stops.flush());
        assertFalse(stops.stopped());
    }

    @Test
    void aStopStringInsideOnePieceCutsTheTextBeforeIt() {
        StopStrings stops = new StopStrings(List.of("END"));
        assertEquals("the ", stops.push("the END of it"));
        assertTrue(stops.stopped());
        assertEquals("", stops.push("more"));
        assertEquals("", stops.flush());
    }

    @Test
    void aStopStringAcrossPiecesIsHeldBackAndNeverReleased() {
        StopStrings stops = new StopStrings(List.of("\n\nQ:"));
        assertEquals("Answer.", stops.push("Answer.\n"));     // "\n" may begin the stop string: held
        assertEquals("", stops.push("\n"));                   // "\n\n" still may
        assertEquals("", stops.push("Q"));                    // "\n\nQ" still may
        assertEquals("", stops.push(": next"));               // complete: nothing of it released
        assertTrue(stops.stopped());
    }

    @Test
    void heldTextIsReleasedOnceItCannotBeAStopString() {
        StopStrings stops = new StopStrings(List.of("abc"));
        assertEquals("x", stops.push("xab"));
        assertEquals("abd", stops.push("d"));
        assertEquals("", stops.push("a"));
        assertEquals("a", stops.flush());                      // the stream ended: the held "a" was no stop string
        assertFalse(stops.stopped());
    }

    @Test
    void aRepeatedBeginningIsHeldFromItsLatestPossibleStart() {
        StopStrings stops = new StopStrings(List.of("aab"));
        assertEquals("", stops.push("aa"));
        assertEquals("a", stops.push("a"));                    // "aaa": only the last "aa" may still begin "aab"
        assertEquals("", stops.push("b"));
        assertTrue(stops.stopped());
    }

    @Test
    void theEarliestOfSeveralStopStringsWins() {
        StopStrings stops = new StopStrings(List.of("world", "lo"));
        assertEquals("Hel", stops.push("Hello world"));
        assertTrue(stops.stopped());
    }

    @Test
    void theLongestPossibleBeginningOfAnyStopStringIsHeld() {
        StopStrings stops = new StopStrings(List.of("xyz", "yzw!"));
        assertEquals("a", stops.push("ayz"));                  // "yz" may begin "yzw!"
        assertEquals("yzq", stops.push("q"));
        assertEquals("", stops.flush());
    }

    @Test
    void emptyStopStringsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new StopStrings(List.of("")));
    }
}
