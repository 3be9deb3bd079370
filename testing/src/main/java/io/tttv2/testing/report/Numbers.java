package io.tttv2.testing.report;

import java.util.Locale;

/** How the reports write numbers: fixed formats, a dot for decimals whatever the locale, "-" for NaN. */
final class Numbers {

    private Numbers() {
    }

    static String pcc(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.7f", v);
    }

    static String error(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3e", v);
    }

    static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }

    static String speedup(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1fx", v);
    }
}
