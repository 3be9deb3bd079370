package io.tttv2.integration.hf.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the header alone (dry runs): a file cut after its header reads as its header says; a bad header is still refused. */
class HeaderOnlyTest {

    @TempDir
    Path tmp;

    private Path file(String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        Path file = tmp.resolve("model.safetensors");
        Files.write(file, ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(h.length).put(h).array());
        return file;
    }

    private static final String TWO = "{\"a\":{\"dtype\":\"BF16\",\"shape\":[4,2],\"data_offsets\":[0,16]},"
            + "\"b\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[16,28]}}";

    @Test
    void aFileWithoutItsDataReadsAsItsHeaderSaysAndItsDataIsEmpty() throws IOException {
        Path file = file(TWO, 0);
        assertThrows(CheckpointFormatException.class, () -> SafetensorsFile.open(file), "a full open needs the data");
        try (SafetensorsFile f = SafetensorsFile.openHeader(file)) {
            assertEquals(List.of("a", "b"), f.names());
            assertArrayEquals(new long[] {4, 2}, f.entry("a").shape());
            assertEquals(Dtype.BF16, f.entry("a").dtype());
            assertEquals(0, f.entry("a").data().byteSize());
        }
        try (Checkpoint c = Checkpoint.openHeaders(tmp)) {
            assertArrayEquals(new long[] {3}, c.entry("b").shape());
        }
    }

    @Test
    void aHeaderWithAGapIsStillRefused() throws IOException {
        Path file = file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[12,20]}}", 0);
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> SafetensorsFile.openHeader(file));
        assertEquals(true, e.getMessage().startsWith(file + ": "), e.getMessage());
    }

    @Test
    void aTruncatedHeaderIsRefused() throws IOException {
        Path file = tmp.resolve("cut.safetensors");
        byte[] h = TWO.getBytes(StandardCharsets.UTF_8);
        Files.write(file, ByteBuffer.allocate(8 + 10).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h, 0, 10).array());
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> SafetensorsFile.openHeader(file));
        assertEquals(true, e.getMessage().contains("file truncated?"), e.getMessage());
    }
}
