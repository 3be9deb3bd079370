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
import java.util.Locale;
import org.osgi.framework.BundleContext;

/**
 * {@code bench --profile}: after the measured rounds (undecorated modules), the machine's peak is measured,
 * the model is loaded again with every module profiled, one round is run to warm up and one is profiled.
 * Prints the per-kind table, the decode and prefill time composed from the per-module figures beside the
 * measured ones with their ratio, and with {@code --plot} draws the roofline.
 */
final class ProfiledBench {

    private ProfiledBench() {
    }

    /**
     * @param measuredPrefill median seconds to prefill the prompt, modules undecorated
     * @param measuredDecode  median seconds per decoded token, modules undecorated
     */
    static ProfiledRun run(BundleContext context, ModelCatalog catalog, Path dir, RunnerOptions options,
                           int promptTokens, int decodeTokens, double measuredPrefill, double measuredDecode, Path plot,
                           PrintWriter out) {
        ProfileRegistry registry = ProfileService.require(context);
        int workers = Runtime.getRuntime().availableProcessors();
        MachinePeak peak = PeakBenchmark.measure(workers);
        Profile profile;
        registry.clear();
        registry.enable();
        try (Runner loaded = catalog.load(dir, options)) {
            ModelRunner runner = ModelCatalog.decoderOnly(loaded, dir, "bench");
            DecodeRounds.run(runner, DecodeRounds.spreadPrompt(promptTokens, runner.info().vocabSize()), decodeTokens, 1, 1,
                    null, registry::clear);
            profile = registry.profile();
        } finally {
            registry.disable();
            registry.clear();
        }
        ProfiledRun profiled = new ProfiledRun(profile, peak);
        out.println();
        out.printf("profile (%d workers; one profiled round after one warm-up; time = own time, without the "
                + "profiled modules a module calls):%n", workers);
        out.print(ProfileTable.render(profiled));
        double composedDecode = ComposedTime.perUnit(profile, Profile.DECODE, decodeTokens) / 1e9;
        double composedPrefill = ComposedTime.perUnit(profile, Profile.PREFILL, 1) / 1e9;
        out.println("composed from the per-module figures (Σ calls × median call) against measured (undecorated, median):");
        out.printf(Locale.ROOT, "  decode  per token:        composed %8.3f ms, measured %8.3f ms, composed/measured %.2f%n",
                composedDecode * 1e3, measuredDecode * 1e3, composedDecode / measuredDecode);
        out.printf(Locale.ROOT, "  prefill of %4d tokens:   composed %8.3f ms, measured %8.3f ms, composed/measured %.2f%n",
                promptTokens, composedPrefill * 1e3, measuredPrefill * 1e3, composedPrefill / measuredPrefill);
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
        return profiled;
    }
}
