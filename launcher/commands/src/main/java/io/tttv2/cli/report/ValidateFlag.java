package io.tttv2.cli.report;

import io.tttv2.testing.report.TextReport;
import io.tttv2.testing.validation.ValidationRegistry;
import io.tttv2.testing.validation.ValidationSummary;
import java.io.PrintWriter;
import java.util.function.IntSupplier;
import org.osgi.framework.BundleContext;

/**
 * The global {@code --validate} flag: module validation on while one command runs (every model it builds
 * gets wrapped modules), then the text report. Without the flag nothing is wrapped and nothing is added.
 */
public final class ValidateFlag {

    private ValidateFlag() {
    }

    /**
     * Runs {@code command} with validation on and prints the report after it.
     *
     * @return the command's exit code, or 1 if it succeeded but a module call failed validation
     */
    public static int around(BundleContext context, PrintWriter out, IntSupplier command) {
        ValidationRegistry registry = ValidationService.require(context);
        registry.clear();
        registry.enable();
        int code;
        try {
            code = command.getAsInt();
        } finally {
            registry.disable();
        }
        ValidationSummary summary = registry.summary();
        out.println();
        out.print(TextReport.render(summary, registry.coverage()));
        out.flush();
        return code == 0 && !summary.passed() ? 1 : code;
    }
}
