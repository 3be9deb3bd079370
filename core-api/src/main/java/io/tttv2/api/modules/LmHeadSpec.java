package io.tttv2.api.modules;

/**
 * The output projection to vocabulary logits, weight {@code weight} [vocab, hidden] (the embedding's
 * when tied).
 *
 * @param hidden  width
 * @param vocab   logits per token
 * @param softcap 0 for none, else final logits are soft-capped (Gemma 2)
 */
public record LmHeadSpec(int hidden, int vocab, float softcap) {
}
