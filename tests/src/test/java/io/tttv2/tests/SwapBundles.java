package io.tttv2.tests;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * Implementation bundles for the hot-swap tests: an attention candidate declared in the manifest and
 * registered by an activator (io.tttv2.tests.swap), computing with the core attention so that its output
 * equals the core's. Each call writes a fresh jar; bundles differ by symbolic name and candidate version.
 */
public final class SwapBundles {

    /** The candidate name every swap bundle offers (at the version it is given). */
    public static final String CANDIDATE = "test/attention/delegating";

    private static final String PACKAGE = "io/tttv2/tests/swap/";
    private static final String[] CLASSES = {"DelegatingAttentionActivator", "DelegatingAttentionFactory", "DelegatingAttention"};
    /** The variants of the core attention it delegates to: whatever the fixture needs, it supports. */
    private static final String VARIANTS = "mha,gqa,mqa,qkv-bias,output-bias,qk-norm-per-head,sliding-window";

    private SwapBundles() {
    }

    /**
     * A bundle {@code symbolicName} offering {@link #CANDIDATE} at {@code version} under {@code tier}, holding
     * the certifications the tier requires.
     */
    public static GeneratedBundle attention(String symbolicName, String version, String tier) {
        String certifications = switch (tier) {
            case "core" -> "functionally-tested,performance-verified";
            case "contrib" -> "functionally-tested";
            default -> "";
        };
        GeneratedBundle bundle = GeneratedBundle.named(symbolicName)
                .header("Bundle-Version", version)
                .header("Bundle-Activator", PACKAGE.replace('/', '.') + CLASSES[0])
                .header("Import-Package", "io.tttv2.api.modules;version=\"[2.0,3)\",io.tttv2.api.ops;version=\"[2.0,3)\","
                        + "io.tttv2.api.tensor;version=\"[2.0,3)\",org.osgi.framework;version=\"[1.8,2)\","
                        + "org.osgi.framework.wiring;version=\"[1.2,2)\"")
                .header("Provide-Capability", "io.tttv2.candidate;name=" + CANDIDATE + ";kind=attention;version:Version="
                        + version + ";tier=" + tier + (certifications.isEmpty() ? "" : ";certifications:List<String>=\"" + certifications + "\"")
                        + ";dtypes:List<String>=\"F32,BF16,F16\";devices:List<String>=cpu;variants:List<String>=\"" + VARIANTS + "\"");
        for (String name : CLASSES) {
            bundle.entry(PACKAGE + name + ".class", classBytes(PACKAGE + name + ".class"));
        }
        return bundle;
    }

    /**
     * Refreshes the framework's wiring (old revisions of updated or uninstalled bundles are dropped) and waits up to
     * {@code waitMillis} for it; false if it did not finish in time.
     */
    public static boolean refresh(BundleContext context, long waitMillis) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(null, event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                done.countDown();
            }
        });
        return done.await(waitMillis, TimeUnit.MILLISECONDS);
    }

    private static byte[] classBytes(String path) {
        try (InputStream in = SwapBundles.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is not on the test class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }
}
