package io.roam.gateway.catalog;

/** The catalog could not be reached or failed; the gateway answers 503 and the client may retry. */
public final class CatalogUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CatalogUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
