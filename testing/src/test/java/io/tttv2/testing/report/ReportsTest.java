package io.tttv2.testing.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tttv2.testing.support.Factories;
import io.tttv2.testing.support.TestDevice;
import io.tttv2.testing.support.TinyModel;
import io.tttv2.testing.support.WrongModules;
import io.tttv2.testing.validation.ValidatingFactoryDecorator;
import io.tttv2.testing.validation.ValidationRegistry;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
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
        List<BufferedImage> charts = inlineImages(html);
        assertEquals(2, charts.size(), "error and speed-up charts");
        assertTrue(html.contains("<table>"));
        // the rotary's error bar is above the tolerance: red (#c62828) is drawn in the error chart only
        assertTrue(countColour(charts.get(0), 0xc62828) > 50, "a red bar for the rotary");
        assertEquals(0, countColour(charts.get(1), 0xc62828), "no red in the speed-up chart");
        assertTrue(countColour(charts.get(1), 0x1565c0) > 50, "blue speed-up bars");
        // self-contained: no script, no link, no URL; the only sources are the inline pictures
        for (String forbidden : List.of("<script", "<link", "href=", "url(", "http://", "https://")) {
            assertFalse(html.contains(forbidden), forbidden);
        }
        Matcher sources = Pattern.compile("src=\"([^\"]{0,22})").matcher(html);
        while (sources.find()) {
            assertEquals("data:image/png;base64,", sources.group(1));
        }
        assertTrue(Files.readString(dir.resolve("report.txt")).startsWith("validate tiny\nModule validation: "));
    }

    @Test
    void jsonNullsWhatJsonCannotHold() throws IOException {
        // a module without a reference has no allowed error (NaN): JSON cannot hold NaN, so it is null
        ValidationRegistry registry = run(Factories.core());
        JsonNode json = new ObjectMapper().readTree(JsonReport.render(registry.summary(), registry.records(),
                registry.coverage()));
        ObjectNode probe = new ObjectMapper().createObjectNode();
        JsonReport.number(probe, "nan", Double.NaN);
        JsonReport.number(probe, "inf", Double.POSITIVE_INFINITY);
        JsonReport.number(probe, "n", 1.5);
        assertTrue(probe.get("nan").isNull() && probe.get("inf").isNull(), probe.toString());
        assertEquals(1.5, probe.get("n").asDouble());
        assertTrue(json.get("summary").get("average_speedup").isNumber(), json.get("summary").toString());
    }

    /** The PNGs inlined in {@code html}, decoded. */
    static List<BufferedImage> inlineImages(String html) throws IOException {
        List<BufferedImage> images = new ArrayList<>();
        Matcher m = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
        while (m.find()) {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1))));
            assertTrue(image != null, "an inline PNG that ImageIO reads");
            images.add(image);
        }
        return images;
    }

    static int countColour(BufferedImage image, int rgb) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == rgb) {
                    n++;
                }
            }
        }
        return n;
    }
}
