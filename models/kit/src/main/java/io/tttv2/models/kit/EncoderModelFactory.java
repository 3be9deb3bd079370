package io.tttv2.models.kit;

import io.tttv2.api.assembly.Assemblies;
import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.assembly.ModuleResolver;
import io.tttv2.api.assembly.Specializations;
import io.tttv2.api.candidate.CandidateNamespace;
import io.tttv2.api.runner.DryRun;
import io.tttv2.api.runner.EncoderRunner;
import io.tttv2.api.runner.ModelLoadException;
import io.tttv2.api.runner.ModelRunnerFactory;
import io.tttv2.api.runner.RunnerOptions;
import io.tttv2.integration.hf.config.ConfigFormatException;
import io.tttv2.integration.hf.config.HfConfig;
import io.tttv2.integration.hf.safetensors.Checkpoint;
import io.tttv2.integration.hf.safetensors.CheckpointFormatException;
import java.nio.file.Path;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleCapability;

/**
 * The base of an encoder model bundle's component, as {@link DecoderModelFactory} is for decoders: the model
 * says which architectures it runs and how a config.json becomes an {@link EncoderModel}; this class reads
 * config.json once, lays the caller's assembly over the bundle's, checks the checkpoint and builds an
 * {@link EncoderRunner}. At activation it checks the manifest's {@code variants} against {@link #architectures()}.
 */
public abstract class EncoderModelFactory implements ModelRunnerFactory {

    private final ModuleResolver resolver;
    private final Assembly shipped;
    private final BundleContext context;

    protected EncoderModelFactory(BundleContext context, ModuleResolver resolver, Assemblies assemblies) {
        this.resolver = resolver;
        this.context = context;
        BundleCapability model = DecoderModelFactory.modelCapability(context.getBundle());
        DecoderModelFactory.checkAdvertised(context.getBundle(), model, architectures());
        this.shipped = DecoderModelFactory.shippedAssembly(context.getBundle(),
                (String) model.getAttributes().get(CandidateNamespace.ASSEMBLY), assemblies);
    }

    /**
     * This checkpoint's plan and weight mapping, from its config.json (already checked to name one of
     * {@link #architectures()}).
     *
     * @throws ModelLoadException or {@link ConfigFormatException} naming the key, expected and found value
     */
    protected abstract EncoderModel describe(HfConfig config);

    @Override
    public final Assembly assembly(Path modelDirectory, RunnerOptions options) {
        return EncoderRunners.assembly(shipped, options.assembly(), read(modelDirectory).plan());
    }

    @Override
    public final EncoderRunner initialize(Path modelDirectory, RunnerOptions options) {
        EncoderModel model = read(modelDirectory);
        Assembly assembly = EncoderRunners.assembly(shipped, options.assembly(), model.plan());
        return CheckpointLoading.open(modelDirectory,
                checkpoint -> EncoderRunners.runner(model, checkpoint, resolver, assembly, options, specializations()));
    }

    @Override
    public DryRun dryRun(Path modelDirectory, RunnerOptions options) {
        EncoderModel model = read(modelDirectory);
        Assembly assembly = EncoderRunners.assembly(shipped, options.assembly(), model.plan());
        Checkpoint checkpoint = CheckpointLoading.openHeaders(modelDirectory);
        try (checkpoint) {
            return EncoderRunners.dryRun(model, checkpoint, resolver, assembly, options, specializations());
        } catch (CheckpointFormatException e) {
            throw new ModelLoadException(e.getMessage(), e);
        }
    }

    /** The host's specialization registry, or null when none is offered. */
    private Specializations specializations() {
        ServiceReference<Specializations> ref = context.getServiceReference(Specializations.class);
        return ref == null ? null : context.getService(ref);
    }

    private EncoderModel read(Path modelDirectory) {
        return CheckpointLoading.describe(modelDirectory, architectures(), this::describe);
    }
}
