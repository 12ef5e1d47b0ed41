package io.roam.catalog.artifact;

import io.roam.catalog.DatabaseTime;
import io.roam.contracts.catalog.ArtifactPage;
import io.roam.contracts.catalog.ArtifactRegistration;
import io.roam.contracts.catalog.ArtifactView;
import io.roam.contracts.catalog.ManifestPage;
import io.roam.contracts.catalog.ManifestSummary;
import io.roam.contracts.catalog.ReplicaResolution;
import io.roam.contracts.catalog.ReplicaResolution.Nearness;
import io.roam.contracts.catalog.ReplicaState;
import io.roam.contracts.catalog.ReplicaView;
import io.roam.contracts.messages.ArtifactKind;
import io.roam.contracts.messages.ManifestEntry;
import io.roam.service.ResourceNotFoundException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.exception.ConstraintViolationException;

/** Registers artifacts and their source replicas, and reads them back. */
@ApplicationScoped
public class ArtifactService {

    private final EntityManager entityManager;
    private final Places places;

    public ArtifactService(EntityManager entityManager, Places places) {
        this.entityManager = entityManager;
        this.places = places;
    }

    /**
     * Registers the artifact with these coordinates, or finds the one already registered (adding the
     * labels it did not have), and records the source as an available replica. Safe to call again with
     * the same registration.
     */
    @Transactional
    public ArtifactEntity register(ArtifactRegistration registration) {
        ArtifactEntity artifact = ArtifactEntity
                .findByCoordinates(registration.project(), registration.kind(), registration.name(), registration.version())
                .orElseGet(() -> create(registration));
        if (!artifact.labels.entrySet().containsAll(registration.labels().entrySet())) {
            Map<String, String> labels = new HashMap<>(registration.labels());
            labels.putAll(artifact.labels);
            artifact.labels = labels;
        }
        ReplicaEntity.findOrCreate(artifact.id, registration.source(), places.of(registration.source()), ReplicaState.AVAILABLE);
        return artifact;
    }

    private ArtifactEntity create(ArtifactRegistration registration) {
        ArtifactEntity artifact = new ArtifactEntity();
        artifact.id = UUID.randomUUID();
        artifact.project = registration.project();
        artifact.kind = registration.kind();
        artifact.name = registration.name();
        artifact.version = registration.version();
        artifact.labels = new HashMap<>(registration.labels());
        artifact.createdAt = DatabaseTime.now();
        try {
            artifact.persist();
            entityManager.flush();
        }
        catch (ConstraintViolationException concurrentRegistration) {
            // Another request registered the same coordinates first; the caller retries and finds it.
            throw new ConcurrentRegistrationException(registration, concurrentRegistration);
        }
        return artifact;
    }

    @Transactional
    public ArtifactView view(UUID id) {
        return view(requireArtifact(id));
    }

    private static ArtifactView view(ArtifactEntity artifact) {
        List<ReplicaView> replicas = ReplicaEntity.listByArtifact(artifact.id).stream().map(ArtifactService::toView).toList();
        ManifestSummary manifest = new ManifestSummary(Objects.requireNonNullElse(artifact.fileCount, 0L),
                Objects.requireNonNullElse(artifact.totalBytes, 0L), artifact.manifestDigestAlgorithm, artifact.manifestDigest);
        return new ArtifactView(artifact.id, artifact.project, artifact.kind, artifact.name, artifact.version,
                Map.copyOf(artifact.labels), artifact.createdAt, replicas, manifest);
    }

    /**
     * Artifacts matching every given filter (null filters match all), newest first, {@code limit} at a
     * time after {@code cursor} (from the previous page; null for the first).
     */
    @Transactional
    public ArtifactPage list(ArtifactFilter filter, ArtifactCursor cursor, int limit) {
        StringBuilder sql = new StringBuilder("select id from artifact where true");
        Map<String, Object> parameters = new HashMap<>();
        if (filter.project() != null) {
            sql.append(" and project = :project");
            parameters.put("project", filter.project());
        }
        if (filter.kind() != null) {
            sql.append(" and kind = :kind");
            parameters.put("kind", filter.kind().name());
        }
        if (filter.name() != null) {
            sql.append(" and name = :name");
            parameters.put("name", filter.name());
        }
        if (filter.version() != null) {
            sql.append(" and version = :version");
            parameters.put("version", filter.version());
        }
        if (!filter.labels().isEmpty()) {
            sql.append(" and labels @> cast(:labels as jsonb)");
            parameters.put("labels", LabelsJson.of(filter.labels()));
        }
        if (cursor != null) {
            sql.append(" and (created_at, id) < (:cursorCreatedAt, :cursorId)");
            parameters.put("cursorCreatedAt", cursor.createdAt());
            parameters.put("cursorId", cursor.id());
        }
        sql.append(" order by created_at desc, id desc limit :limit");
        parameters.put("limit", limit + 1);
        Query query = entityManager.createNativeQuery(sql.toString(), UUID.class);
        parameters.forEach(query::setParameter);
        @SuppressWarnings("unchecked")
        List<UUID> ids = query.getResultList();
        List<ArtifactView> page = ids.stream().limit(limit)
                .map(id -> view(ArtifactEntity.<ArtifactEntity>findById(id)))
                .toList();
        String next = ids.size() > limit ? new ArtifactCursor(page.getLast().createdAt(), page.getLast().id()).encode() : null;
        return new ArtifactPage(page, next);
    }

    /** The newest version of a named artifact, by registration time. */
    @Transactional
    public ArtifactView latest(String project, ArtifactKind kind, String name) {
        ArtifactEntity newest = ArtifactEntity.<ArtifactEntity>find("project = ?1 and kind = ?2 and name = ?3 order by createdAt desc, id desc",
                project, kind, name).firstResultOptional()
                .orElseThrow(() -> new ResourceNotFoundException("project " + project + " has no " + kind.wireName() + " named " + name));
        return view(newest);
    }

    @Transactional
    public List<ReplicaView> replicas(UUID id) {
        requireArtifact(id);
        return ReplicaEntity.listByArtifact(id).stream().map(ArtifactService::toView).toList();
    }

    /**
     * The verified replica nearest to {@code near}, a storage profile name or a region label: one served
     * by that profile, else one in the same region, else on the same cloud, else any. Among equally near
     * replicas, the most recently verified.
     *
     * @throws ResourceNotFoundException when the artifact has no available replica at all
     */
    @Transactional
    /**
     * @param excluding a place whose replica is not to be chosen, in any spelling, with or without the {@code /} of a
     *                  directory
     */
    public ReplicaResolution resolve(UUID id, String near, Optional<String> excluding) {
        requireArtifact(id);
        Optional<String> excludedPlace = excluding.map(ArtifactService::place);
        Optional<String> nearProfile = places.profileNamed(near).map(profile -> profile.name());
        String nearRegion = places.profileNamed(near).map(profile -> profile.region().orElse(null)).orElse(near);
        String nearCloud = places.profileNamed(near).map(profile -> profile.cloud().orElse(null))
                .orElseGet(() -> places.cloudOfRegion(near).orElse(null));
        Comparator<ReplicaEntity> nearestFirst = Comparator
                .comparing((ReplicaEntity replica) -> nearness(replica, nearProfile.orElse(null), nearRegion, nearCloud))
                .thenComparing(replica -> replica.verifiedAt, Comparator.nullsLast(Comparator.reverseOrder()))
                .thenComparing(replica -> replica.location);
        ReplicaEntity nearest = ReplicaEntity.listByArtifact(id).stream()
                .filter(replica -> replica.state == ReplicaState.AVAILABLE)
                .filter(replica -> excludedPlace.isEmpty()
                        || !(place(replica.location).equals(excludedPlace.get()) || replica.isFileDirectlyIn(excludedPlace.get())))
                .min(nearestFirst)
                .orElseThrow(() -> new ResourceNotFoundException("artifact " + id + " has no available replica"));
        return new ReplicaResolution(id, near, nearness(nearest, nearProfile.orElse(null), nearRegion, nearCloud), toView(nearest));
    }

    /** A location's canonical form as a directory: the same for {@code s3://b/a} and {@code S3://b/a/}. */
    private static String place(String location) {
        String recorded = ReplicaEntity.recordedLocation(location);
        return recorded.endsWith("/") ? recorded : recorded + "/";
    }

    private static Nearness nearness(ReplicaEntity replica, String profile, String region, String cloud) {
        if (profile != null && profile.equals(replica.profile)) {
            return Nearness.PROFILE;
        }
        if (region != null && region.equals(replica.region)) {
            return Nearness.REGION;
        }
        if (cloud != null && cloud.equals(replica.cloud)) {
            return Nearness.CLOUD;
        }
        return Nearness.ANY;
    }

    /** Up to {@code limit} manifest entries whose paths sort after {@code after} (all when it is null). */
    @Transactional
    public ManifestPage manifest(UUID id, String after, int limit) {
        requireArtifact(id);
        List<ArtifactFileEntity> files = ArtifactFileEntity
                .<ArtifactFileEntity>find("artifactId = ?1 and path > ?2 order by path", id, after == null ? "" : after)
                .page(0, limit + 1).list();
        List<ManifestEntry> page = files.stream().limit(limit)
                .map(file -> new ManifestEntry(file.path, file.size, file.digestAlgorithm, file.digest))
                .toList();
        return new ManifestPage(page, files.size() > limit ? page.getLast().path() : null);
    }

    private static ArtifactEntity requireArtifact(UUID id) {
        return ArtifactEntity.<ArtifactEntity>findByIdOptional(id)
                .orElseThrow(() -> new ResourceNotFoundException("no artifact has id " + id));
    }

    public static ReplicaView toView(ReplicaEntity replica) {
        return new ReplicaView(replica.id, replica.location, replica.profile, replica.region, replica.cloud, replica.state,
                replica.stateReason, replica.digestAlgorithm, replica.digest, replica.verifiedAt, replica.transferId,
                replica.updatedAt);
    }

    /** What to list: each filter that is not null (or empty) must match. */
    public record ArtifactFilter(String project, ArtifactKind kind, String name, String version, Map<String, String> labels) {

        public ArtifactFilter {
            labels = labels == null ? Map.of() : Map.copyOf(labels);
        }
    }
}
