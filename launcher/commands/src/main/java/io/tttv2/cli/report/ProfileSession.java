package io.tttv2.cli.report;

import io.tttv2.testing.profile.MachinePeak;
import io.tttv2.testing.profile.PeakBenchmark;
import io.tttv2.testing.profile.ProfileRegistry;
import io.tttv2.testing.profile.ProfileTable;
import io.tttv2.testing.profile.ProfiledRun;
import java.io.PrintWriter;
import org.osgi.framework.BundleContext;

/**
 * {@code --profile} around one model run (generate, validate): {@link #start} clears and enables the registry
 * before the model is built, so every module it obtains is profiled; {@link #finish} measures the machine's
 * peak and prints the per-kind table; {@link #close} switches profiling off again.
 */
public final class ProfileSession implements AutoCloseable {

    private final ProfileRegistry registry;

    private ProfileSession(ProfileRegistry registry) {
        this.registry = registry;
    }

    public static ProfileSession start(BundleContext context) {
        ProfileRegistry registry = ProfileService.require(context);
        registry.clear();
        registry.enable();
        return new ProfileSession(registry);
    }

    /** The figures of the run so far with the peak measured now, printed to {@code out} under a heading. */
    public ProfiledRun finish(PrintWriter out) {
        ProfiledRun run = new ProfiledRun(registry.profile(), measurePeak());
        out.println();
        out.println("profile (time = own time, without the profiled modules a module calls):");
        out.print(ProfileTable.render(run));
        out.flush();
        return run;
    }

    private static MachinePeak measurePeak() {
        return PeakBenchmark.measure(Runtime.getRuntime().availableProcessors());
    }

    @Override
    public void close() {
        registry.disable();
        registry.clear();
    }
}
