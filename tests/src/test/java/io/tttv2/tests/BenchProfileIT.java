package io.tttv2.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench --profile --plot} on the embedded kjv-tiny, in the OSGi host: the per-kind table, the composed
 * time beside the measured one, and a roofline PNG drawn headless by the testing bundle's embedded XChart.
 * A short run (few tokens and rounds): the figures are not judged here, only that they are there and sane.
 */
class BenchProfileIT {

    @TempDir
    Path dir;

    @Test
    void profilesEveryKindComposesTheTimeAndDrawsTheRoofline() throws Exception {
        Path png = dir.resolve("roofline.png");
        LauncherRun run = LauncherRun.of(BuiltDistribution.launcherJar(), "bench", "--profile", "--plot", png.toString(),
                "--prompt-tokens", "16", "--decode-tokens", "16", "--warmup", "1", "--rounds", "1");
        assertEquals(0, run.exitCode(), run.transcript());
        String out = String.join("\n", run.out());
        assertTrue(out.matches("(?s).*machine peak: [0-9.]+ GFLOP/s FMA, [0-9.]+ GB/s read.*"), out);
        for (String kind : List.of("attention", "attention-backend", "mlp", "norm", "rotary", "embedding", "lm-head",
                "decoder-layer")) {
            assertTrue(out.matches("(?s).*\\ndecode +" + Pattern.quote(kind) + " +\\d+ .*"), kind + " in\n" + out);
        }
        Matcher composed = Pattern.compile("decode per token, Σ calls × median call: composed +([0-9.]+) ms, measured median step +([0-9.]+) ms, "
                + "composed/measured ([0-9.]+)").matcher(out);
        assertTrue(composed.find(), out);
        assertTrue(Double.parseDouble(composed.group(1)) > 0 && Double.parseDouble(composed.group(3)) > 0, out);
        BufferedImage image = ImageIO.read(png.toFile());
        assertTrue(image != null, "a PNG ImageIO reads: " + png);
        assertEquals(1000, image.getWidth());
        assertEquals(640, image.getHeight());
        assertTrue(Files.size(png) > 10_000, "a drawn chart, not an empty image");
    }

    @Test
    void aPlotThatIsNeitherPngNorSvgIsOneLine() throws Exception {
        LauncherRun run = LauncherRun.of(BuiltDistribution.launcherJar(), "bench", "--plot", dir.resolve("r.gif").toString());
        assertEquals(2, run.exitCode(), run.transcript());
        assertTrue(run.transcript().contains("--plot expected a .png or .svg file, found "), run.transcript());
        assertTrue(!run.transcript().contains("Exception"), run.transcript());
    }
}
