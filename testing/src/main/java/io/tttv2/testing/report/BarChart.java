package io.tttv2.testing.report;

import java.awt.Color;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A bar chart on a logarithmic axis (errors and speed-ups span decades), drawn by {@link Charts}: one bar per
 * module, coloured by its series (pass, fail, …), and a dashed marker line (the tolerance, or 1x).
 */
final class BarChart {

    /** One bar: its label, value (clamped to the axis; NaN draws no bar) and series (which sets its colour). */
    record Bar(String label, double value, String series) {
    }

    private BarChart() {
    }

    /**
     * @param colours   each series' colour, in legend order
     * @param minDecade the axis starts at 10^minDecade
     * @param maxDecade and ends at 10^maxDecade
     * @param marker    where the dashed line goes
     * @return an {@code <img>} element with the chart inline
     */
    static String inlineImage(String title, String axis, List<Bar> bars, Map<String, Color> colours, int minDecade,
                            int maxDecade, double marker, String markerLabel) {
        return Charts.inlineImage(chart(title, axis, bars, colours, minDecade, maxDecade, marker, markerLabel), title);
    }

    static CategoryChart chart(String title, String axis, List<Bar> bars, Map<String, Color> colours, int minDecade,
                               int maxDecade, double marker, String markerLabel) {
        double min = Math.pow(10, minDecade);
        double max = Math.pow(10, maxDecade);
        int width = Math.max(640, 160 + 26 * bars.size());
        CategoryChart chart = new CategoryChartBuilder().width(width).height(560).title(title).yAxisTitle(axis).build();
        Charts.style(chart.getStyler());
        chart.getStyler().setYAxisLogarithmic(true).setYAxisMin(min).setYAxisMax(max);
        chart.getStyler().setXAxisLabelRotation(60);
        chart.getStyler().setOverlapped(true);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        List<String> labels = new ArrayList<>();
        for (Bar b : bars) {
            labels.add(b.label());
        }
        Map<String, List<Double>> series = new LinkedHashMap<>();
        for (String name : colours.keySet()) {
            series.put(name, new ArrayList<>(Collections.nCopies(bars.size(), (Double) null)));
        }
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            if (!Double.isNaN(b.value()) && series.containsKey(b.series())) {
                series.get(b.series()).set(i, Math.min(Math.max(b.value(), min), max));
            }
        }
        for (Map.Entry<String, List<Double>> e : series.entrySet()) {
            if (e.getValue().stream().anyMatch(v -> v != null)) {
                CategorySeries s = chart.addSeries(e.getKey(), labels, e.getValue());
                s.setFillColor(colours.get(e.getKey()));
            }
        }
        CategorySeries line = chart.addSeries(markerLabel, labels, Collections.nCopies(labels.size(), marker));
        line.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
        line.setLineColor(Color.DARK_GRAY);
        line.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.DASH_DASH);
        line.setMarker(SeriesMarkers.NONE);
        return chart;
    }
}
