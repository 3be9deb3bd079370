package io.tttv2.cli.bundles;

import io.tttv2.api.candidate.CandidateDescriptor;
import io.tttv2.api.candidate.CandidateNamespace;
import io.tttv2.api.candidate.CandidateRegistry;
import io.tttv2.api.candidate.Tier;
import io.tttv2.cli.bundles.CandidateDeclarations.Declared;
import io.tttv2.cli.evidence.ShippedReports;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipException;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.Version;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Namespace;

/**
 * Decides whether a jar may join the host as a user bundle, before anything is installed: it is a jar and an
 * OSGi bundle, its signature covers it exactly and its signer is trusted (or {@code --allow-unsigned}), it
 * neither carries nor exports the library's packages nor takes a library bundle's symbolic name, its module
 * candidates are well-formed (tiers above experimental only with a trusted signature), and it resolves against
 * the running host. For the last checks the jar is installed into the host's framework — installing and
 * resolving run none of its code — and uninstalled again.
 */
public final class BundleVerifier {

    /** The library's package prefix: never exported nor carried by a user bundle. */
    static final String LIBRARY_PACKAGES = "io.tttv2.";
    private static final String LIBRARY_CLASSES_PATH = "io/tttv2/";
    private static final Pattern PACKAGE = Pattern.compile("\\(osgi\\.wiring\\.package=([^)]+)\\)");
    private static final Pattern LOWER = Pattern.compile("\\(version>=([^)]+)\\)");
    private static final Pattern UPPER = Pattern.compile("\\(!\\(version>=([^)]+)\\)\\)");

    private final BundleContext context;
    private final CandidateRegistry registry;
    private final UserFolder folder;

    public BundleVerifier(BundleContext context, CandidateRegistry registry, UserFolder folder) {
        this.context = context;
        this.registry = registry;
        this.folder = folder;
    }

    /**
     * @param jar           the jar to check
     * @param display       how messages name it (the user's file name)
     * @param allowUnsigned accept it without a trusted signature (then only experimental candidates)
     * @throws BundleRefused one line: {@code display: reason}
     */
    public VerifiedBundle verify(Path jar, String display, boolean allowUnsigned) throws BundleRefused {
        try {
            return check(jar, allowUnsigned);
        } catch (BundleRefused e) {
            throw new BundleRefused(display + ": " + e.getMessage(), e);
        }
    }

    private VerifiedBundle check(Path jar, boolean allowUnsigned) throws BundleRefused {
        if (!Files.isRegularFile(jar)) {
            throw new BundleRefused("no such file");
        }
        Identity identity = manifestChecks(jar);
        JarSignature signature = JarSignature.read(jar);
        TrustStore trust = folder.trustStore();
        String trustedAs = trust.trusting(signature.chain());
        if (trustedAs == null && !allowUnsigned) {
            if (signature.signed()) {
                throw new BundleRefused("signed by " + signature.describe() + ", a key the trust store " + trust.file()
                        + " does not hold; trust its certificate (tttv2 bundles trust add CERT.pem) or pass --allow-unsigned");
            }
            throw new BundleRefused("not signed; a bundle from outside the distribution needs a signature by a key in the trust store "
                    + trust.file() + " (jarsigner; tttv2 bundles trust add CERT.pem), or --allow-unsigned");
        }
        Version version = identity.version();
        for (Bundle b : context.getBundles()) {
            if (!identity.symbolicName().equals(b.getSymbolicName())) {
                continue;
            }
            if (!folder.holds(b.getLocation())) {
                throw new BundleRefused("its symbolic name " + identity.symbolicName() + " is the library bundle "
                        + fileOf(b.getLocation()) + "'s; give the bundle a name of its own (e.g. com.acme.norm)");
            }
            if (b.getVersion().equals(version)) {
                throw new BundleRefused(identity.symbolicName() + " " + version + " is already installed ("
                        + fileOf(b.getLocation()) + "); remove it first, or raise Bundle-Version");
            }
        }
        Bundle probe = installProbe(jar);
        try {
            BundleRevision revision = probe.adapt(BundleRevision.class);
            if ((revision.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0) {
                throw new BundleRefused("it is a fragment (Fragment-Host): a user bundle must be a bundle of its own, not part of another's class space");
            }
            for (BundleCapability export : revision.getDeclaredCapabilities(PackageNamespace.PACKAGE_NAMESPACE)) {
                String pkg = String.valueOf(export.getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE));
                if (pkg.startsWith(LIBRARY_PACKAGES)) {
                    throw new BundleRefused("it exports " + pkg + ", a package of the library (" + LIBRARY_PACKAGES
                            + "*); import the library's packages, never provide or substitute them");
                }
            }
            List<Declared> candidates = candidates(revision, probe);
            if (trustedAs == null) {
                for (Declared d : candidates) {
                    if (d.tier() != Tier.EXPERIMENTAL) {
                        throw new BundleRefused("candidate " + d.name() + " claims tier " + d.tier().id()
                                + "; tiers above experimental need a signature by a trusted key (unsigned bundles: experimental only)");
                    }
                }
            }
            resolution(revision, probe);
            String classes;
            try {
                classes = ShippedReports.classesSha256(probe);
            } catch (IOException e) {
                throw new BundleRefused("cannot read its classes: " + e.getMessage(), e);
            }
            return new VerifiedBundle(identity.symbolicName(), version, candidates, signature, trustedAs, classes);
        } finally {
            try {
                probe.uninstall();
            } catch (BundleException | IllegalStateException e) {
                // the probe goes with the process in any case
            }
        }
    }

    /** What the manifest says the bundle is. */
    private record Identity(String symbolicName, Version version) {
    }

    /** A jar, a manifest, an OSGi bundle, no classes of the library inside. */
    private static Identity manifestChecks(Path jar) throws BundleRefused {
        Manifest manifest;
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            try {
                manifest = file.getManifest();
            } catch (IOException | RuntimeException e) {
                throw new BundleRefused("corrupt manifest (META-INF/MANIFEST.MF): " + JarSignature.oneLine(e.getMessage()), e);
            }
            for (Enumeration<JarEntry> entries = file.entries(); entries.hasMoreElements(); ) {
                String name = entries.nextElement().getName();
                if (name.startsWith(LIBRARY_CLASSES_PATH) && name.endsWith(".class")) {
                    throw new BundleRefused("it carries " + name + ", a class of the library's own packages ("
                            + LIBRARY_PACKAGES + "*); import them instead of embedding a copy");
                }
            }
        } catch (ZipException e) {
            throw new BundleRefused("not a jar (" + JarSignature.oneLine(e.getMessage()) + ")", e);
        } catch (IOException e) {
            throw new BundleRefused("not a readable jar: " + JarSignature.oneLine(e.getMessage()), e);
        }
        if (manifest == null) {
            throw new BundleRefused("not an OSGi bundle: it has no META-INF/MANIFEST.MF");
        }
        String bsn = manifest.getMainAttributes().getValue("Bundle-SymbolicName");
        if (bsn == null || bsn.isBlank()) {
            throw new BundleRefused("not an OSGi bundle: its manifest has no Bundle-SymbolicName");
        }
        String manifestVersion = manifest.getMainAttributes().getValue("Bundle-ManifestVersion");
        if (!"2".equals(manifestVersion == null ? null : manifestVersion.trim())) {
            throw new BundleRefused("not an OSGi R4+ bundle: Bundle-ManifestVersion is "
                    + (manifestVersion == null ? "missing" : "'" + manifestVersion + "'") + ", expected 2");
        }
        String version = manifest.getMainAttributes().getValue("Bundle-Version");
        try {
            return new Identity(bsn.split(";")[0].trim(), Version.parseVersion(version == null ? null : version.trim()));
        } catch (IllegalArgumentException e) {
            throw new BundleRefused("corrupt manifest: Bundle-Version '" + version + "' is not a version (major.minor.micro.qualifier)");
        }
    }

    private Bundle installProbe(Path jar) throws BundleRefused {
        try (InputStream in = Files.newInputStream(jar)) {
            return context.installBundle("tttv2-verify:" + jar.toUri(), in);
        } catch (BundleException e) {
            throw new BundleRefused("corrupt bundle manifest: " + JarSignature.oneLine(e.getMessage()), e);
        } catch (IOException e) {
            throw new BundleRefused("cannot read: " + e.getMessage(), e);
        }
    }

    private List<Declared> candidates(BundleRevision revision, Bundle probe) throws BundleRefused {
        List<Map<String, Object>> declared = new ArrayList<>();
        for (BundleCapability c : revision.getDeclaredCapabilities(CandidateNamespace.NAMESPACE)) {
            declared.add(c.getAttributes());
        }
        List<Declared> candidates = CandidateDeclarations.check(declared);
        String self = probe.getSymbolicName() + "/" + probe.getVersion();
        for (Declared d : candidates) {
            for (CandidateDescriptor other : registry.candidates()) {
                if (other.name().equals(d.name()) && Version.parseVersion(other.version()).equals(d.version())
                        && !other.bundle().equals(self) && !other.bundle().startsWith(probe.getSymbolicName() + "/")) {
                    throw new BundleRefused("candidate " + d.name() + " " + d.version() + " is already declared by bundle "
                            + other.bundle());
                }
            }
        }
        return candidates;
    }

    /**
     * Every mandatory requirement must find a capability in the host (the bundle's own included): each one
     * missing is named, packages with the range imported and what the host exports instead. Then the framework
     * resolves it, which catches what a requirement-by-requirement look misses (uses constraints).
     */
    private void resolution(BundleRevision revision, Bundle probe) throws BundleRefused {
        List<String> missing = new ArrayList<>();
        for (BundleRequirement requirement : revision.getDeclaredRequirements(null)) {
            Map<String, String> directives = requirement.getDirectives();
            String effective = directives.getOrDefault(Namespace.REQUIREMENT_EFFECTIVE_DIRECTIVE, Namespace.EFFECTIVE_RESOLVE);
            String resolution = directives.getOrDefault(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE, Namespace.RESOLUTION_MANDATORY);
            if (!Namespace.EFFECTIVE_RESOLVE.equals(effective) || !Namespace.RESOLUTION_MANDATORY.equals(resolution)) {
                continue;
            }
            String filter = directives.get(Namespace.REQUIREMENT_FILTER_DIRECTIVE);
            if (!satisfied(requirement.getNamespace(), filter)) {
                missing.add(describe(requirement.getNamespace(), filter));
            }
        }
        if (!missing.isEmpty()) {
            throw new BundleRefused("does not resolve against the host: " + String.join("; ", missing));
        }
        FrameworkWiring wiring = context.getBundle(0).adapt(FrameworkWiring.class);
        if (!wiring.resolveBundles(Set.of(probe))) {
            throw new BundleRefused("does not resolve against the host (every requirement is offered, but not together:"
                    + " a uses constraint; run it in 'tttv2 shell' to see Felix's reason)");
        }
    }

    private boolean satisfied(String namespace, String filterText) throws BundleRefused {
        org.osgi.framework.Filter filter;
        try {
            filter = filterText == null ? null : FrameworkUtil.createFilter(filterText);
        } catch (InvalidSyntaxException e) {
            throw new BundleRefused("a requirement in " + namespace + " has a malformed filter: " + filterText);
        }
        for (Bundle b : context.getBundles()) {
            BundleRevision r = b.adapt(BundleRevision.class);
            if (r == null) {
                continue;
            }
            for (BundleCapability c : r.getDeclaredCapabilities(namespace)) {
                if (filter == null || filter.matches(c.getAttributes())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** "package org.acme.x [1.2,2) (the host exports 1.0.0)", or the namespace and filter. */
    private String describe(String namespace, String filter) {
        if (PackageNamespace.PACKAGE_NAMESPACE.equals(namespace) && filter != null) {
            Matcher name = PACKAGE.matcher(filter);
            if (name.find()) {
                String pkg = name.group(1);
                Matcher low = LOWER.matcher(filter);
                Matcher high = UPPER.matcher(filter);
                String range = low.find() ? "[" + low.group(1) + "," + (high.find() ? high.group(1) + ")" : "∞)") : "any version";
                List<String> exported = new ArrayList<>();
                for (Bundle b : context.getBundles()) {
                    BundleRevision r = b.adapt(BundleRevision.class);
                    if (r == null) {
                        continue;
                    }
                    for (BundleCapability c : r.getDeclaredCapabilities(namespace)) {
                        if (pkg.equals(c.getAttributes().get(namespace))) {
                            exported.add(String.valueOf(c.getAttributes().get(PackageNamespace.CAPABILITY_VERSION_ATTRIBUTE)));
                        }
                    }
                }
                return "imports package " + pkg + " " + range + ", "
                        + (exported.isEmpty() ? "which no bundle of the host exports" : "the host exports version " + String.join(", ", exported));
            }
        }
        return "requires " + namespace + " " + filter + ", which the host does not offer";
    }

    private static String fileOf(String location) {
        return location == null ? "?" : location.substring(location.lastIndexOf('/') + 1);
    }
}
