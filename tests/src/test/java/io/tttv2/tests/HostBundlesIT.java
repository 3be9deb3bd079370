package io.tttv2.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.tttv2.api.candidate.CandidateDescriptor;
import io.tttv2.api.candidate.CandidateRegistry;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.candidate.Tier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
import org.osgi.framework.Constants;

/**
 * The whole distribution in a real framework: every bundle starts, the candidate registry is offered,
 * and it follows bundles declaring candidates in their manifests as they come and go.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HostBundlesIT {

    private static final String CANDIDATE = "acme/mlp/fast";

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] configuration() {
        return DistributionInFramework.options();
    }

    @Test
    public void everyBundleOfTheDistributionIsActive() {
        List<String> problems = new ArrayList<>();
        for (Path jar : BuiltDistribution.bundles()) {
            Bundle bundle = context.getBundle(DistributionInFramework.location(jar));
            if (bundle == null) {
                problems.add(jar.getFileName() + ": not installed");
                continue;
            }
            List<Integer> expected = expectedStates(bundle);
            if (!expected.contains(bundle.getState())) {
                problems.add(jar.getFileName() + " (" + bundle.getSymbolicName() + "): " + BundleStates.name(bundle.getState())
                        + ", expected " + expected.stream().map(BundleStates::name).toList());
            }
        }
        assertEquals("bundles of " + BuiltDistribution.home() + " that did not start", List.of(), problems);
    }

    @Test
    public void theCandidateRegistryIsOffered() throws InterruptedException {
        assertNotNull(ServiceWait.service(context, CandidateRegistry.class));
    }

    @Test
    public void aCandidateDeclaredInAManifestIsListedUntilItsBundleLeaves() throws Exception {
        CandidateRegistry registry = ServiceWait.service(context, CandidateRegistry.class);
        Bundle bundle = install(ExampleBundles.declaringCandidate("acme.mlp.fast", CANDIDATE, "1.0.0"));
        try {
            CandidateDescriptor listed = find(registry, CANDIDATE)
                    .orElseThrow(() -> new AssertionError(CANDIDATE + " not listed: " + registry.candidates()));
            assertEquals(ModuleKind.MLP, listed.kind());
            assertEquals("1.0.0", listed.version());
            assertEquals(Tier.EXPERIMENTAL, listed.tier());
            assertEquals("acme.mlp.fast/1.0.0", listed.bundle());
        } finally {
            bundle.uninstall();
        }
        assertEquals(Optional.empty(), find(registry, CANDIDATE));
    }

    @Test
    public void aSecondClaimOfTheSameNameAndVersionIsRejected() throws Exception {
        CandidateRegistry registry = ServiceWait.service(context, CandidateRegistry.class);
        Bundle first = install(ExampleBundles.declaringCandidate("acme.mlp.fast", CANDIDATE, "1.0.0"));
        Bundle second = install(ExampleBundles.declaringCandidate("acme.mlp.copycat", CANDIDATE, "1.0.0"));
        try {
            assertEquals("acme.mlp.fast/1.0.0", find(registry, CANDIDATE).map(CandidateDescriptor::bundle).orElse("(none)"));
            assertEquals(1, registry.candidates().stream().filter(c -> c.name().equals(CANDIDATE)).count());
            List<String> rejections = registry.rejections().stream().filter(r -> r.contains("acme.mlp.copycat")).toList();
            assertEquals("rejections naming the second bundle, among " + registry.rejections(), 1, rejections.size());
            assertTrue(rejections.get(0), rejections.get(0).contains(CANDIDATE) && rejections.get(0).contains("acme.mlp.fast/1.0.0"));
        } finally {
            second.uninstall();
            first.uninstall();
        }
        assertEquals(List.of(), registry.rejections().stream().filter(r -> r.contains("acme.mlp.copycat")).toList());
        assertEquals(Optional.empty(), find(registry, CANDIDATE));
    }

    private Bundle install(GeneratedBundle generated) throws Exception {
        return context.installBundle("generated:" + generated.symbolicName(), generated.stream());
    }

    private static Optional<CandidateDescriptor> find(CandidateRegistry registry, String name) {
        return registry.candidates().stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /**
     * Fragments only resolve. A lazy bundle waits in STARTING for its first class load, or is ACTIVE
     * already (Pax Exam starts provisioned bundles eagerly). Every other bundle is ACTIVE.
     */
    private static List<Integer> expectedStates(Bundle bundle) {
        if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null) {
            return List.of(Bundle.RESOLVED);
        }
        String policy = bundle.getHeaders().get(Constants.BUNDLE_ACTIVATIONPOLICY);
        boolean lazy = policy != null && policy.trim().startsWith(Constants.ACTIVATION_LAZY);
        return lazy ? List.of(Bundle.ACTIVE, Bundle.STARTING) : List.of(Bundle.ACTIVE);
    }
}
