package io.tttv2.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Comparator;
import org.osgi.framework.Bundle;

/** What {@code tttv2 --version} prints: the library version and the JDK; with --verbose every bundle. */
final class VersionReport {

    static final String API_BUNDLE = "io.tttv2.core.api";

    private final CommandContext context;

    VersionReport(CommandContext context) {
        this.context = context;
    }

    void print(PrintWriter out, boolean verbose) {
        out.println("tttv2 " + libraryVersion());
        out.println("JDK " + Runtime.version() + " (" + System.getProperty("java.vendor") + ", "
                + System.getProperty("java.home") + ")");
        if (verbose) {
            Bundle[] bundles = context.bundleContext().getBundles();
            Arrays.sort(bundles, Comparator.comparing(Bundle::getBundleId));
            out.println("Bundles:");
            for (Bundle b : bundles) {
                out.printf("  %3d  %-52s %-24s %s%n", b.getBundleId(), b.getSymbolicName(), b.getVersion(), state(b.getState()));
            }
            String startup = System.getProperty(io.tttv2.launcher.spi.HostCommandLine.STARTUP_MILLIS_PROPERTY);
            if (startup != null) {
                out.println("Start-up to all bundles active: " + startup + " ms");
            }
        }
    }

    /** The version of the API bundle, which is the library's version. */
    private String libraryVersion() {
        for (Bundle b : context.bundleContext().getBundles()) {
            if (API_BUNDLE.equals(b.getSymbolicName())) {
                return b.getVersion().toString();
            }
        }
        return "(unknown: " + API_BUNDLE + " is not installed)";
    }

    static String state(int state) {
        return switch (state) {
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            case Bundle.UNINSTALLED -> "UNINSTALLED";
            default -> Integer.toString(state);
        };
    }
}
