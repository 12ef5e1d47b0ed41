package io.roam.worker;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Stops the worker gracefully, before the Kafka consumers close: no transfer starts any more (requests
 * delivered from now on are left uncommitted), the running ones get the
 * {@linkplain ShutdownConfiguration#gracePeriod() grace period} to finish and report, and those still
 * running then are abandoned: their writes in flight are aborted and their requests stay uncommitted, so
 * that Kafka delivers them to another worker of the group, which skips the files already copied.
 */
@ApplicationScoped
public class WorkerShutdown {

    private static final Logger LOG = Logger.getLogger(WorkerShutdown.class);
    /** How long abandoned transfers get to abort their writes and return. */
    private static final Duration ABORT_TIMEOUT = Duration.ofSeconds(15);

    private final RunningTransfers runningTransfers;
    private final ShutdownConfiguration configuration;

    public WorkerShutdown(RunningTransfers runningTransfers, ShutdownConfiguration configuration) {
        this.runningTransfers = runningTransfers;
        this.configuration = configuration;
    }

    // Runs before the messaging connectors close, while the consumer still heartbeats and commits.
    void stop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        runningTransfers.stopAdmitting();
        try {
            if (runningTransfers.awaitNoneRunning(configuration.gracePeriod())) {
                LOG.info("shutting down: no transfer is running");
                return;
            }
            int abandoned = runningTransfers.abandonAll();
            LOG.infof("shutting down: %d transfers still running after the grace period of %s are stopped and left for another worker",
                    abandoned, configuration.gracePeriod());
            if (!runningTransfers.awaitNoneRunning(ABORT_TIMEOUT)) {
                LOG.warnf("shutting down: transfers still running %s after they were stopped", ABORT_TIMEOUT);
            }
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            runningTransfers.abandonAll();
        }
    }
}
