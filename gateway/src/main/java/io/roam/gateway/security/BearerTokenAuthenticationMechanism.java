package io.roam.gateway.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.smallrye.jwt.runtime.auth.JsonWebTokenCredential;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The gateway's one way in: {@code Authorization: Bearer <token>}, where the token is either an API token
 * ({@code roam_} and 43 base64url characters), checked by the catalog through {@link ApiTokenIdentityProvider}, or a
 * JWT, verified by SmallRye JWT's identity provider with the {@code mp.jwt.verify.*} settings. A request without the
 * header is anonymous (and refused by the {@code /v1/*} permission); any other scheme, a repeated header or an empty
 * token fails. Tokens elsewhere (query parameters, cookies) are never read, so they never end up in access logs.
 *
 * <p>It runs ahead of SmallRye JWT's own mechanism, which would refuse API tokens as malformed JWTs.
 */
@ApplicationScoped
public class BearerTokenAuthenticationMechanism implements HttpAuthenticationMechanism {

    /** 32 random bytes, base64url without padding, after the prefix. */
    static final Pattern API_TOKEN = Pattern.compile("roam_[A-Za-z0-9_-]{43}");
    private static final String SCHEME = "Bearer";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        List<String> authorizations = context.request().headers().getAll(HttpHeaders.AUTHORIZATION);
        if (authorizations.isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        if (authorizations.size() > 1) {
            return refused("more than one Authorization header");
        }
        String authorization = authorizations.getFirst();
        int space = authorization.indexOf(' ');
        if (space < 0 || !authorization.substring(0, space).equalsIgnoreCase(SCHEME)) {
            return refused("an Authorization scheme other than Bearer");
        }
        String token = authorization.substring(space + 1).strip();
        if (token.isEmpty()) {
            return refused("an empty bearer token");
        }
        AuthenticationRequest request = API_TOKEN.matcher(token).matches()
                ? new ApiTokenAuthenticationRequest(token)
                : new TokenAuthenticationRequest(new JsonWebTokenCredential(token));
        HttpSecurityUtils.setRoutingContextAttribute(request, context);
        return identityProviderManager.authenticate(request);
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, HttpHeaders.WWW_AUTHENTICATE, SecurityProblemMappers.BEARER_CHALLENGE));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class, ApiTokenAuthenticationRequest.class);
    }

    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 1000;
    }

    /** The reason is for debugging only and never contains the header's value. */
    private static Uni<SecurityIdentity> refused(String reason) {
        return Uni.createFrom().failure(new AuthenticationFailedException(reason));
    }
}
