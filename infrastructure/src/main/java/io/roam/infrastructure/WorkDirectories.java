package io.roam.infrastructure;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Creates and deletes the temporary work directories of launched servers. */
public final class WorkDirectories {

    private WorkDirectories() {
    }

    /**
     * Creates a new empty directory under {@code java.io.tmpdir}.
     *
     * @param prefix the start of the directory name, for example {@code roam-kafka-}
     * @return the new directory
     */
    public static Path createTemporary(String prefix) {
        requireNonNull(prefix, "prefix is null");
        try {
            return Files.createTempDirectory(prefix);
        }
        catch (IOException exception) {
            throw new UncheckedIOException("Could not create a temporary directory " + prefix + "*", exception);
        }
    }

    /**
     * Deletes {@code directory} and everything in it; does nothing if it does not exist.
     *
     * @param directory the directory to delete
     */
    public static void deleteRecursively(Path directory) {
        requireNonNull(directory, "directory is null");
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
        catch (IOException exception) {
            throw new UncheckedIOException("Could not delete " + directory, exception);
        }
    }
}
