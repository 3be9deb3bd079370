package io.tttv2.registry;

import io.tttv2.api.candidate.CandidateDescriptor;
import io.tttv2.api.candidate.CandidateNamespace;
import io.tttv2.api.candidate.CandidateRegistry;
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
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.util.tracker.BundleTracker;

/**
 * The candidate registry: tracks every bundle from INSTALLED on and reads its declared
 * {@code io.tttv2.candidate} capabilities from the bundle revision. Reading the declared capabilities
 * needs no class loader, so a lazy bundle stays STARTING and none of its classes load.
 */
@Component(service = CandidateRegistry.class)
public final class ManifestCandidateRegistry implements CandidateRegistry {

    private static final int ALL_STATES =
            Bundle.INSTALLED | Bundle.RESOLVED | Bundle.STARTING | Bundle.ACTIVE | Bundle.STOPPING;
    private static final Comparator<CandidateDescriptor> ORDER = Comparator
            .comparing((CandidateDescriptor c) -> c.kind().ordinal())
            .thenComparing(CandidateDescriptor::name)
            .thenComparing((CandidateDescriptor c) -> Version.parseVersion(c.version()), Comparator.reverseOrder());

    /** Declarations per bundle id; guarded by {@code this}. */
    private final Map<Long, BundleDeclarations> byBundle = new LinkedHashMap<>();
    private BundleTracker<Long> tracker;

    @Activate
    void activate(BundleContext context) {
        tracker = new BundleTracker<>(context, ALL_STATES, null) {
            @Override
            public Long addingBundle(Bundle bundle, BundleEvent event) {
                declare(bundle);
                return bundle.getBundleId();
            }

            @Override
            public void modifiedBundle(Bundle bundle, BundleEvent event, Long id) {
                if (event != null && event.getType() == BundleEvent.UPDATED) {
                    declare(bundle);
                }
            }

            @Override
            public void removedBundle(Bundle bundle, BundleEvent event, Long id) {
                forget(id);
            }
        };
        tracker.open();
    }

    @Deactivate
    void deactivate() {
        tracker.close();
    }

    @Override
    public synchronized List<CandidateDescriptor> candidates() {
        List<CandidateDescriptor> all = new ArrayList<>();
        for (BundleDeclarations d : byBundle.values()) {
            all.addAll(d.accepted());
        }
        all.sort(ORDER);
        return List.copyOf(all);
    }

    @Override
    public synchronized List<String> rejections() {
        List<String> all = new ArrayList<>();
        for (BundleDeclarations d : byBundle.values()) {
            all.addAll(d.rejected());
        }
        return List.copyOf(all);
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
            byBundle.put(bundle.getBundleId(), BundleDeclarations.of(declared, id, this::taken));
        }
    }

    private synchronized void forget(long bundleId) {
        byBundle.remove(bundleId);
    }

    /** The bundle already holding {@code name} at {@code version}, or null. Caller holds the lock. */
    private String taken(String name, String version) {
        for (BundleDeclarations d : byBundle.values()) {
            for (CandidateDescriptor c : d.accepted()) {
                if (c.name().equals(name) && Version.parseVersion(c.version()).equals(Version.parseVersion(version))) {
                    return c.bundle();
                }
            }
        }
        return null;
    }
}
