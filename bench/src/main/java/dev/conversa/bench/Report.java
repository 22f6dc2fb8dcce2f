package dev.conversa.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** Rounding and units for the printed figures. */
final class Report {

    private Report() {
    }

    static Map<String, Object> map() {
        return new LinkedHashMap<>();
    }

    static double seconds(long nanos) {
        return round(nanos / 1e9, 2);
    }

    static double mb(long bytes) {
        return round(bytes / (double) (1 << 20), 1);
    }

    static double kb(double bytes) {
        return round(bytes / 1024, 1);
    }

    static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
