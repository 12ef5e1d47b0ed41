package io.roam.gateway.security;

import static java.util.Objects.requireNonNull;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** An API token ({@code roam_…}) presented as a bearer token, for {@link ApiTokenIdentityProvider} to check. */
public final class ApiTokenAuthenticationRequest extends BaseAuthenticationRequest {

    private final String token;

    public ApiTokenAuthenticationRequest(String token) {
        this.token = requireNonNull(token, "token is null");
    }

    /** The secret itself: never to be logged. */
    public String token() {
        return token;
    }

    @Override
    public String toString() {
        return "ApiTokenAuthenticationRequest[token=***]";
    }
}
