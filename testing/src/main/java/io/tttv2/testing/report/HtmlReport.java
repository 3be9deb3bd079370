package io.tttv2.testing.report;

import io.tttv2.testing.coverage.CoverageReport;
import io.tttv2.testing.coverage.ExercisedConfiguration;
import io.tttv2.testing.coverage.KindCoverage;
import io.tttv2.testing.coverage.ModuleConfiguration;
import io.tttv2.testing.profile.ProfileTable;
import io.tttv2.testing.profile.ProfiledRun;
import io.tttv2.testing.validation.ExpertRouting;
import io.tttv2.testing.validation.ModuleSummary;
import io.tttv2.testing.validation.ValidationSummary;
import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Locale;

/**
 * One self-contained HTML page (inline CSS and PNG charts, no script, no external resource): the verdict, a bar
 * chart of each module's max abs error relative to what its tolerance allows (1 is the limit), a bar chart of
 * each module's speed-up over its reference, the module table with the first failure of each failing
 * module, the tokens each mixture-of-experts layer routed to each expert, and the coverage per module kind.
 */
public final class HtmlReport {

    private static final String PASS = "#2e7d32";
    private static final String FAIL = "#c62828";

    private HtmlReport() {
    }

    public static String render(String title, ValidationSummary summary, CoverageReport coverage) {
        return render(title, summary, coverage, List.of());
    }

    /** The page with a table of the tokens each mixture-of-experts layer sent to each expert. */
    public static String render(String title, ValidationSummary summary, CoverageReport coverage,
                                List<ExpertRouting> routing) {
        return render(title, summary, coverage, routing, null);
    }

    /** The page with, if {@code profiled} is not null, the roofline of the modules as profiled and its table. */
    public static String render(String title, ValidationSummary summary, CoverageReport coverage,
                                List<ExpertRouting> routing, ProfiledRun profiled) {
        StringBuilder s = new StringBuilder();
        s.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(Html.escape(title)).append("</title>\n<style>\n")
                .append("body{font-family:sans-serif;margin:2em;color:#222}")
                .append("table{border-collapse:collapse;font-size:12px}")
                .append("th,td{border-bottom:1px solid #ddd;padding:3px 8px;text-align:right}")
                .append("th{background:#f4f4f4}td.name,th.name,td.text{text-align:left}")
                .append(".pass{color:").append(PASS).append("}.fail{color:").append(FAIL).append(";font-weight:bold}")
                .append("pre{font-size:12px;white-space:pre-wrap}section{margin-bottom:2em}\n")
                .append("</style>\n</head>\n<body>\n<h1>").append(Html.escape(title)).append("</h1>\n");
        s.append("<p class=\"").append(summary.passed() ? "pass" : "fail").append("\">")
                .append(Html.escape(TextReport.headline(summary))).append("</p>\n");
        if (!summary.modules().isEmpty()) {
            s.append("<p>Average speed-up (reference time / implementation time): ")
                    .append(Numbers.speedup(summary.averageSpeedup())).append(". Module kinds validated: ")
                    .append(Html.escape(String.join(", ", summary.kinds()))).append(".</p>\n");
            if (!summary.passed()) {
                s.append("<p class=\"fail\">Errors start in: ").append(Html.escape(String.join(", ",
                        summary.rootCauses().stream().map(ModuleSummary::module).toList()))).append("</p>\n");
            }
            s.append("<section>\n").append(errorChart(summary)).append("</section>\n");
            s.append("<section>\n").append(speedupChart(summary)).append("</section>\n");
            s.append("<section>\n").append(table(summary)).append("</section>\n");
        }
        if (!routing.isEmpty()) {
            s.append("<section>\n").append(routing(routing)).append("</section>\n");
        }
        if (profiled != null) {
            s.append("<section>\n<h2>Roofline</h2>\n")
                    .append(RooflineChart.inlineImage("Roofline: each module kind where it runs", profiled.profile(),
                            profiled.peak()))
                    .append("\n<pre>").append(Html.escape(ProfileTable.render(profiled))).append("</pre>\n</section>\n");
        }
        s.append("<section>\n<h2>Coverage</h2>\n").append(coverage(coverage)).append("</section>\n");
        return s.append("</body>\n</html>\n").toString();
    }

    private static String errorChart(ValidationSummary summary) {
        List<BarChart.Bar> bars = new ArrayList<>();
        for (ModuleSummary m : summary.modules()) {
            double ratio = Double.isNaN(m.allowedMaxAbsError()) ? Double.NaN : m.worstErrorRatio();
            bars.add(new BarChart.Bar(m.module(), ratio, m.passed() ? "passes" : "fails"));
        }
        return BarChart.inlineImage("Max abs error / allowed (worst call; above the line fails)", "error / allowed",
                bars, colours("passes", PASS, "fails", FAIL), -6, 2, 1.0, "tolerance");
    }

    private static String speedupChart(ValidationSummary summary) {
        List<BarChart.Bar> bars = new ArrayList<>();
        for (ModuleSummary m : summary.modules()) {
            bars.add(new BarChart.Bar(m.module(), m.speedup(), "speed-up"));
        }
        return BarChart.inlineImage("Speed-up: reference time / implementation time", "speed-up", bars,
                colours("speed-up", "#1565c0"), -1, 4, 1.0, "1x");
    }

    private static Map<String, Color> colours(String... nameThenHex) {
        Map<String, Color> colours = new LinkedHashMap<>();
        for (int i = 0; i < nameThenHex.length; i += 2) {
            colours.put(nameThenHex[i], Color.decode(nameThenHex[i + 1]));
        }
        return colours;
    }

    private static String table(ValidationSummary summary) {
        StringBuilder s = new StringBuilder("<h2>Modules</h2>\n<table>\n<tr><th></th><th class=\"name\">module</th>"
                + "<th class=\"name\">kind</th><th class=\"name\">implementation</th><th>calls</th><th>failed</th>"
                + "<th>worst PCC</th><th>max abs error</th><th>allowed</th><th>impl ms</th><th>ref ms</th>"
                + "<th>speed-up</th></tr>\n");
        for (ModuleSummary m : summary.modules()) {
            s.append("<tr><td class=\"").append(m.passed() ? "pass\">✓" : "fail\">✗").append("</td>")
                    .append("<td class=\"name\">").append(Html.escape(m.module())).append("</td>")
                    .append("<td class=\"name\">").append(Html.escape(m.kind().id())).append("</td>")
                    .append("<td class=\"name\">").append(Html.escape(m.implementation())).append("</td>")
                    .append(cell(Long.toString(m.calls()))).append(cell(Long.toString(m.failedCalls())))
                    .append(cell(Numbers.pcc(m.worstPcc()))).append(cell(Numbers.error(m.maxAbsError())))
                    .append(cell(Numbers.error(m.allowedMaxAbsError()))).append(cell(Numbers.millis(m.implementationNanos())))
                    .append(cell(Numbers.millis(m.referenceNanos()))).append(cell(Numbers.speedup(m.speedup())))
                    .append("</tr>\n");
            if (!m.passed()) {
                s.append("<tr><td></td><td class=\"text fail\" colspan=\"11\">").append(Html.escape(m.firstFailure()));
                if (!m.failingParts().isEmpty()) {
                    s.append("<br>its parts fail too: ").append(Html.escape(String.join(", ", m.failingParts())));
                }
                s.append("</td></tr>\n");
            }
        }
        return s.append("</table>\n").toString();
    }

    /** One row per layer, one cell per expert, shaded by the expert's share of the layer's busiest load. */
    private static String routing(List<ExpertRouting> routing) {
        int experts = routing.stream().mapToInt(ExpertRouting::experts).max().orElse(0);
        StringBuilder s = new StringBuilder("<h2>Expert routing</h2>\n<p>Tokens per expert (a token counts once per"
                + " expert it picked).</p>\n<table>\n<tr><th class=\"name\">module</th><th>routed</th><th>unused</th>"
                + "<th>busiest / mean</th>");
        for (int e = 0; e < experts; e++) {
            s.append("<th>").append(e).append("</th>");
        }
        s.append("</tr>\n");
        for (ExpertRouting r : routing) {
            long max = java.util.Arrays.stream(r.tokensPerExpert()).max().orElse(0);
            s.append("<tr><td class=\"name\">").append(Html.escape(r.module())).append("</td>")
                    .append(cell(Long.toString(r.total()))).append(cell(Integer.toString(r.unused())))
                    .append(cell(TextReport.imbalance(r)));
            for (long n : r.tokensPerExpert()) {
                double share = max == 0 ? 0 : (double) n / max;
                s.append(String.format(Locale.ROOT, "<td style=\"background:rgba(21,101,192,%.2f)\">%d</td>",
                        0.6 * share, n));
            }
            s.append("</tr>\n");
        }
        return s.append("</table>\n").toString();
    }

    private static String cell(String text) {
        return "<td>" + Html.escape(text) + "</td>";
    }

    private static String coverage(CoverageReport coverage) {
        if (coverage.kinds().isEmpty()) {
            return "<p>No module was created with validation on.</p>\n";
        }
        StringBuilder s = new StringBuilder("<table>\n<tr><th class=\"name\">kind</th><th></th>"
                + "<th class=\"name\">implementation</th><th class=\"name\">dtype</th><th class=\"name\">fingerprint</th>"
                + "<th class=\"name\">shape buckets validated</th><th>calls</th><th class=\"name\">configuration</th></tr>\n");
        for (KindCoverage k : coverage.kinds()) {
            for (ExercisedConfiguration e : k.exercised()) {
                String buckets = String.join(", ", e.shapeBuckets())
                        + (e.missingEntries().isEmpty() ? "" : " (never " + String.join(", ", e.missingEntries()) + ")");
                s.append(row(k, e.configuration(), "pass\">✓", buckets, Long.toString(e.calls())));
            }
            for (ModuleConfiguration c : k.neverValidated()) {
                s.append(row(k, c, "fail\">✗", "never validated", "0"));
            }
        }
        return s.append("</table>\n").toString();
    }

    private static String row(KindCoverage k, ModuleConfiguration c, String mark, String buckets, String calls) {
        return "<tr><td class=\"name\">" + Html.escape(k.kind().id()) + "</td><td class=\"" + mark + "</td>"
                + "<td class=\"name\">" + Html.escape(c.implementation()) + "</td><td class=\"name\">" + c.dtype()
                + "</td><td class=\"name\">" + Html.escape(c.fingerprint()) + "</td><td class=\"name\">"
                + Html.escape(buckets) + "</td>" + cell(calls) + "<td class=\"name\">" + Html.escape(c.description())
                + "</td></tr>\n";
    }
}
