package io.tttv2.cli.embed;

import io.tttv2.api.runner.EncoderBatch;
import io.tttv2.api.runner.EncoderOutput;
import io.tttv2.api.tensor.Tensor;

/** How one vector is made from an encoder's output for a text ({@code --pooling}). */
public enum Pooling {
    /** The first token's last hidden state ([CLS] for BERT). */
    CLS {
        @Override
        public float[] pool(EncoderOutput out, EncoderBatch batch, int b, int hidden) {
            float[] v = new float[hidden];
            Tensor h = out.lastHiddenState();        // [B, T, hidden]
            for (int i = 0; i < hidden; i++) {
                v[i] = h.getFloat(b, 0, i);
            }
            return v;
        }
    },
    /** The mean of the last hidden states of the text's real tokens (padding excluded), as sentence-transformers do. */
    MEAN {
        @Override
        public float[] pool(EncoderOutput out, EncoderBatch batch, int b, int hidden) {
            Tensor h = out.lastHiddenState();        // [B, T, hidden]
            double[] sum = new double[hidden];
            int n = 0;
            for (int t = 0; t < batch.length(); t++) {
                if (batch.attentionMask() == null || batch.attentionMask()[b][t] != 0) {
                    for (int i = 0; i < hidden; i++) {
                        sum[i] += h.getFloat(b, t, i);
                    }
                    n++;
                }
            }
            float[] v = new float[hidden];
            for (int i = 0; i < hidden; i++) {
                v[i] = (float) (sum[i] / Math.max(1, n));
            }
            return v;
        }
    },
    /** The model's pooler output (dense + tanh on the first token); only for models with a pooler. */
    POOLER {
        @Override
        public float[] pool(EncoderOutput out, EncoderBatch batch, int b, int hidden) {
            float[] v = new float[hidden];
            for (int i = 0; i < hidden; i++) {
                v[i] = out.pooled().getFloat(b, i);
            }
            return v;
        }
    };

    /** Text {@code b}'s vector [hidden]. */
    public abstract float[] pool(EncoderOutput out, EncoderBatch batch, int b, int hidden);

    /** {@code v} scaled to unit L2 norm (a zero vector stays zero). */
    public static float[] normalized(float[] v) {
        double sq = 0;
        for (float x : v) {
            sq += (double) x * x;
        }
        double norm = Math.sqrt(sq);
        float[] out = v.clone();
        if (norm > 0) {
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) (out[i] / norm);
            }
        }
        return out;
    }
}
