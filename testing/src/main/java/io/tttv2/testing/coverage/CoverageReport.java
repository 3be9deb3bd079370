package io.tttv2.testing.coverage;

import io.tttv2.api.candidate.ModuleKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Per module kind: the configurations exercised by validated calls, and those used by the models built
 * with validation on that were never validated.
 *
 * @param kinds one entry per kind that was used or exercised, in {@link ModuleKind} order
 */
@ProviderType
public record CoverageReport(List<KindCoverage> kinds) {

    public CoverageReport {
        kinds = List.copyOf(kinds);
    }

    /**
     * @param used      configurations of the modules created (a configuration may appear more than once)
     * @param exercised what validated calls exercised, with the number of calls each
     */
    public static CoverageReport of(Collection<ModuleConfiguration> used, Map<CoveragePoint, Long> exercised) {
        Set<ModuleConfiguration> configurations = new LinkedHashSet<>(used);
        for (CoveragePoint point : exercised.keySet()) {
            if (configurations.stream().noneMatch(point::exercises)) {
                configurations.add(new ModuleConfiguration(point.kind(), point.implementation(), point.fingerprint(),
                        point.dtype(), "(created before validation was enabled)"));
            }
        }
        Map<ModuleKind, List<ExercisedConfiguration>> exercisedByKind = new EnumMap<>(ModuleKind.class);
        Map<ModuleKind, List<ModuleConfiguration>> neverByKind = new EnumMap<>(ModuleKind.class);
        for (ModuleConfiguration c : configurations) {
            TreeSet<String> buckets = new TreeSet<>();
            long calls = 0;
            for (Map.Entry<CoveragePoint, Long> point : exercised.entrySet()) {
                if (point.getKey().exercises(c)) {
                    buckets.add(point.getKey().shapeBucket());
                    calls += point.getValue();
                }
            }
            if (calls == 0) {
                neverByKind.computeIfAbsent(c.kind(), k -> new ArrayList<>()).add(c);
                continue;
            }
            List<String> missing = new ArrayList<>();
            for (String entry : List.of(ShapeBuckets.PREFILL, ShapeBuckets.DECODE)) {
                if (buckets.stream().noneMatch(b -> ShapeBuckets.entry(b).equals(entry))) {
                    missing.add(entry);
                }
            }
            exercisedByKind.computeIfAbsent(c.kind(), k -> new ArrayList<>())
                    .add(new ExercisedConfiguration(c, List.copyOf(buckets), calls, missing));
        }
        List<KindCoverage> kinds = new ArrayList<>();
        for (ModuleKind kind : ModuleKind.values()) {
            if (exercisedByKind.containsKey(kind) || neverByKind.containsKey(kind)) {
                kinds.add(new KindCoverage(kind, exercisedByKind.getOrDefault(kind, List.of()),
                        neverByKind.getOrDefault(kind, List.of())));
            }
        }
        return new CoverageReport(kinds);
    }

    /** The coverage of {@code kind}, or null if no module of that kind was used. */
    public KindCoverage kind(ModuleKind kind) {
        return kinds.stream().filter(k -> k.kind() == kind).findFirst().orElse(null);
    }
}
