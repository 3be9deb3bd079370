package io.tttv2.cli;

import io.tttv2.api.runner.ModelLoadException;
import io.tttv2.api.runner.ModelRunner;
import io.tttv2.api.runner.ModelRunnerFactory;
import io.tttv2.api.runner.RunnerOptions;
import io.tttv2.cli.report.ValidationService;
import io.tttv2.integration.hf.config.HfConfig;
import io.tttv2.integration.hf.config.ConfigFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/** Finds the model bundle that runs a checkpoint's architecture and loads the checkpoint with it. */
public final class ModelCatalog {

    private final BundleContext context;

    public ModelCatalog(BundleContext context) {
        this.context = context;
    }

    /** Loads the HF checkpoint in {@code directory}; every failure is a one-line {@link UserError}. */
    public ModelRunner load(Path directory, RunnerOptions options) {
        Path config = directory.resolve("config.json");
        if (!Files.isDirectory(directory)) {
            throw new UserError(directory + ": no such model folder");
        }
        if (!Files.isRegularFile(config)) {
            throw new UserError(config + ": missing (a HuggingFace model folder holds config.json and its weights)");
        }
        String architecture;
        try {
            List<String> architectures = HfConfig.read(config).architectures();
            if (architectures.isEmpty()) {
                throw new UserError(config + ": key 'architectures' expected a list naming the model class, found an empty list");
            }
            architecture = architectures.get(0);
        } catch (ConfigFormatException e) {
            throw new UserError(e.getMessage());
        }
        TreeSet<String> supported = new TreeSet<>();
        for (ModelRunnerFactory factory : factories()) {
            if (factory.architectures().contains(architecture)) {
                try {
                    ModelRunner runner = factory.initialize(directory, options);
                    ValidationService.nameModules(context, runner);     // reports name modules by their paths
                    return runner;
                } catch (ModelLoadException e) {
                    throw new UserError(e.getMessage(), 1, e);
                }
            }
            supported.addAll(factory.architectures());
        }
        throw new UserError(config + ": architecture '" + architecture + "' is not supported by the installed model bundles"
                + (supported.isEmpty() ? " (none is installed)" : "; supported: " + String.join(", ", supported)));
    }

    private List<ModelRunnerFactory> factories() {
        List<ModelRunnerFactory> out = new ArrayList<>();
        try {
            for (ServiceReference<ModelRunnerFactory> ref : context.getServiceReferences(ModelRunnerFactory.class, null)) {
                ModelRunnerFactory factory = context.getService(ref);
                if (factory != null) {
                    out.add(factory);
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }
}
