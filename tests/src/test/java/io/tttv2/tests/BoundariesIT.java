package io.tttv2.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * The boundaries at run time (DESIGN.md "Boundaries"): core-impl exports nothing, so a bundle importing
 * one of its packages, as a model bundle breaking the rules would, does not resolve, and the framework
 * says which requirement is missing.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BoundariesIT {

    private static final String CORE_IMPL = "io.tttv2.core.impl";

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] configuration() {
        return DistributionInFramework.options();
    }

    @Test
    public void coreImplExportsNoPackage() {
        Bundle coreImpl = bundleNamed(CORE_IMPL);
        BundleWiring wiring = coreImpl.adapt(BundleWiring.class);
        assertNotNull(CORE_IMPL + " is not resolved", wiring);
        assertEquals(List.of(), wiring.getCapabilities(PackageNamespace.PACKAGE_NAMESPACE));
    }

    @Test
    public void aBundleImportingACoreImplPackageDoesNotResolve() throws Exception {
        GeneratedBundle generated = ExampleBundles.importingCoreImpl("acme.model.forbidden");
        Bundle bundle = context.installBundle("generated:" + generated.symbolicName(), generated.stream());
        try {
            assertFalse(frameworkWiring().resolveBundles(List.of(bundle)));
            assertEquals(BundleStates.name(Bundle.INSTALLED), BundleStates.name(bundle.getState()));

            BundleException refused = assertThrows(BundleException.class, bundle::start);
            assertEquals(BundleException.RESOLVE_ERROR, refused.getType());
            String message = refused.getMessage();
            assertTrue(message, message.contains("missing requirement"));
            assertTrue(message, message.contains(PackageNamespace.PACKAGE_NAMESPACE + "=" + ExampleBundles.CORE_IMPL_PACKAGE));
        } finally {
            bundle.uninstall();
        }
    }

    /** The control: the same kind of bundle importing an API package resolves, so the refusal above is the import's. */
    @Test
    public void aBundleImportingAnApiPackageResolves() throws Exception {
        GeneratedBundle generated = ExampleBundles.importingApi("acme.model.allowed");
        Bundle bundle = context.installBundle("generated:" + generated.symbolicName(), generated.stream());
        try {
            assertTrue(frameworkWiring().resolveBundles(List.of(bundle)));
            bundle.start();
            assertEquals(BundleStates.name(Bundle.ACTIVE), BundleStates.name(bundle.getState()));
        } finally {
            bundle.uninstall();
        }
    }

    private FrameworkWiring frameworkWiring() {
        return context.getBundle(0).adapt(FrameworkWiring.class);
    }

    private Bundle bundleNamed(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError(symbolicName + " is not installed");
    }
}
