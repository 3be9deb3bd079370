package io.tttv2.models.kit;

import io.tttv2.api.modules.LmHeadSpec;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.ops.Activation;

/**
 * A masked-language-model head over an encoder's last hidden state (BERT's {@code cls.predictions}): a dense
 * hidden → hidden with bias, the activation, a norm, then the vocabulary projection plus a bias per token.
 *
 * @param activation config.json's {@code hidden_act}
 * @param norm       the transform's norm ({@code cls.transform.norm})
 * @param decoder    the projection to [vocab] logits
 * @param tied       the projection's weight is the token embedding's (tie_word_embeddings)
 */
public record MaskedLmHeadPlan(Activation activation, NormSpec norm, LmHeadSpec decoder, boolean tied) {

    /** The kit's tensor paths, which a {@link WeightMapping} maps onto a checkpoint's. */
    public static final String DENSE = "cls.transform.dense";
    public static final String NORM = "cls.transform.norm";
    public static final String DECODER = "cls.decoder";
    public static final String BIAS = "cls.bias";

    public int hidden() {
        return decoder.hidden();
    }
}
