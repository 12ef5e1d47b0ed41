package io.roam.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte counts as people write and read them. Parsing accepts a whole number with an optional unit,
 * case-insensitive: {@code B}, the binary units {@code KiB}, {@code MiB}, {@code GiB} (also written
 * {@code K}, {@code M}, {@code G}) and the decimal units {@code KB}, {@code MB}, {@code GB}.
 * Formatting uses binary units with one decimal.
 */
public final class ByteSize {

    private static final Pattern SIZE = Pattern.compile("([0-9]+)\\s*([A-Za-z]*)");
    private static final String[] BINARY_UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private ByteSize() {
    }

    /**
     * Parses a size such as {@code 4096}, {@code 4MiB} or {@code 1g}.
     *
     * @throws IllegalArgumentException saying what is wrong when the text is not a size
     */
    public static long parse(String text) {
        Matcher matcher = SIZE.matcher(text.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'%s' is not a size; write a whole number of bytes with an optional unit, such as 4MiB".formatted(text));
        }
        long multiplier = switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
            case "", "b" -> 1L;
            case "k", "kib" -> 1L << 10;
            case "m", "mib" -> 1L << 20;
            case "g", "gib" -> 1L << 30;
            case "kb" -> 1_000L;
            case "mb" -> 1_000_000L;
            case "gb" -> 1_000_000_000L;
            default -> throw new IllegalArgumentException(
                    "unknown unit '%s' in '%s'; use B, KiB, MiB, GiB (or K, M, G), KB, MB or GB".formatted(matcher.group(2), text));
        };
        try {
            return Math.multiplyExact(Long.parseLong(matcher.group(1)), multiplier);
        }
        catch (ArithmeticException | NumberFormatException tooLarge) {
            throw new IllegalArgumentException("'%s' is too large".formatted(text), tooLarge);
        }
    }

    /** Formats a byte count: {@code 512 B}, {@code 1.5 KiB}, {@code 3.0 GiB}. */
    public static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        int unit = 0;
        double value = bytes;
        while (value >= 1024 && unit < BINARY_UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, BINARY_UNITS[unit]);
    }
}
