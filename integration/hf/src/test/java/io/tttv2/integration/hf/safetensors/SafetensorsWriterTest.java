package io.tttv2.integration.hf.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.integration.hf.testing.Fixtures;
import io.tttv2.integration.hf.testing.RawSafetensors;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SafetensorsWriterTest {
    @TempDir
    Path tmp;

    /** The bytes HuggingFace's own test ({@code safetensors::tensor::tests::test_serialization}) expects. */
    @Test
    void writesExactlyWhatHuggingFaceWritesForOneTensor() throws IOException {
        Path file = tmp.resolve("one.safetensors");
        new SafetensorsWriter().addF32("attn.0", new long[] {1, 2, 3}, new float[] {0, 1, 2, 3, 4, 5}).write(file);
        String header = "{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}"; // 64 bytes: no padding needed
        byte[] expected = concat(new byte[] {64, 0, 0, 0, 0, 0, 0, 0}, header.getBytes(StandardCharsets.US_ASCII),
                new byte[] {0, 0, 0, 0, 0, 0, (byte) 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, (byte) 128, 64, 0, 0,
                        (byte) 160, 64});
        assertArrayEquals(expected, Files.readAllBytes(file));
    }

    /** HuggingFace's {@code test_serialization_forced_alignement}: the header is padded with spaces to 8 bytes. */
    @Test
    void padsTheHeaderWithSpacesLikeHuggingFace() throws IOException {
        Path file = tmp.resolve("padded.safetensors");
        new SafetensorsWriter().addF32("attn0", new long[] {1, 1, 2, 3}, new float[] {0, 1, 2, 3, 4, 5}).write(file);
        String header = "{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],\"data_offsets\":[0,24]}}       ";
        byte[] bytes = Files.readAllBytes(file);
        assertEquals(72, bytes[0]);
        assertEquals(header, new String(bytes, 8, 72, StandardCharsets.US_ASCII));
        assertEquals(8 + 72 + 24, bytes.length);
    }

    /** HuggingFace's {@code test_empty}: no tensors, with and without metadata. */
    @Test
    void writesExactlyWhatHuggingFaceWritesForNoTensors() throws IOException {
        Path empty = tmp.resolve("empty.safetensors");
        new SafetensorsWriter().write(empty);
        assertArrayEquals(concat(new byte[] {8, 0, 0, 0, 0, 0, 0, 0}, "{}      ".getBytes(StandardCharsets.US_ASCII)),
                Files.readAllBytes(empty));
        Path withMetadata = tmp.resolve("meta.safetensors");
        new SafetensorsWriter().metadata("framework", "pt").write(withMetadata);
        assertArrayEquals(concat(new byte[] {40, 0, 0, 0, 0, 0, 0, 0},
                        "{\"__metadata__\":{\"framework\":\"pt\"}}     ".getBytes(StandardCharsets.US_ASCII)),
                Files.readAllBytes(withMetadata));
        try (SafetensorsFile f = SafetensorsFile.open(withMetadata)) {
            assertEquals(List.of(), f.names());
            assertEquals(Map.of("framework", "pt"), f.metadata());
        }
    }

    static List<Path> huggingFaceWrittenFiles() {
        return List.of(Fixtures.model("llama").resolve("model.safetensors"),
                Fixtures.model("llama").resolve("reference.safetensors"),
                Fixtures.model("llama-bf16").resolve("model.safetensors"),
                Fixtures.model("gpt2").resolve("model.safetensors"),
                Fixtures.model("bert").resolve("reference.safetensors"),
                Fixtures.model("llama-sharded").resolve("model-00005-of-00008.safetensors"));
    }

    /** Rewriting a file HuggingFace wrote, tensor by tensor, gives back the same bytes: layout, order, header, padding. */
    @ParameterizedTest
    @MethodSource("huggingFaceWrittenFiles")
    void rewritingAHuggingFaceFileReproducesItByteForByte(Path original) throws IOException {
        Path copy = tmp.resolve("copy.safetensors");
        try (SafetensorsFile f = SafetensorsFile.open(original)) {
            SafetensorsWriter w = new SafetensorsWriter();
            f.metadata().forEach(w::metadata);
            // added in reverse order: the writer must find HuggingFace's order by itself
            f.names().reversed().forEach(name -> w.add(f.entry(name)));
            w.write(copy);
        }
        assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(copy));
    }

    @Test
    void roundTripsF32I64AndI32ArraysWithShapesAndMetadata() throws IOException {
        Random random = new Random(7);
        float[] logits = new float[2 * 3 * 5]; // [B, T, V]
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) random.nextGaussian();
        }
        logits[0] = Float.NaN;
        logits[1] = Float.NEGATIVE_INFINITY;
        logits[2] = -0.0f;
        long[] ids = {1, -2, Long.MAX_VALUE, Long.MIN_VALUE, 5, 6}; // [B, T]
        int[] positions = {0, 1, 2};
        Path file = tmp.resolve("dump.safetensors");
        new SafetensorsWriter()
                .metadata("format", "pt")
                .metadata("source", "tttv2 --dump")
                .addF32("logits", new long[] {2, 3, 5}, logits)
                .addI64("input_ids", new long[] {2, 3}, ids)
                .addI32("positions", new long[] {3}, positions)
                .addF32("scalar", new long[] {}, new float[] {42f})
                .addF32("empty", new long[] {0, 4}, new float[0])
                .write(file);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(Map.of("format", "pt", "source", "tttv2 --dump"), f.metadata());
            // HuggingFace's order: 8-byte types first, then 4-byte ones by name
            assertEquals(List.of("input_ids", "empty", "logits", "scalar", "positions"), f.names());
            assertArrayEquals(new long[] {2, 3, 5}, f.entry("logits").shape());
            float[] back = f.entry("logits").toFloatArray();
            for (int i = 0; i < logits.length; i++) {
                assertEquals(Float.floatToRawIntBits(logits[i]), Float.floatToRawIntBits(back[i]), "logits[" + i + "]");
            }
            assertArrayEquals(ids, f.entry("input_ids").toLongArray());
            assertArrayEquals(new long[] {0, 1, 2}, f.entry("positions").toLongArray());
            assertEquals(Dtype.I32, f.entry("positions").dtype());
            assertArrayEquals(new float[] {42f}, f.entry("scalar").toFloatArray());
            assertEquals(0, f.entry("scalar").rank());
            assertEquals(0, f.entry("empty").elementCount());
        }
        // and the independent decoder reads the same
        RawSafetensors raw = new RawSafetensors(file);
        assertEquals(logits[7], raw.floatAt("logits", 7));
        assertEquals(Long.MIN_VALUE, raw.longAt("input_ids", 3));
    }

    @Test
    void everyTensorStartsAlignedToItsElementSize() throws IOException {
        Path file = tmp.resolve("aligned.safetensors");
        SafetensorsWriter w = new SafetensorsWriter();
        w.add("b", Dtype.U8, new long[] {3}, MemorySegment.ofArray(new byte[] {1, 2, 3}));
        w.add("h", Dtype.F16, new long[] {3}, MemorySegment.ofArray(new byte[6]));
        w.addI64("l", new long[] {1}, new long[] {9});
        w.addF32("f", new long[] {1}, new float[] {1});
        w.add("d", Dtype.F64, new long[] {1}, MemorySegment.ofArray(new byte[8]));
        w.write(file);
        byte[] bytes = Files.readAllBytes(file);
        long headerLength = MemorySegment.ofArray(bytes).get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
        assertEquals(0, (8 + headerLength) % 8);
        RawSafetensors raw = new RawSafetensors(file);
        for (var t : raw.tensors.values()) {
            assertEquals(0, t.begin() % Dtype.valueOf(t.dtype()).byteSize(), t.toString());
        }
        // I64 sorts before F64 as in HuggingFace's Dtype order
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(List.of("l", "d", "f", "h", "b"), f.names());
        }
    }

    @Test
    void f16ValuesWidenAsTheirBitsSay() throws IOException {
        // 1.0, -2.0, 65504 (largest half), 2^-24 (smallest subnormal), 0.333 (0x3555), +inf
        short[] halves = {0x3c00, (short) 0xc000, 0x7bff, 0x0001, 0x3555, 0x7c00};
        MemorySegment bytes = Arena.ofAuto().allocate(halves.length * 2L);
        for (int i = 0; i < halves.length; i++) {
            bytes.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i, halves[i]);
        }
        Path file = tmp.resolve("f16.safetensors");
        new SafetensorsWriter().add("h", Dtype.F16, new long[] {halves.length}, bytes).write(file);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            float[] values = f.entry("h").toFloatArray();
            for (int i = 0; i < halves.length; i++) {
                assertEquals(RawSafetensors.halfToFloat(halves[i] & 0xffff), values[i], 0.0f, "half " + i);
            }
            assertEquals(65504f, values[2]);
        }
    }

    @Test
    void rejectsInconsistentTensorsWithOneLine() {
        SafetensorsWriter w = new SafetensorsWriter().addF32("a", new long[] {2}, new float[] {1, 2});
        assertEquals("tensor 'b' expected 6 values for shape [2, 3], found 5", assertThrows(IllegalArgumentException.class,
                () -> w.addF32("b", new long[] {2, 3}, new float[5])).getMessage());
        assertEquals("tensor 'a' expected once, found it added twice", assertThrows(IllegalArgumentException.class,
                () -> w.addF32("a", new long[] {1}, new float[1])).getMessage());
        assertEquals("tensor name expected anything but '__metadata__' (reserved for metadata), found it",
                assertThrows(IllegalArgumentException.class,
                        () -> w.addF32("__metadata__", new long[] {1}, new float[1])).getMessage());
        assertEquals("tensor 'n' shape expected non-negative dimensions, found [-1, 2]",
                assertThrows(IllegalArgumentException.class,
                        () -> w.addI64("n", new long[] {-1, 2}, new long[0])).getMessage());
        assertEquals("tensor 's' expected 12 bytes for shape [3] of F32, found 8",
                assertThrows(IllegalArgumentException.class,
                        () -> w.add("s", Dtype.F32, new long[] {3}, MemorySegment.ofArray(new byte[8]))).getMessage());
    }

    @Test
    void replacesAnExistingFileAndLeavesNoTemporaryBehind() throws IOException {
        Path file = tmp.resolve("out.safetensors");
        Files.writeString(file, "old content");
        new SafetensorsWriter().addF32("x", new long[] {1}, new float[] {3}).write(file);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertArrayEquals(new float[] {3}, f.entry("x").toFloatArray());
        }
        try (var files = Files.list(tmp)) {
            assertEquals(List.of(file), files.toList());
        }
        assertTrue(Files.size(file) > 8);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
