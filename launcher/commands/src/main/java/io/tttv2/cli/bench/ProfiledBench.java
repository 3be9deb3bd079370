package io.tttv2.cli.bench;

import io.tttv2.api.runner.ModelRunner;
import io.tttv2.api.runner.Runner;
import io.tttv2.api.runner.RunnerOptions;
import io.tttv2.cli.ModelCatalog;
import io.tttv2.cli.UserError;
import io.tttv2.cli.report.ProfileService;
import io.tttv2.testing.profile.ComposedTime;
import io.tttv2.testing.profile.MachinePeak;
import io.tttv2.testing.profile.PeakBenchmark;
import io.tttv2.testing.profile.Profile;
import io.tttv2.testing.profile.ProfileRegistry;
import io.tttv2.testing.profile.ProfileTable;
import io.tttv2.testing.profile.ProfiledRun;
import io.tttv2.testing.report.RooflineChart;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.osgi.framework.BundleContext;

/**
 * {@code bench --profile}: the machine's peak is measured, then the model is loaded twice — once undecorated,
 * once with every module profiled — and after a warm-up round of each, their rounds alternate, so that both see
 * the same load on the shared machine. Prints the per-kind table, the decode and prefill time composed from
 * the per-module figures beside the measured ones with their ratio, and with {@code --plot} draws the roofline.
 */
final class ProfiledBench {

    /** Rounds of each model, alternating: enough for robust medians, few enough for a 1B model. */
    static final int ROUNDS = 3;

    private ProfiledBench() {
    }

    static ProfiledRun run(BundleContext context, ModelCatalog catalog, Path dir, RunnerOptions options,
                           int promptTokens, int decodeTokens, Path plot, PrintWriter out) {
        ProfileRegistry registry = ProfileService.require(context);
        int workers = Runtime.getRuntime().availableProcessors();
        MachinePeak peak = PeakBenchmark.measure(workers);
        Profile profile;
        List<DecodeRounds.Timings> plain = new ArrayList<>();
        List<DecodeRounds.Timings> profiled = new ArrayList<>();
        registry.disable();
        registry.clear();
        try (Runner plainLoaded = catalog.load(dir, options)) {
            ModelRunner plainRunner = ModelCatalog.decoderOnly(plainLoaded, dir, "bench");
            int[] prompt = DecodeRounds.spreadPrompt(promptTokens, plainRunner.info().vocabSize());
            registry.enable();          // modules built from now on are profiled; the plain model's are not
            try (Runner profiledLoaded = catalog.load(dir, options)) {
                ModelRunner profiledRunner = ModelCatalog.decoderOnly(profiledLoaded, dir, "bench");
                DecodeRounds.run(plainRunner, prompt, decodeTokens, 1, 0, null, () -> { });
                DecodeRounds.run(profiledRunner, prompt, decodeTokens, 1, 0, null, () -> { });
                registry.clear();       // the warm-up calls
                for (int r = 0; r < ROUNDS; r++) {
                    plain.add(DecodeRounds.run(plainRunner, prompt, decodeTokens, 0, 1, null, () -> { }));
                    profiled.add(DecodeRounds.run(profiledRunner, prompt, decodeTokens, 0, 1, null, () -> { }));
                }
                profile = registry.profile();
            }
        } finally {
            registry.disable();
            registry.clear();
        }
        ProfiledRun run = new ProfiledRun(profile, peak);
        out.println();
        out.printf("profile (%d workers; %d profiled rounds alternating with %d undecorated ones, after a warm-up "
                + "round of each; time = own time, without the profiled modules a module calls):%n", workers, ROUNDS,
                ROUNDS);
        out.print(ProfileTable.render(run));
        printComposed(out, profile, promptTokens, decodeTokens, plain, profiled);
        if (plot != null) {
            try {
                RooflineChart.write(plot, "Roofline of " + dir.getFileName() + ", peak measured in the same run",
                        profile, peak);
            } catch (IllegalArgumentException e) {
                throw new UserError("--plot " + e.getMessage(), 2, null);
            } catch (IOException e) {
                throw new UserError(plot + ": cannot write the roofline (" + e.getMessage() + ")");
            }
            out.println("wrote " + plot);
        }
        return run;
    }

    /**
     * Composed against measured, both ways: Σ calls × median call against the median undecorated step (robust
     * to preemptions), and Σ own time against the undecorated mean (what the modules add up to, profiling
     * overhead included).
     */
    private static void printComposed(PrintWriter out, Profile profile, int promptTokens, int decodeTokens,
                                      List<DecodeRounds.Timings> plain, List<DecodeRounds.Timings> profiled) {
        long tokens = (long) ROUNDS * decodeTokens;
        double composedDecode = ComposedTime.perUnit(profile, Profile.DECODE, tokens) / 1e9;
        double composedPrefill = ComposedTime.perUnit(profile, Profile.PREFILL, ROUNDS) / 1e9;
        long[] steps = plain.stream().flatMapToLong(t -> Arrays.stream(t.stepNanos())).toArray();
        double medianStep = new DecodeRounds.Timings(new double[0], new double[0], steps).medianStepSeconds();
        double[] prefills = plain.stream().mapToDouble(t -> t.prefillSeconds()[0]).sorted().toArray();
        double medianPrefill = prefills[prefills.length / 2];
        double meanDecode = plain.stream().mapToDouble(t -> t.decodeSeconds()[0]).sum() / tokens;
        double ownDecode = profile.selfNanos(Profile.DECODE) / 1e9 / tokens;
        double wallProfiled = profiled.stream().mapToDouble(t -> t.decodeSeconds()[0]).sum() / tokens;
        out.println("composed from the per-module figures against measured (undecorated, in the same alternating rounds):");
        out.printf(Locale.ROOT, "  decode per token, Σ calls × median call: composed %8.3f ms, measured median step "
                + "%8.3f ms, composed/measured %.2f%n", composedDecode * 1e3, medianStep * 1e3, composedDecode / medianStep);
        out.printf(Locale.ROOT, "  decode per token, Σ own time:             composed %8.3f ms, measured mean        "
                + "%8.3f ms, composed/measured %.2f%n", ownDecode * 1e3, meanDecode * 1e3, ownDecode / meanDecode);
        out.printf(Locale.ROOT, "  prefill of %d tokens, Σ calls × median:   composed %8.3f ms, measured median      "
                + "%8.3f ms, composed/measured %.2f%n", promptTokens, composedPrefill * 1e3, medianPrefill * 1e3,
                composedPrefill / medianPrefill);
        out.printf(Locale.ROOT, "  profiled rounds: modules' own time %.3f ms of %.3f ms wall per token (%.0f%% outside "
                + "the modules: runner, sampling, profiling)%n", ownDecode * 1e3, wallProfiled * 1e3,
                100 * (1 - ownDecode / wallProfiled));
    }
}
