package io.tttv2.cli.config;

import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.assembly.ModuleResolver;
import io.tttv2.api.assembly.Requirement;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.assembly.UnresolvedException;
import io.tttv2.api.runner.DryRun;
import io.tttv2.api.runner.ModelLoadException;
import io.tttv2.api.runner.ModelRunnerFactory;
import io.tttv2.api.runner.Runner;
import io.tttv2.api.runner.RunnerOptions;
import io.tttv2.cli.ModelCatalog;
import io.tttv2.cli.UserError;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import picocli.CommandLine.Option;

/**
 * {@code --dump-config FILE} and {@code --dry-run}, shared by every command that loads a model (a picocli mixin).
 * A command asks {@link #dryRun} before it loads (and stops with its exit code if there was one), and calls
 * {@link #dump} once the model is loaded.
 */
public final class ConfigOptions {

    @Option(names = "--dump-config", paramLabel = "FILE",
            description = "Write the effective configuration (versions, assembly, every module's spec, config, fingerprint and specialization, device, KV cache, options) as JSON to FILE.")
    Path dumpConfig;

    @Option(names = "--dry-run",
            description = "Resolve, read config and weight headers, check every shape, compute every module's configuration, size the KV cache; run nothing. Exit 0 if the model would run, 1 with the reason.")
    boolean dryRun;

    @Option(names = "--kv-dtype", paramLabel = "TYPE",
            description = "Element type of the KV cache: F32 (default, exact), BF16 or F16 (half the memory). The same as the attention kind's kvDtype knob in an assembly.")
    String kvDtype;

    /**
     * {@code options} with --kv-dtype laid over their assembly as the attention kind's {@code kvDtype} knob (it wins
     * over an --assembly file's); unchanged without the option.
     *
     * @throws UserError naming the option, the types it takes and the value found
     */
    public RunnerOptions applied(RunnerOptions options) {
        if (kvDtype == null) {
            return options;
        }
        int code;
        try {
            code = ModuleConfig.parse("kvDtype", kvDtype);
        } catch (IllegalArgumentException e) {
            throw new UserError("--kv-dtype expected one of F32, BF16, F16, found " + kvDtype, 2, null);
        }
        Assembly over = new Assembly(null, Map.of(ModuleKind.ATTENTION,
                new Requirement(null, null, null, List.of(), List.of(), Map.of("kvDtype", code))));
        return options.withAssembly(options.assembly() == null ? over : options.assembly().overriddenBy(over));
    }

    /** True when --dry-run was given. */
    public boolean dryRunRequested() {
        return dryRun;
    }

    /**
     * With --dry-run: plans the load of {@code directory}, prints the plan to {@code out} (and writes the dump with
     * --dump-config) and returns 0, or prints why it would not run to {@code err} and returns 1. Without: null.
     */
    public Integer dryRun(BundleContext context, Path directory, RunnerOptions options, Record sampling, PrintWriter out,
                          PrintWriter err) {
        if (!dryRun) {
            return null;
        }
        ModelCatalog catalog = new ModelCatalog(context);
        ModelRunnerFactory factory = catalog.factoryFor(directory);
        long start = System.nanoTime();
        DryRun plan;
        Assembly effective;
        try {
            plan = factory.dryRun(directory, options);
            effective = factory.assembly(directory, options);
        } catch (ModelLoadException | UnresolvedException e) {
            err.println("tttv2: dry run: " + directory + " would not run: " + e.getMessage());
            err.flush();
            return 1;
        } catch (UnsupportedOperationException e) {
            throw new UserError(directory + ": the bundle running this architecture cannot plan without loading ("
                    + e.getMessage() + ")", 1, e);
        }
        long micros = (System.nanoTime() - start) / 1000;
        ConfigDump dump = new ConfigDump(context, resolver(context), directory, plan.info(), options, effective)
                .modules(plan.modules(), plan.specializations()).workspaces(plan.workspaceBytes());
        if (sampling != null) {
            dump.sampling(sampling);
        }
        write(dump);
        printPlan(out, directory, plan, dump, micros);
        return 0;
    }

    /** With --dump-config: writes the configuration of the loaded {@code runner}. */
    public void dump(BundleContext context, Path directory, Runner runner, RunnerOptions options, Record sampling) {
        if (dumpConfig == null) {
            return;
        }
        ModelRunnerFactory factory = new ModelCatalog(context).factoryFor(directory);
        Assembly effective;
        try {
            effective = factory.assembly(directory, options);
        } catch (ModelLoadException | UnresolvedException e) {
            throw new UserError(e.getMessage(), 1, e);
        }
        ConfigDump dump = new ConfigDump(context, resolver(context), directory, runner.info(), options, effective)
                .modules(runner.modules(), runner.specializations());
        if (sampling != null) {
            dump.sampling(sampling);
        }
        write(dump);
    }

    /** The configuration document of a loaded {@code runner} (for {@code GET /v1/config}). */
    public static String document(BundleContext context, Path directory, Runner runner, RunnerOptions options) {
        ModelRunnerFactory factory = new ModelCatalog(context).factoryFor(directory);
        return new ConfigDump(context, resolver(context), directory, runner.info(), options,
                factory.assembly(directory, options)).modules(runner.modules(), runner.specializations()).text();
    }

    private void write(ConfigDump dump) {
        if (dumpConfig == null) {
            return;
        }
        try {
            Path parent = dumpConfig.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(dumpConfig, dump.text());
        } catch (IOException e) {
            throw new UserError(dumpConfig + ": cannot be written (" + e.getMessage() + ")", 1, e);
        }
    }

    private static void printPlan(PrintWriter out, Path directory, DryRun plan, ConfigDump dump, long micros) {
        out.println("Dry run of " + directory + " (" + plan.info().architecture() + "): it would run. Planned in "
                + (micros / 1000) + " ms, no tensor data read.");
        Map<String, Integer> kinds = new TreeMap<>();
        plan.modules().values().forEach(m -> {
            var kind = ConfigDump.kindOf(m.candidate());
            kinds.merge((kind == null ? "?" : kind.id()) + " " + m.candidate(), 1, Integer::sum);
        });
        kinds.forEach((k, n) -> out.printf("  %-60s x%d%n", k, n));
        long hits = plan.specializations().values().stream().filter(s -> s.hit()).count();
        out.println("  specializations: " + hits + " hit, " + (plan.specializations().size() - hits) + " missed");
        if (plan.kvCache() != null) {
            var kv = plan.kvCache();
            out.printf("  KV cache: %d layers x %d kv heads x (%d + %d) x %s, %d blocks of %d tokens = %.1f MiB%n",
                    kv.layers(), kv.kvHeads(), kv.keyDim(), kv.valueDim(), kv.dtype(), kv.blocks(), kv.blockSize(),
                    kv.bytesPerToken() * kv.blockSize() * kv.blocks() / 1048576.0);
        }
        long ws = plan.workspaceBytes().values().stream().mapToLong(Long::longValue).sum();
        out.printf("  workspaces (MLP and attention activations): %.1f MiB%n", ws / 1048576.0);
        out.flush();
    }

    private static ModuleResolver resolver(BundleContext context) {
        ServiceReference<ModuleResolver> ref = context.getServiceReference(ModuleResolver.class);
        ModuleResolver resolver = ref == null ? null : context.getService(ref);
        if (resolver == null) {
            throw new UserError("no bundle offers " + ModuleResolver.class.getName() + " (is io.tttv2.registry installed?)");
        }
        return resolver;
    }
}
