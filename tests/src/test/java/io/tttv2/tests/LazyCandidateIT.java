package io.tttv2.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.tttv2.api.candidate.CandidateRegistry;
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

/**
 * The registry reads candidates from manifests only: a lazy bundle whose one class cannot even be loaded
 * is listed, stays STARTING, and the framework defines none of its classes.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LazyCandidateIT {

    private static final String CANDIDATE = "acme/mlp/lazy";

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] configuration() {
        return DistributionInFramework.options();
    }

    @Test
    public void aLazyBundlesCandidateIsListedWithoutLoadingItsClasses() throws Exception {
        CandidateRegistry registry = ServiceWait.service(context, CandidateRegistry.class);
        GeneratedBundle generated = ExampleBundles.lazyWithUnloadableClass("acme.mlp.lazy", CANDIDATE);
        String activator = generated.symbolicName() + ".Activator";
        try (ClassLoadRecorder classLoads = ClassLoadRecorder.forBundle(context, generated.symbolicName())) {
            // installed unstarted, then started by its policy: Pax Exam itself would start it eagerly (trap 6)
            Bundle bundle = context.installBundle("generated:" + generated.symbolicName(), generated.stream());
            try {
                bundle.start(Bundle.START_ACTIVATION_POLICY);
                assertEquals(BundleStates.name(Bundle.STARTING), BundleStates.name(bundle.getState()));

                assertTrue(CANDIDATE + " not listed: " + registry.candidates(),
                        registry.candidates().stream().anyMatch(c -> c.name().equals(CANDIDATE)));
                assertEquals(BundleStates.name(Bundle.STARTING), BundleStates.name(bundle.getState()));
                assertEquals(List.of(), classLoads.loaded());

                // the class really is unloadable, and the recorder sees loads: activating the bundle
                // eagerly has to load its activator, which fails
                BundleException activation = assertThrows(BundleException.class, bundle::start);
                assertTrue(String.valueOf(activation.getCause()), activation.getCause() instanceof ClassFormatError);
                assertEquals(List.of(activator), classLoads.loaded());
            } finally {
                bundle.uninstall();
            }
        }
    }
}
