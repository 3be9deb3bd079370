package io.tttv2.core.modules.latent;

import io.tttv2.api.modules.LatentAttentionSpec;
import io.tttv2.core.modules.RowBuffer;

/**
 * Preallocated buffers for {@code rows} tokens of one latent-attention pass (r = kvLoraRank, qk = nope + rope).
 *
 * @param qA        [rows, qLoraRank] q_a_proj output, normed in place; null without a q rank
 * @param q         [rows, heads, qk] per-head queries: nope part, then the rotated rope part
 * @param entry     [rows, 1, r + rope] what the cache stores: kv_a_proj output, its latent part normed, its
 *                  rope part rotated
 * @param latent    [rows, r] the latent part alone (the norm runs on contiguous rows)
 * @param absorbed  [rows, heads, r + rope] queries in the latent space: W_ukᵀ·q_nope, then q_rope
 * @param nope      [rows, nope] one head's nope query, contiguous for a matmul
 * @param headLatent [rows, r] one head's absorbed query, then one head's context
 * @param headValue [rows, v] one head's value output
 * @param context   [rows, heads, r] attention output in the latent space
 * @param values    [rows, heads, v] per-head outputs after W_uv, the input of o_proj
 */
record LatentWorkspace(RowBuffer qA, RowBuffer q, RowBuffer entry, RowBuffer latent, RowBuffer absorbed,
                       RowBuffer nope, RowBuffer headLatent, RowBuffer headValue, RowBuffer context, RowBuffer values,
                       Views views) {

    /**
     * The per-head and per-part views the forward takes of these buffers: q's nope and rope parts, the entry's
     * latent and rope parts, the absorbed query's latent and rope parts, each head of the context and values.
     */
    record Views(HeadViews qNope, HeadViews qRope, HeadViews entryLatent, HeadViews entryRope,
                 HeadViews absorbedLatent, HeadViews absorbedRope, HeadViews context, HeadViews values) {
    }

    static LatentWorkspace of(int rows, LatentAttentionSpec s) {
        int r = s.kvLoraRank();
        int h = s.heads();
        int nope = s.qkNopeHeadDim();
        int rope = s.qkRopeHeadDim();
        RowBuffer q = new RowBuffer(rows, h, s.qkHeadDim());
        RowBuffer entry = new RowBuffer(rows, 1, s.cacheWidth());
        RowBuffer absorbed = new RowBuffer(rows, h, s.cacheWidth());
        RowBuffer context = new RowBuffer(rows, h, r);
        RowBuffer values = new RowBuffer(rows, h, s.vHeadDim());
        Views views = new Views(new HeadViews(q, h, 0, nope), new HeadViews(q, h, nope, rope),
                new HeadViews(entry, 1, 0, r), new HeadViews(entry, 1, r, rope),
                new HeadViews(absorbed, h, 0, r), new HeadViews(absorbed, h, r, rope),
                new HeadViews(context, h, 0, r), new HeadViews(values, h, 0, s.vHeadDim()));
        return new LatentWorkspace(
                s.qLoraRank() > 0 ? new RowBuffer(rows, s.qLoraRank()) : null,
                q,
                entry,
                new RowBuffer(rows, r),
                absorbed,
                new RowBuffer(rows, nope),
                new RowBuffer(rows, r),
                new RowBuffer(rows, s.vHeadDim()),
                context,
                values,
                views);
    }
}
