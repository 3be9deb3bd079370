package io.tttv2.cli;

import io.tttv2.api.assembly.Assemblies;
import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.assembly.AssemblyFormatException;
import io.tttv2.api.assembly.UnresolvedException;
import io.tttv2.api.runner.ModelLoadException;
import io.tttv2.api.runner.EncoderDecoderRunner;
import io.tttv2.api.runner.EncoderRunner;
import io.tttv2.api.runner.ModelRunner;
import io.tttv2.api.runner.ModelRunnerFactory;
import io.tttv2.api.runner.Runner;
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

/** Finds the model bundle that runs a checkpoint's architecture and loads the checkpoint with it (and reads assemblies). */
public final class ModelCatalog {

    /**
     * The longest sequence the interactive commands build a model for (README, "Limits"): the tables sized by
     * the context (rotary cos/sin, the KV cache) are allocated at load, so the context config.json claims is
     * held to this; a model with a shorter context keeps its own.
     */
    public static final int MAX_SEQUENCE_LENGTH = 131_072;

    private final BundleContext context;

    public ModelCatalog(BundleContext context) {
        this.context = context;
    }

    /**
     * Loads the HF checkpoint in {@code directory} (a decoder-only LM, an encoder or an encoder–decoder); every
     * failure is a one-line {@link UserError}.
     */
    public Runner load(Path directory, RunnerOptions options) {
        ModelRunnerFactory factory = factoryFor(directory);
        try {
            Runner runner = factory.initialize(directory, options);
            ValidationService.nameModules(context, runner);     // reports name modules by their paths
            return runner;
        } catch (ModelLoadException | UnresolvedException e) {
            throw new UserError(e.getMessage(), 1, e);
        }
    }

    /**
     * {@code runner} as a decoder-only LM, for a command that runs only those; otherwise closes it and says in one
     * line (exit 2) what the model is and which command runs it.
     */
    public static ModelRunner decoderOnly(Runner runner, Path directory, String command) {
        if (runner instanceof ModelRunner decoder) {
            return decoder;
        }
        String architecture = runner.info().architecture();
        runner.close();
        throw new UserError(notFor(runner, architecture, directory, command), 2, null);
    }

    /** One line: what the model in {@code directory} is, that {@code command} does not run it, and what does. */
    public static String notFor(Runner runner, String architecture, Path directory, String command) {
        return switch (runner) {
            case EncoderRunner e -> directory + ": " + architecture + " is an encoder: it makes embeddings, not text;"
                    + " use tttv2 embed --model " + directory + " TEXT";
            case EncoderDecoderRunner ed -> directory + ": " + architecture + " is an encoder–decoder, which tttv2 "
                    + command + " does not run; use tttv2 generate --model " + directory + " TEXT";
            case ModelRunner m -> directory + ": " + architecture + " is a decoder-only LM, which tttv2 " + command
                    + " does not run; use tttv2 generate --model " + directory + " TEXT";
            default -> directory + ": " + architecture + " is a kind of model tttv2 " + command + " does not run";
        };
    }

    /**
     * Reads the assembly descriptor {@code file} (for {@code --assembly FILE}); null if {@code file} is null.
     * A malformed file is a one-line {@link UserError} naming it and the key.
     */
    public Assembly assembly(Path file) {
        if (file == null) {
            return null;
        }
        ServiceReference<Assemblies> ref = context.getServiceReference(Assemblies.class);
        Assemblies assemblies = ref == null ? null : context.getService(ref);
        if (assemblies == null) {
            throw new UserError(file + ": cannot be read: no bundle offers " + Assemblies.class.getName()
                    + " (is io.tttv2.registry installed?)");
        }
        try {
            return assemblies.read(file);
        } catch (AssemblyFormatException e) {
            throw new UserError(e.getMessage(), 1, e);
        } finally {
            context.ungetService(ref);
        }
    }

    /**
     * The model bundle's factory that runs the checkpoint in {@code directory} (a HF folder or a GGUF model file);
     * a one-line {@link UserError} if none.
     */
    public ModelRunnerFactory factoryFor(Path directory) {
        boolean file = Files.isRegularFile(directory);      // a GGUF model file (HfConfig.forModel checks it)
        Path config = file ? directory : directory.resolve("config.json");
        if (!file && !Files.isDirectory(directory)) {
            throw new UserError(directory + ": no such model folder");
        }
        if (!Files.isRegularFile(config)) {
            throw new UserError(config + ": missing (a HuggingFace model folder holds config.json and its weights)");
        }
        String architecture;
        try {
            List<String> architectures = HfConfig.forModel(directory).architectures();
            if (architectures.isEmpty()) {
                throw new UserError(config + ": key 'architectures' expected a list naming the model class, found an empty list");
            }
            architecture = architectures.get(0);
        } catch (ConfigFormatException e) {
            throw new UserError(e.getMessage());
        }
        // Activate first only the factories whose bundle declares this architecture among its candidate's
        // variants (or declares none): activating a factory loads its bundle's classes and assembly, a cost
        // every start paid for all the installed model bundles. The rest are asked too, so that a factory
        // whose declaration is incomplete still answers, and so the error can list what is supported.
        List<ServiceReference<ModelRunnerFactory>> refs = factoryReferences();
        List<ServiceReference<ModelRunnerFactory>> ordered = new ArrayList<>();
        List<ServiceReference<ModelRunnerFactory>> others = new ArrayList<>();
        for (ServiceReference<ModelRunnerFactory> ref : refs) {
            (DeclaredVariants.mayRun(ref.getBundle(), architecture) ? ordered : others).add(ref);
        }
        ordered.addAll(others);
        TreeSet<String> supported = new TreeSet<>();
        for (ServiceReference<ModelRunnerFactory> ref : ordered) {
            ModelRunnerFactory factory = context.getService(ref);
            if (factory == null) {
                continue;
            }
            if (factory.architectures().contains(architecture)) {
                return factory;
            }
            supported.addAll(factory.architectures());
        }
        throw new UserError(config + ": architecture '" + architecture + "' is not supported by the installed model bundles"
                + (supported.isEmpty() ? " (none is installed)" : "; supported: " + String.join(", ", supported)));
    }

    private List<ServiceReference<ModelRunnerFactory>> factoryReferences() {
        try {
            return new ArrayList<>(context.getServiceReferences(ModelRunnerFactory.class, null));
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
