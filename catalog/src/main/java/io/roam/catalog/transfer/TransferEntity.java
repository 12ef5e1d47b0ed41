package io.roam.catalog.transfer;

import io.roam.catalog.DatabaseTime;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.roam.contracts.catalog.TransferState;
import io.roam.contracts.messages.TransferError;
import io.roam.contracts.messages.TransferProgress;
import io.roam.contracts.messages.TransferPurpose;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A transfer and its latest reported progress. */
@Entity
@Table(name = "transfer")
public class TransferEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "artifact_id")
    public UUID artifactId;

    @Enumerated(EnumType.STRING)
    public TransferPurpose purpose;

    public String source;

    public String target;

    @Enumerated(EnumType.STRING)
    public TransferState state;

    @Column(name = "bytes_done")
    public long bytesDone;

    @Column(name = "bytes_total")
    public long bytesTotal;

    @Column(name = "files_done")
    public long filesDone;

    @Column(name = "files_total")
    public long filesTotal;

    @Column(name = "bytes_per_second")
    public long bytesPerSecond;

    @Column(name = "bytes_skipped")
    public long bytesSkipped;

    @Column(name = "bytes_resumed")
    public long bytesResumed;

    @Column(name = "error_code")
    public String errorCode;

    @Column(name = "error_message")
    public String errorMessage;

    @Column(name = "error_retryable")
    public Boolean errorRetryable;

    /** The replication policy that asked for this transfer; null when a client did. */
    @Column(name = "policy_id")
    public UUID policyId;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    public void record(TransferState newState, TransferProgress progress) {
        state = newState;
        bytesDone = progress.bytesDone();
        bytesTotal = progress.bytesTotal();
        filesDone = progress.filesDone();
        filesTotal = progress.filesTotal();
        bytesPerSecond = progress.bytesPerSecond();
        bytesSkipped = progress.bytesSkipped();
        bytesResumed = progress.bytesResumed();
        updatedAt = DatabaseTime.now();
    }

    public void recordError(TransferError error) {
        errorCode = error.code();
        errorMessage = error.message();
        errorRetryable = error.retryable();
    }

    public TransferError error() {
        return errorCode == null ? null : new TransferError(errorCode, errorMessage, Boolean.TRUE.equals(errorRetryable));
    }
}
