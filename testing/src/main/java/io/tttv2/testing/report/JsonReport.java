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
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * Numbers JSON cannot hold (NaN) are null. Written with Jackson.
 */
public final class JsonReport {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonReport() {
    }

    public static String render(ValidationSummary summary, List<ValidationRecord> records, CoverageReport coverage) {
        return render(summary, records, coverage, List.of());
    }

    /** The report with a {@code "routing"} array: the tokens each mixture-of-experts layer sent to each expert. */
    public static String render(ValidationSummary summary, List<ValidationRecord> records, CoverageReport coverage,
                                List<ExpertRouting> routing) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode head = root.putObject("summary");
        head.put("passed", summary.passed());
        head.put("modules", summary.modules().size());
        head.put("calls", summary.calls());
        head.put("failed_calls", summary.failedCalls());
        number(head, "average_speedup", summary.averageSpeedup());
        strings(head, "kinds", List.copyOf(summary.kinds()));
        strings(head, "errors_start_in", summary.rootCauses().stream().map(ModuleSummary::module).toList());
        ArrayNode modules = root.putArray("modules");
        for (ModuleSummary m : summary.modules()) {
            ObjectNode o = modules.addObject();
            o.put("module", m.module());
            o.put("kind", m.kind().id());
            o.put("implementation", m.implementation());
            o.put("passed", m.passed());
            o.put("calls", m.calls());
            o.put("failed_calls", m.failedCalls());
            number(o, "worst_pcc", m.worstPcc());
            number(o, "max_abs_error", m.maxAbsError());
            number(o, "allowed_max_abs_error", m.allowedMaxAbsError());
            number(o, "worst_error_ratio", m.worstErrorRatio());
            number(o, "implementation_ms", m.implementationNanos() / 1e6);
            number(o, "reference_ms", m.referenceNanos() / 1e6);
            number(o, "speedup", m.speedup());
            o.put("first_failure", m.firstFailure());
            strings(o, "failing_parts", m.failingParts());
            o.put("root_cause", m.rootCause());
        }
        ArrayNode calls = root.putArray("calls");
        for (ValidationRecord r : records) {
            call(calls.addObject(), r);
        }
        ArrayNode routes = root.putArray("routing");
        for (ExpertRouting r : routing) {
            ObjectNode o = routes.addObject();
            o.put("module", r.module());
            o.put("experts", r.experts());
            ArrayNode tokens = o.putArray("tokens_per_expert");
            for (long t : r.tokensPerExpert()) {
                tokens.add(t);
            }
            o.put("routed", r.total());
            o.put("unused_experts", r.unused());
            number(o, "busiest_over_mean", r.imbalance());
        }
        ArrayNode kinds = root.putArray("coverage");
        for (KindCoverage k : coverage.kinds()) {
            ObjectNode o = kinds.addObject();
            o.put("kind", k.kind().id());
            ArrayNode exercised = o.putArray("exercised");
            for (ExercisedConfiguration e : k.exercised()) {
                ObjectNode c = configuration(exercised.addObject(), e.configuration());
                strings(c, "shape_buckets", e.shapeBuckets());
                c.put("calls", e.calls());
                strings(c, "missing_entries", e.missingEntries());
            }
            ArrayNode never = o.putArray("never_validated");
            for (ModuleConfiguration c : k.neverValidated()) {
                configuration(never.addObject(), c);
            }
        }
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the report as JSON", e);
        }
    }

    private static void call(ObjectNode o, ValidationRecord r) {
        o.put("module", r.module());
        o.put("kind", r.kind().id());
        o.put("implementation", r.implementation());
        o.put("entry", r.entry());
        ArrayNode shape = o.putArray("shape");
        for (long d : r.shape()) {
            shape.add(d);
        }
        o.put("passed", r.passed());
        Comparison c = r.comparison();
        if (c != null) {
            number(o, "pcc", c.pcc());
            number(o, "max_abs_error", c.maxAbsError());
            number(o, "mean_abs_error", c.meanAbsError());
            number(o, "cosine", c.cosine());
            number(o, "allowed_max_abs_error", r.allowedMaxAbsError());
            number(o, "min_pcc", r.tolerance().minPcc());
            o.put("worst_index", c.worstIndex());
            number(o, "worst_actual", c.worstActual());
            number(o, "worst_expected", c.worstExpected());
            o.put("allclose_violations", r.allClose().violations());
            number(o, "required_atol", r.allClose().requiredAtol());
        }
        ArrayNode metrics = o.putArray("metrics");
        for (MetricResult m : r.metrics()) {
            ObjectNode n = metrics.addObject();
            n.put("name", m.name());
            number(n, "value", m.value());
            n.put("passed", m.passed());
        }
        o.put("failure", r.failure());
        o.put("implementation_ns", r.implementationNanos());
        o.put("reference_ns", r.referenceNanos());
        o.put("shape_bucket", r.coverage().shapeBucket());
        o.put("fingerprint", r.coverage().fingerprint());
        o.put("dtype", r.coverage().dtype().name());
    }

    private static ObjectNode configuration(ObjectNode o, ModuleConfiguration c) {
        o.put("implementation", c.implementation());
        o.put("fingerprint", c.fingerprint());
        o.put("dtype", c.dtype().name());
        o.put("description", c.description());
        return o;
    }

    /** A number, or null where JSON cannot hold it (NaN, infinities). */
    static void number(ObjectNode o, String name, double v) {
        if (Double.isFinite(v)) {
            o.put(name, v);
        } else {
            o.putNull(name);
        }
    }

    private static void strings(ObjectNode o, String name, List<String> values) {
        ArrayNode a = o.putArray(name);
        values.forEach(a::add);
    }
}
