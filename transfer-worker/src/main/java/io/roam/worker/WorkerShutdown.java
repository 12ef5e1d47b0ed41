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
 * running then are handed over: they stop, and their requests stay uncommitted, so that Kafka delivers them
 * to another worker of the group, which skips the files already copied and continues the files in flight
 * from the parts their resumable writes stored (S3 multipart uploads, Azure staged blocks); other writes in
 * flight are aborted, publishing nothing.
 */
@ApplicationScoped
public class WorkerShutdown {

    private static final Logger LOG = Logger.getLogger(WorkerShutdown.class);
    /** How long handed-over transfers get to stop their writes and return. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

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
            int handedOver = runningTransfers.handOverAll();
            LOG.infof("shutting down: %d transfers still running after the grace period of %s are stopped and left for another worker",
                    handedOver, configuration.gracePeriod());
            if (!runningTransfers.awaitNoneRunning(STOP_TIMEOUT)) {
                LOG.warnf("shutting down: transfers still running %s after they were stopped", STOP_TIMEOUT);
            }
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            runningTransfers.handOverAll();
        }
    }
}
