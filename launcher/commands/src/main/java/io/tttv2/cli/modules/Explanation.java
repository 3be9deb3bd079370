package io.tttv2.cli.modules;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.assembly.Decision;
import io.tttv2.api.assembly.Resolution;
import io.tttv2.api.assembly.UnresolvedException;
import io.tttv2.api.candidate.ModuleKind;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;

/**
 * {@code tttv2 modules --explain --model DIR}: per module kind the model uses, what its assembly requires
 * and every candidate considered, with why it was chosen or rejected.
 *
 * @param model      the checkpoint folder
 * @param assembly   the assembly the model would resolve for it
 * @param resolution that assembly, resolved now
 */
public record Explanation(Path model, Assembly assembly, Resolution resolution) {

    public void printTable(PrintWriter out) {
        out.println("Model " + model + (assembly.model() == null ? "" : ", assembly of " + assembly.model()));
        for (ModuleKind kind : kinds()) {
            out.println();
            out.println(kind.id() + ": requires " + assembly.requirement(kind).describe());
            List<Decision> decisions = decisions(kind);
            if (decisions.isEmpty()) {
                out.println("  (no candidate of this kind is installed)");
            }
            for (Decision d : decisions) {
                out.printf("  %s %-32s %-9s %-22s %s%n", d.chosen() ? "*" : d.eligible() ? "+" : "-", d.candidate().name(),
                        d.candidate().version(), Tiers.label(d.candidate()), d.reason());
            }
        }
        out.println();
        if (resolution.complete()) {
            out.println("Resolves: every kind has a candidate (* chosen, + eligible, - rejected).");
        } else {
            for (ModuleKind kind : kinds()) {
                String why = unresolved(kind);
                if (why != null) {
                    out.println("unresolved: " + why);
                }
            }
        }
    }

    public void printJson(PrintWriter out) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("model", model.toString());
        if (assembly.model() != null) {
            root.put("assembly", assembly.model());
        }
        root.put("complete", resolution.complete());
        ArrayNode kinds = root.putArray("kinds");
        for (ModuleKind kind : kinds()) {
            ObjectNode k = kinds.addObject();
            k.put("kind", kind.id());
            k.put("requires", assembly.requirement(kind).describe());
            if (resolution.chosen(kind) != null) {
                k.put("chosen", resolution.chosen(kind).name());
                k.put("chosenVersion", resolution.chosen(kind).version());
            } else {
                k.put("unresolved", unresolved(kind));
            }
            ArrayNode candidates = k.putArray("candidates");
            for (Decision d : decisions(kind)) {
                ObjectNode n = candidates.addObject();
                n.put("name", d.candidate().name());
                n.put("version", d.candidate().version());
                n.put("tier", d.candidate().listedTier().id());
                n.put("eligible", d.eligible());
                n.put("chosen", d.chosen());
                n.put("reason", d.reason());
            }
        }
        Json.print(out, root);
    }

    private EnumSet<ModuleKind> kinds() {
        return assembly.requirements().isEmpty() ? EnumSet.noneOf(ModuleKind.class) : EnumSet.copyOf(assembly.requirements().keySet());
    }

    private List<Decision> decisions(ModuleKind kind) {
        return resolution.decisions().stream().filter(d -> d.kind() == kind).toList();
    }

    /** Why {@code kind} is unresolved, or null if it has a candidate. */
    private String unresolved(ModuleKind kind) {
        if (resolution.chosen(kind) != null) {
            return null;
        }
        try {
            resolution.factory(kind, Object.class);
            return null;
        } catch (UnresolvedException e) {
            return e.getMessage();
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }
}
