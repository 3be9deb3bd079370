package io.tttv2.launcher;

import io.tttv2.launcher.spi.HostCommandLine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * The embedded Apache Felix framework over a distribution: installs every jar of {@code HOME/bundles}, then the
 * user's bundles ({@link UserBundles}) that are still signed by a trusted key or allowed unsigned as installed
 * ({@link UserBundleTrust}), starts them, waits for the command-line service and runs the command. SLF4J is not a
 * bundle: the launcher jar carries it and the system bundle exports it ({@link Slf4jPackages}). The framework's
 * cache lives in a fresh folder per run ({@link FrameworkStorage}), so concurrent invocations never share state,
 * and is deleted when the framework stops.
 */
final class FelixHost {

    /** Generous: DS activates the command-line component within milliseconds of its bundle starting. */
    static final long COMMAND_LINE_WAIT_MILLIS = 30_000;
    private static final long STOP_WAIT_MILLIS = 10_000;
    /** Packages the launcher jar offers to bundles through the system bundle: its SPI (and SLF4J's, at start). */
    private static final String SYSTEM_PACKAGES_EXTRA = "io.tttv2.launcher.spi;version=1.1.0";

    private final Path home;
    private final HostOptions options;

    FelixHost(Path home, HostOptions options) {
        this.home = home;
        this.options = options;
    }

    int run(List<String> args) throws HostStartException {
        try (EmbeddedHost host = start()) {
            return host.service(HostCommandLine.class, COMMAND_LINE_WAIT_MILLIS, "is the io.tttv2.launcher.commands bundle in "
                    + home.resolve("bundles") + "?").run(args);
        }
    }

    /**
     * Starts the framework with every bundle of the distribution (and the user's, unless {@code options} has no
     * user folder); the caller stops it by closing the result.
     */
    EmbeddedHost start() throws HostStartException {
        long start = System.nanoTime();
        List<Path> jars = DistributionBundles.list(home);
        StringBuilder refused = new StringBuilder();
        List<Path> userJars = options.userHome() == null ? List.of() : trusted(UserBundles.list(options.userHome()), refused);
        configureLogging();
        Path storage;
        try {
            storage = FrameworkStorage.create();
        } catch (IOException e) {
            throw new HostStartException("cannot create the framework's cache folder: " + e.getMessage(), e);
        }
        Framework framework = newFramework(storage, refused.toString());
        boolean started = false;
        try {
            framework.init();
            List<Bundle> bundles = install(framework.getBundleContext(), jars);
            List<Bundle> userBundles = installUserBundles(framework.getBundleContext(), userJars);
            framework.start();
            startAll(bundles);
            startUserBundles(userBundles);
            bundles.addAll(userBundles);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.setProperty(HostCommandLine.STARTUP_MILLIS_PROPERTY, Long.toString(millis));
            if (options.verbose()) {
                System.err.printf("tttv2: %d bundles active in %d ms (home %s)%n", bundles.size(), millis, home);
            }
            started = true;
            return new EmbeddedHost(framework, () -> {
                stop(framework);
                FrameworkStorage.deleteQuietly(storage);
            });
        } catch (BundleException e) {
            throw new HostStartException("the framework failed to start: " + oneLine(e.getMessage()), e);
        } finally {
            if (!started) {
                stop(framework);
                FrameworkStorage.deleteQuietly(storage);
            }
        }
    }

    /**
     * The user bundles that pass {@link UserBundleTrust} again at this start; each other one is a warning line
     * (and a line {@code file<TAB>reason} in {@code refused}, which {@code bundles list} shows), never installed.
     */
    private List<Path> trusted(List<Path> jars, StringBuilder refused) {
        if (jars.isEmpty()) {
            return jars;
        }
        UserBundleTrust trust = new UserBundleTrust(options.userHome());
        List<Path> out = new ArrayList<>();
        for (Path jar : jars) {
            String why = trust.refusal(jar);
            if (why == null) {
                out.add(jar);
                continue;
            }
            String file = jar.getFileName().toString();
            System.err.println("tttv2: warning: user bundle " + file + " is not started: " + why + "; tttv2 bundles remove "
                    + file + " takes it out");
            refused.append(file).append('\t').append(why).append('\n');
        }
        return out;
    }

    private Framework newFramework(Path storage, String refusedUserBundles) throws HostStartException {
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        try {
            config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, SYSTEM_PACKAGES_EXTRA + "," + Slf4jPackages.exportClause());
        } catch (IllegalStateException e) {
            throw new HostStartException("the launcher jar is incomplete: " + e.getMessage(), e);
        }
        config.put("felix.log.level", Integer.toString(options.felixLogLevel()));
        config.put(HostCommandLine.HOME_PROPERTY, home.toString());
        config.put(HostCommandLine.VERBOSE_PROPERTY, Boolean.toString(options.verbose()));
        if (options.userHome() != null) {
            config.put(UserBundles.USER_HOME_PROPERTY, options.userHome().toString());
        }
        config.put(UserBundleTrust.REFUSED_PROPERTY, refusedUserBundles);
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class, FelixHost.class.getClassLoader())
                .findFirst()
                .orElseThrow(() -> new HostStartException("no OSGi framework in the launcher jar (FrameworkFactory not found)"));
        return factory.newFramework(config);
    }

    /** SLF4J's simple binding reads system properties: quiet (warn) unless asked for more, always to stderr. */
    private void configureLogging() {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", options.logLevel());
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
        System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
        // the JDK's platform logger (System.Logger, which the BLAS device uses) writes through java.util.logging:
        // hold it to the same level
        java.util.logging.Level level = switch (options.logLevel()) {
            case "trace" -> java.util.logging.Level.FINEST;
            case "debug" -> java.util.logging.Level.FINE;
            case "info" -> java.util.logging.Level.INFO;
            case "error" -> java.util.logging.Level.SEVERE;
            case "off" -> java.util.logging.Level.OFF;
            default -> java.util.logging.Level.WARNING;
        };
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.setLevel(level);
        for (java.util.logging.Handler handler : root.getHandlers()) {
            handler.setLevel(level);
        }
    }

    private List<Bundle> install(BundleContext context, List<Path> jars) throws HostStartException {
        List<Bundle> bundles = new ArrayList<>();
        for (Path jar : jars) {
            try {
                bundles.add(context.installBundle("reference:" + jar.toUri()));
            } catch (BundleException | RuntimeException e) {
                throw new HostStartException(home.relativize(jar) + " is not a valid bundle: " + oneLine(e.getMessage()), e);
            }
        }
        return bundles;
    }

    /**
     * The user's bundles, after the distribution's. One that cannot be installed is one warning line, not a
     * failed start: the host must still run {@code tttv2 bundles remove} to take it out.
     */
    private List<Bundle> installUserBundles(BundleContext context, List<Path> jars) {
        List<Bundle> bundles = new ArrayList<>();
        for (Path jar : jars) {
            try {
                bundles.add(context.installBundle("reference:" + jar.toUri()));
            } catch (BundleException | RuntimeException e) {
                System.err.println("tttv2: warning: user bundle " + jar + " is not installed: " + oneLine(e.getMessage())
                        + " (tttv2 bundles remove takes it out)");
            }
        }
        return bundles;
    }

    /** Starts the user's bundles; one that does not resolve or start is a warning line, as above. */
    private void startUserBundles(List<Bundle> bundles) {
        for (Bundle bundle : bundles) {
            if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null) {
                continue;
            }
            try {
                bundle.start(Bundle.START_ACTIVATION_POLICY);
            } catch (BundleException | RuntimeException e) {
                String why = e instanceof BundleException b && b.getType() == BundleException.RESOLVE_ERROR
                        ? "does not resolve: " + resolutionCause(e.getMessage()) : "failed to start: " + oneLine(e.getMessage());
                System.err.println("tttv2: warning: user " + describe(bundle) + " " + why);
            }
        }
    }

    /** Starts every bundle that is not a fragment, in the distribution's order. */
    private void startAll(List<Bundle> bundles) throws HostStartException {
        for (Bundle bundle : bundles) {
            if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null) {
                continue;
            }
            try {
                bundle.start(Bundle.START_ACTIVATION_POLICY);
            } catch (BundleException e) {
                String what = describe(bundle);
                if (e.getType() == BundleException.RESOLVE_ERROR) {
                    throw new HostStartException(what + " does not resolve: " + resolutionCause(e.getMessage()), e);
                }
                throw new HostStartException(what + " failed to start: " + oneLine(e.getMessage()), e);
            }
        }
    }

    private String describe(Bundle bundle) {
        String location = bundle.getLocation();
        String file = location.substring(location.lastIndexOf('/') + 1);
        return "bundle " + file + " (" + bundle.getSymbolicName() + " " + bundle.getVersion() + ")";
    }

    /**
     * Felix says "Unable to resolve X: missing requirement [X] osgi.wiring.package; (...) [caused by: ...]
     * Unresolved requirements: [...]"; the part before the repeated list names the cause.
     */
    static String resolutionCause(String message) {
        String text = oneLine(message);
        int repeat = text.indexOf(" Unresolved requirements:");
        if (repeat > 0) {
            text = text.substring(0, repeat);
        }
        int missing = text.indexOf("missing requirement");
        return missing >= 0 ? text.substring(missing) : text;
    }

    static String oneLine(String message) {
        return message == null ? "(no message)" : message.replaceAll("\\s+", " ").trim();
    }

    private static void stop(Framework framework) {
        try {
            framework.stop();
            framework.waitForStop(STOP_WAIT_MILLIS);
        } catch (BundleException | InterruptedException | RuntimeException e) {
            // stopping is best effort; the process exits right after
        }
    }
}
