package io.roam.cli;

import io.roam.storage.InvalidLocationException;
import io.roam.storage.Location;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Parses {@code roam} command lines. A help option anywhere after {@code cp} asks for help. Options take their value as the next argument or after
 * {@code =} ({@code --buffer-size 4MiB} or {@code --buffer-size=4MiB}) and may come before, between or
 * after the two locations.
 */
public final class ArgumentParser {

    /** The largest buffer accepted: every file in flight holds one. */
    static final long MAXIMUM_BUFFER_SIZE = 1L << 30;
    /** The smallest buffer the transfer engine accepts. */
    static final long MINIMUM_BUFFER_SIZE = 4096;

    public static final String GENERAL_USAGE = """
            Usage: roam COMMAND [options]

            Commands:
              cp    copy a file or a directory tree from one storage location to another

            Run 'roam cp --help' for the options of cp.
            """;

    public static final String COPY_USAGE = """
            Usage: roam cp [options] SOURCE TARGET

            Copies a file or a directory tree with Roam's transfer engine, in this process: every file is
            streamed and hashed with SHA-256 while read, and its written copy is verified, against the
            checksum the target store keeps or, on local disks, SFTP and HDFS, by reading it back.
            A SOURCE ending in '/' is a directory, and so is TARGET then. A file copied to a TARGET ending
            in '/' keeps its name inside it.

            Locations: /absolute/path, relative/path (to the working directory), file:///absolute/path,
              s3://bucket/path, gs://bucket/path, abfss://container@account.dfs.core.windows.net/path,
              sftp://user@host:22/path, hdfs://namenode:8020/path

            Options:
              --config FILE           storage profiles, as roam.storage.profiles.* properties
                                      (default: ~/.config/roam/roam.properties when it exists);
                                      environment variables and -D system properties override it
              --concurrent-files N    how many files are copied at once (default 4)
              --buffer-size BYTES     the buffer of each file in flight, such as 4MiB (default 1MiB,
                                      from 4KiB to 1GiB)
              --verbose               print the stack trace of a failure
              --quiet                 print neither progress nor summary, only errors
              -h, --help              print this help

            A local path that no profile serves is served by an implicit profile 'local' rooted at '/'.

            Ctrl-C (SIGINT) or SIGTERM cancels the copy: the writes in flight are aborted, so no partial
            file is published, and the files already copied stay.

            Exit codes: 0 copied and verified, 1 the copy failed, 2 usage or configuration error,
              130 interrupted by Ctrl-C (143 by SIGTERM).
            """;

    private ArgumentParser() {
    }

    /**
     * Parses a whole command line, the command name first.
     *
     * @throws UsageException saying what is wrong with the command line
     */
    public static Invocation parse(String... arguments) {
        if (arguments.length == 0) {
            throw new UsageException("missing command; the only command is 'cp'");
        }
        String command = arguments[0];
        if (command.equals("--help") || command.equals("-h")) {
            return new HelpRequest(GENERAL_USAGE);
        }
        if (!command.equals("cp")) {
            throw new UsageException("unknown command '%s'; the only command is 'cp'".formatted(command));
        }
        return parseCopy(List.of(arguments).subList(1, arguments.length));
    }

    private static Invocation parseCopy(List<String> arguments) {
        if (arguments.contains("--help") || arguments.contains("-h")) {
            return new HelpRequest(COPY_USAGE);
        }
        List<String> locations = new ArrayList<>();
        Optional<Path> configurationFile = Optional.empty();
        int concurrentFiles = CopyArguments.DEFAULT_CONCURRENT_FILES;
        int bufferSize = CopyArguments.DEFAULT_BUFFER_SIZE;
        boolean verbose = false;
        boolean quiet = false;
        for (int index = 0; index < arguments.size(); index++) {
            String argument = arguments.get(index);
            if (!argument.startsWith("-")) {
                locations.add(argument);
                continue;
            }
            int equals = argument.indexOf('=');
            String option = equals < 0 ? argument : argument.substring(0, equals);
            switch (option) {
                case "--verbose" -> verbose = flag(option, equals);
                case "--quiet" -> quiet = flag(option, equals);
                case "--config" -> configurationFile = Optional.of(Path.of(value(arguments, index, equals)));
                case "--concurrent-files" -> concurrentFiles = concurrentFiles(value(arguments, index, equals));
                case "--buffer-size" -> bufferSize = bufferSize(value(arguments, index, equals));
                default -> throw new UsageException("unknown option '%s'".formatted(option));
            }
            if (equals < 0 && takesValue(option)) {
                index++;
            }
        }
        if (verbose && quiet) {
            throw new UsageException("--verbose and --quiet cannot be used together");
        }
        if (locations.size() != 2) {
            throw new UsageException("expected SOURCE and TARGET, got %d location%s%s".formatted(locations.size(),
                    locations.size() == 1 ? "" : "s", locations.isEmpty() ? "" : ": " + String.join(" ", locations)));
        }
        return new CopyArguments(location("SOURCE", locations.get(0)), location("TARGET", locations.get(1)),
                configurationFile, concurrentFiles, bufferSize, verbose, quiet);
    }

    private static boolean takesValue(String option) {
        return option.equals("--config") || option.equals("--concurrent-files") || option.equals("--buffer-size");
    }

    private static boolean flag(String option, int equals) {
        if (equals >= 0) {
            throw new UsageException("option %s takes no value".formatted(option));
        }
        return true;
    }

    private static String value(List<String> arguments, int index, int equals) {
        String argument = arguments.get(index);
        if (equals >= 0) {
            return nonEmpty(argument.substring(0, equals), argument.substring(equals + 1));
        }
        if (index + 1 >= arguments.size()) {
            throw new UsageException("option %s needs a value".formatted(argument));
        }
        return nonEmpty(argument, arguments.get(index + 1));
    }

    private static String nonEmpty(String option, String value) {
        if (value.isBlank()) {
            throw new UsageException("option %s needs a value".formatted(option));
        }
        return value;
    }

    private static int concurrentFiles(String text) {
        try {
            int count = Integer.parseInt(text.strip());
            if (count >= 1) {
                return count;
            }
        }
        catch (NumberFormatException notAnInteger) {
            // Reported below with the same message as a count below 1.
        }
        throw new UsageException("--concurrent-files must be a whole number of at least 1, not '%s'".formatted(text));
    }

    private static int bufferSize(String text) {
        long size;
        try {
            size = ByteSize.parse(text);
        }
        catch (IllegalArgumentException invalid) {
            throw new UsageException("--buffer-size: " + invalid.getMessage(), invalid);
        }
        if (size < MINIMUM_BUFFER_SIZE || size > MAXIMUM_BUFFER_SIZE) {
            throw new UsageException("--buffer-size must be from 4KiB to 1GiB, not '%s'".formatted(text));
        }
        return (int) size;
    }

    private static Location location(String name, String text) {
        try {
            return Location.parse(isRelativePath(text) ? absolutePath(text) : text);
        }
        catch (InvalidLocationException | InvalidPathException invalid) {
            throw new UsageException("invalid %s: %s".formatted(name, invalid.getMessage()), invalid);
        }
    }

    /**
     * Whether the text is a local path relative to the working directory, as cp and rclone take them
     * ({@code data/}, {@code ckpt.bin}, {@code ../shards/}, {@code .}): no scheme before its first {@code /}, the
     * rule by which {@link Location#parse} calls a location relative.
     */
    private static boolean isRelativePath(String text) {
        int colon = text.indexOf(':');
        int slash = text.indexOf('/');
        return !text.isBlank() && !text.startsWith("/") && (colon < 0 || (slash >= 0 && slash < colon));
    }

    /** The path resolved against the working directory; one that names a directory ({@code a/}, {@code .}, {@code ..}) stays one. */
    private static String absolutePath(String relativePath) {
        String absolute = Path.of("").toAbsolutePath().resolve(relativePath).normalize().toString();
        String lastSegment = relativePath.substring(relativePath.lastIndexOf('/') + 1);
        boolean directory = lastSegment.isEmpty() || lastSegment.equals(".") || lastSegment.equals("..");
        return directory && !absolute.endsWith("/") ? absolute + "/" : absolute;
    }
}
