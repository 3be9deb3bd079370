package io.tttv2.testing.support;

import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.ModuleFactories.NormFactory;
import io.tttv2.api.modules.ModuleFactories.RotaryFactory;
import io.tttv2.api.modules.Norm;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.modules.Rotary;
import io.tttv2.api.modules.RotarySpec;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.modules.rotary.RotaryEmbeddingFactory;

/** Deliberately wrong implementations, the bugs a bring-up makes, to show that validation catches them. */
public final class WrongModules {

    private WrongModules() {
    }

    /** RMSNorm that forgets the epsilon: {@code x / sqrt(mean(x²)) · w}. */
    public static NormFactory rmsNormWithoutEpsilon() {
        return (spec, weights, device) -> new EpsilonFreeNorm(spec, weights.get("weight").toFloatArray());
    }

    /**
     * RoPE whose {@code rotate_half} returns the halves swapped ({@code cat(x2, −x1)} instead of
     * {@code cat(−x2, x1)}): every position rotates the wrong way. Uses the real module's tables.
     */
    public static RotaryFactory ropeWithHalvesSwapped() {
        return (spec, device) -> new SwappedHalvesRotary(new RotaryEmbeddingFactory().create(spec, device));
    }

    private record EpsilonFreeNorm(NormSpec spec, float[] weight) implements Norm {

        @Override
        public void prefill(Tensor x, Tensor out) {
            apply(x, out);
        }

        @Override
        public void decode(Tensor x, Tensor out) {
            apply(x, out);
        }

        private void apply(Tensor x, Tensor out) {
            for (int r = 0; r < x.dim(0); r++) {
                double squares = 0;
                for (int i = 0; i < spec.dim(); i++) {
                    squares += x.getFloat(r, i) * x.getFloat(r, i);
                }
                double scale = 1 / Math.sqrt(squares / spec.dim());         // the bug: no + eps
                for (int i = 0; i < spec.dim(); i++) {
                    out.setFloat((float) (x.getFloat(r, i) * scale * weight[i]), r, i);
                }
            }
        }

        @Override
        public String candidate() {
            return "test/norm/rms-without-epsilon";
        }

        @Override
        public ModuleConfig config() {
            return ModuleConfig.defaults();
        }
    }

    private record SwappedHalvesRotary(Rotary tables) implements Rotary {

        @Override
        public Tensor cos() {
            return tables.cos();
        }

        @Override
        public Tensor sin() {
            return tables.sin();
        }

        @Override
        public void prefill(Tensor x, int start, Tensor out) {
            int[] positions = new int[x.dim(0)];
            for (int t = 0; t < positions.length; t++) {
                positions[t] = start + t;
            }
            apply(x, positions, out);
        }

        @Override
        public void decode(Tensor x, int[] positions, Tensor out) {
            apply(x, positions, out);
        }

        private void apply(Tensor x, int[] positions, Tensor out) {
            int half = cos().dim(1);
            for (int r = 0; r < x.dim(0); r++) {
                for (int h = 0; h < x.dim(1); h++) {
                    for (int i = 0; i < half; i++) {
                        float c = cos().getFloat(positions[r], i);
                        float s = sin().getFloat(positions[r], i);
                        float a = x.getFloat(r, h, i);
                        float b = x.getFloat(r, h, i + half);
                        out.setFloat(a * c + b * s, r, h, i);           // the bug: should be a·c − b·s
                        out.setFloat(b * c - a * s, r, h, i + half);    // and b·c + a·s
                    }
                }
            }
        }

        @Override
        public String candidate() {
            return "test/rotary/halves-swapped";
        }

        @Override
        public RotarySpec spec() {
            return (RotarySpec) tables.spec();
        }

        @Override
        public Record config() {
            return tables.config();
        }
    }
}
