package io.roam.benchmarks;

import java.time.Duration;
import java.util.Locale;

/** How the benchmark writes sizes and rates. */
final class Units {

    static final long MEBIBYTE = 1024 * 1024;
    static final long GIBIBYTE = 1024 * MEBIBYTE;

    private Units() {
    }

    /** Whole binary units when exact ({@code 4 KiB}, {@code 1 GiB}), else one decimal. */
    static String bytes(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int unit = 0;
        double value = bytes;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return value == Math.rint(value)
                ? String.format(Locale.ROOT, "%d %s", (long) value, units[unit])
                : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    static double mebibytesPerSecond(long bytes, Duration elapsed) {
        return bytes / (double) MEBIBYTE / Math.max(elapsed.toNanos(), 1) * 1e9;
    }

    static String rate(double mebibytesPerSecond) {
        return String.format(Locale.ROOT, "%.1f", mebibytesPerSecond);
    }

    static String mebibytes(long bytes) {
        return String.format(Locale.ROOT, "%d MiB", Math.round(bytes / (double) MEBIBYTE));
    }
}
