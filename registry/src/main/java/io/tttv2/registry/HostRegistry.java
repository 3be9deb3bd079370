package io.tttv2.registry;

import io.tttv2.api.assembly.Assemblies;
import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.assembly.AssemblyFormatException;
import io.tttv2.api.assembly.ModuleResolver;
import io.tttv2.api.assembly.Resolution;
import io.tttv2.api.candidate.CandidateDescriptor;
import io.tttv2.api.candidate.CandidateRegistry;
import io.tttv2.api.candidate.ModuleKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The registry bundle's one component: what the manifests declare ({@link CandidateRegistry}), which
 * services implement it, and the resolution of assemblies against both ({@link ModuleResolver},
 * {@link Assemblies}). One component, so that the generation moves only after the state a resolution
 * reads has changed: a runner that sees a new generation always resolves against the new state.
 */
@Component(service = {CandidateRegistry.class, ModuleResolver.class, Assemblies.class})
public final class HostRegistry implements CandidateRegistry, ModuleResolver, Assemblies {

    private final AtomicLong generation = new AtomicLong();
    private final BundleContext context;
    private final ManifestCandidates manifests;
    private final FactoryServices services;

    @Activate
    public HostRegistry(BundleContext context) {
        this.context = context;
        this.manifests = new ManifestCandidates(context, generation::incrementAndGet);
        this.services = new FactoryServices(context, generation::incrementAndGet);
        manifests.open();
        services.open();
    }

    @Deactivate
    void deactivate() {
        services.close();
        manifests.close();
    }

    // --- CandidateRegistry

    @Override
    public List<CandidateDescriptor> candidates() {
        return manifests.declared().stream().map(DeclaredCandidate::descriptor).toList();
    }

    @Override
    public List<String> rejections() {
        return manifests.rejections();
    }

    @Override
    public List<String> violations() {
        return Governance.violations(manifests.declared(), manifests.rejections(), services.offers(), this::unresolvedWhy);
    }

    // --- ModuleResolver

    @Override
    public Resolution resolve(Assembly assembly, Set<ModuleKind> kinds) {
        // read the generation first: whatever changes after it moves it again, so the caller re-resolves
        long at = generation.get();
        List<Bindable> bindables = Bindings.of(manifests.declared(), services.offers(), services::service, this::whyNoService);
        return AssemblyResolution.resolve(assembly, kinds, bindables, services.decorators(), at);
    }

    @Override
    public long generation() {
        return generation.get();
    }

    // --- Assemblies

    @Override
    public Assembly read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return AssemblyJson.read(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new AssemblyFormatException(file + ": no such file");
        } catch (IOException e) {
            throw new AssemblyFormatException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    @Override
    public Assembly read(InputStream in, String source) {
        return AssemblyJson.read(in, source);
    }

    @Override
    public Map<String, Assembly> shipped() {
        return manifests.assemblies();
    }

    // --- the framework's state, in words

    /** Why a declared candidate has no implementing service. */
    private String whyNoService(DeclaredCandidate d) {
        Bundle bundle = context.getBundle(d.bundleId());
        CandidateDescriptor c = d.descriptor();
        if (bundle == null) {
            return "not installed: its bundle " + c.bundle() + " is gone";
        }
        return switch (bundle.getState()) {
            case Bundle.INSTALLED -> unresolved(bundle, c.bundle());
            case Bundle.RESOLVED -> "not started: bundle " + c.bundle() + " is RESOLVED";
            case Bundle.STOPPING -> "stopping: bundle " + c.bundle() + " is STOPPING";
            default -> "no service: bundle " + c.bundle() + " registers no " + c.kind().serviceType().getSimpleName()
                    + " with tttv2.candidate.name=" + c.name() + " and tttv2.candidate.version=" + c.version();
        };
    }

    /**
     * An INSTALLED bundle: which requirement no installed bundle can meet, if one; else it is merely not
     * resolved yet (the framework resolves lazily). Read from declarations only: resolving here, on a
     * runner's thread, would contend for the framework's global lock with installs and updates.
     */
    private String unresolved(Bundle bundle, String id) {
        String missing = MissingRequirements.of(bundle, context);
        return missing != null ? "not resolved: bundle " + id + " does not resolve: " + missing
                : "not resolved yet: bundle " + id + " is INSTALLED";
    }

    /** Why a bundle cannot resolve (a requirement nothing installed meets), or null. */
    private String unresolvedWhy(long bundleId) {
        Bundle bundle = context.getBundle(bundleId);
        if (bundle == null || bundle.getState() != Bundle.INSTALLED) {
            return null;
        }
        return MissingRequirements.of(bundle, context);
    }
}
