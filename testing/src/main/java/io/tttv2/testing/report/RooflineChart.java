package io.tttv2.testing.report;

import io.tttv2.testing.profile.KindProfile;
import io.tttv2.testing.profile.MachinePeak;
import io.tttv2.testing.profile.Profile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The roofline: achieved GFLOP/s against arithmetic intensity (FLOPs per byte moved), both axes logarithmic;
 * the machine's measured bandwidth line rising to its measured FMA peak; each module kind a point for prefill
 * (circle) and for decode (diamond), in one colour per kind. A kind far below the roof at its intensity has
 * room to gain; one left of the ridge is bound by memory, right of it by arithmetic.
 */
public final class RooflineChart {

    public static final int WIDTH = 1000;
    public static final int HEIGHT = 640;

    private RooflineChart() {
    }

    /** Writes the roofline to {@code file}, PNG or SVG by its extension ({@link IllegalArgumentException} else). */
    public static void write(Path file, String title, Profile profile, MachinePeak peak) throws IOException {
        Charts.write(chart(title, profile, peak), file);
    }

    /** The roofline as an {@code <img>} element with the picture inline, for the HTML report. */
    public static String inlineImage(String title, Profile profile, MachinePeak peak) {
        return Charts.inlineImage(chart(title, profile, peak), title);
    }

    static XYChart chart(String title, Profile profile, MachinePeak peak) {
        List<KindProfile> points = profile.kinds().stream().filter(KindProfile::costed)
                .filter(k -> k.gflops() > 0).toList();
        double minX = peak.ridge();
        double maxX = peak.ridge();
        double minY = peak.gflops();
        for (KindProfile k : points) {
            minX = Math.min(minX, k.intensity());
            maxX = Math.max(maxX, k.intensity());
            minY = Math.min(minY, k.gflops());
        }
        minX = decadeBelow(minX / 2);
        maxX = decadeAbove(maxX * 2);
        minY = decadeBelow(minY / 2);
        double maxY = decadeAbove(peak.gflops() * 2);

        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("arithmetic intensity (FLOPs per byte moved)").yAxisTitle("achieved GFLOP/s").build();
        Charts.style(chart.getStyler());
        chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true);
        chart.getStyler().setXAxisMin(minX).setXAxisMax(maxX).setYAxisMin(minY).setYAxisMax(maxY);
        chart.getStyler().setMarkerSize(11);

        XYSeries bandwidth = chart.addSeries(String.format(Locale.ROOT, "read bandwidth %.1f GB/s",
                peak.gbytesPerSecond()), new double[] {minX, peak.ridge()},
                new double[] {Math.max(minY, minX * peak.gbytesPerSecond()), peak.gflops()});
        roof(bandwidth, Charts.PALETTE[10], SeriesLines.DASH_DASH);
        XYSeries compute = chart.addSeries(String.format(Locale.ROOT, "FMA peak %.1f GFLOP/s", peak.gflops()),
                new double[] {peak.ridge(), maxX}, new double[] {peak.gflops(), peak.gflops()});
        roof(compute, Charts.PALETTE[10], SeriesLines.SOLID);

        List<String> kinds = new ArrayList<>();
        for (KindProfile k : points) {
            if (!kinds.contains(k.kind().id())) {
                kinds.add(k.kind().id());
            }
        }
        for (KindProfile k : points) {
            java.awt.Color colour = Charts.PALETTE[kinds.indexOf(k.kind().id()) % 10];
            XYSeries s = chart.addSeries(k.kind().id() + " (" + k.phase() + ")", new double[] {k.intensity()},
                    new double[] {k.gflops()});
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(k.phase().equals(Profile.PREFILL) ? SeriesMarkers.CIRCLE : SeriesMarkers.DIAMOND);
            s.setMarkerColor(colour);
        }
        return chart;
    }

    private static void roof(XYSeries series, java.awt.Color colour, java.awt.BasicStroke line) {
        series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        series.setMarker(SeriesMarkers.NONE);
        series.setLineColor(colour);
        series.setLineStyle(line);
        series.setLineWidth(2.5f);
    }

    private static double decadeBelow(double v) {
        return Math.pow(10, Math.floor(Math.log10(v)));
    }

    private static double decadeAbove(double v) {
        return Math.pow(10, Math.ceil(Math.log10(v)));
    }
}
