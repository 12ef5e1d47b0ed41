package io.roam.catalog.artifact;

import io.roam.service.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * Where a page of the artifact listing ended: the last artifact's creation time and id, the listing's
 * sort key. Opaque to clients (URL-safe Base64), so its form can change without breaking them.
 */
public record ArtifactCursor(Instant createdAt, UUID id) {

    public String encode() {
        String plain = createdAt.getEpochSecond() + ":" + createdAt.getNano() + ":" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @throws InvalidRequestException when the text is not a cursor this catalog handed out
     */
    public static ArtifactCursor decode(String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":");
            if (parts.length != 3) {
                throw new IllegalArgumentException("expected three parts");
            }
            return new ArtifactCursor(Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])),
                    UUID.fromString(parts[2]));
        }
        catch (IllegalArgumentException | java.time.DateTimeException invalid) {
            throw new InvalidRequestException("cursor", "is not a cursor from a previous page");
        }
    }
}
