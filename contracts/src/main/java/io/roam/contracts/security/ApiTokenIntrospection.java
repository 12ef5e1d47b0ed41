package io.roam.contracts.security;

/** A bearer token to look up, sent in a request body so that it never appears in a URL or an access log. */
public record ApiTokenIntrospection(String token) {
}
