package io.roam.gateway.catalog;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.ext.ClientHeadersFactory;
import org.jboss.logging.Logger;

/**
 * Authenticates the gateway to the catalog, which accepts no call without a service token:
 * {@code Authorization: Bearer ${roam.gateway.catalog.service-token}} on every call. The token is a secret: set it
 * from the environment ({@code ROAM_GATEWAY_CATALOG_SERVICE_TOKEN}) or a mounted file, never in a properties file
 * that is checked in. The caller's own {@code Authorization} header is never passed on.
 */
@ApplicationScoped
public class CatalogServiceTokenHeaders implements ClientHeadersFactory {

    private static final Logger LOG = Logger.getLogger(CatalogServiceTokenHeaders.class);
    private static final AtomicBoolean REFUSAL_REPORTED = new AtomicBoolean();

    private final String authorization;

    public CatalogServiceTokenHeaders(@ConfigProperty(name = "roam.gateway.catalog.service-token") String serviceToken) {
        if (serviceToken.isBlank()) {
            throw new IllegalArgumentException("roam.gateway.catalog.service-token is blank");
        }
        this.authorization = "Bearer " + serviceToken;
    }

    @Override
    public MultivaluedMap<String, String> update(MultivaluedMap<String, String> incomingHeaders,
            MultivaluedMap<String, String> clientOutgoingHeaders) {
        MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
        headers.putSingle(HttpHeaders.AUTHORIZATION, authorization);
        return headers;
    }

    /**
     * The catalog refused the service token: the gateway is misconfigured, and no client can fix that, so the client
     * gets 503. Logged once (without the token), not on every request.
     */
    static CatalogUnavailableException refused(int status) {
        if (REFUSAL_REPORTED.compareAndSet(false, true)) {
            LOG.errorf("the catalog refused the gateway's service token (%d): roam.gateway.catalog.service-token must be one "
                    + "of the tokens whose SHA-256 the catalog accepts (roam.catalog.security.service-token-sha256)", status);
        }
        return new CatalogUnavailableException("the catalog refused the gateway's service token (" + status + ")", null);
    }

    @Override
    public String toString() {
        return "CatalogServiceTokenHeaders[token=***]";
    }
}
