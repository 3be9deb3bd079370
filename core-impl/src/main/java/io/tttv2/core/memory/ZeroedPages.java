package io.tttv2.core.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;

/**
 * Zero-filled native memory whose pages cost nothing until touched: on Linux an anonymous private mapping
 * ({@code mmap(MAP_PRIVATE | MAP_ANONYMOUS)}), which the kernel hands out already zeroed, a page at a time, on
 * first write. {@link Arena#allocate} instead writes zeros over every byte at once: for a 1B model's
 * per-layer workspaces (sized for a 512-token prefill chunk, ≈ 0.8 GB) that took seconds of the load and kept
 * every page resident although a short prompt uses a few rows of each.
 *
 * <p>The segment lives until it is unreachable (an automatic arena) or its arena is closed, then is unmapped. Where mapping is not
 * available (another OS, native access refused) the arena's zeroed allocation is used instead: the contents
 * are the same, only the cost differs.
 */
public final class ZeroedPages {

    private static final int PROT_READ_WRITE = 0x1 | 0x2;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;     // Linux's values
    private static final long MAP_FAILED = -1L;
    /** Below this the arena's allocation is as cheap, and a mapping per small buffer would waste whole pages. */
    static final long MIN_MAPPED_BYTES = 1L << 20;
    private static final Mapper MAPPER = Mapper.find();

    private ZeroedPages() {
    }

    /** {@code bytes} of zeros, aligned to at least 64 bytes, freed when no segment over them is reachable. */
    public static MemorySegment allocate(long bytes) {
        return allocate(Arena.ofAuto(), bytes);
    }

    /**
     * {@code bytes} of zeros, aligned to at least 64 bytes, in {@code arena}'s lifetime: closing the arena unmaps
     * them (and any access after that fails, as for the arena's own memory).
     */
    public static MemorySegment allocate(Arena arena, long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("a negative size: " + bytes + " bytes");
        }
        if (MAPPER != null && bytes >= MIN_MAPPED_BYTES) {
            MemorySegment mapped = MAPPER.map(arena, bytes);
            if (mapped != null) {
                return mapped;
            }
        }
        return arena.allocate(bytes, 64);
    }

    /** True if large allocations here are lazily committed mappings (false: zeroed arena memory). */
    public static boolean mapsPages() {
        return MAPPER != null;
    }

    /** {@code mmap}/{@code munmap} through the FFM API; null where they cannot be called. */
    private record Mapper(MethodHandle mmap, MethodHandle munmap) {

        static Mapper find() {
            if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
                return null;
            }
            try {
                Linker linker = Linker.nativeLinker();
                MethodHandle mmap = linker.downcallHandle(linker.defaultLookup().find("mmap").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
                MethodHandle munmap = linker.downcallHandle(linker.defaultLookup().find("munmap").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
                return new Mapper(mmap, munmap);
            } catch (RuntimeException e) {
                return null;     // no native access (IllegalCallerException) or no such symbols: the arena serves
            }
        }

        MemorySegment map(Arena arena, long bytes) {
            MemorySegment address;
            try {
                address = (MemorySegment) mmap.invokeExact(MemorySegment.NULL, bytes, PROT_READ_WRITE,
                        MAP_PRIVATE_ANONYMOUS, -1, 0L);
            } catch (Throwable e) {
                return null;
            }
            if (address.address() == MAP_FAILED || address.address() == 0) {
                return null;     // out of address space or a limit: the arena tries, and says so if it cannot
            }
            // the cleanup gets a zero-length segment at the same address: the length travels in the lambda
            return address.reinterpret(bytes, arena, region -> unmap(region, bytes));
        }

        private void unmap(MemorySegment region, long bytes) {
            try {
                int ignored = (int) munmap.invokeExact(region, bytes);
            } catch (Throwable e) {
                // a failed unmap leaks address space, nothing else; there is no one to tell from a cleaner
            }
        }
    }
}
