package io.roam.catalog.policy;

import static java.util.Objects.requireNonNull;

/**
 * Which artifact names a policy applies to: a literal name, a prefix followed by {@code *}, or {@code *}
 * alone. Deliberately no richer than that, so that whether two policies can match the same name is
 * always decidable, and conflicting policies can be refused when they are created.
 */
public record NamePattern(String text) {

    private static final String WILDCARD = "*";

    public NamePattern {
        requireNonNull(text, "text is null");
    }

    /**
     * @throws IllegalArgumentException when the pattern is empty or has a {@code *} anywhere but at its end
     */
    public static NamePattern parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("is required: a name, a prefix followed by *, or *");
        }
        int wildcard = text.indexOf(WILDCARD);
        if (wildcard >= 0 && wildcard != text.length() - 1) {
            throw new IllegalArgumentException("'" + text + "' may only end with *, as in llama-*");
        }
        return new NamePattern(text);
    }

    public boolean matches(String name) {
        return isPrefix() ? name.startsWith(prefix()) : name.equals(text);
    }

    /** Whether some name matches both patterns. */
    public boolean overlaps(NamePattern other) {
        if (isPrefix() && other.isPrefix()) {
            return prefix().startsWith(other.prefix()) || other.prefix().startsWith(prefix());
        }
        if (isPrefix()) {
            return other.text.startsWith(prefix());
        }
        return other.matches(text);
    }

    private boolean isPrefix() {
        return text.endsWith(WILDCARD);
    }

    private String prefix() {
        return text.substring(0, text.length() - 1);
    }
}
