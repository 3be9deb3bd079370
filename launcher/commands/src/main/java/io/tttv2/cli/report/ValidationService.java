package io.tttv2.cli.report;

import io.tttv2.api.runner.Runner;
import io.tttv2.cli.UserError;
import io.tttv2.testing.validation.ValidationRegistry;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * The testing bundle's {@link ValidationRegistry}, found in the framework: the commands switch module
 * validation on and off through it (its factory decorator then wraps what the host hands out).
 */
public final class ValidationService {

    private ValidationService() {
    }

    /** The registry; a one-line {@link UserError} if the testing bundle does not offer it. */
    public static ValidationRegistry require(BundleContext context) {
        ValidationRegistry registry = find(context);
        if (registry == null) {
            throw new UserError("module validation needs the io.tttv2.testing bundle, which offers no validation registry"
                    + " here (is it installed and active?)");
        }
        return registry;
    }

    /**
     * Names a freshly loaded runner's validated modules by their paths ({@code model.layers.0.self_attn}), if
     * validation is on; does nothing otherwise (or without the testing bundle).
     */
    public static void nameModules(BundleContext context, Runner runner) {
        ValidationRegistry registry = find(context);
        if (registry != null && registry.isEnabled()) {
            registry.nameModules(runner.modules());
        }
    }

    private static ValidationRegistry find(BundleContext context) {
        ServiceReference<ValidationRegistry> ref = context.getServiceReference(ValidationRegistry.class);
        return ref == null ? null : context.getService(ref);
    }
}
