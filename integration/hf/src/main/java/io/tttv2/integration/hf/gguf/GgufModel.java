package io.tttv2.integration.hf.gguf;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tttv2.integration.hf.safetensors.Dtype;
import io.tttv2.integration.hf.safetensors.TensorEntry;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A GGUF model file seen as a HuggingFace checkpoint: the config.json its metadata describes and its tensors
 * under HF names and shapes, with what llama.cpp's converter changed undone — the Llama family's Q/K rows
 * back in HF's half-rotation order, Gemma's norm weights back to {@code w} from {@code 1 + w}. Those few tensors
 * are copied (into memory owned by this object); every other tensor is a slice of the mapped file.
 */
@ProviderType
public final class GgufModel implements AutoCloseable {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** The tensor llama.cpp stores Llama 3's RoPE divisors in; it becomes rope_parameters, not a weight. */
    static final String ROPE_FREQS = "rope_freqs.weight";

    private final GgufFile file;
    private final Arena copies;
    private final ObjectNode config;
    private final Map<String, TensorEntry> tensors;

    private GgufModel(GgufFile file, Arena copies, ObjectNode config, Map<String, TensorEntry> tensors) {
        this.file = file;
        this.copies = copies;
        this.config = config;
        this.tensors = tensors;
    }

    /**
     * Opens a GGUF model file of a supported architecture (llama — Mistral included —, qwen2, qwen3, gemma).
     *
     * @throws GgufFormatException one line: a malformed file, an architecture not read, a key missing, a tensor
     *                             of a type this build does not compute with
     */
    public static GgufModel open(Path path) {
        GgufFile file = GgufFile.open(path);
        Arena copies = Arena.ofShared();
        try {
            GgufArchitecture arch = architecture(file);
            ObjectNode config = GgufHfConfig.of(file, arch);
            Map<String, TensorEntry> tensors = new LinkedHashMap<>();
            int heads = config.get("num_attention_heads").asInt();
            int kvHeads = config.get("num_key_value_heads").asInt();
            for (GgufTensorInfo t : file.tensors()) {
                if (t.name().equals(ROPE_FREQS)) {
                    continue;
                }
                String hf = GgufNames.toHf(t.name()).orElse(t.name());
                Dtype dtype = dtype(path, t);
                MemorySegment data = file.data(t);
                if (arch.permutesQk && (GgufNames.isQuery(hf) || GgufNames.isKey(hf))) {
                    data = unpermute(path, t, data, GgufNames.isQuery(hf) ? heads : kvHeads, copies);
                } else if (arch.normOffset != 0 && GgufNames.isNormWeight(hf)) {
                    data = withoutOffset(path, t, data, arch.normOffset, copies);
                }
                tensors.put(hf, new TensorEntry(path, hf, dtype, t.hfShape(), data));
            }
            return new GgufModel(file, copies, config, Collections.unmodifiableMap(tensors));
        } catch (RuntimeException e) {
            copies.close();
            file.close();
            throw e;
        }
    }

    /**
     * The config.json a GGUF model file's metadata describes, without reading its tensors.
     *
     * @throws GgufFormatException one line naming the file and the problem
     */
    public static ObjectNode config(Path path) {
        try (GgufFile file = GgufFile.open(path)) {
            return GgufHfConfig.of(file, architecture(file));
        }
    }

    private static GgufArchitecture architecture(GgufFile file) {
        String name = file.metadata().string("general.architecture");
        return GgufArchitecture.ofGguf(name).orElseThrow(() -> new GgufFormatException(file.path()
                + ": key 'general.architecture' expected one of " + GgufArchitecture.ggufNames() + ", found '"
                + GgufParser.quote(name) + "'"));
    }

    public GgufFile file() {
        return file;
    }

    /** The config.json the metadata describes (a fresh copy: the caller may add to it). */
    public ObjectNode config() {
        return config.deepCopy();
    }

    /** HF name → tensor, in file order. */
    public Map<String, TensorEntry> tensors() {
        return tensors;
    }

    @Override
    public void close() {
        copies.close();
        file.close();
    }

    private static Dtype dtype(Path path, GgufTensorInfo t) {
        return switch (t.type()) {
            case F32 -> Dtype.F32;
            case F16 -> Dtype.F16;
            case BF16 -> Dtype.BF16;
            default -> throw new GgufFormatException(path + ": tensor '" + GgufParser.quote(t.name()) + "' has type "
                    + t.type() + ", expected one of F32, F16, BF16 (the types this build computes with)");
        };
    }

    /** q_proj/k_proj rows from llama.cpp's interleaved order back to HF's. */
    private static MemorySegment unpermute(Path path, GgufTensorInfo t, MemorySegment data, int heads, Arena copies) {
        long[] shape = t.hfShape();
        long rows = shape[0];
        if (rows % heads != 0 || (rows / heads) % 2 != 0) {
            throw new GgufFormatException(path + ": tensor '" + GgufParser.quote(t.name()) + "' expected rows "
                    + "divisible into " + heads + " heads of an even size, found " + rows + " rows");
        }
        MemorySegment out = copies.allocate(t.bytes(), 64);
        QkPermutation.copy(data, out, rows, t.bytes() / rows, (int) (rows / heads), true);
        return out.asReadOnly();
    }

    /** A norm weight stored as {@code offset + w} (F32), returned as {@code w}. */
    private static MemorySegment withoutOffset(Path path, GgufTensorInfo t, MemorySegment data, float offset,
                                               Arena copies) {
        if (t.type() != GgmlType.F32) {
            throw new GgufFormatException(path + ": tensor '" + GgufParser.quote(t.name()) + "' expected F32 (a norm "
                    + "weight), found " + t.type());
        }
        long n = t.bytes() / 4;
        MemorySegment out = copies.allocate(t.bytes(), 64);
        for (long i = 0; i < n; i++) {
            out.setAtIndex(F32, i, data.getAtIndex(F32, i) - offset);
        }
        return out.asReadOnly();
    }
}
