package io.roam.service;

import java.util.regex.Pattern;

/**
 * The rules for project and artifact names, the same in every service: the catalog must not store a name the
 * gateway's public API could never address, and a token must not grant a project no request could name.
 */
public final class Names {

    /** In a grant of projects, every project. */
    public static final String EVERY_PROJECT = "*";

    public static final String PROJECT_RULE =
            "must be lowercase letters, digits, '.', '_' or '-', at most 63 characters, starting with a letter or digit";
    public static final String ARTIFACT_NAME_RULE =
            "must be letters, digits, '.', '_', '=', '+' or '-', at most 255 characters, starting with a letter or digit";

    /** Lowercase, so that a project has one spelling in URIs, token grants and topic names. */
    private static final Pattern PROJECT = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final Pattern ARTIFACT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._=+-]{0,254}");

    private Names() {
    }

    public static boolean isProject(String value) {
        return value != null && PROJECT.matcher(value).matches();
    }

    /** A project, or {@value #EVERY_PROJECT}: what a grant of projects may name. */
    public static boolean isProjectOrEveryProject(String value) {
        return EVERY_PROJECT.equals(value) || isProject(value);
    }

    /** Whether {@code value} could name an artifact (or be its version). */
    public static boolean isArtifactName(String value) {
        return value != null && ARTIFACT_NAME.matcher(value).matches();
    }
}
