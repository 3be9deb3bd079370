package io.tttv2.models.kit;

import io.tttv2.api.assembly.Assemblies;
import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.assembly.ModuleResolver;
import io.tttv2.api.candidate.CandidateNamespace;
import io.tttv2.api.runner.EncoderDecoderRunner;
import io.tttv2.api.runner.ModelLoadException;
import io.tttv2.api.runner.ModelRunnerFactory;
import io.tttv2.api.runner.RunnerOptions;
import io.tttv2.integration.hf.config.ConfigFormatException;
import io.tttv2.integration.hf.config.HfConfig;
import io.tttv2.integration.hf.safetensors.Checkpoint;
import io.tttv2.integration.hf.safetensors.CheckpointFormatException;
import java.nio.file.Path;
import java.util.TreeSet;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.BundleCapability;

/**
 * The base of an encoder–decoder model bundle's component, as {@link DecoderModelFactory} is for decoders: the model
 * says which architectures it runs and how a config.json becomes an {@link EncoderDecoderModel}; this class reads
 * config.json once, lays the caller's assembly over the bundle's, checks the checkpoint and builds an
 * {@link EncoderDecoderRunner}.
 */
public abstract class EncoderDecoderModelFactory implements ModelRunnerFactory {

    private final ModuleResolver resolver;
    private final Assembly shipped;

    protected EncoderDecoderModelFactory(BundleContext context, ModuleResolver resolver, Assemblies assemblies) {
        this.resolver = resolver;
        BundleCapability model = DecoderModelFactory.modelCapability(context.getBundle());
        DecoderModelFactory.checkAdvertised(context.getBundle(), model, architectures());
        this.shipped = DecoderModelFactory.shippedAssembly(context.getBundle(),
                (String) model.getAttributes().get(CandidateNamespace.ASSEMBLY), assemblies);
    }

    /** This checkpoint's plan and weight mapping, from its config.json. */
    protected abstract EncoderDecoderModel describe(HfConfig config);

    @Override
    public final Assembly assembly(Path modelDirectory, RunnerOptions options) {
        return EncoderDecoderRunners.assembly(shipped, options.assembly(), read(modelDirectory).plan());
    }

    @Override
    public final EncoderDecoderRunner initialize(Path modelDirectory, RunnerOptions options) {
        EncoderDecoderModel model = read(modelDirectory);
        Assembly assembly = EncoderDecoderRunners.assembly(shipped, options.assembly(), model.plan());
        Checkpoint checkpoint;
        try {
            checkpoint = Checkpoint.open(modelDirectory);
        } catch (CheckpointFormatException e) {
            throw new ModelLoadException(e.getMessage(), e);
        }
        try {
            return EncoderDecoderRunners.runner(model, checkpoint, resolver, assembly, options);
        } catch (RuntimeException e) {
            checkpoint.close();
            throw e instanceof CheckpointFormatException ? new ModelLoadException(e.getMessage(), e) : e;
        }
    }

    private EncoderDecoderModel read(Path modelDirectory) {
        try {
            HfConfig config = HfConfig.read(modelDirectory.resolve("config.json"));
            String architecture = config.architectures().isEmpty() ? "" : config.architectures().get(0);
            if (!architectures().contains(architecture)) {
                throw new ModelLoadException(config.file().getFileName() + ": key 'architectures' expected one of "
                        + String.join(", ", new TreeSet<>(architectures())) + ", found " + config.architectures());
            }
            return describe(config);
        } catch (ConfigFormatException e) {
            throw new ModelLoadException(e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(modelDirectory.resolve("config.json").getFileName() + ": " + e.getMessage(), e);
        }
    }
}
