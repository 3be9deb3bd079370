package io.tttv2.tests;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemPackages;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ops4j.pax.exam.Option;

/**
 * The Pax Exam configuration of the in-framework tests: the built distribution's bundles, every one of
 * them, installed from their files ({@code reference:file:}) into Felix, as the host does.
 */
public final class DistributionInFramework {

    /** What the launcher jar exports through the system bundle (FelixHost does the same). */
    static final String LAUNCHER_SYSTEM_PACKAGES = "io.tttv2.launcher.spi;version=1.1.0";
    /**
     * SLF4J's packages, which the launcher jar carries and its system bundle exports (launcher/host,
     * Slf4jPackages): here the slf4j-api on the test class path, at its own version.
     */
    static final List<String> SLF4J_PACKAGES = List.of("org.slf4j", "org.slf4j.event", "org.slf4j.helpers", "org.slf4j.spi");
    /** Pax Exam's default provisioning level: after its own bundles (2), before the probe (5). */
    private static final int BUNDLE_START_LEVEL = 3;

    private DistributionInFramework() {
    }

    /** Options for a test class's {@code @Configuration} method. */
    public static Option[] options() {
        List<Option> options = new ArrayList<>();
        options.add(junitBundles());
        options.add(cleanCaches(true));
        String slf4j = org.slf4j.Logger.class.getPackage().getImplementationVersion();
        options.add(systemPackages(LAUNCHER_SYSTEM_PACKAGES));
        options.add(systemPackages(SLF4J_PACKAGES.stream().map(p -> p + ";version=" + slf4j).toArray(String[]::new)));
        // Pax Exam's logging bundle prints DEBUG to stdout by default, from before it starts too (a
        // system property reaches it then): keep the build log readable
        options.add(systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"));
        options.add(frameworkProperty("tttv2.home").value(BuiltDistribution.home().toString()));
        for (Path jar : BuiltDistribution.bundles()) {
            options.add(bundle(location(jar)).startLevel(BUNDLE_START_LEVEL));
        }
        return options.toArray(Option[]::new);
    }

    /** The location a distribution jar is installed from; tests find the installed bundle by it. */
    public static String location(Path jar) {
        return "reference:" + jar.toUri();
    }
}
