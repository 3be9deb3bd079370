package io.tttv2.integration.hf.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reader on a valid file written by the writer, and on each kind of hostile file. */
class GgufFileTest {
    @TempDir
    Path tmp;

    @Test
    void readsEveryValueTypeAndTensorBack() throws IOException {
        GgufFiles.small(tmp);
        try (GgufFile f = GgufFile.open(tmp.resolve("seed.gguf"))) {
            GgufMetadata m = f.metadata();
            assertEquals(3, f.version());
            assertEquals(32, f.alignment());
            assertEquals("llama", m.string("general.architecture"));
            assertEquals(200L, m.integer("u8"));
            assertEquals(-5L, m.integer("i8"));
            assertEquals(60000L, m.integer("u16"));
            assertEquals(-30000L, m.integer("i16"));
            assertEquals(4000000000L, m.integer("u32"));
            assertEquals(-7L, m.integer("i32"));
            assertEquals(1L << 40, m.integer("u64"));
            assertEquals(-(1L << 40), m.integer("i64"));
            assertEquals(0.5, m.optionalNumber("f32").orElseThrow());
            assertEquals(2.25, m.optionalNumber("f64").orElseThrow());
            assertEquals(true, m.optionalBool("bool").orElseThrow());
            assertArrayEquals(new String[] {"a", "ü", ""}, m.optionalStrings("strings").orElseThrow());
            assertArrayEquals(new float[] {1f, -2f}, m.optionalFloats("floats").orElseThrow());
            assertArrayEquals(new long[] {3, -4}, m.optionalIntegers("ints").orElseThrow());
            GgufTensorInfo a = f.tensor("a.weight");
            assertArrayEquals(new long[] {3, 2}, a.hfShape());
            assertEquals(0, a.offset() % 32);
            float[] values = f.data(a).toArray(ValueLayout.JAVA_FLOAT_UNALIGNED);
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, values);
            GgufTensorInfo b = f.tensor("b.weight");
            assertEquals(34, b.bytes());
            assertEquals(0, b.offset() % 32);
        }
    }

    @Test
    void aWrongTypeIsOneLineNamingKeyAndTypes() throws IOException {
        GgufFiles.small(tmp);
        try (GgufFile f = GgufFile.open(tmp.resolve("seed.gguf"))) {
            GgufFormatException e = assertThrows(GgufFormatException.class, () -> f.metadata().string("u32"));
            assertEquals(tmp.resolve("seed.gguf") + ": key 'u32' expected a string, found UINT32 4000000000",
                    e.getMessage());
        }
    }

    @Test
    void badMagic() throws IOException {
        byte[] b = GgufFiles.small(tmp);
        b[0] = 'X';
        assertRefused(b, "header: expected the magic 'GGUF' at offset 0, found bytes 58475546");
    }

    @Test
    void badVersion() throws IOException {
        byte[] b = GgufFiles.small(tmp);
        b[4] = 1;
        assertRefused(b, "expected version 2 or 3, found 1 (GGUF v1, with 32-bit counts, is not read)");
        b[4] = 9;
        assertRefused(b, "expected version 2 or 3, found 9");
    }

    @Test
    void countsBeyondTheFileAllocateNothing() throws IOException {
        byte[] b = GgufFiles.small(tmp);
        putLong(b, 8, Long.MAX_VALUE);
        assertRefused(b, "header: expected a tensor count that fits the");
        b = GgufFiles.small(tmp);
        putLong(b, 16, 1L << 40);
        assertRefused(b, "header: expected a metadata count that fits the");
    }

    @Test
    void aStringLongerThanTheFile() throws IOException {
        byte[] b = GgufFiles.small(tmp);
        putLong(b, 24, 1L << 50);     // the first key's length
        assertRefused(b, "metadata pair 0: expected a key string of at most the");
    }

    @Test
    void anUnknownValueType() throws IOException {
        byte[] b = GgufFiles.small(tmp);
        int typeAt = 24 + 8 + "general.architecture".length();
        putInt(b, typeAt, 77);
        assertRefused(b, "key 'general.architecture': expected a value type 0 to 12, found 77");
    }

    @Test
    void anUnknownTensorType() throws IOException {
        byte[] b = GgufFiles.small(tmp);
        int at = tensorInfo(b, "a.weight") + 8 + 8 + 4 + 16;      // name, n_dims, 2 dims → type
        putInt(b, at, 99);
        assertRefused(b, "tensor 'a.weight': expected a known ggml type, found type number 99");
    }

    @Test
    void aMisalignedOffset() throws IOException {
        byte[] b = GgufFiles.small(tmp);
        int at = tensorInfo(b, "b.weight") + 8 + 8 + 4 + 8 + 4;   // name, n_dims, 1 dim, type → offset
        putLong(b, at, 33);
        assertRefused(b, "tensor 'b.weight': expected a data offset that is a multiple of the alignment 32, found 33");
    }

    @Test
    void tensorDataPastTheEnd() throws IOException {
        byte[] b = GgufFiles.small(tmp);
        assertRefused(Arrays.copyOf(b, b.length - 1), "tensor 'b.weight' data [32, 66) of Q8_0 [32] expected within");
    }

    @Test
    void overlappingTensors() throws IOException {
        byte[] b = GgufFiles.small(tmp);
        int at = tensorInfo(b, "b.weight") + 8 + 8 + 4 + 8 + 4;
        putLong(b, at, 0);
        assertRefused(b, "found them overlapping");
    }

    @Test
    void aBlockTypeWhoseRowIsNotWholeBlocks() throws IOException {
        byte[] b = GgufFiles.small(tmp);
        int at = tensorInfo(b, "b.weight") + 8 + 8 + 4;
        putLong(b, at, 31);
        assertRefused(b, "tensor 'b.weight': expected its first dimension to be a multiple of Q8_0's block of 32, found 31");
    }

    @Test
    void tooManyDimensions() throws IOException {
        byte[] b = GgufFiles.small(tmp);
        putInt(b, tensorInfo(b, "a.weight") + 8 + 8, 5);
        assertRefused(b, "tensor 'a.weight': expected 1 to 4 dimensions, found 5");
    }

    @Test
    void anAlignmentThatIsNotAPowerOfTwo() throws IOException {
        GgufWriter w = new GgufWriter(64);
        w.tensor("t", GgmlType.F32, new long[] {4}, s -> { });
        Path file = tmp.resolve("aligned.gguf");
        w.write(file);
        byte[] b = Files.readAllBytes(file);
        int valueAt = 24 + 8 + "general.alignment".length() + 4;
        putInt(b, valueAt, 48);
        assertRefused(b, "key 'general.alignment' expected a power of two, found 48");
        putInt(b, valueAt, 0);
        assertRefused(b, "key 'general.alignment' expected a power of two, found 0");
    }

    @Test
    void everyTruncationIsRefusedInOneLine() throws IOException {
        byte[] b = GgufFiles.small(tmp);
        Path file = tmp.resolve("cut.gguf");
        for (int n = 0; n < b.length; n++) {
            Files.write(file, Arrays.copyOf(b, n));
            GgufFormatException e = assertThrows(GgufFormatException.class, () -> GgufFile.open(file).close(),
                    "a file cut at " + n + " bytes opened");
            assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void isGgufLooksAtTheMagic() throws IOException {
        GgufFiles.small(tmp);
        assertTrue(GgufFile.isGguf(tmp.resolve("seed.gguf")));
        Files.writeString(tmp.resolve("other"), "{}");
        assertFalse(GgufFile.isGguf(tmp.resolve("other")));
        assertFalse(GgufFile.isGguf(tmp));
    }

    private void assertRefused(byte[] bytes, String expected) throws IOException {
        Path file = tmp.resolve("bad.gguf");
        Files.write(file, bytes);
        GgufFormatException e = assertThrows(GgufFormatException.class, () -> GgufFile.open(file).close());
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    /** Where the tensor info named {@code name} starts (its name's length field). */
    private static int tensorInfo(byte[] b, String name) {
        byte[] needle = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        outer:
        for (int i = 8; i + needle.length <= b.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (b[i + j] != needle[j]) {
                    continue outer;
                }
            }
            if (ByteBuffer.wrap(b, i - 8, 8).order(ByteOrder.LITTLE_ENDIAN).getLong() == needle.length) {
                return i - 8;
            }
        }
        throw new AssertionError(name + " not found");
    }

    private static void putLong(byte[] b, int at, long v) {
        ByteBuffer.wrap(b, at, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(v);
    }

    private static void putInt(byte[] b, int at, int v) {
        ByteBuffer.wrap(b, at, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(v);
    }
}
