package io.tttv2.cli.modules;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.assembly.Decision;
import io.tttv2.api.assembly.ModuleResolver;
import io.tttv2.api.assembly.Resolution;
import io.tttv2.api.candidate.CandidateDescriptor;
import io.tttv2.api.candidate.CandidateRegistry;
import io.tttv2.api.candidate.ModuleKind;
import java.io.PrintWriter;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tttv2 modules [--json]}: every declared candidate with its tier and version, and whether it can be
 * bound now — "default" for the one an assembly that asks nothing gets, "available" for the others that
 * could be, else why not (its bundle does not resolve, it registers no service).
 */
public final class CandidateListing {

    private final CandidateRegistry registry;
    private final ModuleResolver resolver;

    public CandidateListing(CandidateRegistry registry, ModuleResolver resolver) {
        this.registry = registry;
        this.resolver = resolver;
    }

    public void printTable(PrintWriter out) {
        List<CandidateDescriptor> candidates = registry.candidates();
        Map<CandidateDescriptor, Decision> status = status();
        if (candidates.isEmpty()) {
            out.println("No module candidates are installed.");
        } else {
            out.printf("%-32s %-14s %-10s %-22s %-10s %s%n", "NAME", "KIND", "VERSION", "TIER", "STATUS", "BUNDLE");
            for (CandidateDescriptor c : candidates) {
                Decision d = status.get(c);
                out.printf("%-32s %-14s %-10s %-22s %-10s %s%n", c.name(), c.kind().id(), c.version(), Tiers.label(c),
                        state(d), c.bundle());
                if (d != null && !d.eligible()) {
                    out.println("    " + d.reason());
                }
            }
        }
        for (String rejection : registry.rejections()) {
            out.println("rejected: " + rejection);
        }
    }

    public void printJson(PrintWriter out) {
        Map<CandidateDescriptor, Decision> status = status();
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode list = root.putArray("candidates");
        for (CandidateDescriptor c : registry.candidates()) {
            ObjectNode n = Json.candidate(list.addObject(), c);
            Decision d = status.get(c);
            n.put("status", state(d));
            n.put("available", d != null && d.eligible());
            if (d != null && !d.eligible()) {
                n.put("reason", d.reason());
            }
        }
        Json.strings(root.putArray("rejections"), registry.rejections());
        Json.print(out, root);
    }

    /** {@code modules --check --json}: {"candidates": N, "violations": [...]}. */
    public static String violationsJson(List<String> violations, int candidates) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("candidates", candidates);
        Json.strings(root.putArray("violations"), violations);
        return root.toPrettyString();
    }

    /** Each candidate's decision in an assembly that asks nothing of any kind. */
    private Map<CandidateDescriptor, Decision> status() {
        Resolution r = resolver.resolve(new Assembly(null, Map.of()), EnumSet.allOf(ModuleKind.class));
        Map<CandidateDescriptor, Decision> out = new HashMap<>();
        r.decisions().forEach(d -> out.put(d.candidate(), d));
        return out;
    }

    private static String state(Decision d) {
        if (d == null) {
            return "-";
        }
        // a model is not chosen for anything: it is available or not
        return d.chosen() && d.kind() != ModuleKind.MODEL ? "default" : d.eligible() ? "available" : "unusable";
    }
}
