package io.tttv2.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.assembly.Decision;
import io.tttv2.api.assembly.ModuleResolver;
import io.tttv2.api.assembly.Requirement;
import io.tttv2.api.assembly.Resolution;
import io.tttv2.api.candidate.CandidateRegistry;
import io.tttv2.api.candidate.ModuleKind;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * Model bundles import the API packages with version ranges: one built against a future major version of
 * the module API does not resolve against this one, and the user is told which package and range failed —
 * by the framework, by the registry's governance check, and in the model's resolution.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ApiVersionRangeIT {

    private static final String MODEL = "acme/model/future";

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] configuration() {
        return DistributionInFramework.options();
    }

    @Test
    public void aModelBundleImportingAnIncompatibleApiRangeDoesNotResolveAndSaysWhichPackageAndRange() throws Exception {
        CandidateRegistry registry = ServiceWait.service(context, CandidateRegistry.class);
        ModuleResolver resolver = ServiceWait.service(context, ModuleResolver.class);
        GeneratedBundle generated = GeneratedBundle.named("acme.model.future")
                .header("Import-Package", "io.tttv2.api.modules;version=\"[3.0,4)\",io.tttv2.api.runner;version=\"[2.0,3)\"")
                .header("Provide-Capability", "io.tttv2.candidate;name=" + MODEL + ";kind=model;version:Version=1.0.0;tier=experimental");
        Bundle bundle = context.installBundle("generated:" + generated.symbolicName(), generated.stream());
        String why = "imports io.tttv2.api.modules [3.0.0,4.0.0), installed: " + installedModulesVersion();
        try {
            assertFalse(context.getBundle(0).adapt(FrameworkWiring.class).resolveBundles(List.of(bundle)));
            BundleException refused = assertThrows(BundleException.class, bundle::start);
            assertEquals(BundleException.RESOLVE_ERROR, refused.getType());
            assertTrue(refused.getMessage(), refused.getMessage().contains("osgi.wiring.package=io.tttv2.api.modules")
                    && refused.getMessage().contains("version>=3.0.0"));

            // the registry still lists it (manifests are read from INSTALLED on) and says why it cannot run
            assertTrue(registry.candidates().stream().anyMatch(c -> c.name().equals(MODEL)));
            assertEquals(List.of("bundle acme.model.future/1.0.0 declares candidates but does not resolve: " + why),
                    registry.violations());
            Resolution r = resolver.resolve(new Assembly(null, Map.of(ModuleKind.MODEL,
                    new Requirement(MODEL, null, null, null, null))), Set.of(ModuleKind.MODEL));
            assertFalse(r.complete());
            Decision model = r.decisions().stream().filter(d -> d.candidate().name().equals(MODEL)).findFirst().orElseThrow();
            assertEquals("not resolved: bundle acme.model.future/1.0.0 does not resolve: " + why, model.reason());
        } finally {
            bundle.uninstall();
        }
    }

    /** The control: the same bundle importing the range this API is in resolves. */
    @Test
    public void theSameBundleImportingTheCurrentRangeResolves() throws Exception {
        GeneratedBundle generated = GeneratedBundle.named("acme.model.current")
                .header("Import-Package", "io.tttv2.api.modules;version=\"[2.0,3)\",io.tttv2.api.runner;version=\"[2.0,3)\"");
        Bundle bundle = context.installBundle("generated:" + generated.symbolicName(), generated.stream());
        try {
            assertTrue(context.getBundle(0).adapt(FrameworkWiring.class).resolveBundles(List.of(bundle)));
        } finally {
            bundle.uninstall();
        }
    }

    /** The version core-api exports io.tttv2.api.modules at: what the refusal names, whatever this build's is. */
    private static String installedModulesVersion() {
        BundleWiring api = FrameworkUtil.getBundle(ModuleKind.class).adapt(BundleWiring.class);
        return api.getCapabilities("osgi.wiring.package").stream()
                .filter(c -> "io.tttv2.api.modules".equals(c.getAttributes().get("osgi.wiring.package")))
                .map(BundleCapability::getAttributes).map(a -> a.get("version").toString())
                .findFirst().orElseThrow();
    }
}
