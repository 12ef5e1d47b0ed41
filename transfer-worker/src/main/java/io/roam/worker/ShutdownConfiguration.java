package io.roam.worker;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How a transfer-worker stops (on SIGTERM: a scale-in, a rollout, a drained node). */
@ConfigMapping(prefix = "roam.worker.shutdown")
public interface ShutdownConfiguration {

    /**
     * How long the running transfers may take to finish once the worker is asked to stop; those still
     * running then are stopped (files already copied kept, the parts stored by resumable writes in flight
     * kept for the next worker, other writes in flight aborted) and their requests left uncommitted, for
     * another worker to finish. Keep it well below the time the platform allows
     * before killing the process (Kubernetes' {@code terminationGracePeriodSeconds}, 120 s in
     * {@code deploy/}): aborting and leaving the consumer group take a few more seconds.
     */
    @WithDefault("75s")
    Duration gracePeriod();
}
