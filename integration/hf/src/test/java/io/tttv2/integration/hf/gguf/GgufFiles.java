package io.tttv2.integration.hf.gguf;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small valid GGUF files for the reader's tests, written by {@link GgufWriter}. */
final class GgufFiles {
    private GgufFiles() {
    }

    /** Two tensors (F32 [3, 2] as ggml dims [2, 3] and a Q8_0 row of 32), metadata of every kind. */
    static byte[] small(Path dir) throws IOException {
        Path file = dir.resolve("seed.gguf");
        GgufWriter w = new GgufWriter();
        w.put("general.architecture", GgufValue.string("llama"));
        w.put("general.name", GgufValue.string("seed"));
        w.put("u8", new GgufValue(GgufValueType.UINT8, 200L));
        w.put("i8", new GgufValue(GgufValueType.INT8, -5L));
        w.put("u16", new GgufValue(GgufValueType.UINT16, 60000L));
        w.put("i16", new GgufValue(GgufValueType.INT16, -30000L));
        w.put("u32", GgufValue.uint32(4000000000L));
        w.put("i32", GgufValue.int32(-7));
        w.put("u64", new GgufValue(GgufValueType.UINT64, 1L << 40));
        w.put("i64", new GgufValue(GgufValueType.INT64, -(1L << 40)));
        w.put("f32", GgufValue.float32(0.5f));
        w.put("f64", new GgufValue(GgufValueType.FLOAT64, 2.25));
        w.put("bool", GgufValue.bool(true));
        w.put("strings", GgufValue.strings(new String[] {"a", "ü", ""}));
        w.put("floats", GgufValue.floats(new float[] {1f, -2f}));
        w.put("ints", GgufValue.int32s(new long[] {3, -4}));
        w.put("bools", new GgufValue(GgufValueType.ARRAY, new GgufValue.Array(GgufValueType.BOOL,
                new boolean[] {true, false})));
        w.tensor("a.weight", GgmlType.F32, new long[] {2, 3}, t -> {
            for (int i = 0; i < 6; i++) {
                t.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, i + 1f);
            }
        });
        w.tensor("b.weight", GgmlType.Q8_0, new long[] {32}, t -> t.fill((byte) 1));
        w.write(file);
        return Files.readAllBytes(file);
    }
}
