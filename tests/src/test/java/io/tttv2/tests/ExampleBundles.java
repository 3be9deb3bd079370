package io.tttv2.tests;

import java.nio.charset.StandardCharsets;

/** The bundles the tests install: each one shows one rule of the host. */
public final class ExampleBundles {

    /** A core-impl package: core-impl exports nothing, so no bundle may import it. */
    public static final String CORE_IMPL_PACKAGE = "io.tttv2.core.cpu";

    private ExampleBundles() {
    }

    /** The {@code Provide-Capability} value declaring one experimental MLP candidate. */
    public static String candidateCapability(String name, String version) {
        return "io.tttv2.candidate;name=" + name + ";kind=mlp;version:Version=" + version + ";tier=experimental";
    }

    /** Metadata only: a bundle without classes declaring candidate {@code name} at {@code version}. */
    public static GeneratedBundle declaringCandidate(String symbolicName, String name, String version) {
        return GeneratedBundle.named(symbolicName).header("Provide-Capability", candidateCapability(name, version));
    }

    /**
     * A lazy bundle declaring a candidate whose only class, its activator, cannot be loaded (its bytes are
     * not a class file): the bundle can be listed only if nobody loads a class from it.
     */
    public static GeneratedBundle lazyWithUnloadableClass(String symbolicName, String name) {
        String activator = symbolicName + ".Activator";
        return declaringCandidate(symbolicName, name, "1.0.0")
                .header("Bundle-ActivationPolicy", "lazy")
                .header("Bundle-Activator", activator)
                .entry(activator.replace('.', '/') + ".class",
                        "not a class file: loading this must fail".getBytes(StandardCharsets.US_ASCII));
    }

    /** What a model bundle breaking the boundaries would declare: an import of a core-impl package. */
    public static GeneratedBundle importingCoreImpl(String symbolicName) {
        return GeneratedBundle.named(symbolicName).header("Import-Package", CORE_IMPL_PACKAGE);
    }

    /** The allowed counterpart of {@link #importingCoreImpl}: an import of an API package. */
    public static GeneratedBundle importingApi(String symbolicName) {
        return GeneratedBundle.named(symbolicName).header("Import-Package", "io.tttv2.api.candidate");
    }
}
