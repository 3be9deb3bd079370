package io.tttv2.testing.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.testing.profile.KindProfile;
import io.tttv2.testing.profile.MachinePeak;
import io.tttv2.testing.profile.Profile;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The roofline picture: a PNG of the stated size that ImageIO reads, with the points drawn; SVG; bad names. */
class RooflineChartTest {

    private static final Profile PROFILE = new Profile(List.of(
            new KindProfile(ModuleKind.MLP, Profile.PREFILL, 4, 40_000_000, 10_000_000, 4e9, 5e7),
            new KindProfile(ModuleKind.MLP, Profile.DECODE, 40, 4_000_000, 100_000, 4e8, 4e8),
            new KindProfile(ModuleKind.NORM, Profile.DECODE, 80, 80_000, 1_000, 1e6, 2e6),
            new KindProfile(ModuleKind.EMBEDDING, Profile.DECODE, 10, 10_000, 1_000, 0, 0)));   // no cost: no point
    private static final MachinePeak PEAK = new MachinePeak(50, 10);

    @Test
    void writesAReadablePngOfTheStatedSizeWithThePointsDrawn(@TempDir Path dir) throws IOException {
        Path png = dir.resolve("roofline.png");
        RooflineChart.write(png, "Roofline of a test", PROFILE, PEAK);
        BufferedImage image = ImageIO.read(png.toFile());
        assertTrue(image != null, "ImageIO reads it");
        assertEquals(RooflineChart.WIDTH, image.getWidth());
        assertEquals(RooflineChart.HEIGHT, image.getHeight());
        int background = image.getRGB(2, 2) & 0xffffff;
        assertEquals(0xffffff, background, "white");
        int drawn = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                drawn += (image.getRGB(x, y) & 0xffffff) != background ? 1 : 0;
            }
        }
        assertTrue(drawn > 5_000, drawn + " pixels drawn");
        // the MLP, the first kind, takes the first colour (#1565c0) for its two points and its legend entries
        assertTrue(ReportsTest.countColour(image, Charts.PALETTE[0].getRGB() & 0xffffff) > 100, "the MLP's points");
        assertTrue(ReportsTest.countColour(image, Charts.PALETTE[1].getRGB() & 0xffffff) > 50, "the norm's point");
    }

    @Test
    void writesSvgAndRefusesOtherFormats(@TempDir Path dir) throws IOException {
        Path svg = dir.resolve("roofline.svg");
        RooflineChart.write(svg, "Roofline of a test", PROFILE, PEAK);
        String text = Files.readString(svg);
        assertTrue(text.contains("<svg") && text.trim().endsWith("</svg>"), text.substring(0, 200));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RooflineChart.write(dir.resolve("roofline.gif"), "t", PROFILE, PEAK));
        assertTrue(e.getMessage().contains(".png or .svg"), e.getMessage());
    }
}
