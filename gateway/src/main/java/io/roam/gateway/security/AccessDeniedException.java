package io.roam.gateway.security;

/**
 * The caller is authenticated but may not do this: it holds too low a role in the project, or the project may not
 * use a storage profile. Answered 403 with the message, which names the project and the role or the profile, never a
 * credential.
 */
public final class AccessDeniedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public AccessDeniedException(String message) {
        super(message);
    }
}
