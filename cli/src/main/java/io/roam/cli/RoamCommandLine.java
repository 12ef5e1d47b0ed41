package io.roam.cli;

import static java.util.Objects.requireNonNull;

import io.roam.storage.StorageProfile;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code roam} command: {@code roam cp [options] SOURCE TARGET} copies with the transfer engine
 * in this process, with no services. {@link #run} returns the exit code instead of exiting, so that
 * tests can call it.
 */
public final class RoamCommandLine {

    public static final int SUCCESS = 0;
    public static final int COPY_FAILED = 1;
    public static final int USAGE_ERROR = 2;
    /** Cancelled by SIGINT (Ctrl-C), as shells report a command ended by that signal: 128 + 2. */
    public static final int INTERRUPTED = 130;

    private static final String LOG_FORMAT_PROPERTY = "java.util.logging.SimpleFormatter.format";

    private final StorageProfilesLoader profilesLoader;
    private final boolean terminal;

    /**
     * @param defaultConfigurationFile the storage profiles read when no {@code --config} is given, if it exists
     * @param terminal whether the error stream is a terminal, where progress is redrawn in place
     */
    public RoamCommandLine(Path defaultConfigurationFile, boolean terminal) {
        this.profilesLoader = new StorageProfilesLoader(requireNonNull(defaultConfigurationFile, "defaultConfigurationFile is null"));
        this.terminal = terminal;
    }

    public static void main(String[] arguments) {
        logWarningsOnOneLine();
        Path defaultConfigurationFile = Path.of(System.getProperty("user.home"), ".config", "roam", "roam.properties");
        System.exit(new RoamCommandLine(defaultConfigurationFile, System.console() != null).run(arguments, System.out, System.err));
    }

    /**
     * Warnings logged through the JDK's logging (a multipart upload that could not be aborted) reach the error
     * stream as one line each, {@code roam: WARNING: ...}, not as the JDK's two-line records with the time and
     * the logging method; a format given with {@code -Djava.util.logging.SimpleFormatter.format} wins.
     */
    static void logWarningsOnOneLine() {
        if (System.getProperty(LOG_FORMAT_PROPERTY) == null) {
            System.setProperty(LOG_FORMAT_PROPERTY, "roam: %4$s: %5$s%n");
        }
    }

    /**
     * Runs a command line and returns its exit code: {@link #SUCCESS}, {@link #COPY_FAILED}, {@link #USAGE_ERROR},
     * or {@link #INTERRUPTED} when a copy was cancelled by an interrupt.
     */
    public int run(String[] arguments, PrintStream out, PrintStream err) {
        try {
            return switch (ArgumentParser.parse(arguments)) {
                case HelpRequest help -> {
                    out.print(help.text());
                    yield SUCCESS;
                }
                case CopyArguments copy -> {
                    List<StorageProfile> profiles = profilesLoader.load(copy.configurationFile(), List.of(copy.source(), copy.target()));
                    yield new CopyCommand(profiles, terminal, out, err).run(copy);
                }
            };
        }
        catch (UsageException usage) {
            err.println("roam: " + usage.getMessage());
            err.println("Run 'roam --help' or 'roam cp --help' for usage.");
            return USAGE_ERROR;
        }
    }
}
