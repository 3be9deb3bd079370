package io.tttv2.cli.tune;

import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.assembly.Requirement;
import io.tttv2.api.assembly.Specialization;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.Module;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.runner.ModelRunner;
import io.tttv2.api.runner.RunnerOptions;
import io.tttv2.cli.ModelCatalog;
import io.tttv2.cli.UserError;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.osgi.framework.BundleContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tttv2 tune}: measures configurations of the model's modules on this machine and writes the fastest per
 * kind into a specialization table. A coordinate search, kind by kind and knob by knob (the worker split of the
 * matmuls, then the prefill chunk), each candidate timed as {@code bench} runs (a prompt prefilled, tokens decoded)
 * after warm-up, by the median of several rounds; at the end the default and the winner are timed again, in turn,
 * and the winner is kept only if it is not slower. Entries are keyed by the modules' untuned configuration
 * fingerprints, so the next run with the same options on this machine hits them.
 */
@Command(name = "tune", description = {
        "Measure module configurations on this machine and write the fastest per kind into a specialization table.",
        "The search covers the matmul worker split, the prefill chunk, fused projections and the attention KV tile; the table is sorted, stable JSON, and later",
        "runs on this machine with the same options use it (hits show in --dump-config).",
        "Without --model, the embedded kjv-tiny; without --out, specializations.json in your folder (--home)."})
public final class TuneCommand implements Callable<Integer> {

    /** Kinds whose modules run matmuls: what the knobs change. */
    static final Set<ModuleKind> TUNABLE = EnumSet.of(ModuleKind.ATTENTION, ModuleKind.LATENT_ATTENTION, ModuleKind.MLP,
            ModuleKind.MOE, ModuleKind.ROUTER, ModuleKind.LM_HEAD, ModuleKind.ATTENTION_BACKEND);
    static final int[] SPLITS = {1, 2, 4, 8, 16};
    static final int[] CHUNKS = {32, 64, 128, 256, 512};
    static final int[] KV_TILES = {0, 64, 128, 256, 512, 1024};
    static final int[] BOOLEANS = {0, 1};
    /** The knobs searched per kind: the attention backend's KV tile; the matmul knobs of the others. */
    static final List<String> MATMUL_KNOBS = List.of("matmulSplit", "prefillChunk", "fusedProjections");
    static final List<String> BACKEND_KNOBS = List.of("kvTile");

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", paramLabel = "DIR", description = "HF model folder (default: the embedded kjv-tiny).")
    Path model;

    @Option(names = "--kinds", paramLabel = "KIND,...", split = ",",
            description = "Module kinds to tune (default: every kind of the model that runs matmuls: attention, mlp, lm-head, …).")
    List<String> kinds;

    @Option(names = "--budget", paramLabel = "SECONDS", defaultValue = "120",
            description = "Stop trying new configurations after this long (default: ${DEFAULT-VALUE}); the best so far is written.")
    int budget;

    @Option(names = "--out", paramLabel = "FILE", description = "The table to write (merged with what it holds; default: specializations.json in your folder).")
    Path out;

    @Option(names = "--prompt-tokens", paramLabel = "N", defaultValue = "128", description = "Prompt length timed (default: ${DEFAULT-VALUE}).")
    int promptTokens;

    @Option(names = "--decode-tokens", paramLabel = "N", defaultValue = "64", description = "Tokens decoded per round (default: ${DEFAULT-VALUE}).")
    int decodeTokens;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "5", description = "Rounds before measuring each configuration (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "5", description = "Measured rounds per configuration (default: ${DEFAULT-VALUE}).")
    int rounds;

    private final BundleContext context;
    private final Supplier<Path> home;
    private final Supplier<Path> userFolder;

    public TuneCommand(BundleContext context, Supplier<Path> home, Supplier<Path> userFolder) {
        this.context = context;
        this.home = home;
        this.userFolder = userFolder;
    }

    @Override
    public Integer call() {
        if (budget <= 0 || promptTokens <= 0 || decodeTokens <= 0 || warmup < 0 || rounds <= 0) {
            throw new UserError("--budget, --prompt-tokens, --decode-tokens and --rounds expected positive values, --warmup "
                    + "non-negative, found " + budget + ", " + promptTokens + ", " + decodeTokens + ", " + rounds + ", "
                    + warmup, 2, null);
        }
        Path dir = model != null ? model : home.get().resolve("models/kjv-tiny");
        Path file = out != null ? out : userFolder.get().resolve("specializations.json");
        PrintWriter print = spec.commandLine().getOut();
        ModelCatalog catalog = new ModelCatalog(context);
        StepTimer timer = new StepTimer(promptTokens, decodeTokens, warmup, rounds);
        long deadline = System.nanoTime() + budget * 1_000_000_000L;

        // the untuned modules: their kinds, configs and the keys the table is asked for
        Map<String, Module> modules;
        Map<String, Specialization> keys;
        try (ModelRunner runner = load(catalog, dir, null)) {
            modules = runner.modules();
            keys = runner.specializations();
            timer.medianNanos(runner);      // warms the JIT up before anything is compared
        }
        List<ModuleKind> chosen = kinds(modules);
        print.printf("tune %s: kinds %s, budget %d s, %d+%d tokens per round, median of %d after %d warm-up%n", dir,
                chosen.stream().map(ModuleKind::id).toList(), budget, promptTokens, decodeTokens, rounds, warmup);
        List<SpecializationFile.Entry> entries = new ArrayList<>();
        for (ModuleKind kind : chosen) {
            Map<String, Integer> defaults = defaults(modules, kind);
            Map<String, Integer> best = new TreeMap<>(defaults);
            long bestNanos = measure(catalog, dir, timer, kind, best);
            print.printf("  %-16s default %s: %.3f ms%n", kind.id(), best, bestNanos / 1e6);
            for (String knob : kind == ModuleKind.ATTENTION_BACKEND ? BACKEND_KNOBS : MATMUL_KNOBS) {
                int[] values = switch (knob) {
                    case "matmulSplit" -> SPLITS;
                    case "prefillChunk" -> CHUNKS;
                    case "kvTile" -> KV_TILES;
                    default -> BOOLEANS;
                };
                for (int v : values) {
                    if (v == best.get(knob) || System.nanoTime() > deadline
                            || (knob.equals("prefillChunk") && v > defaults.get("prefillChunk"))) {
                        continue;
                    }
                    Map<String, Integer> trial = new TreeMap<>(best);
                    trial.put(knob, v);
                    long nanos = measure(catalog, dir, timer, kind, trial);
                    print.printf("  %-16s %s: %.3f ms%n", kind.id(), trial, nanos / 1e6);
                    if (nanos < bestNanos) {
                        best = trial;
                        bestNanos = nanos;
                    }
                }
            }
            // confirm, in turn, so drift of the machine's load falls on both
            long[] d = new long[3];
            long[] t = new long[3];
            for (int i = 0; i < 3; i++) {
                d[i] = measure(catalog, dir, timer, kind, defaults);
                t[i] = best.equals(defaults) ? d[i] : measure(catalog, dir, timer, kind, best);
            }
            java.util.Arrays.sort(d);
            java.util.Arrays.sort(t);
            Map<String, Integer> kept = t[1] <= d[1] ? best : defaults;
            long keptNanos = t[1] <= d[1] ? t[1] : d[1];
            print.printf("  %-16s chosen %s: %.3f ms against the default's %.3f ms (medians of 3, in turn)%n", kind.id(),
                    kept, keptNanos / 1e6, d[1] / 1e6);
            for (Specialization s : distinctKeys(keys, modules, kind)) {
                entries.add(new SpecializationFile.Entry(s.key(), kept, d[1], keptNanos));
            }
        }
        SpecializationFile.write(file, entries);
        print.println("wrote " + entries.size() + " entries to " + file);
        print.flush();
        return 0;
    }

    private ModelRunner load(ModelCatalog catalog, Path dir, Assembly assembly) {
        // the options bench and generate load with, so their modules ask the table the same keys
        return ModelCatalog.decoderOnly(catalog.load(dir, new RunnerOptions(1, ModelCatalog.MAX_SEQUENCE_LENGTH, assembly)),
                dir, "tune");
    }

    /** Every knob of {@code kind} pinned to {@code knobs} (pinned knobs also win over the table). */
    private long measure(ModelCatalog catalog, Path dir, StepTimer timer, ModuleKind kind, Map<String, Integer> knobs) {
        Assembly pinned = new Assembly(null, Map.of(kind, new Requirement(null, null, null, List.of(), List.of(), knobs)));
        try (ModelRunner runner = load(catalog, dir, pinned)) {
            return timer.medianNanos(runner);
        }
    }

    private List<ModuleKind> kinds(Map<String, Module> modules) {
        Set<ModuleKind> present = EnumSet.noneOf(ModuleKind.class);
        modules.values().forEach(m -> {
            ModuleKind k = io.tttv2.cli.config.ConfigDump.kindOf(m.candidate());
            if (k != null && TUNABLE.contains(k) && m.config() instanceof ModuleConfig) {
                present.add(k);
            }
        });
        if (kinds == null) {
            return List.copyOf(present);
        }
        List<ModuleKind> out = new ArrayList<>();
        for (String id : kinds) {
            ModuleKind k;
            try {
                k = ModuleKind.of(id.trim());
            } catch (IllegalArgumentException e) {
                throw new UserError("--kinds: expected module kinds of this model (" + String.join(", ",
                        present.stream().map(ModuleKind::id).toList()) + "), found '" + id + "'", 2, e);
            }
            if (!present.contains(k)) {
                throw new UserError("--kinds: expected module kinds of this model that run matmuls ("
                        + String.join(", ", present.stream().map(ModuleKind::id).toList()) + "), found '" + id + "'", 2, null);
            }
            out.add(k);
        }
        return out;
    }

    /** The tunable knobs of the first module of {@code kind}, as the model builds it untuned. */
    private static Map<String, Integer> defaults(Map<String, Module> modules, ModuleKind kind) {
        for (Module m : modules.values()) {
            if (kind == io.tttv2.cli.config.ConfigDump.kindOf(m.candidate()) && m.config() instanceof ModuleConfig c) {
                Map<String, Integer> knobs = new TreeMap<>(c.knobs());
                // kvDtype trades accuracy for memory: a user's choice, never a tuned one
                knobs.keySet().retainAll(kind == ModuleKind.ATTENTION_BACKEND ? BACKEND_KNOBS : MATMUL_KNOBS);
                return knobs;
            }
        }
        throw new IllegalStateException("no module of kind " + kind.id());
    }

    /** One key per distinct untuned configuration of {@code kind} (layers alike share one). */
    private static List<Specialization> distinctKeys(Map<String, Specialization> keys, Map<String, Module> modules,
                                                     ModuleKind kind) {
        Map<Object, Specialization> out = new LinkedHashMap<>();
        keys.forEach((path, s) -> {
            if (s.key().kind() == kind && modules.containsKey(path)) {
                out.putIfAbsent(s.key(), s);
            }
        });
        return List.copyOf(out.values());
    }
}
