package io.tttv2.api.modules;

/**
 * Multi-head latent attention (DeepSeek-V2/V3): queries through a low-rank projection with its norm (or one
 * plain projection), keys and values through a shared compressed latent with its norm, and a decoupled rotary
 * key shared by all heads. Weight names: {@code q_a_proj, q_a_layernorm, q_b_proj} (or {@code q_proj} when
 * {@code qLoraRank} is 0), {@code kv_a_proj_with_mqa} [kvLoraRank + qkRopeHeadDim, hidden],
 * {@code kv_a_layernorm} [kvLoraRank], {@code kv_b_proj} [heads · (qkNopeHeadDim + vHeadDim), kvLoraRank],
 * {@code o_proj} [hidden, heads · vHeadDim]. What is cached per token is the normed latent followed by the
 * rotated key: {@link #cacheWidth()} elements, not per-head keys and values.
 *
 * @param hidden        model width
 * @param heads         attention heads
 * @param qLoraRank     rank of the query projection; 0 for a plain {@code q_proj} (HF {@code q_lora_rank} null)
 * @param kvLoraRank    rank of the compressed key/value latent
 * @param qkNopeHeadDim query/key elements per head without rotary positions
 * @param qkRopeHeadDim query/key elements per head with rotary positions (even)
 * @param vHeadDim      value elements per head
 * @param bias          q_a_proj (or q_proj), kv_a_proj_with_mqa and o_proj have biases (HF {@code attention_bias})
 * @param qANorm        {@code q_a_layernorm} (dim qLoraRank), or null when qLoraRank is 0
 * @param kvANorm       {@code kv_a_layernorm} (dim kvLoraRank)
 * @param scaling       multiplies q·k: (qkNopeHeadDim + qkRopeHeadDim)^-0.5, times YaRN's mscale² when asked
 */
public record LatentAttentionSpec(int hidden, int heads, int qLoraRank, int kvLoraRank, int qkNopeHeadDim,
                                  int qkRopeHeadDim, int vHeadDim, boolean bias, NormSpec qANorm, NormSpec kvANorm,
                                  float scaling) {

    public LatentAttentionSpec {
        if (hidden <= 0 || heads <= 0 || qLoraRank < 0 || kvLoraRank <= 0 || qkNopeHeadDim <= 0
                || qkRopeHeadDim <= 0 || qkRopeHeadDim % 2 != 0 || vHeadDim <= 0) {
            throw new IllegalArgumentException("latent attention needs positive dims and an even rotary dim, found"
                    + " hidden " + hidden + ", heads " + heads + ", q rank " + qLoraRank + ", kv rank " + kvLoraRank
                    + ", nope " + qkNopeHeadDim + ", rope " + qkRopeHeadDim + ", v " + vHeadDim);
        }
        if ((qLoraRank == 0) != (qANorm == null) || (qANorm != null && qANorm.dim() != qLoraRank)) {
            throw new IllegalArgumentException("latent attention: q_a_layernorm is needed exactly when q rank > 0,"
                    + " of dim " + qLoraRank + ", found " + (qANorm == null ? "none" : "dim " + qANorm.dim()));
        }
        if (kvANorm == null || kvANorm.dim() != kvLoraRank) {
            throw new IllegalArgumentException("latent attention: kv_a_layernorm must have dim " + kvLoraRank
                    + ", found " + (kvANorm == null ? "none" : "dim " + kvANorm.dim()));
        }
        if (!(scaling > 0)) {
            throw new IllegalArgumentException("latent attention: scaling must be positive, found " + scaling);
        }
    }

    /** Query/key elements per head: qkNopeHeadDim + qkRopeHeadDim. */
    public int qkHeadDim() {
        return qkNopeHeadDim + qkRopeHeadDim;
    }

    /** Elements cached per token and layer: the latent and the rotary key, kvLoraRank + qkRopeHeadDim. */
    public int cacheWidth() {
        return kvLoraRank + qkRopeHeadDim;
    }
}
