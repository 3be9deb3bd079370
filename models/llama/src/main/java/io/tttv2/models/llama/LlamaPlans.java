package io.tttv2.models.llama;

import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.DecoderLayerSpec.ResidualPattern;
import io.tttv2.api.modules.EmbeddingSpec;
import io.tttv2.api.modules.LmHeadSpec;
import io.tttv2.api.modules.MlpSpec;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.modules.RotarySpec;
import io.tttv2.api.ops.Activation;
import io.tttv2.integration.hf.config.HfConfig;
import io.tttv2.models.kit.DecoderModel;
import io.tttv2.models.kit.DecoderPlan;
import io.tttv2.models.kit.HfPlans;
import io.tttv2.models.kit.LayerPlan;
import io.tttv2.models.kit.WeightMapping;
import java.util.ArrayList;
import java.util.List;

/** config.json → the plan of a Llama-family model; the checkpoint already uses the kit's names. */
final class LlamaPlans {

    private LlamaPlans() {
    }

    static DecoderModel of(HfConfig c) {
        LlamaVariant variant = LlamaVariant.of(c.architectures().get(0));
        NormSpec norm = HfPlans.rmsNorm(c, c.hiddenSize());
        RotarySpec rotary = HfPlans.rotary(c, HfConfig.FULL_ATTENTION);
        MlpSpec mlp = new MlpSpec(c.hiddenSize(), c.intermediateSize(), Activation.of(c.hiddenAct().orElse("silu")), true,
                c.mlpBias());
        List<LayerPlan> layers = new ArrayList<>();
        for (int l = 0; l < c.numHiddenLayers(); l++) {
            layers.add(LayerPlan.of(ResidualPattern.PRE_NORM, norm, attention(c, variant, l), rotary, mlp));
        }
        DecoderPlan plan = new DecoderPlan(variant.architecture, new EmbeddingSpec(c.vocabSize(), c.hiddenSize(), 1f),
                null, layers, norm, new LmHeadSpec(c.hiddenSize(), c.vocabSize(), 0f), c.tieWordEmbeddings(),
                HfPlans.maxPositions(c), c.eosTokenIds(), HfPlans.parameterDType(c));
        return new DecoderModel(plan, WeightMapping.identity());
    }

    private static AttentionSpec attention(HfConfig c, LlamaVariant variant, int layer) {
        boolean qkNorm = variant.qkNorm();
        return new AttentionSpec(c.hiddenSize(), c.numAttentionHeads(), c.numKeyValueHeads(), c.headDim(),
                variant.qkvBias(c), variant.outputBias(c),
                qkNorm ? AttentionSpec.QkNorm.PER_HEAD : AttentionSpec.QkNorm.NONE,
                qkNorm ? HfPlans.rmsNorm(c, c.headDim()) : null,
                window(c, variant, layer), 0f, (float) (1.0 / Math.sqrt(c.headDim())));
    }

    /** The layer's window: from {@code layer_types} when given, else by the variant's rule; 0 for full attention. */
    private static int window(HfConfig c, LlamaVariant variant, int layer) {
        int window = c.slidingWindow().orElse(0);
        boolean slides = c.layerTypes().isEmpty() ? variant.slides(c, layer)
                : HfConfig.SLIDING_ATTENTION.equals(c.layerType(layer));
        return slides ? window : 0;
    }
}
