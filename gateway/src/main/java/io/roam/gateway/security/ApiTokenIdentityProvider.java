package io.roam.gateway.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.roam.contracts.security.ApiTokenIntrospection;
import io.roam.contracts.security.ApiTokenView;
import io.roam.gateway.catalog.CatalogClient;
import io.roam.gateway.catalog.CatalogUnavailableException;
import io.roam.service.ResourceNotFoundException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import java.time.Instant;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Checks an API token by asking the catalog, on every request and without a cache, so that a revoked token is
 * refused at once. The catalog knows only the token's hash; the gateway sends the token in a request body, never a
 * URL. An unknown, expired or revoked token fails authentication (401); a catalog that cannot answer fails it with a
 * {@link CatalogUnavailableException} cause, answered 503.
 */
@ApplicationScoped
public class ApiTokenIdentityProvider implements IdentityProvider<ApiTokenAuthenticationRequest> {

    private final CatalogClient catalog;

    public ApiTokenIdentityProvider(@RestClient CatalogClient catalog) {
        this.catalog = catalog;
    }

    @Override
    public Class<ApiTokenAuthenticationRequest> getRequestType() {
        return ApiTokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiTokenAuthenticationRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> identity(request.token()));
    }

    private SecurityIdentity identity(String token) {
        ApiTokenView view;
        try {
            view = catalog.introspect(new ApiTokenIntrospection(token));
        }
        catch (ResourceNotFoundException unknown) {
            throw new AuthenticationFailedException("unknown, expired or revoked API token");
        }
        catch (ProcessingException unreachable) {
            throw new AuthenticationFailedException("the catalog could not check an API token",
                    new CatalogUnavailableException("the catalog is unreachable", unreachable));
        }
        catch (CatalogUnavailableException unavailable) {
            throw new AuthenticationFailedException("the catalog could not check an API token", unavailable);
        }
        // The catalog answers only for live tokens; checked again so that a clock or catalog bug fails closed.
        if (view.revokedAt() != null || view.expiresAt() == null || !view.expiresAt().isAfter(Instant.now())) {
            throw new AuthenticationFailedException("expired or revoked API token");
        }
        Caller caller = new Caller("api-token:" + view.name(), view.projects(), Caller.Kind.API_TOKEN, "api-token:" + view.id());
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(caller.name()))
                .addAttribute(Caller.IDENTITY_ATTRIBUTE, caller)
                .build();
    }
}
