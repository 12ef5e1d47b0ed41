package io.roam.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the checked files are: the root of the Roam checkout, and the version the build gives images. */
final class Repository {

    private Repository() {
    }

    /** The checkout's root directory (set by the build; the parent of this module when run from an IDE). */
    static Path root() {
        Path root = Path.of(System.getProperty("roam.repository", "..")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(root.resolve("docker-compose.yml")) || !Files.isDirectory(root.resolve("deploy"))) {
            throw new IllegalStateException("not the root of a Roam checkout: " + root);
        }
        return root;
    }

    /** The project version, the tag of the images the build makes. */
    static String version() {
        return System.getProperty("roam.version", "0.1.0-SNAPSHOT");
    }
}
