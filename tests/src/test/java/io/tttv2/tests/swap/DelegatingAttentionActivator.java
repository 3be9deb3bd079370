package io.tttv2.tests.swap;

import io.tttv2.api.modules.ModuleFactories.AttentionFactory;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;

/**
 * The activator of the implementation bundles the hot-swap tests install, update and uninstall (no DS: the
 * bundle is written by the test, {@link io.tttv2.tests.SwapBundles}). It registers an AttentionFactory for
 * the attention candidate its own manifest declares, computing with the core candidate's factory, so its
 * results equal the core's bit for bit. These classes are copied into each generated bundle; the test
 * itself never loads them.
 */
public final class DelegatingAttentionActivator implements BundleActivator {

    private static final String CORE = "tttv2/attention/sdpa";

    @Override
    public void start(BundleContext context) throws Exception {
        ServiceReference<?>[] core = context.getServiceReferences(AttentionFactory.class.getName(),
                "(tttv2.candidate.name=" + CORE + ")");
        if (core == null) {
            throw new IllegalStateException("no " + CORE + " service to delegate to");
        }
        AttentionFactory delegate = (AttentionFactory) context.getService(core[0]);
        for (BundleCapability c : context.getBundle().adapt(BundleRevision.class).getDeclaredCapabilities("io.tttv2.candidate")) {
            Map<String, Object> attributes = c.getAttributes();
            if (!"attention".equals(attributes.get("kind"))) {
                continue;
            }
            String name = attributes.get("name").toString();
            String version = attributes.get("version").toString();
            Dictionary<String, Object> properties = new Hashtable<>();
            properties.put("tttv2.candidate.name", name);
            properties.put("tttv2.candidate.version", version);
            properties.put("tttv2.candidate.tier", attributes.get("tier").toString());
            context.registerService(AttentionFactory.class, new DelegatingAttentionFactory(delegate, name + " " + version),
                    properties);
        }
    }

    @Override
    public void stop(BundleContext context) {
        // the framework unregisters the services and ungets the core factory
    }
}
