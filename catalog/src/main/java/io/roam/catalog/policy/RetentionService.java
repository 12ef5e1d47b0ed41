package io.roam.catalog.policy;

import io.roam.catalog.artifact.ArtifactEntity;
import io.roam.catalog.artifact.ReplicaEntity;
import io.roam.catalog.transfer.TransferEntity;
import io.roam.catalog.transfer.TransferService;
import io.roam.contracts.catalog.ReplicaState;
import io.roam.contracts.messages.ArtifactCoordinates;
import io.roam.contracts.messages.TransferRequest;
import io.roam.storage.InvalidLocationException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Keeps the last {@code keepLast} versions of each run at each target of a replication policy, and asks
 * for the older replicas there to be deleted. Applied whenever a copy made for the policy has been
 * verified, so a new version is in place before an old one goes.
 *
 * <p>Versions are ordered by registration, newest first. Only verified ({@link ReplicaState#AVAILABLE})
 * replicas count as kept; beyond the kept ones, available, stale and failed replicas are deleted, while
 * copies still pending or in progress are left alone until a later copy decides.
 */
@ApplicationScoped
public class RetentionService {

    private final TransferService transfers;

    public RetentionService(TransferService transfers) {
        this.transfers = transfers;
    }

    /** @return the deletions to publish once the transaction has committed */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<TransferRequest> enforce(TransferEntity completedCopy) {
        if (completedCopy.policyId == null) {
            return List.of();
        }
        Optional<ReplicationPolicyEntity> policy = ReplicationPolicyEntity.findByIdOptional(completedCopy.policyId);
        if (policy.isEmpty() || policy.get().keepLast == null) {
            return List.of();
        }
        ArtifactEntity copied = ArtifactEntity.findById(completedCopy.artifactId);
        List<ArtifactEntity> versionsNewestFirst = ArtifactEntity.list(
                "project = ?1 and kind = ?2 and name = ?3 order by createdAt desc, id desc", copied.project, copied.kind,
                copied.name);
        List<TransferRequest> deletions = new ArrayList<>();
        for (TargetTemplate template : policy.get().templates()) {
            int kept = 0;
            for (ArtifactEntity version : versionsNewestFirst) {
                Optional<ReplicaEntity> replica = replicaAt(template, version);
                if (replica.isEmpty()) {
                    continue;
                }
                ReplicaState state = replica.get().state;
                if (state == ReplicaState.AVAILABLE && kept < policy.get().keepLast) {
                    kept++;
                }
                else if (kept >= policy.get().keepLast
                        && (state == ReplicaState.AVAILABLE || state == ReplicaState.STALE || state == ReplicaState.FAILED)) {
                    deletions.add(transfers.requestDeletion(replica.get(), policy.get().id, "policy '" + policy.get().name
                            + "' keeps the last " + policy.get().keepLast + " versions of " + copied.name + " at " + template.text()));
                }
            }
        }
        return deletions;
    }

    private static Optional<ReplicaEntity> replicaAt(TargetTemplate template, ArtifactEntity version) {
        try {
            String location = template.fill(new ArtifactCoordinates(version.project, version.kind, version.name, version.version))
                    .toString();
            return ReplicaEntity.findAtOrDirectlyIn(version.id, location);
        }
        catch (InvalidLocationException unplaceable) {
            // A version whose coordinates do not fill the template was never copied there.
            return Optional.empty();
        }
    }
}
