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
        Path defaultConfigurationFile = Path.of(System.getProperty("user.home"), ".config", "roam", "roam.properties");
        System.exit(new RoamCommandLine(defaultConfigurationFile, System.console() != null).run(arguments, System.out, System.err));
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
