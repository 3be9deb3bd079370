package io.tttv2.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * {@code tttv2 shell}: the Apache Felix Gogo shell in the running host, so that bundles can be installed,
 * updated and uninstalled while it runs ({@code lb}, {@code install}, {@code update}, {@code uninstall},
 * {@code refresh}), and any tttv2 command run ({@code tttv2 modules}). The Gogo bundles live in
 * {@code HOME/shell/}, installed only for this command: started with the host, Gogo's console would take
 * the terminal of every command. The shell ends when the framework stops ({@code exit}) or its console
 * closes (end of input).
 */
@Command(name = "shell",
        description = {
        "Open the Apache Felix Gogo shell in the running host, to manage bundles while it runs.",
        "lb, install, update, uninstall, refresh bundles; 'tttv2 COMMAND' runs a tttv2 command (e.g. tttv2",
        "modules); 'exit 0' or end of input leaves."})
final class ShellCommand implements Callable<Integer> {

    /** Gogo's console thread, as gogo.jline's activator names it. */
    private static final String CONSOLE_THREAD = "Gogo shell";
    private static final String GOGO_RUNTIME = "org.apache.felix.gogo.runtime";
    private static final long POLL_MILLIS = 100;
    private static final long CONSOLE_START_MILLIS = 10_000;

    @Spec
    CommandLine.Model.CommandSpec spec;

    private final CommandContext context;

    ShellCommand(CommandContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws InterruptedException {
        for (Bundle b : context.bundleContext().getBundles()) {
            if (GOGO_RUNTIME.equals(b.getSymbolicName())) {
                throw new UserError("the shell is already open in this host", 2, null);
            }
        }
        Path folder = context.home().resolve("shell");
        List<Path> jars = jars(folder);
        BundleContext bundles = context.bundleContext();
        Bundle system = bundles.getBundle(0);
        if (System.console() == null || !System.console().isTerminal()) {
            // input from a pipe or a file: a plain line reader, without JLine's warning that there is no terminal
            System.setProperty("org.jline.terminal.dumb", "true");
        }
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("osgi.command.scope", "tttv2");
        properties.put("osgi.command.function", new String[] {"tttv2"});
        ServiceRegistration<?> functions = bundles.registerService(ShellFunctions.class.getName(),
                new ShellFunctions(args -> TttCommand.commandLine(context, args).execute(args)), properties);
        PrintWriter out = spec.commandLine().getOut();
        out.println("tttv2 shell (Apache Felix Gogo): lb, install, update, uninstall, refresh; tttv2 COMMAND; 'exit 0' or end of input leaves.");
        out.flush();
        try {
            for (Bundle b : install(bundles, folder, jars)) {
                start(b, folder);
            }
            awaitEnd(system);
        } finally {
            if (system.getState() == Bundle.ACTIVE) {
                functions.unregister();
            }
        }
        return 0;
    }

    /** Until the framework stops or the console thread, once started, ends. */
    private static void awaitEnd(Bundle system) throws InterruptedException {
        long started = System.currentTimeMillis();
        boolean consoleSeen = false;
        while (system.getState() == Bundle.ACTIVE) {
            boolean console = consoleRunning();
            consoleSeen |= console;
            if (consoleSeen && !console || !consoleSeen && System.currentTimeMillis() - started > CONSOLE_START_MILLIS) {
                return;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private static boolean consoleRunning() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> CONSOLE_THREAD.equals(t.getName()) && t.isAlive());
    }

    private static List<Path> jars(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new UserError(folder + ": missing (the shell's bundles): the distribution is incomplete, rebuild it (./tttv2 --rebuild)");
        }
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> jars = files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
            if (jars.isEmpty()) {
                throw new UserError(folder + ": holds no bundle jars: the distribution is incomplete, rebuild it (./tttv2 --rebuild)");
            }
            return jars;
        } catch (IOException e) {
            throw new UserError(folder + ": cannot list: " + e.getMessage());
        }
    }

    private static List<Bundle> install(BundleContext context, Path folder, List<Path> jars) {
        List<Bundle> installed = new ArrayList<>();
        for (Path jar : jars) {
            try {
                installed.add(context.installBundle("reference:" + jar.toUri()));
            } catch (BundleException e) {
                throw new UserError(folder.relativize(jar) + " is not a valid bundle: " + oneLine(e.getMessage()));
            }
        }
        return installed;
    }

    private static void start(Bundle bundle, Path folder) {
        if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null) {
            return;
        }
        try {
            bundle.start(Bundle.START_ACTIVATION_POLICY);
        } catch (BundleException e) {
            throw new UserError(folder.resolve(bundle.getLocation().substring(bundle.getLocation().lastIndexOf('/') + 1))
                    + " (" + bundle.getSymbolicName() + ") does not start: " + oneLine(e.getMessage()));
        }
    }

    private static String oneLine(String message) {
        return message == null ? "(no message)" : message.replaceAll("\\s+", " ").trim();
    }
}
