package io.roam.catalog.artifact;

import io.roam.contracts.messages.ManifestEntry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * One digest for a whole manifest, so that two copies of an artifact can be compared in one step: a
 * SHA-256 over every entry's path, size, algorithm and digest, in path order.
 */
public final class ManifestDigest {

    public static final String ALGORITHM = "sha256-manifest";

    private ManifestDigest() {
    }

    public static String of(List<ManifestEntry> manifest) {
        return ofSorted(manifest.stream().sorted(Comparator.comparing(ManifestEntry::path)));
    }

    /** The digest of entries already in path order, read one at a time: a manifest of any size. */
    public static String ofSorted(Stream<ManifestEntry> entriesInPathOrder) {
        MessageDigest digest = sha256();
        entriesInPathOrder.forEach(entry -> {
            // NUL separates fields: it cannot occur in a path or a hexadecimal digest.
            String line = entry.path() + '\0' + entry.size() + '\0' + entry.digestAlgorithm() + '\0' + entry.digest() + '\n';
            digest.update(line.getBytes(StandardCharsets.UTF_8));
        });
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every Java platform provides SHA-256", impossible);
        }
    }
}
