package io.tttv2.cli.modules;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tttv2.api.assembly.Assemblies;
import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.assembly.Decision;
import io.tttv2.api.assembly.ModuleResolver;
import io.tttv2.api.assembly.Requirement;
import io.tttv2.api.assembly.Resolution;
import io.tttv2.api.assembly.UnresolvedException;
import io.tttv2.api.candidate.CandidateDescriptor;
import io.tttv2.api.candidate.CandidateRegistry;
import io.tttv2.api.candidate.ModuleKind;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code tttv2 compat [--json]}: installed model bundles × candidates × versions. For each model candidate,
 * its shipped assembly is resolved; each cell says whether a candidate of a kind the model uses is resolved
 * (it would be bound: chosen, or eligible and outranked) or unresolved, and why.
 */
public final class CompatibilityMatrix {

    /** The kinds a model without a shipped assembly is taken to use: every kind with a factory. */
    private static final Set<ModuleKind> DEFAULT_KINDS = EnumSet.of(ModuleKind.NORM, ModuleKind.ROTARY,
            ModuleKind.ATTENTION, ModuleKind.MLP, ModuleKind.EMBEDDING, ModuleKind.LM_HEAD, ModuleKind.DECODER_LAYER,
            ModuleKind.DEVICE);

    /**
     * One model's row.
     *
     * @param model      the model candidate
     * @param shipped    true if its bundle ships an assembly
     * @param available  its runner factory can be used now
     * @param status     "available" or why not (its bundle does not resolve: which package and range)
     * @param resolution its assembly, resolved now
     */
    record Row(CandidateDescriptor model, boolean shipped, boolean available, String status, Resolution resolution) {
    }

    private final List<Row> rows = new ArrayList<>();

    public CompatibilityMatrix(CandidateRegistry registry, ModuleResolver resolver, Assemblies assemblies) {
        Map<String, Assembly> shipped = assemblies.shipped();
        for (CandidateDescriptor model : registry.candidates()) {
            if (model.kind() != ModuleKind.MODEL) {
                continue;
            }
            Assembly assembly = shipped.get(model.name());
            Set<ModuleKind> kinds = assembly == null || assembly.requirements().isEmpty()
                    ? DEFAULT_KINDS : assembly.requirements().keySet();
            Resolution self = resolver.resolve(new Assembly(model.name(), Map.of(ModuleKind.MODEL,
                    new Requirement(model.name(), "[" + model.version() + "," + model.version() + "]", null, null, null))),
                    Set.of(ModuleKind.MODEL));
            String status = self.chosen(ModuleKind.MODEL) != null ? "available" : self.decisions().stream()
                    .filter(d -> d.candidate().equals(model)).map(Decision::reason).findFirst().orElse("unavailable");
            rows.add(new Row(model, assembly != null, self.chosen(ModuleKind.MODEL) != null, status,
                    resolver.resolve(assembly != null ? assembly : new Assembly(model.name(), Map.of()), kinds)));
        }
    }

    /** True if every model is available and its assembly resolves. */
    public boolean allResolve() {
        return rows.stream().allMatch(r -> r.available() && r.resolution().complete());
    }

    public void printTable(PrintWriter out) {
        if (rows.isEmpty()) {
            out.println("No model bundles are installed.");
            return;
        }
        for (Row row : rows) {
            CandidateDescriptor m = row.model();
            out.println(m.name() + " " + m.version() + " (" + m.bundle() + "): " + row.status()
                    + "; " + (row.resolution().complete() ? "its assembly resolves" : "its assembly does not resolve")
                    + (row.shipped() ? "" : " (it ships no assembly: every kind at its default)"));
            out.printf("  %-14s %-32s %-9s %-22s %s%n", "KIND", "CANDIDATE", "VERSION", "TIER", "CELL");
            for (Decision d : row.resolution().decisions()) {
                out.printf("  %-14s %-32s %-9s %-22s %s%n", d.kind().id(), d.candidate().name(), d.candidate().version(),
                        Tiers.label(d.candidate()), cell(d));
            }
            for (Map.Entry<ModuleKind, String> e : unresolved(row.resolution()).entrySet()) {
                out.println("  unresolved " + e.getKey().id() + ": " + e.getValue());
            }
            out.println();
        }
    }

    public void printJson(PrintWriter out) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode models = root.putArray("models");
        for (Row row : rows) {
            ObjectNode m = models.addObject();
            m.put("model", row.model().name());
            m.put("version", row.model().version());
            m.put("bundle", row.model().bundle());
            m.put("available", row.available());
            m.put("status", row.status());
            m.put("shipsAssembly", row.shipped());
            m.put("complete", row.resolution().complete());
            ArrayNode cells = m.putArray("cells");
            for (Decision d : row.resolution().decisions()) {
                ObjectNode c = cells.addObject();
                c.put("kind", d.kind().id());
                c.put("candidate", d.candidate().name());
                c.put("version", d.candidate().version());
                c.put("tier", d.candidate().listedTier().id());
                c.put("resolved", d.eligible());
                c.put("chosen", d.chosen());
                c.put("reason", d.reason());
            }
            ObjectNode missing = m.putObject("unresolved");
            unresolved(row.resolution()).forEach((k, why) -> missing.put(k.id(), why));
        }
        root.put("allResolve", allResolve());
        Json.print(out, root);
    }

    private static String cell(Decision d) {
        return d.chosen() ? "resolved (chosen)" : d.eligible() ? "resolved (" + d.reason() + ")" : "unresolved: " + d.reason();
    }

    private static Map<ModuleKind, String> unresolved(Resolution r) {
        Map<ModuleKind, String> out = new EnumMap<>(ModuleKind.class);
        for (ModuleKind kind : ModuleKind.values()) {
            try {
                if (r.chosen(kind) == null) {
                    r.factory(kind, Object.class);
                }
            } catch (UnresolvedException e) {
                out.put(kind, e.getMessage());
            } catch (IllegalArgumentException e) {
                // a kind this resolution was not asked for
            }
        }
        return out;
    }
}
