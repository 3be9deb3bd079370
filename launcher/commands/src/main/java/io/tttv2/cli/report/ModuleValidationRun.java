package io.tttv2.cli.report;

import io.tttv2.cli.UserError;
import io.tttv2.launcher.spi.HostCommandLine;
import io.tttv2.testing.coverage.CoverageReport;
import io.tttv2.testing.profile.ProfiledRun;
import io.tttv2.testing.report.ReportFiles;
import io.tttv2.testing.report.TextReport;
import io.tttv2.testing.validation.ExpertRouting;
import io.tttv2.testing.validation.ValidationFailedException;
import io.tttv2.testing.validation.ValidationOptions;
import io.tttv2.testing.validation.ValidationRegistry;
import io.tttv2.testing.validation.ValidationSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.osgi.framework.BundleContext;

/**
 * {@code validate --modules}: module validation around one model run. {@link #start} clears and enables the
 * registry before the model is built (so every module it obtains is wrapped); {@link #finish} builds the
 * installed models for coverage, writes (with each mixture-of-experts layer's tokens per expert) {@code report.txt}, {@code report.json} and {@code report.html} and
 * prints the text report; {@link #close} switches validation off again.
 */
public final class ModuleValidationRun implements AutoCloseable {

    private final BundleContext context;
    private final ValidationRegistry registry;

    private ModuleValidationRun(BundleContext context, ValidationRegistry registry) {
        this.context = context;
        this.registry = registry;
    }

    /**
     * @param tolerances   per-kind overrides, {@code kind → "MIN_PCC:ATOL"}
     * @param failFast     the first failing module call stops the run ({@link ValidationFailedException})
     */
    public static ModuleValidationRun start(BundleContext context, Map<String, String> tolerances, boolean failFast) {
        ValidationRegistry registry = ValidationService.require(context);
        registry.setOptions(ModuleTolerances.apply(ValidationOptions.defaults(), tolerances).raisingOnFailure(failFast));
        registry.clear();
        registry.enable();
        return new ModuleValidationRun(context, registry);
    }

    /** @return true if every validated module call passed */
    public boolean finish(PrintWriter out, String title, Path reportDirectory) {
        return finish(out, title, reportDirectory, null);
    }

    /** The same, the HTML report with the roofline of {@code profiled} if it is not null. */
    public boolean finish(PrintWriter out, String title, Path reportDirectory, ProfiledRun profiled) {
        ValidationSummary summary = registry.summary();
        var records = registry.records();
        InstalledModels.build(context, Path.of(context.getProperty(HostCommandLine.HOME_PROPERTY)));
        CoverageReport coverage = registry.coverage();
        List<ExpertRouting> routing = registry.routing();
        out.println();
        out.print(TextReport.render(summary, coverage, routing));
        try {
            List<Path> files = ReportFiles.write(reportDirectory, title, summary, records, coverage, routing, profiled);
            out.println("wrote " + String.join(", ", files.stream().map(Path::toString).toList()));
        } catch (IOException e) {
            throw new UserError(reportDirectory + ": cannot write the reports (" + e.getMessage() + ")");
        }
        return summary.passed();
    }

    @Override
    public void close() {
        registry.disable();
        registry.setOptions(ValidationOptions.defaults());
    }
}
