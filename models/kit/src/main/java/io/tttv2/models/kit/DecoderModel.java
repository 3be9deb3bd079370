package io.tttv2.models.kit;

/**
 * What a model bundle says about one checkpoint: the plan computed from its config.json, and how its tensor
 * names map onto the kit's.
 */
public record DecoderModel(DecoderPlan plan, WeightMapping mapping) {
}
