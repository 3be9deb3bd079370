package io.tttv2.models.bert;

import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.EmbeddingSpec;
import io.tttv2.api.modules.EncoderAttentionSpec;
import io.tttv2.api.modules.EncoderLayerSpec.EncoderResidual;
import io.tttv2.api.modules.LmHeadSpec;
import io.tttv2.api.modules.MlpSpec;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.modules.PoolerSpec;
import io.tttv2.api.modules.PositionEmbeddingSpec;
import io.tttv2.api.ops.Activation;
import io.tttv2.api.runner.ModelLoadException;
import io.tttv2.integration.hf.config.ConfigJson;
import io.tttv2.integration.hf.config.HfConfig;
import io.tttv2.models.kit.EncoderLayerPlan;
import io.tttv2.models.kit.EncoderModel;
import io.tttv2.models.kit.EncoderPlan;
import io.tttv2.models.kit.HfPlans;
import io.tttv2.models.kit.MaskedLmHeadPlan;
import io.tttv2.models.kit.WeightMapping;
import java.util.ArrayList;
import java.util.List;

/** BERT's config.json → the kit's encoder plan, and BERT's tensor names → the kit's. */
final class BertPlans {

    static final String ARCHITECTURE = "BertModel";
    static final String MASKED_LM = "BertForMaskedLM";
    // BertConfig's defaults where config.json is silent
    private static final double DEFAULT_LAYER_NORM_EPS = 1e-12;
    private static final int DEFAULT_TYPE_VOCAB = 2;
    private static final int DEFAULT_MAX_POSITIONS = 512;

    private BertPlans() {
    }

    /**
     * @param pooler whether the checkpoint has the pooler ({@code BertModel(add_pooling_layer=False)} saves none)
     */
    static EncoderModel of(HfConfig c, boolean pooler) {
        ConfigJson json = c.json();
        String file = c.file().getFileName().toString();
        String positionType = json.optionalString("position_embedding_type").orElse("absolute");
        if (!positionType.equals("absolute")) {
            throw new ModelLoadException(file + ": key 'position_embedding_type' expected 'absolute', found '"
                    + positionType + "' (relative position embeddings are not supported)");
        }
        if (json.optionalBoolean("is_decoder").orElse(false)) {
            throw new ModelLoadException(file + ": key 'is_decoder' is true: BertModel runs here as an encoder only"
                    + " (bidirectional attention), expected false");
        }
        int hidden = c.hiddenSize();
        int heads = c.numAttentionHeads();
        int headDim = c.headDim();      // hidden / heads: HfConfig refuses heads that do not divide the width
        // differs from the decoders: LayerNorm after each residual sum, biases everywhere, bidirectional attention
        // under the padding mask, token-type and learned position embeddings summed and normalised
        NormSpec norm = new NormSpec(hidden, NormSpec.NormKind.LAYER,
                c.layerNormEps().orElse(DEFAULT_LAYER_NORM_EPS).floatValue(), 0f, true);
        AttentionSpec attention = new AttentionSpec(hidden, heads, heads, headDim, true, true, AttentionSpec.QkNorm.NONE,
                null, 0, 0f, (float) (1.0 / Math.sqrt(headDim)));
        MlpSpec mlp = new MlpSpec(hidden, c.intermediateSize(), Activation.of(c.hiddenAct().orElse("gelu")), false, true);
        List<EncoderLayerPlan> layers = new ArrayList<>();
        for (int l = 0; l < c.numHiddenLayers(); l++) {
            layers.add(new EncoderLayerPlan(EncoderResidual.NORM_AFTER_RESIDUAL, EncoderAttentionSpec.bidirectional(attention),
                    norm, mlp, norm));
        }
        int maxPositions = c.maxPositionEmbeddings().orElse(DEFAULT_MAX_POSITIONS);
        int typeVocab = json.optionalInt("type_vocab_size").orElse(DEFAULT_TYPE_VOCAB);
        String architecture = c.architectures().isEmpty() ? ARCHITECTURE : c.architectures().get(0);
        // BertForMaskedLM: cls.predictions — dense + hidden_act + LayerNorm, then the (tied) vocabulary projection
        MaskedLmHeadPlan head = architecture.equals(MASKED_LM)
                ? new MaskedLmHeadPlan(Activation.of(c.hiddenAct().orElse("gelu")), norm,
                        new LmHeadSpec(hidden, c.vocabSize(), 0f), c.tieWordEmbeddings())
                : null;
        EncoderPlan plan = new EncoderPlan(architecture, new EmbeddingSpec(c.vocabSize(), hidden, 1f),
                typeVocab > 0 ? new EmbeddingSpec(typeVocab, hidden, 1f) : null,
                new PositionEmbeddingSpec(maxPositions, hidden), null, norm, layers, null,
                pooler ? new PoolerSpec(hidden) : null, maxPositions, HfPlans.parameterDType(c), head);
        return new EncoderModel(plan, mapping());
    }

    /**
     * BERT's names, with or without the {@code bert.} prefix of its task models (the masked-LM head's are outside
     * it); old checkpoints keep position_ids.
     */
    static WeightMapping mapping() {
        return WeightMapping.builder()
                .basePrefix("bert")
                .rename("encoder.embed_tokens", "bert.embeddings.word_embeddings")
                .rename("encoder.embed_token_types", "bert.embeddings.token_type_embeddings")
                .rename("encoder.embed_positions", "bert.embeddings.position_embeddings")
                .rename("encoder.embed_norm", "bert.embeddings.LayerNorm")
                .rename("encoder.layers.*", "bert.encoder.layer.*")
                .rename("encoder.layers.*.self_attn.q_proj", "bert.encoder.layer.*.attention.self.query")
                .rename("encoder.layers.*.self_attn.k_proj", "bert.encoder.layer.*.attention.self.key")
                .rename("encoder.layers.*.self_attn.v_proj", "bert.encoder.layer.*.attention.self.value")
                .rename("encoder.layers.*.self_attn.o_proj", "bert.encoder.layer.*.attention.output.dense")
                .rename("encoder.layers.*.attention_norm", "bert.encoder.layer.*.attention.output.LayerNorm")
                .rename("encoder.layers.*.mlp.up_proj", "bert.encoder.layer.*.intermediate.dense")
                .rename("encoder.layers.*.mlp.down_proj", "bert.encoder.layer.*.output.dense")
                .rename("encoder.layers.*.mlp_norm", "bert.encoder.layer.*.output.LayerNorm")
                .rename("pooler", "bert.pooler")
                .rename("cls.transform.norm", "cls.predictions.transform.LayerNorm")
                .rename("cls", "cls.predictions")
                .ignore("bert.embeddings.position_ids")
                // HF ties the decoder's bias to cls.predictions.bias, and a tied decoder weight to the embedding
                .ignore("cls.predictions.decoder.bias")
                .ignore("cls.predictions.decoder.weight")
                .build();
    }
}
