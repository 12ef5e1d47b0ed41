package io.roam.cli;

import static java.util.Objects.requireNonNull;

import io.roam.storage.Location;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The arguments of {@code roam cp}, validated.
 *
 * @param source where to copy from
 * @param target where to copy to
 * @param configurationFile the properties file given with {@code --config}, if any
 * @param concurrentFiles how many files are copied at once
 * @param bufferSize the buffer each file in flight streams through, in bytes
 * @param verbose whether a failure is printed with its stack trace
 * @param quiet whether progress and the summary are left out
 */
public record CopyArguments(
        Location source,
        Location target,
        Optional<Path> configurationFile,
        int concurrentFiles,
        int bufferSize,
        boolean verbose,
        boolean quiet) implements Invocation {

    public static final int DEFAULT_CONCURRENT_FILES = 4;
    public static final int DEFAULT_BUFFER_SIZE = 1024 * 1024;

    public CopyArguments {
        requireNonNull(source, "source is null");
        requireNonNull(target, "target is null");
        requireNonNull(configurationFile, "configurationFile is null");
    }
}
