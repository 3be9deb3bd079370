package io.tttv2.testing.validation;

import io.tttv2.testing.metrics.Comparison;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Aggregates records into {@link ModuleSummary}s, and finds which of a failing module's parts failed too. */
final class SummaryBuilder {

    private SummaryBuilder() {
    }

    static ValidationSummary summarise(List<ValidationRecord> records, List<ValidatedModule> live) {
        Map<String, List<ValidationRecord>> byModule = new LinkedHashMap<>();
        for (ValidationRecord r : records) {
            byModule.computeIfAbsent(r.module(), k -> new ArrayList<>()).add(r);
        }
        Set<String> failing = new HashSet<>();
        for (ValidationRecord r : records) {
            if (!r.passed()) {
                failing.add(r.module());
            }
        }
        Map<String, List<String>> partsByName = new HashMap<>();
        for (ValidatedModule m : live) {
            List<String> parts = partsByName.computeIfAbsent(m.validationName(), k -> new ArrayList<>());
            for (ValidatedModule part : m.parts()) {
                if (!parts.contains(part.validationName())) {
                    parts.add(part.validationName());
                }
            }
        }
        List<ModuleSummary> modules = new ArrayList<>();
        long calls = 0;
        long failed = 0;
        double speedups = 0;
        for (Map.Entry<String, List<ValidationRecord>> e : byModule.entrySet()) {
            List<String> failingParts = partsByName.getOrDefault(e.getKey(), List.of()).stream()
                    .filter(failing::contains).toList();
            ModuleSummary s = summarise(e.getKey(), e.getValue(), failingParts);
            modules.add(s);
            calls += s.calls();
            failed += s.failedCalls();
            speedups += s.speedup();
        }
        return new ValidationSummary(modules, calls, failed, modules.isEmpty() ? Double.NaN : speedups / modules.size());
    }

    private static ModuleSummary summarise(String name, List<ValidationRecord> calls, List<String> failingParts) {
        ValidationRecord first = calls.get(0);
        long failed = 0;
        double worstPcc = Double.NaN;
        double maxAbs = 0;
        double worstRatio = 0;
        double allowedAtWorst = Double.NaN;
        long implNanos = 0;
        long refNanos = 0;
        String firstFailure = null;
        for (ValidationRecord r : calls) {
            implNanos += r.implementationNanos();
            refNanos += r.referenceNanos();
            if (!r.passed()) {
                failed++;
                if (firstFailure == null) {
                    firstFailure = r.describe();
                }
            }
            Comparison c = r.comparison();
            if (c == null) {
                continue;
            }
            worstPcc = Double.isNaN(worstPcc) ? c.pcc() : Math.min(worstPcc, c.pcc());
            maxAbs = Math.max(maxAbs, c.maxAbsError());
            double ratio = c.maxAbsError() / r.allowedMaxAbsError();
            if (Double.isNaN(allowedAtWorst) || ratio > worstRatio) {
                worstRatio = ratio;
                allowedAtWorst = r.allowedMaxAbsError();
            }
        }
        return new ModuleSummary(name, first.kind(), first.implementation(), calls.size(), failed, worstPcc, maxAbs,
                worstRatio, allowedAtWorst, implNanos, refNanos, firstFailure, failingParts);
    }
}
