package io.tttv2.testing.validating;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.Router;
import io.tttv2.api.modules.RouterSpec;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.testing.coverage.ShapeBuckets;
import io.tttv2.testing.reference.RouterReference;
import io.tttv2.testing.validation.ValidationRegistry;
import java.util.List;

/**
 * A {@link Router} checked against {@link RouterReference}: the picks and weights compared as dense routing
 * weights [T, experts] (0 where an expert was not picked), so a wrong pick shows as a large error. The router
 * has one entry point: its calls count as the entry of the mixture-of-experts call they are made in
 * ({@link #within}); outside one, a call of one token as decode, of more as prefill.
 */
final class ValidatingRouter extends ValidatingModule implements Router {

    /** The entry point ({@link ShapeBuckets#PREFILL}, {@link ShapeBuckets#DECODE}) of the enclosing MoE call. */
    private static final ThreadLocal<String> ENTRY = new ThreadLocal<>();

    private final Router implementation;
    private final RouterSpec spec;
    private final LazyReference<RouterReference> reference;

    ValidatingRouter(Router implementation, RouterSpec spec, Weights weights, ValidationRegistry registry) {
        super(ModuleKind.ROUTER, implementation, Values.dtypeOf(weights, "weight"), List.of(), registry);
        this.implementation = implementation;
        this.spec = spec;
        this.reference = new LazyReference<>(() -> new RouterReference(spec, weights));
    }

    RouterReference reference() {
        return reference.get();
    }

    @Override
    public void route(Tensor x, int[] experts, float[] weights) {
        if (!validator.active()) {
            implementation.route(x, experts, weights);
            return;
        }
        long capturedAt = System.nanoTime();
        double[] input = Values.of(x);                  // [T, hidden]
        int rows = x.dim(0);
        String entry = ENTRY.get() != null ? ENTRY.get() : rows == 1 ? ShapeBuckets.DECODE : ShapeBuckets.PREFILL;
        validator.validate(capturedAt, entry, rows, x.shape(),
                () -> implementation.route(x, experts, weights), () -> dense(experts, weights, rows),
                () -> reference.get().dense(input, rows));
    }

    /** Runs {@code call} (a mixture of experts' prefill or decode) with its router calls counted as {@code entry}. */
    static void within(String entry, Runnable call) {
        String outer = ENTRY.get();
        ENTRY.set(entry);
        try {
            call.run();
        } finally {
            ENTRY.set(outer);
        }
    }

    /** The picks as routing weights [rows, experts]. */
    private float[] dense(int[] experts, float[] weights, int rows) {
        int e = spec.experts();
        int k = spec.topK();
        float[] d = new float[rows * e];
        for (int j = 0; j < rows * k; j++) {
            d[(j / k) * e + experts[j]] += weights[j];
        }
        return d;
    }
}
