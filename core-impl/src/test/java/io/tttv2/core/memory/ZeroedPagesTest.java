package io.tttv2.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class ZeroedPagesTest {

    @Test
    void largeAllocationsAreZeroWritableAndAligned() {
        long bytes = 3 * ZeroedPages.MIN_MAPPED_BYTES + 123;
        MemorySegment s = ZeroedPages.allocate(bytes);
        assertEquals(bytes, s.byteSize());
        assertEquals(0, s.address() % 64);
        for (long at = 0; at < bytes; at += 4093) {
            assertEquals(0, s.get(ValueLayout.JAVA_BYTE, at), "byte " + at);
        }
        s.set(ValueLayout.JAVA_FLOAT_UNALIGNED, bytes - 4, 2.5f);
        s.set(ValueLayout.JAVA_FLOAT, 0, -1f);
        assertEquals(2.5f, s.get(ValueLayout.JAVA_FLOAT_UNALIGNED, bytes - 4));
        assertEquals(-1f, s.get(ValueLayout.JAVA_FLOAT, 0));
    }

    @Test
    void smallAllocationsAreZeroToo() {
        MemorySegment s = ZeroedPages.allocate(100);
        assertEquals(100, s.byteSize());
        for (long at = 0; at < 100; at++) {
            assertEquals(0, s.get(ValueLayout.JAVA_BYTE, at));
        }
    }

    @Test
    void onLinuxLargeAllocationsAreMappings() {
        if (System.getProperty("os.name").toLowerCase().startsWith("linux")) {
            assertTrue(ZeroedPages.mapsPages(), "mmap through the FFM API should be available on Linux");
        }
    }

    @Test
    void negativeSizeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ZeroedPages.allocate(-1));
    }

    @Test
    void anArenasAllocationIsZeroAndGoneWhenTheArenaCloses() {
        long bytes = 2 * ZeroedPages.MIN_MAPPED_BYTES;
        MemorySegment s;
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofShared()) {
            s = ZeroedPages.allocate(arena, bytes);
            assertEquals(bytes, s.byteSize());
            assertEquals(0, s.get(ValueLayout.JAVA_LONG, bytes - 8));
            s.set(ValueLayout.JAVA_LONG, bytes - 8, 42L);
            assertEquals(42L, s.get(ValueLayout.JAVA_LONG, bytes - 8));
        }
        MemorySegment closed = s;
        assertThrows(IllegalStateException.class, () -> closed.get(ValueLayout.JAVA_LONG, 0),
                "the memory is unmapped with its arena: access must fail, not read freed pages");
    }
}
