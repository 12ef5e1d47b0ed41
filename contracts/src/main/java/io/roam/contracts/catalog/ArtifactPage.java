package io.roam.contracts.catalog;

import java.util.List;

/**
 * One page of artifacts, newest first.
 *
 * @param next the cursor of the following page (pass it as {@code cursor}), or null on the last page
 */
public record ArtifactPage(List<ArtifactView> artifacts, String next) {
}
