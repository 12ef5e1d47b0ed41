package io.roam.worker;

import io.roam.storage.StorageRouter;
import io.roam.storage.config.StorageConfiguration;
import io.roam.transfer.RetryPolicy;
import io.roam.transfer.TransferEngine;
import io.roam.transfer.TransferOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

/** Wires the storage profiles and the engine from configuration. */
public class TransferEngineProducer {

    @Produces
    @ApplicationScoped
    StorageRouter storageRouter(StorageConfiguration storage) {
        return new StorageRouter(storage.toProfiles());
    }

    void closeStorageRouter(@Disposes StorageRouter router) {
        router.close();
    }

    @Produces
    @ApplicationScoped
    TransferEngine transferEngine(StorageRouter router, WorkerConfiguration worker) {
        RetryPolicy retryPolicy = new RetryPolicy(worker.retry().maxAttempts(), worker.retry().initialBackoff(),
                worker.retry().maxBackoff());
        return new TransferEngine(router, new TransferOptions(worker.concurrentFiles(), worker.bufferSize(), retryPolicy));
    }
}
