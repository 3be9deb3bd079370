package io.tttv2.testing.report;

import java.util.List;
import java.util.Locale;

/**
 * A horizontal bar chart as inline SVG, on a logarithmic axis (errors and speed-ups span decades): one
 * labelled bar per row, a dashed marker line (the tolerance, or 1x), gridlines at each power of ten.
 */
final class SvgBarChart {

    /** One bar: its label, value (clamped to the axis; NaN draws no bar), colour and the text after it. */
    record Bar(String label, double value, String colour, String text) {
    }

    private static final int LABEL_WIDTH = 300;
    private static final int PLOT_WIDTH = 480;
    private static final int TEXT_WIDTH = 150;
    private static final int ROW = 18;
    private static final int TOP = 34;

    private SvgBarChart() {
    }

    /**
     * @param minDecade the axis starts at 10^minDecade
     * @param maxDecade and ends at 10^maxDecade
     * @param marker    where the dashed line goes
     */
    static String render(String title, List<Bar> bars, int minDecade, int maxDecade, double marker, String markerLabel) {
        int height = TOP + bars.size() * ROW + 26;
        int width = LABEL_WIDTH + PLOT_WIDTH + TEXT_WIDTH;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\" font-family=\"sans-serif\" font-size=\"11\">%n",
                width, height, width, height, Html.escape(title)));
        s.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"14\" font-size=\"13\" font-weight=\"bold\">%s</text>%n",
                Html.escape(title)));
        int bottom = TOP + bars.size() * ROW;
        for (int d = minDecade; d <= maxDecade; d++) {
            double x = x(Math.pow(10, d), minDecade, maxDecade);
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n",
                    x, TOP - 4, x, bottom));
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#666\">1e%d</text>%n",
                    x, bottom + 14, d));
        }
        for (int i = 0; i < bars.size(); i++) {
            Bar bar = bars.get(i);
            int y = TOP + i * ROW;
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                    LABEL_WIDTH - 6, y + 12, Html.escape(bar.label())));
            if (!Double.isNaN(bar.value())) {
                double end = x(bar.value(), minDecade, maxDecade);
                s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
                        + "<title>%s: %s</title></rect>%n", LABEL_WIDTH, y + 2, Math.max(1, end - LABEL_WIDTH), ROW - 5,
                        bar.colour(), Html.escape(bar.label()), Html.escape(bar.text())));
            }
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", LABEL_WIDTH + PLOT_WIDTH + 6,
                    y + 12, Html.escape(bar.text())));
        }
        double mx = x(marker, minDecade, maxDecade);
        s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#222\" "
                + "stroke-dasharray=\"4 3\"/>%n", mx, TOP - 8, mx, bottom));
        s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", mx, TOP - 10,
                Html.escape(markerLabel)));
        return s.append("</svg>\n").toString();
    }

    /** The x of {@code value} on the log axis, clamped to the plot. */
    private static double x(double value, int minDecade, int maxDecade) {
        double decades = value > 0 ? Math.log10(value) : minDecade;
        double t = (Math.min(Math.max(decades, minDecade), maxDecade) - minDecade) / (maxDecade - minDecade);
        return LABEL_WIDTH + t * PLOT_WIDTH;
    }
}
