package io.roam.worker;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
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
    TransferEngine transferEngine(StorageRouter router, WorkerConfiguration worker, MeterRegistry meterRegistry) {
        RetryPolicy retryPolicy = new RetryPolicy(worker.retry().maxAttempts(), worker.retry().initialBackoff(),
                worker.retry().maxBackoff());
        TransferEngine engine = new TransferEngine(router, new TransferOptions(worker.concurrentFiles(), worker.bufferSize(), retryPolicy,
                worker.partSize(), worker.readsPerFile(), worker.bufferedParts()));
        // What resuming after a crash saved: the parts a dead worker had uploaded that this one did not send again.
        FunctionCounter.builder("roam.transfer.resumed.parts", engine, TransferEngine::partsResumed)
                .description("Parts of files not sent again because an unfinished earlier upload held the same bytes")
                .register(meterRegistry);
        FunctionCounter.builder("roam.transfer.resumed.bytes", engine, TransferEngine::bytesResumed)
                .description("Bytes of the parts not sent again because an unfinished earlier upload held them")
                .baseUnit("bytes")
                .register(meterRegistry);
        return engine;
    }
}
