package io.tttv2.models.kit;

/** What a model bundle says about one encoder–decoder checkpoint: the plan and how its tensor names map onto the kit's. */
public record EncoderDecoderModel(EncoderDecoderPlan plan, WeightMapping mapping) {
}
