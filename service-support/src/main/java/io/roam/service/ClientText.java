package io.roam.service;

/** A client's value quoted in a message, a dead-letter reason or a log line. */
public final class ClientText {

    private static final int MAXIMUM_CODE_POINTS = 100;

    private ClientText() {
    }

    /** {@code value} with control characters escaped, so that it cannot forge a line, and at most 100 characters. */
    public static String quotable(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder quotable = new StringBuilder();
        value.codePoints().limit(MAXIMUM_CODE_POINTS).forEach(codePoint -> {
            if (Character.isISOControl(codePoint)) {
                quotable.append("\\u%04X".formatted(codePoint));
            }
            else {
                quotable.appendCodePoint(codePoint);
            }
        });
        return value.codePointCount(0, value.length()) > MAXIMUM_CODE_POINTS ? quotable + "..." : quotable.toString();
    }
}
