package io.roam.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class WorkDirectoriesTest {

    @Test
    void aTemporaryDirectoryIsCreatedEmptyAndDeletedWithItsContent() throws IOException {
        Path directory = WorkDirectories.createTemporary("roam-test-");
        assertThat(directory).isEmptyDirectory();
        Files.writeString(Files.createDirectories(directory.resolve("data/nested")).resolve("file"), "content");

        WorkDirectories.deleteRecursively(directory);

        assertThat(directory).doesNotExist();
    }

    @Test
    void deletingAMissingDirectoryDoesNothing() {
        WorkDirectories.deleteRecursively(Path.of("/nonexistent/roam-test"));
    }
}
