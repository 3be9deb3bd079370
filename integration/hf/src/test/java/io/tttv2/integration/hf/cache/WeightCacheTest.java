package io.tttv2.integration.hf.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache's contract: a hit maps without converting; every way a file can be wrong is a rebuild, not a misread. */
class WeightCacheTest {
    @TempDir
    Path dir;

    private final List<String> notices = new ArrayList<>();
    private final AtomicInteger conversions = new AtomicInteger();
    private final WeightCacheKey key = new WeightCacheKey("source-a", "q8_0", "1.0.0");

    /** Two tensors of different dtypes and sizes, values from {@code seed}: what a conversion would produce. */
    private Supplier<Map<String, Tensor>> converter(int seed) {
        return () -> {
            conversions.incrementAndGet();
            Map<String, Tensor> t = new LinkedHashMap<>();
            Tensor a = Tensor.allocate(Arena.ofAuto(), DType.BF16, 3, 5);
            for (int i = 0; i < 15; i++) {
                a.setFloat(i * 0.25f + seed, i / 5, i % 5);
            }
            Tensor b = Tensor.allocate(Arena.ofAuto(), DType.F32, 7);
            for (int i = 0; i < 7; i++) {
                b.setFloat(-i - seed, i);
            }
            t.put("model.layers.0.mlp.up_proj.weight", a);
            t.put("model.norm.weight", b);
            return t;
        };
    }

    private static void assertSameTensors(Map<String, Tensor> expected, Map<String, Tensor> actual) {
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()));
        for (String name : expected.keySet()) {
            Tensor e = expected.get(name);
            Tensor a = actual.get(name);
            assertEquals(e.dtype(), a.dtype(), name);
            assertEquals(List.of(java.util.Arrays.stream(e.shape()).boxed().toArray()),
                    List.of(java.util.Arrays.stream(a.shape()).boxed().toArray()), name);
            assertEquals(-1, e.segment().mismatch(a.segment()), name);
        }
    }

    @Test
    void aSecondLoadMapsTheFileAndDoesNotConvert() {
        WeightCache cache = new WeightCache(dir.resolve("weights"), notices::add);
        Map<String, Tensor> first = cache.load(key, converter(1));
        Map<String, Tensor> second = cache.load(key, converter(1));
        assertEquals(1, conversions.get());
        assertSameTensors(first, second);
        assertTrue(second.get("model.norm.weight").segment().isMapped(), "read from the mapped file");
        assertEquals(0, second.get("model.norm.weight").segment().address() % 64, "64-byte aligned");
        assertEquals(List.of(), notices);
    }

    @Test
    void theWriteLeavesNoTemporaryFileBehind() throws IOException {
        WeightCache cache = new WeightCache(dir, notices::add);
        cache.load(key, converter(1));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(key.fileName()), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void aFileOfAnotherVersionIsStaleAndRebuilt() {
        WeightCache cache = new WeightCache(dir, notices::add);
        cache.load(new WeightCacheKey("source-a", "q8_0", "0.9.0"), converter(9));
        WeightCacheKey newer = new WeightCacheKey("source-a", "q8_0", "1.0.0");
        assertEquals(cache.file(newer), cache.file(new WeightCacheKey("source-a", "q8_0", "0.9.0")), "same file");
        Map<String, Tensor> loaded = cache.load(newer, converter(1));
        assertEquals(2, conversions.get());
        assertSameTensors(converter(1).get(), loaded);
        assertEquals(1, notices.size(), notices.toString());
        assertTrue(notices.get(0).contains("stale: library '0.9.0', expected '1.0.0'"), notices.get(0));
        notices.clear();
        assertSameTensors(converter(1).get(), cache.load(newer, converter(1)));   // the rebuilt file is used
        assertEquals(List.of(), notices);
    }

    @Test
    void anotherLayoutIsAnotherFileAndNeverReadForThisOne() throws IOException {
        WeightCache cache = new WeightCache(dir, notices::add);
        WeightCacheKey q4 = new WeightCacheKey("source-a", "q4_0", "1.0.0");
        assertNotEquals(cache.file(key), cache.file(q4));
        cache.load(q4, converter(4));
        // even a file of another layout put where this key's file goes is refused by its header
        Files.copy(cache.file(q4), cache.file(key));
        assertSameTensors(converter(1).get(), cache.load(key, converter(1)));
        assertTrue(notices.get(0).contains("stale: layout 'q4_0', expected 'q8_0'"), notices.toString());
    }

    @Test
    void changedSourceWeightsAreStale() throws IOException {
        Path source = Files.writeString(dir.resolve("model.safetensors"), "one");
        String before = WeightCacheKey.sourceIdentity(List.of(source));
        Files.writeString(source, "other bytes");
        assertNotEquals(before, WeightCacheKey.sourceIdentity(List.of(source)));
    }

    @Test
    void aTornFileIsRebuiltNotMisread() throws IOException {
        WeightCache cache = new WeightCache(dir, notices::add);
        cache.load(key, converter(1));
        long size = Files.size(cache.file(key));
        for (long cut : new long[] {size - 1, size / 2, 100, 10, 0}) {
            try (FileChannel f = FileChannel.open(cache.file(key), StandardOpenOption.WRITE)) {
                f.truncate(cut);
            }
            notices.clear();
            assertSameTensors(converter(1).get(), cache.load(key, converter(1)));
            assertEquals(1, notices.size(), "cut at " + cut + ": " + notices);
            assertTrue(notices.get(0).contains("torn"), notices.get(0));
            assertEquals(size, Files.size(cache.file(key)), "rebuilt whole");
        }
    }

    @Test
    void aCorruptHeaderIsCaughtByItsChecksum() throws IOException {
        WeightCache cache = new WeightCache(dir, notices::add);
        cache.load(key, converter(1));
        byte[] bytes = Files.readAllBytes(cache.file(key));
        int at = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("\"shape\":[3,5]") + 9;
        bytes[at] = '4';    // [3,5] → [4,5]: valid JSON, a wrong shape
        Files.write(cache.file(key), bytes);
        assertSameTensors(converter(1).get(), cache.load(key, converter(1)));
        assertTrue(notices.get(0).contains("corrupt: header checksum mismatch"), notices.toString());
    }

    @Test
    void aFileThatIsNoCacheIsRefused() throws IOException {
        WeightCache cache = new WeightCache(dir, notices::add);
        Files.write(cache.file(key), new byte[4096]);
        assertSameTensors(converter(1).get(), cache.load(key, converter(1)));
        assertTrue(notices.get(0).contains("bad magic"), notices.toString());
    }

    @Test
    void aReadOnlyFolderIsANoticeAndTheConvertedWeightsAreUsed() throws IOException {
        Path readOnly = Files.createDirectories(dir.resolve("ro"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            WeightCache cache = new WeightCache(readOnly, notices::add);
            Map<String, Tensor> loaded = cache.load(key, converter(1));
            assertSameTensors(converter(1).get(), loaded);
            if (Files.isWritable(readOnly)) {
                return;   // root ignores permissions: the next test covers an unwritable folder regardless
            }
            assertEquals(1, notices.size(), notices.toString());
            assertTrue(notices.get(0).contains("cannot write"), notices.get(0));
            assertFalse(Files.exists(cache.file(key)));
        } finally {
            Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void aFolderThatCannotBeCreatedIsANoticeAndTheConvertedWeightsAreUsed() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        WeightCache cache = new WeightCache(file.resolve("weights"), notices::add);   // under a regular file: never creatable
        assertSameTensors(converter(1).get(), cache.load(key, converter(1)));
        assertEquals(1, notices.size(), notices.toString());
        assertTrue(notices.get(0).startsWith("weight cache " + file.resolve("weights") + ": cannot write"), notices.get(0));
        assertNull(cache.read(key));
    }

    @Test
    void anUnknownDtypeIsStale() throws IOException {
        WeightCache cache = new WeightCache(dir, notices::add);
        cache.load(key, converter(1));
        // rewrite the header with a dtype this library does not know, and a checksum that matches it
        byte[] bytes = Files.readAllBytes(cache.file(key));
        String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).replace("\"dtype\":\"F32\"", "\"dtype\":\"Q9X\"");
        bytes = text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        int length = java.nio.ByteBuffer.wrap(bytes, 12, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(bytes, WeightCacheFile.PREFIX, length);
        java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(16, (int) crc.getValue());
        Files.write(cache.file(key), bytes);
        assertSameTensors(converter(1).get(), cache.load(key, converter(1)));
        assertTrue(notices.get(0).contains("stale: tensor 'model.norm.weight' has dtype Q9X"), notices.toString());
    }
}
