package io.tttv2.core.modules.encoder;

import io.tttv2.api.modules.EncoderLayer;
import io.tttv2.api.modules.EncoderLayerParts;
import io.tttv2.api.modules.EncoderLayerSpec;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.PaddingMask;
import io.tttv2.api.ops.Device;
import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.Arena;

/**
 * An encoder layer in either of HF's two layouts ({@link EncoderLayerSpec.EncoderResidual}): BERT normalises
 * after each residual sum, T5 before each branch. Buffers are allocated per call, as the encoder runs once
 * per request.
 */
public final class ResidualEncoderLayer implements EncoderLayer {

    private static final String MODULE = "encoder layer";

    private final EncoderLayerSpec spec;
    private final ModuleConfig config;
    private final EncoderLayerParts parts;
    private final Ops ops;

    public ResidualEncoderLayer(EncoderLayerSpec spec, ModuleConfig config, EncoderLayerParts parts, Device device) {
        this.spec = spec;
        this.config = config;
        this.parts = parts;
        this.ops = device.ops();
    }

    @Override
    public void forward(Tensor x, PaddingMask mask, Tensor bias) {
        EncoderShapes.batch(MODULE, "input", x, spec.hidden());
        int rows = x.dim(0) * x.dim(1);
        Tensor flat = x.reshape(rows, spec.hidden());                               // [B·T, hidden]
        try (Arena arena = Arena.ofShared()) {
            Tensor branch = Tensor.allocate(arena, DType.F32, x.shape());           // [B, T, hidden]
            Tensor branchFlat = branch.reshape(rows, spec.hidden());
            switch (spec.pattern()) {
                case NORM_AFTER_RESIDUAL -> {
                    parts.attention().forward(x, mask, bias, branch);
                    ops.add(flat, branchFlat, flat);                                // x = x + attention(x)
                    parts.attentionNorm().prefill(flat, flat);                      // x = norm1(x)
                    parts.mlp().prefill(flat, branchFlat);
                    ops.add(flat, branchFlat, flat);                                // x = x + mlp(x)
                    parts.mlpNorm().prefill(flat, flat);                            // x = norm2(x)
                }
                case PRE_NORM -> {
                    Tensor normed = Tensor.allocate(arena, DType.F32, x.shape());   // [B, T, hidden]
                    Tensor normedFlat = normed.reshape(rows, spec.hidden());
                    parts.attentionNorm().prefill(flat, normedFlat);
                    parts.attention().forward(normed, mask, bias, branch);
                    ops.add(flat, branchFlat, flat);                                // x = x + attention(norm1(x))
                    parts.mlpNorm().prefill(flat, normedFlat);
                    parts.mlp().prefill(normedFlat, branchFlat);
                    ops.add(flat, branchFlat, flat);                                // x = x + mlp(norm2(x))
                }
            }
        }
    }

    @Override
    public String candidate() {
        return ResidualEncoderLayerFactory.NAME;
    }

    @Override
    public EncoderLayerSpec spec() {
        return spec;
    }

    @Override
    public ModuleConfig config() {
        return config;
    }
}
