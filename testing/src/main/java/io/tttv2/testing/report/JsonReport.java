package io.tttv2.testing.report;

import io.tttv2.testing.coverage.CoverageReport;
import io.tttv2.testing.coverage.ExercisedConfiguration;
import io.tttv2.testing.coverage.KindCoverage;
import io.tttv2.testing.coverage.ModuleConfiguration;
import io.tttv2.testing.metrics.Comparison;
import io.tttv2.testing.validation.ExpertRouting;
import io.tttv2.testing.validation.MetricResult;
import io.tttv2.testing.validation.ModuleSummary;
import io.tttv2.testing.validation.ValidationRecord;
import io.tttv2.testing.validation.ValidationSummary;
import java.util.Arrays;
import java.util.List;

/**
 * The report for machines:
 * <pre>
 * {"summary": {"passed", "modules", "calls", "failed_calls", "average_speedup", "kinds", "errors_start_in"},
 *  "modules": [{"module", "kind", "implementation", "passed", "calls", "failed_calls", "worst_pcc", "max_abs_error",
 *               "allowed_max_abs_error", "worst_error_ratio", "implementation_ms", "reference_ms", "speedup",
 *               "first_failure", "failing_parts", "root_cause"}],
 *  "calls":   [{"module", "kind", "implementation", "entry", "shape", "passed", "pcc", "max_abs_error",
 *               "mean_abs_error", "cosine", "allowed_max_abs_error", "min_pcc", "worst_index", "worst_actual",
 *               "worst_expected", "allclose_violations", "required_atol", "metrics", "failure",
 *               "implementation_ns", "reference_ns", "shape_bucket", "fingerprint", "dtype"}],
 *  "routing":  [{"module", "experts", "tokens_per_expert", "routed", "unused_experts", "busiest_over_mean"}],
 *  "coverage": [{"kind", "exercised": [{…configuration, "shape_buckets", "calls", "missing_entries"}],
 *                "never_validated": [{…configuration}]}]}
 * </pre>
 * Numbers JSON cannot hold (NaN) are null.
 */
public final class JsonReport {

    private JsonReport() {
    }

    public static String render(ValidationSummary summary, List<ValidationRecord> records, CoverageReport coverage) {
        return render(summary, records, coverage, List.of());
    }

    /** The report with a {@code "routing"} array: the tokens each mixture-of-experts layer sent to each expert. */
    public static String render(ValidationSummary summary, List<ValidationRecord> records, CoverageReport coverage,
                                List<ExpertRouting> routing) {
        JsonWriter json = new JsonWriter().beginObject();
        json.name("summary").beginObject()
                .name("passed").value(summary.passed())
                .name("modules").value(summary.modules().size())
                .name("calls").value(summary.calls())
                .name("failed_calls").value(summary.failedCalls())
                .name("average_speedup").value(summary.averageSpeedup())
                .name("kinds").strings(List.copyOf(summary.kinds()))
                .name("errors_start_in").strings(summary.rootCauses().stream().map(ModuleSummary::module).toList())
                .endObject();
        json.name("modules").beginArray();
        for (ModuleSummary m : summary.modules()) {
            json.beginObject()
                    .name("module").value(m.module())
                    .name("kind").value(m.kind().id())
                    .name("implementation").value(m.implementation())
                    .name("passed").value(m.passed())
                    .name("calls").value(m.calls())
                    .name("failed_calls").value(m.failedCalls())
                    .name("worst_pcc").value(m.worstPcc())
                    .name("max_abs_error").value(m.maxAbsError())
                    .name("allowed_max_abs_error").value(m.allowedMaxAbsError())
                    .name("worst_error_ratio").value(m.worstErrorRatio())
                    .name("implementation_ms").value(m.implementationNanos() / 1e6)
                    .name("reference_ms").value(m.referenceNanos() / 1e6)
                    .name("speedup").value(m.speedup())
                    .name("first_failure").value(m.firstFailure())
                    .name("failing_parts").strings(m.failingParts())
                    .name("root_cause").value(m.rootCause())
                    .endObject();
        }
        json.endArray();
        json.name("calls").beginArray();
        for (ValidationRecord r : records) {
            call(json, r);
        }
        json.endArray();
        json.name("routing").beginArray();
        for (ExpertRouting r : routing) {
            json.beginObject()
                    .name("module").value(r.module())
                    .name("experts").value(r.experts())
                    .name("tokens_per_expert").longs(Arrays.stream(r.tokensPerExpert()).boxed().toList())
                    .name("routed").value(r.total())
                    .name("unused_experts").value(r.unused())
                    .name("busiest_over_mean").value(r.imbalance())
                    .endObject();
        }
        json.endArray();
        json.name("coverage").beginArray();
        for (KindCoverage k : coverage.kinds()) {
            json.beginObject().name("kind").value(k.kind().id()).name("exercised").beginArray();
            for (ExercisedConfiguration e : k.exercised()) {
                configuration(json.beginObject(), e.configuration())
                        .name("shape_buckets").strings(e.shapeBuckets())
                        .name("calls").value(e.calls())
                        .name("missing_entries").strings(e.missingEntries())
                        .endObject();
            }
            json.endArray().name("never_validated").beginArray();
            for (ModuleConfiguration c : k.neverValidated()) {
                configuration(json.beginObject(), c).endObject();
            }
            json.endArray().endObject();
        }
        json.endArray();
        return json.endObject().toString() + "\n";
    }

    private static void call(JsonWriter json, ValidationRecord r) {
        json.beginObject()
                .name("module").value(r.module())
                .name("kind").value(r.kind().id())
                .name("implementation").value(r.implementation())
                .name("entry").value(r.entry())
                .name("shape").longs(r.shape())
                .name("passed").value(r.passed());
        Comparison c = r.comparison();
        if (c != null) {
            json.name("pcc").value(c.pcc())
                    .name("max_abs_error").value(c.maxAbsError())
                    .name("mean_abs_error").value(c.meanAbsError())
                    .name("cosine").value(c.cosine())
                    .name("allowed_max_abs_error").value(r.allowedMaxAbsError())
                    .name("min_pcc").value(r.tolerance().minPcc())
                    .name("worst_index").value(c.worstIndex())
                    .name("worst_actual").value(c.worstActual())
                    .name("worst_expected").value(c.worstExpected())
                    .name("allclose_violations").value(r.allClose().violations())
                    .name("required_atol").value(r.allClose().requiredAtol());
        }
        json.name("metrics").beginArray();
        for (MetricResult m : r.metrics()) {
            json.beginObject().name("name").value(m.name()).name("value").value(m.value())
                    .name("passed").value(m.passed()).endObject();
        }
        json.endArray()
                .name("failure").value(r.failure())
                .name("implementation_ns").value(r.implementationNanos())
                .name("reference_ns").value(r.referenceNanos())
                .name("shape_bucket").value(r.coverage().shapeBucket())
                .name("fingerprint").value(r.coverage().fingerprint())
                .name("dtype").value(r.coverage().dtype().name())
                .endObject();
    }

    private static JsonWriter configuration(JsonWriter json, ModuleConfiguration c) {
        return json.name("implementation").value(c.implementation())
                .name("fingerprint").value(c.fingerprint())
                .name("dtype").value(c.dtype().name())
                .name("description").value(c.description());
    }
}
