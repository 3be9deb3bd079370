package io.tttv2.testing.validation;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.Module;
import io.tttv2.api.modules.Moe;
import io.tttv2.testing.coverage.CoveragePoint;
import io.tttv2.testing.coverage.CoverageReport;
import io.tttv2.testing.coverage.ModuleConfiguration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import org.osgi.annotation.versioning.ProviderType;
import org.osgi.service.component.annotations.Component;

/**
 * The validation registry (the seed's {@code get_validation_registry()}): whether validation is on, how
 * calls are judged, and every validated call's record. Offered as an OSGi service by the testing bundle;
 * tests and tools outside a framework construct their own.
 *
 * <p>Enabling takes effect for modules created afterwards (the decorator wraps modules only while enabled,
 * so a model built with validation off runs its implementations untouched); disabling also stops
 * validation in modules already wrapped. Thread-safe.
 */
@ProviderType
@Component(service = ValidationRegistry.class)
public final class ValidationRegistry {

    private volatile boolean enabled;
    private volatile ValidationOptions options = ValidationOptions.defaults();

    // guarded by this
    private final List<ValidationRecord> records = new ArrayList<>();
    private final Set<ModuleConfiguration> used = new LinkedHashSet<>();
    private final Map<CoveragePoint, Long> exercised = new LinkedHashMap<>();
    private final Map<ModuleKind, Integer> created = new EnumMap<>(ModuleKind.class);
    private final Set<ValidatedModule> modules = Collections.newSetFromMap(new WeakHashMap<>());

    public ValidationRegistry() {
    }

    /** Validate modules created from now on (and modules already wrapped). */
    public void enable() {
        enabled = true;
    }

    /** Stop validating: wrapped modules run their implementation only; new modules are not wrapped. */
    public void disable() {
        enabled = false;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public ValidationOptions options() {
        return options;
    }

    /** Applies to calls from now on. */
    public void setOptions(ValidationOptions options) {
        this.options = options;
    }

    /** Forgets every record and coverage entry (wrapped modules stay wrapped, and keep their names). */
    public synchronized void clear() {
        records.clear();
        used.clear();
        exercised.clear();
    }

    /** Records one call; throws {@link ValidationFailedException} if it failed and the options say to raise. */
    public void record(ValidationRecord record) {
        synchronized (this) {
            records.add(record);
            exercised.merge(record.coverage(), 1L, Long::sum);
        }
        if (!record.passed() && options.raiseOnFailure()) {
            throw new ValidationFailedException(record);
        }
    }

    /** A wrapped module was created with this configuration; returns its default name ({@code norm#3}). */
    public synchronized String created(ValidatedModule module, ModuleConfiguration configuration) {
        used.add(configuration);
        modules.add(module);
        int n = created.merge(configuration.kind(), 1, Integer::sum);
        return configuration.kind().id() + "#" + n;
    }

    /** A configuration a model uses, for coverage, without a wrapped module (e.g. a model loaded but not run). */
    public synchronized void used(ModuleConfiguration configuration) {
        used.add(configuration);
    }

    /**
     * Names the wrapped modules among {@code modules} by their keys (a runner's
     * {@link io.tttv2.api.runner.ModelRunner#modules()}: {@code model.layers.0.self_attn} → module).
     *
     * @return how many were named
     */
    public int nameModules(Map<String, ? extends Module> modules) {
        int named = 0;
        for (Map.Entry<String, ? extends Module> e : modules.entrySet()) {
            if (e.getValue() instanceof ValidatedModule v) {
                v.validationName(e.getKey());
                named++;
            }
        }
        return named;
    }

    public synchronized List<ValidationRecord> records() {
        return List.copyOf(records);
    }

    /** Per module, in the order of their first validated call. */
    public ValidationSummary summary() {
        List<ValidationRecord> all;
        List<ValidatedModule> live;
        synchronized (this) {
            all = List.copyOf(records);
            live = new ArrayList<>(modules);
        }
        return SummaryBuilder.summarise(all, live);
    }

    /**
     * Tokens per expert of every wrapped mixture-of-experts module still alive, by module path in layer order
     * (counted since each module was built).
     */
    public List<ExpertRouting> routing() {
        List<ValidatedModule> live;
        synchronized (this) {
            live = new ArrayList<>(modules);
        }
        List<ExpertRouting> out = new ArrayList<>();
        for (ValidatedModule m : live) {
            if (m.implementation() instanceof Moe moe) {
                out.add(new ExpertRouting(m.validationName(), moe.tokensPerExpert()));
            }
        }
        out.sort(Comparator.comparing(ExpertRouting::module, ValidationRegistry::byPath));
        return out;
    }

    /** Module paths with their numbers compared as numbers ({@code layers.2} before {@code layers.10}). */
    private static int byPath(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = x[i].matches("\\d+") && y[i].matches("\\d+")
                    ? Long.compare(Long.parseLong(x[i]), Long.parseLong(y[i])) : x[i].compareTo(y[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }

    /** What was validated, per kind, and which configurations in use never were. */
    public synchronized CoverageReport coverage() {
        return CoverageReport.of(used, exercised);
    }
}
