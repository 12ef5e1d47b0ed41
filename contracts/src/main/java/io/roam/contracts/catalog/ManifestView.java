package io.roam.contracts.catalog;

import io.roam.contracts.messages.ManifestEntry;
import java.util.List;

/** The files of an artifact, sorted by path; empty until a first copy has been verified. */
public record ManifestView(long fileCount, long totalBytes, List<ManifestEntry> files) {
}
