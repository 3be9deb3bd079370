package io.tttv2.api.modules;

import io.tttv2.api.ops.RotaryStyle;

/**
 * Rotary position embedding of attention heads.
 *
 * @param headDim      elements per head
 * @param rotaryDim    leading elements of each head that rotate (headDim, or less for partial rotary)
 * @param scaling      frequencies and their scaling
 * @param maxPositions positions the tables cover
 * @param style        which elements pair up
 */
public record RotarySpec(int headDim, int rotaryDim, RopeScaling scaling, int maxPositions, RotaryStyle style) {

    public RotarySpec {
        if (rotaryDim <= 0 || rotaryDim > headDim || rotaryDim % 2 != 0 || maxPositions <= 0) {
            throw new IllegalArgumentException("rotary needs an even rotary dim in (0, headDim] and positions > 0, found "
                    + rotaryDim + " of " + headDim + ", " + maxPositions + " positions");
        }
    }
}
