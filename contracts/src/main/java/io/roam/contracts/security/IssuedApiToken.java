package io.roam.contracts.security;

/** A newly issued API token: {@code token} is the bearer secret, returned this once and never stored. */
public record IssuedApiToken(ApiTokenView details, String token) {
}
