package io.roam.catalog.policy;

import static java.util.Objects.requireNonNull;

import io.roam.service.Names;

/**
 * Which artifact names a policy applies to: a literal name, a prefix followed by {@code *}, or {@code *}
 * alone. Deliberately no richer than that, so that whether two policies can match the same name is
 * always decidable, and conflicting policies can be refused when they are created. The name part follows the
 * artifact name rules of {@link Names}, so a pattern can only match names the public API accepts.
 */
public record NamePattern(String text) {

    private static final String WILDCARD = "*";

    public NamePattern {
        requireNonNull(text, "text is null");
    }

    /**
     * A pattern from a request; patterns read back from the database were checked when stored and are built with
     * the constructor, so that a rule made stricter later cannot make a stored policy unreadable.
     *
     * @throws IllegalArgumentException when the pattern is empty, has a {@code *} anywhere but at its end, or its
     *     name part is not an artifact name
     */
    public static NamePattern parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("is required: '*', a name or a name's prefix followed by '*'");
        }
        if (!text.equals(WILDCARD)) {
            String name = text.endsWith(WILDCARD) ? text.substring(0, text.length() - 1) : text;
            if (!Names.isArtifactName(name)) {
                throw new IllegalArgumentException("must be '*', a name or a name's prefix followed by '*'; a name "
                        + Names.ARTIFACT_NAME_RULE);
            }
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
