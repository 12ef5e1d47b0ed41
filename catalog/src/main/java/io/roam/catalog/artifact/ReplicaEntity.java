package io.roam.catalog.artifact;

import io.roam.catalog.DatabaseTime;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.roam.contracts.catalog.ReplicaState;
import io.roam.storage.InvalidLocationException;
import io.roam.storage.Location;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One physical copy of an artifact at one location. The location is recorded in its {@linkplain
 * Location#canonical() canonical form}, so that one place is one replica however requests spell it:
 * {@code /data/x/}, {@code file:///data/x/} and {@code FILE:///data/x/} find the same replica, and so do
 * {@code gcs://} and {@code gs://}, {@code az://} and {@code abfs://}.
 */
@Entity
@Table(name = "replica")
public class ReplicaEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "artifact_id")
    public UUID artifactId;

    /** Canonical: see {@link #recordedLocation}. */
    public String location;

    /** The storage profile serving the location when the replica was recorded; null when none did. */
    public String profile;

    public String region;

    public String cloud;

    @Enumerated(EnumType.STRING)
    public ReplicaState state;

    @Column(name = "digest_algorithm")
    public String digestAlgorithm;

    public String digest;

    @Column(name = "verified_at")
    public Instant verifiedAt;

    @Column(name = "transfer_id")
    public UUID transferId;

    /** Why the replica is in its state, when that is not obvious: a failure or a mismatch. */
    @Column(name = "state_reason")
    public String stateReason;

    @Column(name = "updated_at")
    public Instant updatedAt;

    public static Optional<ReplicaEntity> findByLocation(UUID artifactId, String location) {
        return find("artifactId = ?1 and location = ?2", artifactId, recordedLocation(location)).firstResultOptional();
    }

    /**
     * The replica at {@code place}, or, when that is a directory, the one of a single file copied straight into it:
     * a copy of one file to a directory target is recorded as the file.
     */
    public static Optional<ReplicaEntity> findAtOrDirectlyIn(UUID artifactId, String place) {
        Optional<ReplicaEntity> atPlace = findByLocation(artifactId, place);
        String directory = recordedLocation(place);
        if (atPlace.isPresent() || !directory.endsWith("/")) {
            return atPlace;
        }
        return listByArtifact(artifactId).stream().filter(replica -> replica.isFileDirectlyIn(directory)).findFirst();
    }

    /**
     * Whether this replica is one file straight inside {@code directory}, a recorded location ending in {@code /}: how
     * a copy of one file into a directory is recorded.
     */
    public boolean isFileDirectlyIn(String directory) {
        return location.startsWith(directory) && location.length() > directory.length() && location.indexOf('/', directory.length()) < 0;
    }

    public static List<ReplicaEntity> listByArtifact(UUID artifactId) {
        return list("artifactId = ?1 order by location", artifactId);
    }

    /** Finds the replica at {@code location}, creating it at {@code place} in {@code initialState} when there is none. */
    public static ReplicaEntity findOrCreate(UUID artifactId, String location, Place place, ReplicaState initialState) {
        return findByLocation(artifactId, location).orElseGet(() -> {
            ReplicaEntity replica = new ReplicaEntity();
            replica.id = UUID.randomUUID();
            replica.artifactId = artifactId;
            replica.location = recordedLocation(location);
            replica.profile = place.profile();
            replica.region = place.region();
            replica.cloud = place.cloud();
            replica.state = initialState;
            replica.updatedAt = DatabaseTime.now();
            replica.persist();
            return replica;
        });
    }

    /**
     * The form a replica's location is recorded and looked up in: the canonical one. A text that is no
     * location Roam parses (the gateway never sends one) is kept as written.
     */
    static String recordedLocation(String location) {
        try {
            return Location.parse(location).canonical().toString();
        }
        catch (InvalidLocationException unparsable) {
            return location;
        }
    }

    public void moveTo(ReplicaState newState, String reason) {
        state = newState;
        stateReason = reason;
        updatedAt = DatabaseTime.now();
    }
}
