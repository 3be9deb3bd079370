package io.tttv2.models.kit;

import io.tttv2.api.assembly.Assemblies;
import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.assembly.ModuleResolver;
import io.tttv2.api.assembly.Specializations;
import io.tttv2.api.candidate.CandidateNamespace;
import io.tttv2.api.runner.DryRun;
import io.tttv2.api.runner.ModelLoadException;
import io.tttv2.api.runner.ModelRunner;
import io.tttv2.api.runner.ModelRunnerFactory;
import io.tttv2.api.runner.RunnerOptions;
import io.tttv2.integration.hf.config.ConfigFormatException;
import io.tttv2.integration.hf.config.HfConfig;
import io.tttv2.integration.hf.safetensors.Checkpoint;
import io.tttv2.integration.hf.safetensors.CheckpointFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;

/**
 * The base of a model bundle's component: a model says which architectures it runs and how one checkpoint's
 * config.json becomes a {@link DecoderModel}; this class does the rest — reads config.json once, applies the
 * bundle's shipped {@code assembly.json} (the entry its model candidate names) under the caller's override,
 * checks the checkpoint, and builds the runner.
 *
 * <p>At activation it checks that the architectures the bundle's manifest advertises (the model candidate's
 * {@code variants}) are exactly {@link #architectures()}, so the two cannot drift.
 */
public abstract class DecoderModelFactory implements ModelRunnerFactory {

    private final ModuleResolver resolver;
    private final Assembly shipped;
    private final BundleContext context;

    protected DecoderModelFactory(BundleContext context, ModuleResolver resolver, Assemblies assemblies) {
        this.resolver = resolver;
        this.context = context;
        BundleCapability model = modelCapability(context.getBundle());
        checkAdvertised(context.getBundle(), model, architectures());
        this.shipped = shippedAssembly(context.getBundle(), (String) model.getAttributes().get(CandidateNamespace.ASSEMBLY),
                assemblies);
    }

    /**
     * This checkpoint's plan and weight mapping, from its config.json (already checked to name one of
     * {@link #architectures()}).
     *
     * @throws ModelLoadException or {@link ConfigFormatException} naming the key, expected and found value
     */
    protected abstract DecoderModel describe(HfConfig config);

    @Override
    public final Assembly assembly(Path modelDirectory, RunnerOptions options) {
        return ModelAssembly.of(shipped, options.assembly(), read(modelDirectory).plan());
    }

    @Override
    public final ModelRunner initialize(Path modelDirectory, RunnerOptions options) {
        DecoderModel model = read(modelDirectory);
        Assembly assembly = ModelAssembly.of(shipped, options.assembly(), model.plan());
        return CheckpointLoading.open(modelDirectory,
                checkpoint -> DecoderRunners.runner(model, checkpoint, resolver, assembly, options, specializations()));
    }

    @Override
    public DryRun dryRun(Path modelDirectory, RunnerOptions options) {
        DecoderModel model = read(modelDirectory);
        Assembly assembly = ModelAssembly.of(shipped, options.assembly(), model.plan());
        Checkpoint checkpoint = CheckpointLoading.openHeaders(modelDirectory);
        try (checkpoint) {
            return DecoderRunners.dryRun(model, checkpoint, resolver, assembly, options, specializations());
        } catch (CheckpointFormatException e) {
            throw new ModelLoadException(e.getMessage(), e);
        }
    }

    /** The host's specialization registry, or null when none is offered. */
    private Specializations specializations() {
        ServiceReference<Specializations> ref = context.getServiceReference(Specializations.class);
        return ref == null ? null : context.getService(ref);
    }

    private DecoderModel read(Path modelDirectory) {
        return CheckpointLoading.describe(modelDirectory, architectures(), this::describe);
    }

    /** The bundle's one model candidate (its manifest's {@code io.tttv2.candidate} of kind model). */
    static BundleCapability modelCapability(Bundle bundle) {
        List<BundleCapability> models = bundle.adapt(BundleRevision.class).getDeclaredCapabilities(CandidateNamespace.NAMESPACE)
                .stream().filter(c -> "model".equals(c.getAttributes().get(CandidateNamespace.KIND))).toList();
        if (models.size() != 1) {
            throw new IllegalStateException("bundle " + bundle.getSymbolicName() + " declares " + models.size()
                    + " model candidates in its manifest, expected 1");
        }
        return models.get(0);
    }

    /** The manifest's {@code variants} are exactly the architectures the component runs. */
    static void checkAdvertised(Bundle bundle, BundleCapability model, Set<String> architectures) {
        Object variants = model.getAttributes().get(CandidateNamespace.VARIANTS);
        Set<String> advertised = variants instanceof List<?> l ? new TreeSet<>(l.stream().map(String::valueOf).toList())
                : new TreeSet<>();
        if (!advertised.equals(new TreeSet<>(architectures))) {
            throw new IllegalStateException("bundle " + bundle.getSymbolicName() + " advertises architectures "
                    + advertised + " in its manifest but runs " + new TreeSet<>(architectures));
        }
    }

    /** The bundle's own assembly (the entry its model candidate names). */
    static Assembly shippedAssembly(Bundle bundle, String entryName, Assemblies assemblies) {
        String name = entryName == null ? "assembly.json" : entryName;
        URL entry = bundle.getEntry(name);
        String source = bundle.getSymbolicName() + "!/" + name;
        if (entry == null) {
            throw new IllegalStateException(source + ": missing from the bundle");
        }
        try (InputStream in = entry.openStream()) {
            return assemblies.read(in, source);
        } catch (IOException e) {
            throw new IllegalStateException(source + ": cannot read: " + e.getMessage(), e);
        }
    }
}
