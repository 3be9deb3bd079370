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
import io.tttv2.cli.bundles.UserBundleSigners;
import io.tttv2.cli.evidence.Evidence;
import java.io.PrintWriter;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tttv2 modules [--json]}: every declared candidate with its tier and version, and whether it can be
 * bound now — "default" for the one an assembly that asks nothing gets, "available" for the others that
 * could be, else why not (its bundle does not resolve, it registers no service). Under each, its
 * certifications, each {@code claimed} or {@code backed} by a recorded validation ({@link Evidence}), and for
 * a user bundle's candidate its signer; at the end the trust policy.
 */
public final class CandidateListing {

    private final CandidateRegistry registry;
    private final ModuleResolver resolver;
    private final Evidence evidence;
    private final UserBundleSigners signers;

    public CandidateListing(CandidateRegistry registry, ModuleResolver resolver, Evidence evidence, UserBundleSigners signers) {
        this.registry = registry;
        this.resolver = resolver;
        this.evidence = evidence;
        this.signers = signers;
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
                List<String> certifications = evidence.describe(c);
                if (!certifications.isEmpty()) {
                    out.println("    certifications: " + String.join(", ", certifications));
                }
                String signer = signers.signer(c.bundle());
                if (signer != null) {
                    out.println("    signer: " + signer);
                }
            }
        }
        for (String rejection : registry.rejections()) {
            out.println("rejected: " + rejection);
        }
        out.println("trust: " + signers.policy());
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
            ArrayNode backing = n.putArray("certificationEvidence");
            c.certifications().stream().sorted((a, b) -> a.id().compareTo(b.id())).forEach(cert -> {
                ObjectNode e = backing.addObject();
                e.put("certification", cert.id());
                evidence.backing(c, cert, null).ifPresentOrElse(b -> {
                    e.put("status", "backed");
                    e.put("model", b.record().model());
                    e.put("architecture", b.record().architecture());
                    e.put("configSha256", b.record().configSha256());
                    e.put("date", b.record().date());
                    e.put("source", b.source());
                }, () -> e.put("status", "claimed"));
            });
            String signer = signers.signer(c.bundle());
            if (signer != null) {
                n.put("signer", signer);
            }
        }
        Json.strings(root.putArray("rejections"), registry.rejections());
        root.put("trustPolicy", signers.policy());
        Json.print(out, root);
    }

    /** {@code modules --check --json}: {"candidates": N, "violations": [...], "unbacked": [...]}. */
    public static String violationsJson(List<String> violations, int candidates, List<String> unbacked) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("candidates", candidates);
        Json.strings(root.putArray("violations"), violations);
        Json.strings(root.putArray("unbacked"), unbacked);
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
