package io.tttv2.testing.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tttv2.testing.support.Factories;
import io.tttv2.testing.support.TestDevice;
import io.tttv2.testing.support.TinyModel;
import io.tttv2.testing.support.WrongModules;
import io.tttv2.testing.validation.ValidatingFactoryDecorator;
import io.tttv2.testing.validation.ValidationRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three reports of a validated run: what each says, and that JSON parses and HTML stands alone. */
class ReportsTest {

    private static ValidationRegistry run(Factories factories) {
        ValidationRegistry registry = new ValidationRegistry();
        registry.enable();
        TinyModel model = new TinyModel(factories.decoratedBy(new ValidatingFactoryDecorator(registry)), TestDevice.cpu());
        registry.nameModules(model.modules());
        model.run();
        return registry;
    }

    @Test
    void textHasATickLinePerModuleTheSpeedupAndCoverage() {
        ValidationRegistry registry = run(Factories.core());
        String text = TextReport.render(registry.summary(), registry.coverage());
        List<String> lines = text.lines().toList();
        assertEquals("Module validation: 16 modules, " + registry.records().size() + " calls, all passed", lines.get(0));
        long ticks = lines.stream().filter(l -> l.startsWith("✓ ")).count();
        assertEquals(16, ticks, text);
        assertTrue(lines.stream().anyMatch(l -> l.matches("✓ model\\.layers\\.0\\.self_attn +attention +tttv2/attention/sdpa +4 .*x")),
                text);
        assertTrue(lines.stream().anyMatch(l -> l.matches("Average speed-up \\(reference time / implementation time\\): [0-9.]+x")),
                text);
        assertTrue(text.contains("Module kinds validated: attention, attention-backend, decoder-layer, embedding, lm-head, mlp, norm,"
                + " rotary"), text);
        assertTrue(text.contains("Coverage (configurations per module kind)"), text);
        assertTrue(text.contains("    ✓ tttv2/norm/rms F32 "), text);
        assertFalse(text.contains("✗"), text);
    }

    @Test
    void textOfAFailingRunNamesWhereTheErrorStarts() {
        ValidationRegistry registry = run(Factories.core().withRotary(WrongModules.ropeWithHalvesSwapped()));
        String text = TextReport.render(registry.summary(), registry.coverage());
        assertTrue(text.lines().anyMatch(l -> l.startsWith("✗ model.rotary_emb ")), text);
        assertTrue(text.contains("    its parts fail too: model.rotary_emb"), text);
        assertTrue(text.contains("Errors start in: model.rotary_emb\n"), text);
        assertTrue(text.lines().findFirst().orElseThrow().matches("Module validation: \\d+ of 16 modules FAILED \\(\\d+ of \\d+ calls\\)"),
                text);
    }

    @Test
    void jsonParsesAndCarriesEveryModuleAndCall() throws IOException {
        ValidationRegistry registry = run(Factories.core().withNorm(WrongModules.rmsNormWithoutEpsilon()));
        JsonNode json = new ObjectMapper().readTree(JsonReport.render(registry.summary(), registry.records(),
                registry.coverage()));
        assertFalse(json.get("summary").get("passed").asBoolean());
        assertEquals(16, json.get("modules").size());
        assertEquals(registry.records().size(), json.get("calls").size());
        JsonNode norm = null;
        for (JsonNode m : json.get("modules")) {
            if (m.get("module").asText().equals("model.layers.0.input_layernorm")) {
                norm = m;
            }
        }
        assertTrue(norm != null && !norm.get("passed").asBoolean() && norm.get("root_cause").asBoolean(), String.valueOf(norm));
        assertTrue(norm.get("worst_error_ratio").asDouble() > 1, norm.toString());
        JsonNode call = json.get("calls").get(0);
        for (String key : List.of("module", "kind", "implementation", "entry", "shape", "passed", "pcc", "max_abs_error",
                "allowed_max_abs_error", "implementation_ns", "reference_ns", "shape_bucket", "fingerprint", "dtype")) {
            assertTrue(call.has(key), key + " in " + call);
        }
        assertEquals(8, json.get("coverage").size(), "one entry per kind used");
        assertTrue(json.get("summary").get("errors_start_in").toString().contains("model.layers.0.input_layernorm"));
    }

    @Test
    void htmlIsOnePageWithATableAndTwoChartsAndNothingExternal(@TempDir Path dir) throws IOException {
        ValidationRegistry registry = run(Factories.core().withRotary(WrongModules.ropeWithHalvesSwapped()));
        List<Path> files = ReportFiles.write(dir, "validate tiny", registry);
        assertEquals(List.of(dir.resolve("report.txt"), dir.resolve("report.json"), dir.resolve("report.html")), files);
        String html = Files.readString(dir.resolve("report.html"));
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertEquals(2, count(html, "<svg "), "error and speed-up charts");
        assertTrue(html.contains("<table>"));
        // one error bar and one speed-up bar per module; the rotary's error bar is red, right of the tolerance
        assertEquals(2 * 16, count(html, "<rect "));
        assertTrue(html.contains("fill=\"#c62828\"><title>model.rotary_emb:"), "a red bar for the rotary");
        // self-contained: no script, no link, no src, no URL other than the SVG namespace
        for (String forbidden : List.of("<script", "<link", "src=", "href=", "url(")) {
            assertFalse(html.contains(forbidden), forbidden);
        }
        List<String> urls = new ArrayList<>();
        Matcher m = Pattern.compile("https?://[^\"' ]+").matcher(html);
        while (m.find()) {
            urls.add(m.group());
        }
        assertTrue(urls.stream().allMatch("http://www.w3.org/2000/svg"::equals), urls::toString);
        assertTrue(Files.readString(dir.resolve("report.txt")).startsWith("validate tiny\nModule validation: "));
    }

    @Test
    void jsonWriterEscapesAndNullsWhatJsonCannotHold() throws IOException {
        String text = new JsonWriter().beginObject().name("s").value("a\"b\\c\nd\u0001")
                .name("nan").value(Double.NaN).name("n").value(1.5).name("list").strings(List.of())
                .name("nested").beginArray().beginObject().name("x").value(2L).endObject().endArray().endObject().toString();
        JsonNode json = new ObjectMapper().readTree(text);
        assertEquals("a\"b\\c\nd\u0001", json.get("s").asText());
        assertTrue(json.get("nan").isNull());
        assertEquals(1.5, json.get("n").asDouble());
        assertEquals(0, json.get("list").size());
        assertEquals(2, json.get("nested").get(0).get("x").asInt());
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
