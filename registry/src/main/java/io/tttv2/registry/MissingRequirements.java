package io.tttv2.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.resource.Namespace;

/**
 * Why a bundle does not resolve, said the way a user can act on it: each mandatory requirement that no
 * installed bundle can satisfy, e.g. "imports io.tttv2.api.modules [2.0.0,3.0.0), installed: 1.1.0".
 * Reads declared requirements and capabilities only; loads no class.
 */
final class MissingRequirements {

    private static final Pattern PACKAGE = Pattern.compile("\\(" + Pattern.quote(PackageNamespace.PACKAGE_NAMESPACE) + "=([^)]+)\\)");
    private static final Pattern AT_LEAST = Pattern.compile("\\(version>=([^)]+)\\)");
    private static final Pattern BELOW = Pattern.compile("\\(!\\(version>=([^)]+)\\)\\)");

    private MissingRequirements() {
    }

    /**
     * One line: what {@code bundle} lacks, or null if every requirement has a provider (it may resolve, or
     * fail on a conflict between providers, which only the framework's resolver can tell).
     */
    static String of(Bundle bundle, BundleContext context) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        if (revision == null) {
            return "it is uninstalled";
        }
        List<String> missing = new ArrayList<>();
        for (BundleRequirement requirement : revision.getDeclaredRequirements(null)) {
            if (Namespace.RESOLUTION_OPTIONAL.equals(requirement.getDirectives().get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE))) {
                continue;
            }
            List<BundleCapability> offered = capabilities(context, requirement.getNamespace());
            if (offered.stream().noneMatch(requirement::matches)) {
                missing.add(describe(requirement, offered));
            }
        }
        return missing.isEmpty() ? null : String.join("; ", missing);
    }

    private static List<BundleCapability> capabilities(BundleContext context, String namespace) {
        List<BundleCapability> all = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            BundleRevision r = b.adapt(BundleRevision.class);
            if (r != null && b.getState() != Bundle.UNINSTALLED) {
                all.addAll(r.getDeclaredCapabilities(namespace));
            }
        }
        return all;
    }

    private static String describe(BundleRequirement requirement, List<BundleCapability> offered) {
        String filter = requirement.getDirectives().getOrDefault(Namespace.REQUIREMENT_FILTER_DIRECTIVE, "");
        if (!PackageNamespace.PACKAGE_NAMESPACE.equals(requirement.getNamespace())) {
            return "requires " + requirement.getNamespace() + " " + filter + ", which no installed bundle provides";
        }
        Matcher name = PACKAGE.matcher(filter);
        if (!name.find()) {
            return "imports " + filter + ", which no installed bundle exports";
        }
        String pkg = name.group(1);
        TreeSet<String> versions = new TreeSet<>();
        for (BundleCapability c : offered) {
            if (pkg.equals(c.getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE))) {
                versions.add(String.valueOf(c.getAttributes().get(PackageNamespace.CAPABILITY_VERSION_ATTRIBUTE)));
            }
        }
        return "imports " + pkg + " " + range(filter) + ", " + (versions.isEmpty() ? "which no installed bundle exports"
                : "installed: " + String.join(", ", versions));
    }

    /** {@code [2.0.0,3.0.0)} from a filter's {@code (version>=2.0.0)(!(version>=3.0.0))}. */
    static String range(String filter) {
        Matcher low = AT_LEAST.matcher(filter);
        String from = null;
        while (low.find()) {
            // skip the one inside the negation
            if (low.start() == 0 || filter.charAt(low.start() - 1) != '!') {
                from = low.group(1);
                break;
            }
        }
        Matcher high = BELOW.matcher(filter);
        String to = high.find() ? high.group(1) : null;
        if (from == null && to == null) {
            return "(any version)";
        }
        return "[" + (from == null ? "0.0.0" : from) + "," + (to == null ? "∞" : to) + ")";
    }
}
