package io.tttv2.integration.hf.gguf;

import io.tttv2.integration.hf.config.HfConfig;
import io.tttv2.integration.hf.config.RopeParameters;
import io.tttv2.integration.hf.safetensors.Checkpoint;
import io.tttv2.integration.hf.safetensors.CheckpointFormatException;
import io.tttv2.integration.hf.safetensors.TensorEntry;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Writes a HuggingFace checkpoint as a GGUF model file llama.cpp loads: the metadata llama.cpp reads for the
 * architecture, the caller's tokenizer metadata ({@code tokenizer.ggml.*}), the tensors under GGUF names with what
 * {@code convert_hf_to_gguf.py} changes applied (Llama-family Q/K rows permuted, Gemma's norms as {@code 1 + w},
 * Llama 3's RoPE scaling as {@code rope_freqs.weight}); 1-D tensors in F32 as the converter writes them, matrices
 * in their stored type or the one asked for.
 */
@ProviderType
public final class GgufModelWriter {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** llama.cpp's {@code llama_ftype} numbers for general.file_type. */
    private static final Map<GgmlType, Integer> FILE_TYPES = Map.of(GgmlType.F32, 0, GgmlType.F16, 1,
            GgmlType.Q4_0, 2, GgmlType.Q8_0, 7, GgmlType.BF16, 32);

    private GgufModelWriter() {
    }

    /**
     * @param name       general.name
     * @param matrixType the type of the weight matrices (F32, F16, BF16), or null to keep each as stored
     * @param tokenizer  the tokenizer.ggml.* metadata
     * @throws CheckpointFormatException one line if the model is not one this writer converts
     * @throws IOException               if the file cannot be written (the target is then unchanged)
     */
    public static void write(HfConfig config, Checkpoint checkpoint, String name, GgmlType matrixType,
                             Map<String, GgufValue> tokenizer, Path out) throws IOException {
        GgufArchitecture arch = GgufArchitecture.ofModelType(config.modelType()).orElseThrow(() ->
                new CheckpointFormatException(config.file() + ": key 'model_type' expected one of "
                        + GgufArchitecture.modelTypes() + " to write as GGUF, found '" + config.modelType() + "'"));
        if (matrixType != null && matrixType != GgmlType.F32 && matrixType != GgmlType.F16
                && matrixType != GgmlType.BF16) {
            throw new IllegalArgumentException("matrix type " + matrixType + " is not written yet");
        }
        GgufWriter w = new GgufWriter();
        metadata(w, config, arch, name, matrixType == null ? stored(checkpoint) : matrixType);
        tokenizer.forEach(w::put);
        if (config.rope().ropeType() == io.tttv2.integration.hf.config.RopeType.LLAMA3) {
            RopeParameters p = config.rope();
            float[] factors = Llama3Rope.factors(p.theta(), p.rotaryDim(config.headDim()), p.factor().orElse(1.0),
                    p.lowFreqFactor().orElse(1.0), p.highFreqFactor().orElse(4.0),
                    p.originalMaxPositionEmbeddings().orElse(8192));
            w.put(Llama3Rope.LOW_KEY, GgufValue.float32(p.lowFreqFactor().orElse(1.0).floatValue()));
            w.put(Llama3Rope.HIGH_KEY, GgufValue.float32(p.highFreqFactor().orElse(4.0).floatValue()));
            w.put(Llama3Rope.ORIGINAL_KEY, GgufValue.uint32(p.originalMaxPositionEmbeddings().orElse(8192)));
            w.tensor(GgufModel.ROPE_FREQS, GgmlType.F32, new long[] {factors.length},
                    t -> MemorySegment.copy(factors, 0, t, F32, 0, factors.length));
        }
        for (String hf : checkpoint.names()) {
            if (config.tieWordEmbeddings() && hf.equals("lm_head.weight")) {
                continue;   // llama.cpp reuses token_embd when output is absent
            }
            TensorEntry entry = checkpoint.entry(hf);
            String gguf = GgufNames.toGguf(hf).orElseThrow(() -> new CheckpointFormatException(entry.file()
                    .getFileName() + ": tensor '" + hf + "' has no GGUF name for " + arch.ggufName));
            long[] shape = entry.shape();
            long[] dims = new long[shape.length];
            for (int i = 0; i < shape.length; i++) {
                dims[i] = shape[shape.length - 1 - i];
            }
            boolean vector = shape.length == 1;
            GgmlType type = vector ? GgmlType.F32 : matrixType != null ? matrixType : ggml(entry);
            boolean permute = arch.permutesQk && (GgufNames.isQuery(hf) || GgufNames.isKey(hf));
            int heads = GgufNames.isQuery(hf) ? config.numAttentionHeads() : config.numKeyValueHeads();
            float offset = arch.normOffset != 0 && GgufNames.isNormWeight(hf) ? arch.normOffset : 0f;
            w.tensor(gguf, type, dims, target -> fill(entry, type, permute, heads, offset, target));
        }
        w.write(out);
    }

    private static void metadata(GgufWriter w, HfConfig c, GgufArchitecture arch, String name, GgmlType fileType) {
        String p = arch.ggufName + ".";
        w.put("general.architecture", GgufValue.string(arch.ggufName));
        w.put("general.name", GgufValue.string(name));
        w.put("general.file_type", GgufValue.uint32(FILE_TYPES.getOrDefault(fileType, 0)));
        w.put(p + "vocab_size", GgufValue.uint32(c.vocabSize()));
        w.put(p + "context_length", GgufValue.uint32(c.maxPositionEmbeddings().orElse(2048)));
        w.put(p + "embedding_length", GgufValue.uint32(c.hiddenSize()));
        w.put(p + "block_count", GgufValue.uint32(c.numHiddenLayers()));
        w.put(p + "feed_forward_length", GgufValue.uint32(c.intermediateSize()));
        w.put(p + "attention.head_count", GgufValue.uint32(c.numAttentionHeads()));
        w.put(p + "attention.head_count_kv", GgufValue.uint32(c.numKeyValueHeads()));
        w.put(p + "attention.key_length", GgufValue.uint32(c.headDim()));
        w.put(p + "attention.value_length", GgufValue.uint32(c.headDim()));
        w.put(p + "attention.layer_norm_rms_epsilon", GgufValue.float32(c.rmsNormEps().orElse(1e-6).floatValue()));
        RopeParameters rope = c.rope();
        w.put(p + "rope.freq_base", GgufValue.float32((float) rope.theta()));
        w.put(p + "rope.dimension_count", GgufValue.uint32(rope.rotaryDim(c.headDim())));
        switch (rope.ropeType()) {
            case DEFAULT, LLAMA3 -> { }
            case LINEAR, YARN -> {
                w.put(p + "rope.scaling.type", GgufValue.string(rope.ropeType().hfName()));
                w.put(p + "rope.scaling.factor", GgufValue.float32(rope.factor().orElse(1.0).floatValue()));
                rope.originalMaxPositionEmbeddings().ifPresent(n ->
                        w.put(p + "rope.scaling.original_context_length", GgufValue.uint32(n)));
            }
            default -> throw new CheckpointFormatException(c.file() + ": key 'rope_parameters.rope_type' expected "
                    + "default, linear, yarn or llama3 to write as GGUF, found " + rope.ropeType().hfName());
        }
        if (c.slidingWindow().isPresent() && (c.useSlidingWindow() || c.modelType().equals("mistral"))) {
            throw new CheckpointFormatException(c.file() + ": key 'sliding_window' expected null to write as GGUF "
                    + arch.ggufName + " (llama.cpp's " + arch.ggufName + " has no sliding window), found "
                    + c.slidingWindow().get());
        }
    }

    /** The type most matrices are stored in, for general.file_type. */
    private static GgmlType stored(Checkpoint checkpoint) {
        return checkpoint.names().stream().map(checkpoint::entry).filter(e -> e.rank() == 2).findFirst()
                .map(GgufModelWriter::ggml).orElse(GgmlType.F32);
    }

    private static GgmlType ggml(TensorEntry e) {
        return switch (e.dtype()) {
            case F32 -> GgmlType.F32;
            case F16 -> GgmlType.F16;
            case BF16 -> GgmlType.BF16;
            default -> throw new CheckpointFormatException(e.file().getFileName() + ": tensor '" + e.name()
                    + "' has dtype " + e.dtype() + ", expected one of F32, F16, BF16 to write as GGUF");
        };
    }

    /** Writes the entry's values as {@code type}, rows permuted and {@code offset} added where asked. */
    private static void fill(TensorEntry entry, GgmlType type, boolean permute, int heads, float offset,
                             MemorySegment target) {
        MemorySegment source = entry.data();
        if (ggml(entry) != type || offset != 0) {
            float[] values = entry.toFloatArray();
            if (offset != 0) {
                for (int i = 0; i < values.length; i++) {
                    values[i] += offset;
                }
            }
            source = encode(values, type);
        }
        if (permute) {
            long rows = entry.dim(0);
            QkPermutation.copy(source, target, rows, target.byteSize() / rows, (int) (rows / heads), false);
        } else {
            MemorySegment.copy(source, 0, target, 0, target.byteSize());
        }
    }

    private static MemorySegment encode(float[] values, GgmlType type) {
        switch (type) {
            case F32 -> {
                return MemorySegment.ofArray(values.clone());
            }
            case F16 -> {
                MemorySegment out = MemorySegment.ofArray(new short[values.length]);
                for (int i = 0; i < values.length; i++) {
                    out.setAtIndex(I16, i, Float.floatToFloat16(values[i]));
                }
                return out;
            }
            case BF16 -> {
                MemorySegment out = MemorySegment.ofArray(new short[values.length]);
                for (int i = 0; i < values.length; i++) {
                    out.setAtIndex(I16, i, bf16(values[i]));
                }
                return out;
            }
            default -> throw new IllegalArgumentException(type + " is not written yet");
        }
    }

    /** float32 → bfloat16, rounding to nearest even (NaN stays NaN). */
    static short bf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int rounding = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }
}
