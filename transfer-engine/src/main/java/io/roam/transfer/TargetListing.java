package io.roam.transfer;

import io.roam.storage.FileEntry;
import io.roam.storage.FileIterator;
import io.roam.storage.StorageFileSystem;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the target held of a plan's files when its execution began: one listing of the target directory
 * (a page per thousand files on object stores) instead of a lookup per file. Used only to tell which files
 * surely need copying (absent, or of another size) from those whose content must be compared; the
 * comparison itself always reads the target as it is then, so a listing that is out of date can cause a
 * needless copy, never a wrongly skipped file. A plan of one file looks that file up when it gets to it.
 */
abstract sealed class TargetListing {

    /** The target's entry for a file of the plan, or empty when it held no such file. */
    abstract Optional<FileEntry> entry(FileCopy file);

    static TargetListing of(TransferPlan plan, StorageFileSystem targetFileSystem, RetryPolicy retryPolicy) {
        if (!plan.target().isDirectory()) {
            return new LookedUp(targetFileSystem);
        }
        Set<String> planned = plan.files().stream().map(FileCopy::relativePath).collect(Collectors.toSet());
        Map<String, FileEntry> entries = retryPolicy.run(() -> {
            Map<String, FileEntry> listed = new HashMap<>();
            FileIterator listing = targetFileSystem.list(plan.target());
            while (listing.hasNext()) {
                FileEntry entry = listing.next();
                String relativePath = plan.target().relativePathOf(entry.location());
                // Only the plan's files: the target directory may hold many others.
                if (planned.contains(relativePath)) {
                    listed.put(relativePath, entry);
                }
            }
            return listed;
        });
        return new Listed(entries);
    }

    private static final class Listed extends TargetListing {
        private final Map<String, FileEntry> entries;

        Listed(Map<String, FileEntry> entries) {
            this.entries = entries;
        }

        @Override
        Optional<FileEntry> entry(FileCopy file) {
            return Optional.ofNullable(entries.get(file.relativePath()));
        }
    }

    private static final class LookedUp extends TargetListing {
        private final StorageFileSystem targetFileSystem;

        LookedUp(StorageFileSystem targetFileSystem) {
            this.targetFileSystem = targetFileSystem;
        }

        @Override
        Optional<FileEntry> entry(FileCopy file) {
            return targetFileSystem.stat(file.target());
        }
    }
}
