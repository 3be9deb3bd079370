package io.tttv2.integration.hf.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Corrupt and truncated files, each built byte by byte here, each refused with its one-line message. */
class CorruptSafetensorsTest {
    @TempDir
    Path tmp;

    private Path file;

    /** A file with the given header (its true length as prefix) followed by {@code dataBytes} bytes. */
    private Path withHeader(String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return withPrefix(h.length, h, new byte[dataBytes]);
    }

    private Path withPrefix(long headerLength, byte[] header, byte[] data) throws IOException {
        file = tmp.resolve("bad.safetensors");
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(headerLength).put(header).put(data);
        Files.write(file, b.array());
        return file;
    }

    private void assertRefused(String expectedAfterFileName) {
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> SafetensorsFile.open(file));
        assertEquals(file + ": " + expectedAfterFileName, e.getMessage());
    }

    private static String t(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + ","
                + end + "]}";
    }

    @Test
    void aValidTwoTensorFileOpens() throws IOException {
        withHeader("{" + t("a", "F32", "[2]", 0, 8) + "," + t("b", "F32", "[2]", 8, 16) + "}", 16);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(List.of("a", "b"), f.names());
        }
    }

    @Test
    void fileShorterThanTheLengthPrefix() throws IOException {
        file = tmp.resolve("bad.safetensors");
        Files.write(file, new byte[] {1, 2, 3});
        assertRefused("header expected an 8-byte length prefix, found a file of 3 bytes");
    }

    @Test
    void headerLengthAboveTheLimit() throws IOException {
        withPrefix(1L << 40, "{}".getBytes(StandardCharsets.US_ASCII), new byte[0]);
        assertRefused("header length expected at most 100000000 bytes, found 1099511627776");
    }

    @Test
    void headerLengthThatIsNegativeAsASignedLong() throws IOException {
        withPrefix(-1L, "{}".getBytes(StandardCharsets.US_ASCII), new byte[0]);
        assertRefused("header length expected at most 100000000 bytes, found 18446744073709551615");
    }

    @Test
    void headerLengthBeyondTheFile() throws IOException {
        withPrefix(100, new byte[50], new byte[0]);
        assertRefused("header length expected at most 50 bytes (file size 58 - 8), found 100 (file truncated?)");
    }

    @Test
    void headerNotUtf8() throws IOException {
        withPrefix(3, new byte[] {'{', (byte) 0xff, '}'}, new byte[0]);
        assertRefused("header expected UTF-8 text, found an invalid byte sequence at header byte 1");
    }

    @Test
    void headerNotJson() throws IOException {
        withHeader("not json at all", 0);
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> SafetensorsFile.open(file));
        assertTrue(e.getMessage().startsWith(file + ": header expected a JSON object, found invalid JSON (Unrecognized token 'not'"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("at line 1, column 1)"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void headerJsonButNotAnObject() throws IOException {
        withHeader("[1,2]", 0);
        assertRefused("header expected a JSON object, found an array [1,2]");
    }

    @Test
    void headerWithTrailingGarbageAfterTheObject() throws IOException {
        withHeader("{} {}", 0);
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> SafetensorsFile.open(file));
        assertTrue(e.getMessage().startsWith(file + ": header expected a JSON object, found invalid JSON ("), e.getMessage());
    }

    @Test
    void headerPaddedWithNulInsteadOfSpaces() throws IOException {
        withHeader("{}\0\0\0\0\0\0", 0);
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> SafetensorsFile.open(file));
        assertTrue(e.getMessage().startsWith(file + ": header expected a JSON object, found invalid JSON ("), e.getMessage());
    }

    @Test
    void truncatedData() throws IOException {
        withHeader("{" + t("a", "F32", "[2]", 0, 8) + "," + t("b", "F32", "[2]", 8, 16) + "}", 12);
        assertRefused("tensor 'b' data_offsets [8, 16] expected to end within the data area of 12 bytes, found end 16"
                + " (file truncated?)");
    }

    @Test
    void offsetsPastTheEnd() throws IOException {
        withHeader("{" + t("a", "F32", "[1000]", 0, 4000) + "}", 8);
        assertRefused("tensor 'a' data_offsets [0, 4000] expected to end within the data area of 8 bytes, found end 4000"
                + " (file truncated?)");
    }

    @Test
    void overlappingTensors() throws IOException {
        withHeader("{" + t("b", "F32", "[2]", 4, 12) + "," + t("a", "F32", "[2]", 0, 8) + "}", 12);
        assertRefused("tensor 'b' data_offsets [4, 12] overlap tensor 'a' [0, 8]: expected begin 8, found 4");
    }

    @Test
    void theSameRangeTwice() throws IOException {
        withHeader("{" + t("a", "F32", "[2]", 0, 8) + "," + t("b", "F32", "[2]", 0, 8) + "}", 8);
        assertRefused("tensor 'b' data_offsets [0, 8] overlap tensor 'a' [0, 8]: expected begin 8, found 0");
    }

    @Test
    void gapBetweenTensors() throws IOException {
        withHeader("{" + t("a", "F32", "[2]", 0, 8) + "," + t("b", "F32", "[2]", 12, 20) + "}", 20);
        assertRefused("tensor 'b' data_offsets [12, 20] leave a gap of 4 bytes after tensor 'a' [0, 8]: expected begin 8,"
                + " found 12");
    }

    @Test
    void gapBeforeTheFirstTensor() throws IOException {
        withHeader("{" + t("a", "F32", "[2]", 4, 12) + "}", 12);
        assertRefused("tensor 'a' data_offsets [4, 12] leave a gap of 4 bytes at the start of the data area: expected"
                + " begin 0, found 4");
    }

    @Test
    void bytesAfterTheLastTensor() throws IOException {
        withHeader("{" + t("a", "F32", "[2]", 0, 8) + "}", 12);
        assertRefused("header data area expected 8 bytes (where tensor 'a' ends), found 12 bytes after the header");
    }

    @Test
    void dataButNoTensors() throws IOException {
        withHeader("{\"__metadata__\":{\"format\":\"pt\"}}", 4);
        assertRefused("header data area expected 0 bytes (the header lists no tensors), found 4 bytes after the header");
    }

    @Test
    void shapeTimesDtypeDisagreesWithTheOffsets() throws IOException {
        withHeader("{" + t("a", "F32", "[2,3]", 0, 16) + "}", 16);
        assertRefused("tensor 'a' expected 24 bytes for shape [2, 3] of F32, found 16 (data_offsets [0, 16])");
    }

    @Test
    void shapeProductOverflows() throws IOException {
        withHeader("{" + t("a", "F32", "[4611686018427387904,4]", 0, 8) + "}", 8);
        assertRefused("tensor 'a' shape [4611686018427387904, 4] of F32 expected a byte size below 2^63, found one that"
                + " overflows");
    }

    @Test
    void elementCountFitsButByteCountOverflows() throws IOException {
        withHeader("{" + t("a", "I64", "[2305843009213693952]", 0, 8) + "}", 8);
        assertRefused("tensor 'a' shape [2305843009213693952] of I64 expected a byte size below 2^63, found one that"
                + " overflows");
    }

    @Test
    void unknownDtype() throws IOException {
        withHeader("{" + t("a", "Q4_K", "[2]", 0, 8) + "}", 8);
        assertRefused("tensor 'a' dtype expected one of BOOL, U8, I8, F8_E5M2, F8_E4M3, I16, U16, F16, BF16, I32, U32,"
                + " F32, F64, I64, U64, found \"Q4_K\"");
    }

    @Test
    void dtypeNamesAreCaseSensitiveAsInHuggingFace() throws IOException {
        withHeader("{" + t("a", "f32", "[2]", 0, 8) + "}", 8);
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> SafetensorsFile.open(file));
        assertTrue(e.getMessage().endsWith("found \"f32\""), e.getMessage());
    }

    @Test
    void negativeDimension() throws IOException {
        withHeader("{" + t("a", "F32", "[-1,2]", 0, 8) + "}", 8);
        assertRefused("tensor 'a' shape expected an array of non-negative integers, found an array [-1,2]");
    }

    @Test
    void fractionalDimension() throws IOException {
        withHeader("{" + t("a", "F32", "[2.5,2]", 0, 8) + "}", 8);
        assertRefused("tensor 'a' shape expected an array of non-negative integers, found an array [2.5,2]");
    }

    @Test
    void beginAfterEnd() throws IOException {
        withHeader("{" + t("a", "F32", "[2]", 8, 0) + "}", 8);
        assertRefused("tensor 'a' data_offsets expected begin <= end, found [8, 0]");
    }

    @Test
    void offsetsOfTheWrongArity() throws IOException {
        withHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}", 8);
        assertRefused("tensor 'a' data_offsets expected [begin, end] of non-negative integers, found an array [0]");
    }

    @Test
    void missingDtype() throws IOException {
        withHeader("{\"a\":{\"shape\":[2],\"data_offsets\":[0,8]}}", 8);
        assertRefused("tensor 'a' expected key 'dtype', found none");
    }

    @Test
    void tensorThatIsNotAnObject() throws IOException {
        withHeader("{\"a\":3}", 0);
        assertRefused("tensor 'a' expected an object with dtype, shape and data_offsets, found 3");
    }

    @Test
    void metadataValueThatIsNotAString() throws IOException {
        withHeader("{\"__metadata__\":{\"format\":1}}", 0);
        assertRefused("header '__metadata__' key 'format' expected a string, found 1");
    }

    @Test
    void duplicateTensorName() throws IOException {
        withHeader("{" + t("a", "F32", "[2]", 0, 8) + "," + t("a", "F32", "[2]", 8, 16) + "}", 16);
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> SafetensorsFile.open(file));
        assertTrue(e.getMessage().startsWith(file + ": header expected a JSON object, found invalid JSON (Duplicate"),
                e.getMessage());
        assertTrue(e.getMessage().contains("'a'"), e.getMessage());
    }

    @Test
    void hostileNamesStayOnOneLine() throws IOException {
        withHeader("{" + t("a\\nb", "F32", "[3]", 0, 8) + "}", 8);
        assertRefused("tensor 'a\\u000ab' expected 12 bytes for shape [3] of F32, found 8 (data_offsets [0, 8])");
    }

    @Test
    void edgeCasesHuggingFaceAccepts() throws IOException {
        // leading whitespace, a scalar, an empty tensor, BOOL, unsorted entries, null metadata, unknown keys, padding
        withHeader(" {\"__metadata__\":null," + t("s", "F32", "[]", 0, 4) + "," + t("z", "F16", "[0,7]", 4, 4) + ","
                + "\"flag\":{\"dtype\":\"BOOL\",\"shape\":[3],\"data_offsets\":[4,7],\"extra\":1}}   ", 7);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(List.of("s", "z", "flag"), f.names());
            assertEquals(0, f.entry("s").rank());
            assertEquals(1, f.entry("s").elementCount());
            assertEquals(0, f.entry("z").data().byteSize());
            assertEquals(3, f.entry("flag").data().byteSize());
            assertEquals(java.util.Map.of(), f.metadata());
        }
    }

    @Test
    void anEmptyCheckpointFileOpens() throws IOException {
        withHeader("{}", 0);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(List.of(), f.names());
        }
    }

    @Test
    void missingTensorIsNamed() throws IOException {
        withHeader("{" + t("a", "F32", "[2]", 0, 8) + "}", 8);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> f.entry("b"));
            assertEquals(file + ": tensor 'b' is missing from the file", e.getMessage());
        }
    }

    @Test
    void readingAfterCloseFailsCleanly() throws IOException {
        withHeader("{" + t("a", "F32", "[2]", 0, 8) + "}", 8);
        SafetensorsFile f = SafetensorsFile.open(file);
        TensorEntry a = f.entry("a");
        assertArrayEquals(new float[] {0, 0}, a.toFloatArray());
        f.close();
        f.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> a.data().get(ValueLayout.JAVA_BYTE, 0));
        assertThrows(IllegalStateException.class, () -> f.entry("a"));
    }

    @Test
    void unreadablePaths() {
        Path missing = tmp.resolve("nope.safetensors");
        assertEquals(missing + ": cannot be read (no such file)",
                assertThrows(CheckpointFormatException.class, () -> SafetensorsFile.open(missing)).getMessage());
        assertEquals(tmp + ": expected a safetensors file, found a directory",
                assertThrows(CheckpointFormatException.class, () -> SafetensorsFile.open(tmp)).getMessage());
    }

    @Test
    void shapeAndDtypeExpectationsOfAModel() throws IOException {
        withHeader("{" + t("model.layers.3.mlp.up_proj.weight", "BF16", "[4,2]", 0, 16) + "}", 16);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            TensorEntry up = f.entry("model.layers.3.mlp.up_proj.weight");
            assertEquals(up, up.requireShape("config.json", 4, 2).requireDtype(Dtype.F32, Dtype.BF16));
            assertEquals(file + ": tensor 'model.layers.3.mlp.up_proj.weight' expected shape [8, 2] from config.json,"
                    + " found [4, 2]", assertThrows(CheckpointFormatException.class,
                            () -> up.requireShape("config.json", 8, 2)).getMessage());
            assertEquals(file + ": tensor 'model.layers.3.mlp.up_proj.weight' expected dtype F32, F16 or I8, found BF16",
                    assertThrows(CheckpointFormatException.class,
                            () -> up.requireDtype(Dtype.F32, Dtype.F16, Dtype.I8)).getMessage());
        }
    }

    @Test
    void wrongDtypeForAConversionIsNamed() throws IOException {
        withHeader("{" + t("ids", "I64", "[1]", 0, 8) + "}", 8);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(file + ": tensor 'ids' expected dtype F32, F16 or BF16, found I64",
                    assertThrows(CheckpointFormatException.class, () -> f.entry("ids").toFloatArray()).getMessage());
        }
    }
}
