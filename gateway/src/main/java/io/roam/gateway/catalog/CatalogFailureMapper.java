package io.roam.gateway.catalog;

import io.roam.service.Problem;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The catalog being down is the gateway's dependency failing: 503, so that clients retry. */
public class CatalogFailureMapper {

    private static final Logger LOG = Logger.getLogger(CatalogFailureMapper.class);

    @ServerExceptionMapper
    public Response catalogUnavailable(CatalogUnavailableException exception, UriInfo uriInfo) {
        LOG.warnf(exception, "catalog failed while serving %s", uriInfo.getPath());
        return unavailable(uriInfo);
    }

    @ServerExceptionMapper
    public Response catalogUnreachable(ProcessingException exception, UriInfo uriInfo) {
        LOG.warnf(exception, "catalog unreachable while serving %s", uriInfo.getPath());
        return unavailable(uriInfo);
    }

    /** The 503 problem of a request the catalog could not answer. */
    public static Response unavailable(UriInfo uriInfo) {
        return new Problem("urn:roam:problem:catalog-unavailable", "Catalog unavailable", 503,
                "the catalog could not answer; try again shortly", uriInfo.getPath(), List.of()).toResponse();
    }
}
