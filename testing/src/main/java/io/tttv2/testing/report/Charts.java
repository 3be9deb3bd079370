package io.tttv2.testing.report;

import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;

/**
 * The one code path for every picture the testing bundle draws (report bars, roofline): XChart, headless,
 * one look (fonts, colours, background), written as PNG or SVG, or inlined in a page as PNG.
 */
final class Charts {

    /** Colours in the order series take them: distinguishable, and readable on white. */
    static final Color[] PALETTE = {
            new Color(0x1565c0), new Color(0xc62828), new Color(0x2e7d32), new Color(0xef6c00), new Color(0x6a1b9a),
            new Color(0x00838f), new Color(0x8d6e63), new Color(0xad1457), new Color(0x558b2f), new Color(0x283593),
            new Color(0x616161), new Color(0xf9a825)};

    static {
        // no display here, nor in the OSGi host: AWT draws into images only
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private Charts() {
    }

    /** The shared look: white, grid lines, legible fonts. */
    static void style(AxesChartStyler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotGridLinesColor(new Color(0xdddddd));
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        styler.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        styler.setSeriesColors(PALETTE);
        styler.setAntiAlias(true);
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
    }

    /** Writes {@code chart} as PNG or SVG, by {@code file}'s extension. */
    static void write(Chart<?, ?> chart, Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        byte[] bytes;
        if (name.endsWith(".png")) {
            bytes = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } else if (name.endsWith(".svg")) {
            bytes = svg(chart).getBytes(StandardCharsets.UTF_8);
        } else {
            throw new IllegalArgumentException(file + ": a picture is written as .png or .svg, found " + name);
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(file, bytes);
    }

    /** The chart as an SVG document. */
    static String svg(Chart<?, ?> chart) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        } catch (IOException e) {
            throw new IllegalStateException("cannot draw the chart as SVG", e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * The chart as an {@code <img>} element carrying its PNG inline (a data URI), for a page that stands alone.
     * Not SVG: XChart draws text as glyph outlines, which makes an SVG of a labelled chart megabytes long.
     */
    static String inlineImage(Chart<?, ?> chart, String description) {
        try {
            byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
            return "<img alt=\"" + Html.escape(description) + "\" width=\"" + chart.getWidth() + "\" height=\""
                    + chart.getHeight() + "\" src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(png)
                    + "\">";
        } catch (IOException e) {
            throw new IllegalStateException("cannot draw the chart as PNG", e);
        }
    }
}
