package io.tttv2.registry;

import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.assembly.AssemblyFormatException;
import io.tttv2.api.candidate.CandidateDescriptor;
import io.tttv2.api.candidate.CandidateNamespace;
import io.tttv2.api.candidate.ModuleKind;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.util.tracker.BundleTracker;

/**
 * The candidates every bundle declares, from INSTALLED on: read from the bundle revision's declared
 * {@code io.tttv2.candidate} capabilities, and, for model candidates, the assembly entry they name. Reading
 * declared capabilities and entries needs no class loader, so a lazy bundle stays STARTING and none of its
 * classes load. Calls {@code onChange} after every change it records, bundle state changes included
 * (they change which candidates can be bound).
 */
final class ManifestCandidates {

    private static final int ALL_STATES =
            Bundle.INSTALLED | Bundle.RESOLVED | Bundle.STARTING | Bundle.ACTIVE | Bundle.STOPPING;
    static final Comparator<CandidateDescriptor> LISTING = Comparator
            .comparing((CandidateDescriptor c) -> c.kind().ordinal())
            .thenComparing(CandidateDescriptor::name)
            .thenComparing((CandidateDescriptor c) -> Version.parseVersion(c.version()), Comparator.reverseOrder());

    /** What one bundle contributes; replaced whole when the bundle is updated. */
    private record Contribution(BundleDeclarations declarations, Map<String, Assembly> assemblies, List<String> assemblyErrors) {
    }

    private final Runnable onChange;
    /** Per bundle id, in installation order; guarded by {@code this}. */
    private final Map<Long, Contribution> byBundle = new LinkedHashMap<>();
    private final BundleTracker<Long> tracker;

    ManifestCandidates(BundleContext context, Runnable onChange) {
        this.onChange = onChange;
        this.tracker = new BundleTracker<>(context, ALL_STATES, null) {
            @Override
            public Long addingBundle(Bundle bundle, BundleEvent event) {
                declare(bundle);
                return bundle.getBundleId();
            }

            @Override
            public void modifiedBundle(Bundle bundle, BundleEvent event, Long id) {
                if (event != null && event.getType() == BundleEvent.UPDATED) {
                    declare(bundle);
                } else {
                    onChange.run();
                }
            }

            @Override
            public void removedBundle(Bundle bundle, BundleEvent event, Long id) {
                synchronized (ManifestCandidates.this) {
                    byBundle.remove(id);
                }
                onChange.run();
            }
        };
    }

    void open() {
        tracker.open();
    }

    void close() {
        tracker.close();
    }

    /** Every accepted candidate with its bundle, ordered by kind, name, version (newest first). */
    synchronized List<DeclaredCandidate> declared() {
        List<DeclaredCandidate> all = new ArrayList<>();
        byBundle.forEach((id, c) -> c.declarations().accepted().forEach(d -> all.add(new DeclaredCandidate(id, d))));
        all.sort(Comparator.comparing(DeclaredCandidate::descriptor, LISTING));
        return all;
    }

    /** Refused declarations and malformed model assemblies, one line each. */
    synchronized List<String> rejections() {
        List<String> all = new ArrayList<>();
        for (Contribution c : byBundle.values()) {
            all.addAll(c.declarations().rejected());
            all.addAll(c.assemblyErrors());
        }
        return all;
    }

    /** The assembly each model bundle ships, by model candidate name. */
    synchronized Map<String, Assembly> assemblies() {
        Map<String, Assembly> all = new LinkedHashMap<>();
        byBundle.values().forEach(c -> all.putAll(c.assemblies()));
        return all;
    }

    private void declare(Bundle bundle) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        if (revision == null) {
            return;
        }
        String id = bundle.getSymbolicName() + "/" + bundle.getVersion();
        List<Map<String, Object>> declared = new ArrayList<>();
        for (BundleCapability capability : revision.getDeclaredCapabilities(CandidateNamespace.NAMESPACE)) {
            declared.add(capability.getAttributes());
        }
        synchronized (this) {
            byBundle.remove(bundle.getBundleId());
            BundleDeclarations declarations = BundleDeclarations.of(declared, id, this::taken);
            Map<String, Assembly> assemblies = new LinkedHashMap<>();
            List<String> errors = new ArrayList<>();
            for (int i = 0; i < declared.size(); i++) {
                readAssembly(bundle, id, declared.get(i), declarations, assemblies, errors);
            }
            byBundle.put(bundle.getBundleId(), new Contribution(declarations, Map.copyOf(assemblies), List.copyOf(errors)));
        }
        onChange.run();
    }

    /** For an accepted model candidate naming an assembly entry: reads it (entries need no class loader). */
    private static void readAssembly(Bundle bundle, String id, Map<String, Object> attributes, BundleDeclarations declarations,
                                     Map<String, Assembly> assemblies, List<String> errors) {
        Object entry = attributes.get(CandidateNamespace.ASSEMBLY);
        Object name = attributes.get(CandidateNamespace.NAME);
        if (entry == null || !ModuleKind.MODEL.id().equals(String.valueOf(attributes.get(CandidateNamespace.KIND)))
                || declarations.accepted().stream().noneMatch(c -> c.name().equals(String.valueOf(name)))) {
            return;
        }
        String source = id + "!/" + entry;
        URL url = bundle.getEntry(entry.toString());
        if (url == null) {
            errors.add("bundle " + id + ": model candidate " + name + " names assembly entry '" + entry
                    + "', which the bundle does not contain");
            return;
        }
        try (InputStream in = url.openStream()) {
            assemblies.put(name.toString(), AssemblyJson.read(in, source));
        } catch (AssemblyFormatException e) {
            errors.add(e.getMessage());
        } catch (IOException e) {
            errors.add(source + ": cannot read: " + e.getMessage());
        }
    }

    /** The bundle already holding {@code name} at {@code version}, or null. Caller holds the lock. */
    private String taken(String name, String version) {
        for (Contribution c : byBundle.values()) {
            for (CandidateDescriptor d : c.declarations().accepted()) {
                if (d.name().equals(name) && Version.parseVersion(d.version()).equals(Version.parseVersion(version))) {
                    return d.bundle();
                }
            }
        }
        return null;
    }
}
