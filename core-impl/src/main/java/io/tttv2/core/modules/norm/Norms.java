package io.tttv2.core.modules.norm;

import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.Norm;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.Device;

/** The core norm of a spec's kind, for modules that own norms (attention's q/k norms). */
public final class Norms {

    private Norms() {
    }

    public static Norm create(NormSpec spec, Weights weights, Device device) {
        return switch (spec.kind()) {
            case RMS -> new RmsNorm(spec, ModuleConfig.defaults(), weights, device);
            case LAYER -> new LayerNorm(spec, ModuleConfig.defaults(), weights, device);
        };
    }
}
