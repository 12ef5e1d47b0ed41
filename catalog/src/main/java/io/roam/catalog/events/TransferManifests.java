package io.roam.catalog.events;

import io.roam.contracts.messages.ManifestEntry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.UUID;
import org.hibernate.Session;

/**
 * The manifest chunks of transfers in flight (table {@code transfer_file}): collected from MANIFEST
 * events, then, once the SUCCEEDED event has arrived, turned into the artifact's manifest or compared with
 * it, and dropped. Set-based SQL throughout, so that a manifest of 100,000 files costs a few statements.
 */
@ApplicationScoped
class TransferManifests {

    /** How many differences a replica's state reason names; the count says how many there were in all. */
    private static final int DIFFERENCES_NAMED = 5;

    private final EntityManager entityManager;

    TransferManifests(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /** Adds a chunk in one JDBC batch; entries already received (a redelivered chunk) are left as they are. */
    void add(UUID transferId, List<ManifestEntry> chunk) {
        entityManager.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    insert into transfer_file (transfer_id, path, size, digest_algorithm, digest) values (?, ?, ?, ?, ?)
                    on conflict (transfer_id, path) do nothing""")) {
                for (ManifestEntry entry : chunk) {
                    insert.setObject(1, transferId);
                    insert.setString(2, entry.path());
                    insert.setLong(3, entry.size());
                    insert.setString(4, entry.digestAlgorithm());
                    insert.setString(5, entry.digest());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        });
    }

    long count(UUID transferId) {
        return ((Number) entityManager.createNativeQuery("select count(*) from transfer_file where transfer_id = ?1")
                .setParameter(1, transferId).getSingleResult()).longValue();
    }

    List<ManifestEntry> entries(UUID transferId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery(
                "select path, size, digest_algorithm, digest from transfer_file where transfer_id = ?1")
                .setParameter(1, transferId).getResultList();
        return rows.stream()
                .map(row -> new ManifestEntry((String) row[0], ((Number) row[1]).longValue(), (String) row[2], (String) row[3]))
                .toList();
    }

    /** Makes the transfer's manifest the artifact's. */
    void copyToArtifact(UUID transferId, UUID artifactId) {
        entityManager.createNativeQuery("""
                insert into artifact_file (artifact_id, path, size, digest_algorithm, digest)
                select ?1, path, size, digest_algorithm, digest from transfer_file where transfer_id = ?2""")
                .setParameter(1, artifactId)
                .setParameter(2, transferId)
                .executeUpdate();
    }

    /**
     * How the files a transfer found differ from the artifact's manifest, in words: empty when they do not.
     */
    String differences(UUID transferId, UUID artifactId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery("""
                select coalesce(expected.path, found.path), expected.size, found.size, expected.digest, found.digest,
                       count(*) over ()
                from (select * from artifact_file where artifact_id = ?1) expected
                full outer join (select * from transfer_file where transfer_id = ?2) found on expected.path = found.path
                where expected.path is null or found.path is null
                   or expected.size <> found.size or expected.digest <> found.digest
                   or expected.digest_algorithm <> found.digest_algorithm
                order by 1
                limit ?3""")
                .setParameter(1, artifactId)
                .setParameter(2, transferId)
                .setParameter(3, DIFFERENCES_NAMED)
                .getResultList();
        if (rows.isEmpty()) {
            return "";
        }
        long total = ((Number) rows.getFirst()[5]).longValue();
        StringBuilder reason = new StringBuilder(total + (total == 1 ? " file differs" : " files differ") + " from the manifest: ");
        for (int index = 0; index < rows.size(); index++) {
            Object[] row = rows.get(index);
            reason.append(index == 0 ? "" : "; ").append('\'').append(row[0]).append("' ");
            if (row[1] == null) {
                reason.append("is not in the manifest");
            }
            else if (row[2] == null) {
                reason.append("is missing");
            }
            else if (!row[1].equals(row[2])) {
                reason.append("has ").append(row[2]).append(" bytes, expected ").append(row[1]);
            }
            else {
                reason.append("has other content (digest ").append(row[4]).append(", expected ").append(row[3]).append(')');
            }
        }
        if (total > rows.size()) {
            reason.append("; and ").append(total - rows.size()).append(" more");
        }
        return reason.toString();
    }

    void drop(UUID transferId) {
        entityManager.createNativeQuery("delete from transfer_file where transfer_id = ?1")
                .setParameter(1, transferId).executeUpdate();
    }
}
