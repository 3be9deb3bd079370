package io.tttv2.cli.validate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;

/** The checks as JSON, for machines: {@code {"model":…, "architecture":…, "passed":…, "checks":[…]}}. */
final class ValidationJson {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ValidationJson() {
    }

    static void write(Path file, String architecture, Path model, ValidationResult result) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("model", model.toString());
        root.put("architecture", architecture);
        root.put("passed", result.passed());
        ArrayNode checks = root.putArray("checks");
        for (Check c : result.checks()) {
            ObjectNode n = checks.addObject();
            n.put("metric", c.metric());
            n.put("passed", c.passed());
            if (c.comparison() != null) {
                n.put("pcc", c.comparison().pcc());
                n.put("max_abs_error", c.comparison().maxAbsError());
                n.put("mean_abs_error", c.comparison().meanAbsError());
                n.put("cosine", c.comparison().cosine());
                n.put("min_pcc", c.minPcc());
                if (Double.isFinite(c.maxAbs())) {
                    n.put("allowed_max_abs_error", c.maxAbs());
                } else {
                    n.putNull("allowed_max_abs_error");
                }
                n.put("worst_index", c.comparison().worstIndex());
            } else {
                n.put("detail", c.detail());
            }
        }
        JSON.writeValue(file.toFile(), root);
    }
}
