package io.roam.contracts.catalog;

import io.roam.contracts.messages.TransferPurpose;
import java.util.UUID;

/**
 * Records a requested transfer before its request is published, so that its status can be asked for
 * at once. Registering the same id twice is harmless: the second registration returns the first.
 *
 * @param policyId the replication policy that asked for the transfer, or null when a client did; the
 *     replica it writes is then subject to that policy's retention
 */
public record TransferRegistration(UUID id, UUID artifactId, TransferPurpose purpose, String source, String target,
        UUID policyId) {
}
