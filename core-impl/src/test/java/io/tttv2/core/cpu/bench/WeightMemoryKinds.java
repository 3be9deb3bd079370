package io.tttv2.core.cpu.bench;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The kinds of memory a model's weights can live in, for benchmarks: filled from one source segment, so
 * every kind holds the same bytes.
 *
 * <ul>
 *   <li>{@code arena}: {@link Arena#ofShared()}'s allocation (malloc: anonymous 4 KiB pages);</li>
 *   <li>{@code anon}: an anonymous private mapping, 4 KiB pages (THP is {@code madvise} on this machine);</li>
 *   <li>{@code huge}: the same mapping, 2 MiB-aligned, with {@code madvise(MADV_HUGEPAGE)} before it is written;</li>
 *   <li>{@code file}: a file written to /tmp and mapped read-only in a shared arena, then {@code asReadOnly},
 *       as the safetensors reader and the weight cache hold weights.</li>
 * </ul>
 */
final class WeightMemoryKinds {

    private static final long HUGE = 2L << 20;
    private static final int PROT_READ_WRITE = 0x3;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x22;
    private static final int MADV_HUGEPAGE = 14;

    private WeightMemoryKinds() {
    }

    /** A segment of {@code kind} holding a copy of {@code source}, alive while {@code arena} is. */
    static MemorySegment copy(String kind, MemorySegment source, Arena arena) throws IOException {
        long bytes = source.byteSize();
        MemorySegment target;
        switch (kind) {
            case "arena" -> target = arena.allocate(bytes, 64);
            case "anon" -> target = map(bytes, false, arena);
            case "huge" -> target = map(bytes, true, arena);
            case "file" -> {
                Path file = Files.createTempFile("tttv2-weights", ".bin");
                file.toFile().deleteOnExit();
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                    try (Arena w = Arena.ofConfined()) {
                        ch.map(FileChannel.MapMode.READ_WRITE, 0, bytes, w).copyFrom(source);
                    }
                    target = ch.map(FileChannel.MapMode.READ_ONLY, 0, bytes, arena).asReadOnly();
                }
                Files.delete(file);
                return target;
            }
            default -> throw new IllegalArgumentException("memory kind " + kind + ": expected arena, anon, huge or file");
        }
        target.copyFrom(source);
        return target;
    }

    private static MemorySegment map(long bytes, boolean huge, Arena arena) {
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle mmap = linker.downcallHandle(linker.defaultLookup().find("mmap").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
            MethodHandle madvise = linker.downcallHandle(linker.defaultLookup().find("madvise").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_INT));
            long length = bytes + (huge ? HUGE : 0);
            MemorySegment at = (MemorySegment) mmap.invokeExact(MemorySegment.NULL, length, PROT_READ_WRITE,
                    MAP_PRIVATE_ANONYMOUS, -1, 0L);
            long start = at.address();
            if (huge) {
                start = (start + HUGE - 1) & -HUGE;
                int rc = (int) madvise.invokeExact(MemorySegment.ofAddress(start), bytes, MADV_HUGEPAGE);
                if (rc != 0) {
                    throw new IllegalStateException("madvise failed");
                }
            }
            return MemorySegment.ofAddress(start).reinterpret(bytes, arena, null);
        } catch (Throwable e) {
            throw new IllegalStateException("mmap: " + e, e);
        }
    }

    /** The lines of /proc/self/smaps_rollup that say how much is mapped with huge pages. */
    static String hugePages() {
        try {
            StringBuilder b = new StringBuilder();
            for (String line : Files.readAllLines(Path.of("/proc/self/smaps_rollup"))) {
                if (line.startsWith("AnonHugePages") || line.startsWith("FilePmdMapped")) {
                    b.append(line.replaceAll("\\s+", " ")).append("; ");
                }
            }
            return b.toString();
        } catch (IOException e) {
            return "(no smaps_rollup)";
        }
    }
}
