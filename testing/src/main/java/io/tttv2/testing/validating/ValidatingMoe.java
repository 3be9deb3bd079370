package io.tttv2.testing.validating;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.Mlp;
import io.tttv2.api.modules.Module;
import io.tttv2.api.modules.Moe;
import io.tttv2.api.modules.MoeSpec;
import io.tttv2.api.modules.Router;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.testing.coverage.ShapeBuckets;
import io.tttv2.testing.reference.FeedForwardReference;
import io.tttv2.testing.reference.MoeReference;
import io.tttv2.testing.reference.RouterReference;
import io.tttv2.testing.validation.ValidationRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Moe} checked against {@link MoeReference}, wired from its router's and shared expert's references
 * (they must have been created with validation on, as they are when every factory is decorated).
 */
final class ValidatingMoe extends ValidatingModule implements Moe {

    private final Moe implementation;
    private final LazyReference<MoeReference> reference;

    ValidatingMoe(Moe implementation, MoeSpec spec, Weights weights, Router router, Mlp shared,
                  ValidationRegistry registry) {
        super(ModuleKind.MOE, implementation, Values.dtypeOf(weights, "experts.0.up_proj.weight"), parts(router, shared),
                registry);
        this.implementation = implementation;
        this.reference = new LazyReference<>(() -> new MoeReference(spec, weights, router(router), shared(shared)));
    }

    MoeReference reference() {
        return reference.get();
    }

    @Override
    public void prefill(Tensor x, Tensor out) {
        validateRows(ShapeBuckets.PREFILL, x, out,
                () -> ValidatingRouter.within(ShapeBuckets.PREFILL, () -> implementation.prefill(x, out)),
                () -> reference.get()::apply);
    }

    @Override
    public void decode(Tensor x, Tensor out) {
        validateRows(ShapeBuckets.DECODE, x, out,
                () -> ValidatingRouter.within(ShapeBuckets.DECODE, () -> implementation.decode(x, out)),
                () -> reference.get()::apply);
    }

    @Override
    public long[] tokensPerExpert() {
        return implementation.tokensPerExpert();
    }

    private static List<Module> parts(Router router, Mlp shared) {
        List<Module> parts = new ArrayList<>();
        parts.add(router);
        if (shared != null) {
            parts.add(shared);
        }
        return parts;
    }

    private static RouterReference router(Router router) {
        if (router instanceof ValidatingRouter v) {
            return v.reference();
        }
        throw new IllegalArgumentException("moe reference: its router (" + router.candidate()
                + ") was not created with validation on, so it has no reference");
    }

    private static FeedForwardReference shared(Mlp shared) {
        if (shared == null) {
            return null;
        }
        if (shared instanceof ValidatingMlp v) {
            return v.reference();
        }
        throw new IllegalArgumentException("moe reference: its shared expert (" + shared.candidate()
                + ") was not created with validation on, so it has no reference");
    }
}
