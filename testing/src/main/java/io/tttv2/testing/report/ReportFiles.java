package io.tttv2.testing.report;

import io.tttv2.testing.coverage.CoverageReport;
import io.tttv2.testing.profile.ProfiledRun;
import io.tttv2.testing.validation.ExpertRouting;
import io.tttv2.testing.validation.ValidationRecord;
import io.tttv2.testing.validation.ValidationRegistry;
import io.tttv2.testing.validation.ValidationSummary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes {@code report.txt}, {@code report.json} and {@code report.html} into a folder. */
public final class ReportFiles {

    public static final String TEXT = "report.txt";
    public static final String JSON = "report.json";
    public static final String HTML = "report.html";

    private ReportFiles() {
    }

    /** The registry's reports as they stand; returns the three files written. */
    public static List<Path> write(Path directory, String title, ValidationRegistry registry) throws IOException {
        return write(directory, title, registry.summary(), registry.records(), registry.coverage(), registry.routing());
    }

    /** @return the three files written */
    public static List<Path> write(Path directory, String title, ValidationSummary summary,
                                   List<ValidationRecord> records, CoverageReport coverage) throws IOException {
        return write(directory, title, summary, records, coverage, List.of());
    }

    /** The reports with the mixture-of-experts layers' tokens per expert; @return the three files written */
    public static List<Path> write(Path directory, String title, ValidationSummary summary,
                                   List<ValidationRecord> records, CoverageReport coverage, List<ExpertRouting> routing)
            throws IOException {
        return write(directory, title, summary, records, coverage, routing, null);
    }

    /** The reports, the HTML page with the roofline of {@code profiled} if it is not null; @return the files */
    public static List<Path> write(Path directory, String title, ValidationSummary summary,
                                   List<ValidationRecord> records, CoverageReport coverage, List<ExpertRouting> routing,
                                   ProfiledRun profiled) throws IOException {
        Files.createDirectories(directory);
        Path text = directory.resolve(TEXT);
        Path json = directory.resolve(JSON);
        Path html = directory.resolve(HTML);
        Files.writeString(text, title + "\n" + TextReport.render(summary, coverage, routing), StandardCharsets.UTF_8);
        Files.writeString(json, JsonReport.render(summary, records, coverage, routing), StandardCharsets.UTF_8);
        Files.writeString(html, HtmlReport.render(title, summary, coverage, routing, profiled), StandardCharsets.UTF_8);
        return List.of(text, json, html);
    }
}
