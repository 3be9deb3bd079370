package io.tttv2.testing.validating;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.Module;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.testing.coverage.Fingerprints;
import io.tttv2.testing.coverage.ModuleConfiguration;
import io.tttv2.testing.validation.ValidatedModule;
import io.tttv2.testing.validation.ValidationRegistry;
import java.util.List;
import java.util.function.Supplier;

/**
 * What every wrapper shares: the wrapped module (whose candidate, spec and config it reports as its own),
 * its name, its validated parts and the {@link CallValidator} its calls go through.
 */
abstract class ValidatingModule implements ValidatedModule, Module {

    private final Module implementation;
    private final List<ValidatedModule> parts;
    private final DType dtype;
    private volatile String name;
    final CallValidator validator;

    ValidatingModule(ModuleKind kind, Module implementation, DType dtype, List<? extends Module> parts,
                     ValidationRegistry registry) {
        this.implementation = implementation;
        this.dtype = dtype;
        this.parts = parts.stream().filter(p -> p instanceof ValidatedModule).map(p -> (ValidatedModule) p).toList();
        String candidate = implementation.candidate();
        ModuleConfiguration configuration = new ModuleConfiguration(kind, candidate,
                Fingerprints.of(kind, candidate, implementation.spec(), implementation.config()), dtype,
                implementation.spec() + " " + implementation.config());
        this.validator = new CallValidator(registry, this, configuration);
        this.name = registry.created(this, configuration);
    }

    /** A float64 reference of a row-wise module: {@code x} [rows, n] → its output, row-major. */
    @FunctionalInterface
    interface RowReference {
        double[] apply(double[] x, int rows);
    }

    /**
     * One call of a row-wise module (norm, MLP, LM head: x [rows, n] → out): runs {@code real} and, when
     * validation is on, the reference on a copy of x taken first ({@code out} may be {@code x}).
     */
    final void validateRows(String entry, Tensor x, Tensor out, Runnable real, Supplier<RowReference> reference) {
        if (!validator.active()) {
            real.run();
            return;
        }
        long capturedAt = System.nanoTime();
        double[] input = Values.of(x);                  // [rows, n]
        int rows = x.dim(0);
        validator.validate(capturedAt, entry, rows, x.shape(), real, out::toFloatArray,
                () -> reference.get().apply(input, rows));
    }

    /** The dtype of the module's weights, as coverage records it. */
    DType dtype() {
        return dtype;
    }

    @Override
    public Module implementation() {
        return implementation;
    }

    @Override
    public String validationName() {
        return name;
    }

    @Override
    public void validationName(String name) {
        this.name = name;
    }

    @Override
    public List<ValidatedModule> parts() {
        return parts;
    }

    @Override
    public String candidate() {
        return implementation.candidate();
    }

    @Override
    public Record spec() {
        return implementation.spec();
    }

    @Override
    public Record config() {
        return implementation.config();
    }

    @Override
    public String toString() {
        return "validated " + name + " (" + implementation + ")";
    }
}
