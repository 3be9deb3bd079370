package io.tttv2.cli.bundles;

import io.tttv2.api.assembly.Assemblies;
import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.assembly.Requirement;
import io.tttv2.api.candidate.CandidateDescriptor;
import io.tttv2.api.candidate.CandidateRegistry;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.cli.UserError;
import io.tttv2.cli.evidence.ShippedReports;
import io.tttv2.cli.bundles.UserFolder.UserBundle;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tttv2 bundles}: the user's own bundles, kept in the user folder ({@code ~/.tttv2/bundles}, or
 * {@code --home DIR}), which the host installs after the distribution's at every start. {@code verify} says
 * whether a jar would be accepted, {@code install} accepts it (refusing what {@code verify} refuses),
 * {@code list} shows what is installed with its signer and the policy, {@code remove} takes one out unless a
 * model's shipped assembly pins one of its candidates, {@code trust} manages the keys trusted to sign.
 * Install and remove also apply to the running host, so a long-lived one ({@code tttv2 shell}) picks the
 * change up without a restart.
 */
@Command(name = "bundles", description = {
        "Manage your own bundles (USER_HOME/bundles, USER_HOME = ~/.tttv2 or --home DIR), installed after the distribution's.",
        "A bundle must be signed by a key in USER_HOME/truststore.p12 (bundles trust add CERT.pem), or installed with",
        "--allow-unsigned (then only experimental candidates)."})
public final class BundlesCommand implements Callable<Integer> {

    /** Framework property the host sets to the user folder (launcher/host's UserBundles). */
    public static final String USER_HOME_PROPERTY = "tttv2.user.home";
    /** Framework property: the user bundles the host refused at its start, {@code file<TAB>reason} per line. */
    static final String REFUSED_PROPERTY = "tttv2.user.bundles.refused";

    @Spec
    CommandLine.Model.CommandSpec spec;

    private final BundleContext context;
    private final CandidateRegistry registry;
    private final Assemblies assemblies;

    private BundlesCommand(BundleContext context, CandidateRegistry registry, Assemblies assemblies) {
        this.context = context;
        this.registry = registry;
        this.assemblies = assemblies;
    }

    /** The command with its subcommands, for {@code tttv2}'s command line. */
    public static CommandLine commandLine(BundleContext context, CandidateRegistry registry, Assemblies assemblies) {
        BundlesCommand bundles = new BundlesCommand(context, registry, assemblies);
        CommandLine cli = new CommandLine(bundles);
        cli.addSubcommand("verify", bundles.new Verify());
        cli.addSubcommand("install", bundles.new Install());
        cli.addSubcommand("list", bundles.new ListBundles());
        cli.addSubcommand("remove", bundles.new Remove());
        cli.addSubcommand("trust", bundles.new Trust());
        return cli;
    }

    @Override
    public Integer call() {
        throw new UserError("bundles needs a subcommand: verify, install, list, remove or trust", 2, null);
    }

    UserFolder folder() {
        return UserFolder.of(context);
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private static UserError refused(BundleRefused e) {
        return new UserError(e.getMessage(), 1, e);
    }

    @Command(name = "verify", description = "Check a jar as install would, installing nothing: bundle, signature and signer,"
            + " library packages and names, candidates, resolution against this host.")
    final class Verify implements Callable<Integer> {
        @Parameters(paramLabel = "FILE.jar", description = "The bundle jar.")
        Path jar;

        @Option(names = "--allow-unsigned", description = "Accept it without a trusted signature (experimental candidates only).")
        boolean allowUnsigned;

        @Override
        public Integer call() {
            UserFolder folder = folder();
            try {
                VerifiedBundle v = new BundleVerifier(context, registry, folder)
                        .verify(jar, jar.getFileName().toString(), allowUnsigned);
                out().println(jar.getFileName() + ": bundle " + v.symbolicName() + " " + v.version() + ", " + v.policy());
                v.candidates().forEach(c -> out().println("  candidate " + c.describe()));
                out().println("  classes SHA-256 " + v.classesSha256() + " (the classesSha256 of a validation report shipped as "
                        + ShippedReports.ENTRY + ")");
                out().println("verified: it resolves against this host and can be installed");
                return 0;
            } catch (BundleRefused e) {
                throw refused(e);
            }
        }
    }

    @Command(name = "install", description = "Verify a jar and copy it into USER_HOME/bundles (atomically); the host installs it at every start.")
    final class Install implements Callable<Integer> {
        @Parameters(paramLabel = "FILE.jar", description = "The bundle jar.")
        Path jar;

        @Option(names = "--allow-unsigned", description = "Accept it without a trusted signature (experimental candidates only).")
        boolean allowUnsigned;

        @Override
        public Integer call() {
            UserFolder folder = folder();
            try {
                VerifiedBundle v = folder.install(jar, new BundleVerifier(context, registry, folder), allowUnsigned);
                Path installed = folder.bundlesFolder().resolve(v.fileName());
                out().println("installed " + v.symbolicName() + " " + v.version() + " as " + installed + " (" + v.policy() + ")");
                v.candidates().forEach(c -> out().println("  candidate " + c.describe()));
                out().flush();
                new RunningHost(context, folder).installed(installed, v.symbolicName(), spec.commandLine().getErr());
                return 0;
            } catch (BundleRefused e) {
                throw refused(e);
            }
        }
    }

    @Command(name = "list", description = "The installed user bundles: version, candidates, signer, policy, state in this host.")
    final class ListBundles implements Callable<Integer> {
        @Override
        public Integer call() {
            UserFolder folder = folder();
            PrintWriter out = out();
            try {
                TrustStore trust = folder.trustStore();
                int trusted = trust.entries().size();
                out.println("user bundles: " + folder.bundlesFolder());
                out.println("policy: signed by a key of " + trust.file() + " (" + trusted + (trusted == 1 ? " key" : " keys")
                        + "), or --allow-unsigned with experimental candidates only");
                List<UserBundle> bundles = folder.bundles();
                if (bundles.isEmpty()) {
                    out.println("no user bundles installed");
                    return 0;
                }
                for (UserBundle b : bundles) {
                    String signer;
                    try {
                        JarSignature signature = JarSignature.read(b.file());
                        signer = VerifiedBundle.policy(signature, trust.trusting(signature.chain()));
                    } catch (BundleRefused e) {
                        signer = "signature broken: " + e.getMessage();
                    }
                    out.println(b.symbolicName() + " " + b.version() + "  " + b.file().getFileName() + "  " + signer
                            + "  " + state(b));
                    for (CandidateDescriptor c : registry.candidates()) {
                        if (c.bundle().equals(b.id())) {
                            out.println("  candidate " + c.name() + " " + c.version() + " (" + c.kind().id() + ", " + c.tier().id() + ")");
                        }
                    }
                }
                return 0;
            } catch (BundleRefused e) {
                throw refused(e);
            }
        }

        private String state(UserBundle b) {
            for (Bundle bundle : context.getBundles()) {
                if (bundle.getLocation().endsWith(b.file().toUri().toString())) {
                    return switch (bundle.getState()) {
                        case Bundle.ACTIVE -> "active";
                        case Bundle.STARTING -> "active (lazy)";
                        case Bundle.RESOLVED -> "resolved";
                        default -> "not resolved";
                    };
                }
            }
            String refused = refusedAtStart(b.file().getFileName().toString());
            return refused != null ? "not started: " + refused : "not installed in this host";
        }

        /** Why the host did not start this user bundle at its start (launcher/host's UserBundleTrust), or null. */
        private String refusedAtStart(String fileName) {
            String all = context.getProperty(REFUSED_PROPERTY);
            for (String line : all == null ? new String[0] : all.split("\n")) {
                int tab = line.indexOf('\t');
                if (tab > 0 && line.substring(0, tab).equals(fileName)) {
                    return line.substring(tab + 1);
                }
            }
            return null;
        }
    }

    @Command(name = "remove", description = "Take a user bundle out of USER_HOME/bundles, unless a model's shipped assembly pins one of its candidates.")
    final class Remove implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "The bundle's symbolic name (as bundles list shows it).")
        String name;

        @Override
        public Integer call() {
            UserFolder folder = folder();
            try {
                List<UserBundle> installed = folder.bundles();
                UserBundle target = installed.stream().filter(b -> b.symbolicName().equals(name)
                        || b.file().getFileName().toString().equals(name)).findFirst().orElse(null);
                if (target == null) {
                    boolean library = Arrays.stream(context.getBundles())
                            .anyMatch(b -> name.equals(b.getSymbolicName()) && !folder.holds(b.getLocation()));
                    throw new UserError(library ? name + " is a bundle of the distribution, not a user bundle: it cannot be removed"
                            : "no user bundle " + name + " in " + folder.bundlesFolder() + (installed.isEmpty() ? " (none installed)"
                            : " (installed: " + String.join(", ", installed.stream().map(UserBundle::symbolicName).toList()) + ")"));
                }
                String pin = pinnedBy(target);
                if (pin != null) {
                    throw new UserError("cannot remove " + target.symbolicName() + " " + target.version() + ": " + pin);
                }
                Files.delete(target.file());
                folder.allowedUnsigned().forget(target.file().getFileName().toString());
                new RunningHost(context, folder).removed(target.file());
                out().println("removed " + target.symbolicName() + " " + target.version() + " (" + target.file() + ")");
                return 0;
            } catch (BundleRefused e) {
                throw refused(e);
            } catch (IOException e) {
                throw new UserError("cannot remove " + name + ": " + e.getMessage(), 1, e);
            }
        }

        /**
         * Why {@code bundle} must stay: a model bundle (other than itself) ships an assembly naming a candidate
         * that only {@code bundle} offers; null if nothing pins it.
         */
        private String pinnedBy(UserBundle bundle) {
            List<CandidateDescriptor> all = registry.candidates();
            for (Map.Entry<String, Assembly> shipped : assemblies.shipped().entrySet()) {
                String modelBundle = all.stream().filter(c -> c.kind() == ModuleKind.MODEL && c.name().equals(shipped.getKey()))
                        .map(CandidateDescriptor::bundle).findFirst().orElse("?");
                if (modelBundle.equals(bundle.id())) {
                    continue;
                }
                for (Map.Entry<ModuleKind, Requirement> r : shipped.getValue().requirements().entrySet()) {
                    String pinned = r.getValue().name();
                    if (pinned == null) {
                        continue;
                    }
                    List<String> offeredBy = new ArrayList<>();
                    all.stream().filter(c -> c.name().equals(pinned)).forEach(c -> offeredBy.add(c.bundle()));
                    if (!offeredBy.isEmpty() && offeredBy.stream().allMatch(bundle.id()::equals)) {
                        return "model " + shipped.getKey() + " (bundle " + modelBundle + ") pins " + r.getKey().id() + " to "
                                + pinned + ", which only this bundle offers; remove that model first";
                    }
                }
            }
            return null;
        }
    }

    @Command(name = "trust", description = {"The keys trusted to sign bundles (USER_HOME/truststore.p12, PKCS12, password changeit):",
            "trust add CERT.pem [--alias A] | trust list | trust remove ALIAS"})
    final class Trust implements Callable<Integer> {
        enum Action { add, list, remove }

        @Parameters(index = "0", paramLabel = "ACTION", description = "add, list or remove")
        Action action;

        @Parameters(index = "1", arity = "0..1", paramLabel = "CERT|ALIAS",
                description = "add: the signer's certificate (PEM or DER, e.g. keytool -exportcert -rfc); remove: its alias")
        String argument;

        @Option(names = "--alias", description = "add: the alias to store it under (default: from its common name)")
        String alias;

        @Override
        public Integer call() {
            TrustStore trust = folder().trustStore();
            try {
                switch (action) {
                    case add -> {
                        if (argument == null) {
                            throw new UserError("bundles trust add needs the certificate file (CERT.pem)", 2, null);
                        }
                        TrustStore.Entry e = trust.add(Path.of(argument), alias);
                        out().println("trusted '" + e.alias() + "': " + e.subject() + " (SHA-256 " + e.fingerprint() + ") in " + trust.file());
                    }
                    case list -> {
                        List<TrustStore.Entry> entries = trust.entries();
                        out().println("trust store: " + trust.file() + (entries.isEmpty() ? " (no keys trusted)" : ""));
                        entries.forEach(e -> out().println(e.alias() + "  " + e.subject() + "  SHA-256 " + e.fingerprint()));
                    }
                    case remove -> {
                        if (argument == null) {
                            throw new UserError("bundles trust remove needs the alias (see bundles trust list)", 2, null);
                        }
                        trust.remove(argument);
                        out().println("no longer trusted: '" + argument + "'");
                    }
                    default -> throw new IllegalStateException("unknown action " + action);
                }
                return 0;
            } catch (BundleRefused e) {
                throw refused(e);
            }
        }
    }
}
