package io.roam.contracts.catalog;

import io.roam.contracts.messages.ManifestEntry;
import java.util.List;

/**
 * One page of an artifact's manifest, in path order.
 *
 * @param next the cursor of the following page (pass it as {@code after}), or null on the last page
 */
public record ManifestPage(List<ManifestEntry> files, String next) {
}
