package io.roam.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roam.storage.Location;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ArgumentParserTest {

    @Test
    void aCopyWithoutOptionsTakesTheDefaults() {
        assertThat(ArgumentParser.parse("cp", "/data/a/", "s3://bucket/a/")).isEqualTo(new CopyArguments(
                Location.parse("/data/a/"), Location.parse("s3://bucket/a/"), Optional.empty(), 4, 1024 * 1024, false, false));
    }

    @Test
    void optionsTakeTheirValueAfterASpaceOrAnEqualsSignAnywhereOnTheLine() {
        assertThat(ArgumentParser.parse("cp", "--concurrent-files", "8", "/data/a/", "--buffer-size=4MiB", "/data/b/",
                "--config", "/etc/roam.properties", "--quiet")).isEqualTo(new CopyArguments(
                Location.parse("/data/a/"), Location.parse("/data/b/"), Optional.of(Path.of("/etc/roam.properties")),
                8, 4 * 1024 * 1024, false, true));
    }

    @Test
    void verboseIsAFlag() {
        assertThat(ArgumentParser.parse("cp", "--verbose", "/a", "/b")).isInstanceOfSatisfying(CopyArguments.class,
                arguments -> assertThat(arguments.verbose()).isTrue());
    }

    @Test
    void helpIsAnsweredWhateverElseIsOnTheLine() {
        assertThat(ArgumentParser.parse("--help")).isEqualTo(new HelpRequest(ArgumentParser.GENERAL_USAGE));
        assertThat(ArgumentParser.parse("-h")).isEqualTo(new HelpRequest(ArgumentParser.GENERAL_USAGE));
        assertThat(ArgumentParser.parse("cp", "--help")).isEqualTo(new HelpRequest(ArgumentParser.COPY_USAGE));
        assertThat(ArgumentParser.parse("cp", "/a", "--bogus", "-h")).isEqualTo(new HelpRequest(ArgumentParser.COPY_USAGE));
    }

    @Test
    void refusesAMissingOrUnknownCommand() {
        assertUsageError("missing command; the only command is 'cp'");
        assertUsageError("unknown command 'copy'; the only command is 'cp'", "copy", "/a", "/b");
    }

    @Test
    void refusesAnUnknownOption() {
        assertUsageError("unknown option '--recursive'", "cp", "--recursive", "/a", "/b");
        assertUsageError("unknown option '-r'", "cp", "-r", "/a", "/b");
    }

    @Test
    void refusesAnythingButTwoLocations() {
        assertUsageError("expected SOURCE and TARGET, got 0 locations", "cp");
        assertUsageError("expected SOURCE and TARGET, got 1 location: /a", "cp", "/a");
        assertUsageError("expected SOURCE and TARGET, got 3 locations: /a /b /c", "cp", "/a", "/b", "/c");
    }

    @Test
    void aLocalPathWithoutASchemeIsRelativeToTheWorkingDirectoryAndADirectoryStaysOne() {
        String workingDirectory = Path.of("").toAbsolutePath().toString();
        String parent = Path.of("").toAbsolutePath().getParent().toString();

        assertThat(sourceOf("data/run-1/")).isEqualTo(Location.parse(workingDirectory + "/data/run-1/"));
        assertThat(sourceOf("model.safetensors")).isEqualTo(Location.parse(workingDirectory + "/model.safetensors"));
        assertThat(sourceOf("./shards/../weights.bin")).isEqualTo(Location.parse(workingDirectory + "/weights.bin"));
        assertThat(sourceOf(".")).isEqualTo(Location.parse(workingDirectory + "/"));
        assertThat(sourceOf("../other/")).isEqualTo(Location.parse(parent + "/other/"));
        assertThat(sourceOf("..")).isEqualTo(Location.parse(parent + "/"));
        assertThat(sourceOf("runs/step:1000")).as("a colon after the first slash is part of a name")
                .isEqualTo(Location.parse(workingDirectory + "/runs/step:1000"));
    }

    @Test
    void refusesAnInvalidLocationNamingWhichOne() {
        assertThatThrownBy(() -> ArgumentParser.parse("cp", "s3:/bucket/a", "/b"))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith("invalid SOURCE: scheme 's3' must be followed by '://'");
        assertThatThrownBy(() -> ArgumentParser.parse("cp", "data/a\u0000b", "/b"))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith("invalid SOURCE: ");
        assertThatThrownBy(() -> ArgumentParser.parse("cp", "/a", "ftp://host/b"))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith("invalid TARGET: unsupported scheme 'ftp'");
    }

    @Test
    void refusesAMissingValue() {
        assertUsageError("option --concurrent-files needs a value", "cp", "/a", "/b", "--concurrent-files");
        assertUsageError("option --config needs a value", "cp", "--config=", "/a", "/b");
    }

    @Test
    void refusesAValueForAFlag() {
        assertUsageError("option --quiet takes no value", "cp", "--quiet=yes", "/a", "/b");
    }

    @Test
    void refusesAConcurrencyThatIsNotAPositiveWholeNumber() {
        assertUsageError("--concurrent-files must be a whole number of at least 1, not '0'", "cp", "--concurrent-files", "0", "/a", "/b");
        assertUsageError("--concurrent-files must be a whole number of at least 1, not 'many'", "cp", "--concurrent-files=many", "/a", "/b");
    }

    @Test
    void refusesABufferSizeThatIsMalformedOrOutOfRange() {
        assertUsageError("--buffer-size must be from 4KiB to 1GiB, not '1KiB'", "cp", "--buffer-size", "1KiB", "/a", "/b");
        assertUsageError("--buffer-size must be from 4KiB to 1GiB, not '2GiB'", "cp", "--buffer-size", "2GiB", "/a", "/b");
        assertThatThrownBy(() -> ArgumentParser.parse("cp", "--buffer-size", "4 parsecs", "/a", "/b"))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith("--buffer-size: unknown unit 'parsecs'");
    }

    @Test
    void refusesVerboseAndQuietTogether() {
        assertUsageError("--verbose and --quiet cannot be used together", "cp", "--verbose", "--quiet", "/a", "/b");
    }

    private static void assertUsageError(String message, String... arguments) {
        assertThatThrownBy(() -> ArgumentParser.parse(arguments)).isInstanceOf(UsageException.class).hasMessage(message);
    }

    private static Location sourceOf(String text) {
        return ((CopyArguments) ArgumentParser.parse("cp", text, "/target/")).source();
    }
}
