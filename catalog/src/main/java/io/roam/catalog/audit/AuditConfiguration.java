package io.roam.catalog.audit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The integrity audit: how often it runs and which replicas it re-verifies. */
@ConfigMapping(prefix = "roam.catalog.audit")
public interface AuditConfiguration {

    /** How often the audit looks for replicas due for re-verification (a Quarkus scheduler period, e.g. {@code 1h}). */
    @WithDefault("1h")
    String every();

    /** A replica verified longer ago than this is due for re-verification. */
    @WithDefault("168h")
    Duration maximumAge();

    /** At most this many verifications are requested per run, to spread the reading load over time. */
    @WithDefault("100")
    int batchSize();
}
