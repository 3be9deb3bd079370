package io.tttv2.cli.validate;

import java.io.PrintWriter;
import java.nio.file.Path;

/** The human-readable result: one row per check, then the verdict. */
final class ValidationTable {

    private ValidationTable() {
    }

    static void print(PrintWriter out, String architecture, Path model, ValidationResult result) {
        String precision = io.tttv2.cli.MatmulPrecisionOption.effective();
        // bf16 changes every BF16 matmul's result (its checks are judged by the same tolerances): say so up front
        out.println("validate " + model + " (" + architecture + ")" + (precision.equals("f32") ? "" : ", matmul precision " + precision));
        out.printf("%-20s %12s %12s %12s  %s%n", "metric", "PCC", "max abs err", "allowed", "result");
        for (Check c : result.checks()) {
            if (c.comparison() == null) {
                out.printf("%-20s %39s  %s%n", c.metric(), c.detail(), c.passed() ? "pass" : "FAIL");
            } else {
                out.printf("%-20s %12.7f %12.3e %12s  %s%n", c.metric(), c.comparison().pcc(),
                        c.comparison().maxAbsError(), Double.isInfinite(c.maxAbs()) ? "-" : String.format("%.3e", c.maxAbs()),
                        c.passed() ? "pass" : "FAIL");
            }
        }
        long failed = result.checks().stream().filter(c -> !c.passed()).count();
        out.println(failed == 0 ? "all " + result.checks().size() + " checks passed"
                : failed + " of " + result.checks().size() + " checks FAILED");
    }
}
