package io.tttv2.cli.modules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tttv2.api.candidate.CandidateDescriptor;
import io.tttv2.api.candidate.Certification;
import java.io.PrintWriter;
import java.util.Collection;

/** The JSON the module commands print: one mapper, one way to write a candidate. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    /** name, kind, version, tier (claimed), listedTier, certifications, dtypes, devices, variants, bundle. */
    static ObjectNode candidate(ObjectNode n, CandidateDescriptor c) {
        n.put("name", c.name());
        n.put("kind", c.kind().id());
        n.put("version", c.version());
        n.put("tier", c.tier().id());
        n.put("listedTier", c.listedTier().id());
        strings(n.putArray("certifications"), c.certifications().stream().map(Certification::id).sorted().toList());
        strings(n.putArray("dtypes"), c.dtypes());
        strings(n.putArray("devices"), c.devices());
        strings(n.putArray("variants"), c.variants());
        n.put("bundle", c.bundle());
        return n;
    }

    static ArrayNode strings(ArrayNode array, Collection<String> values) {
        values.forEach(array::add);
        return array;
    }

    static void print(PrintWriter out, ObjectNode root) {
        try {
            out.println(MAPPER.writeValueAsString(root));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }
}
