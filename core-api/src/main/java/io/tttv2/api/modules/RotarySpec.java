package io.tttv2.api.modules;

import io.tttv2.api.ops.RotaryStyle;
import io.tttv2.api.tensor.DType;

/**
 * Rotary position embedding of attention heads.
 *
 * @param headDim      elements per head
 * @param rotaryDim    leading elements of each head that rotate (headDim, or less for partial rotary)
 * @param scaling      frequencies and their scaling
 * @param maxPositions positions the tables cover
 * @param style        which elements pair up
 * @param frequencyDType the dtype HF holds {@code inv_freq} in: the model's (a buffer is cast with the weights,
 *                     so a BF16 checkpoint rotates by BF16-rounded frequencies); F32 for F32 models
 */
public record RotarySpec(int headDim, int rotaryDim, RopeScaling scaling, int maxPositions, RotaryStyle style,
                         DType frequencyDType) {

    public RotarySpec {
        if (rotaryDim <= 0 || rotaryDim > headDim || rotaryDim % 2 != 0 || maxPositions <= 0) {
            throw new IllegalArgumentException("rotary needs an even rotary dim in (0, headDim] and positions > 0, found "
                    + rotaryDim + " of " + headDim + ", " + maxPositions + " positions");
        }
        if (frequencyDType == null || !frequencyDType.isFloating()) {
            throw new IllegalArgumentException("rotary frequencies need a floating dtype, found " + frequencyDType);
        }
    }

    /** Frequencies held in F32. */
    public RotarySpec(int headDim, int rotaryDim, RopeScaling scaling, int maxPositions, RotaryStyle style) {
        this(headDim, rotaryDim, scaling, maxPositions, style, DType.F32);
    }
}
