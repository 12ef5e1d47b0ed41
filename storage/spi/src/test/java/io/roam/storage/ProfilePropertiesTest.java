package io.roam.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfilePropertiesTest {

    private static final String PREFIX = "roam.storage.profiles.lab.properties.";

    @TempDir
    Path directory;

    private static ProfileProperties properties(Map<String, String> values) {
        return new ProfileProperties(new StorageProfile("lab", "test", List.of(Location.parse("s3://bucket/")), Optional.empty(), Optional.empty(), values));
    }

    private static void assertInvalid(Runnable read, String key, String problem) {
        assertThatThrownBy(read::run)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(PREFIX + key + ": ")
                .hasMessageContaining(problem);
    }

    @Test
    void refusesUnknownKeysNamingTheFirstAndListingTheKnown() {
        ProfileProperties properties = properties(Map.of("b-typo", "1", "a-typo", "2", "known", "3"));

        assertThatThrownBy(() -> properties.requireKnown(Set.of("known", "other")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(PREFIX + "a-typo: is not a property of the test backend (so are b-typo); known: known, other");
        properties(Map.of("known", "1")).requireKnown(Set.of("known"));
    }

    @Test
    void keysWithAKnownPrefixAreKnown() {
        properties(Map.of("hadoop.dfs.replication", "2", "user", "x")).requireKnown(Set.of("user"), "hadoop.");
        assertThatThrownBy(() -> properties(Map.of("hadoop.", "2")).requireKnown(Set.of("user"), "hadoop."))
                .hasMessage(PREFIX + "hadoop.: is not a property of the test backend; known: user and hadoop.<key>");
    }

    @Test
    void stringsAreStrippedAndBlankMeansNotSet() {
        ProfileProperties properties = properties(Map.of("name", "  value ", "blank", "  "));

        assertThat(properties.string("name")).isEqualTo("value");
        assertThat(properties.optionalString("blank")).isEmpty();
        assertThat(properties.optionalString("absent")).isEmpty();
        assertThat(properties.isSet("blank")).isFalse();
        assertInvalid(() -> properties.string("blank"), "blank", "is required, but not set");
        assertInvalid(() -> properties.string("absent", "with credentials=file"), "absent", "is required with credentials=file");
    }

    @Test
    void remembersWhichKeysWereRead() {
        ProfileProperties properties = properties(Map.of("a", "1", "b", "2", "c", "3", "blank", ""));

        properties.string("a");
        properties.isSet("c");

        assertThat(properties.unread()).containsExactly("b");
    }

    @Test
    void booleans() {
        ProfileProperties properties = properties(Map.of("yes", "TRUE", "no", "false", "maybe", "maybe"));

        assertThat(properties.bool("yes", false)).isTrue();
        assertThat(properties.bool("no", true)).isFalse();
        assertThat(properties.bool("absent", true)).isTrue();
        assertInvalid(() -> properties.bool("maybe", true), "maybe", "must be true or false, not 'maybe'");
    }

    @Test
    void boundedIntegers() {
        ProfileProperties properties = properties(Map.of("four", "4", "zero", "0", "two", "two"));

        assertThat(properties.integer("four", 1, 1, 16)).isEqualTo(4);
        assertThat(properties.integer("absent", 2, 1, 16)).isEqualTo(2);
        assertInvalid(() -> properties.integer("zero", 1, 1, 16), "zero", "must be between 1 and 16, not 0");
        assertInvalid(() -> properties.integer("two", 1, 1, 16), "two", "must be a whole number, not 'two'");
    }

    @Test
    void sizesWithUnits() {
        ProfileProperties properties = properties(Map.of("bytes", "1048576", "kib", "512KiB", "mib", "8MiB", "gib", "1 GiB", "b", "4096B",
                "small", "4MiB", "huge", "99999999999999999999GiB", "decimal", "8MB"));
        long maximum = 4L << 30;

        assertThat(properties.size("bytes", 0, 0, maximum)).isEqualTo(1L << 20);
        assertThat(properties.size("kib", 0, 0, maximum)).isEqualTo(512L << 10);
        assertThat(properties.size("mib", 0, 0, maximum)).isEqualTo(8L << 20);
        assertThat(properties.size("gib", 0, 0, maximum)).isEqualTo(1L << 30);
        assertThat(properties.size("b", 0, 0, maximum)).isEqualTo(4096);
        assertThat(properties.size("absent", 7, 0, maximum)).isEqualTo(7);
        assertInvalid(() -> properties.size("small", 0, 5L << 20, 512L << 20), "small", "must be between 5MiB and 512MiB, not 4MiB");
        assertInvalid(() -> properties.size("huge", 0, 0, maximum), "huge", "must be a size in bytes");
        assertInvalid(() -> properties.size("decimal", 0, 0, maximum), "decimal", "must be a size in bytes, optionally with a unit B, KiB, MiB or GiB");
        assertInvalid(() -> properties.size("bytes", 0, 64 << 10, 1000), "bytes", "must be between 64KiB and 1000B");
    }

    @Test
    void durations() {
        ProfileProperties properties = properties(Map.of("ms", "500ms", "s", "30s", "m", "2m", "h", "1h", "iso", "PT45S", "zero", "0s", "soon", "soon"));

        assertThat(properties.duration("ms", Duration.ZERO)).isEqualTo(Duration.ofMillis(500));
        assertThat(properties.duration("s", Duration.ZERO)).isEqualTo(Duration.ofSeconds(30));
        assertThat(properties.duration("m", Duration.ZERO)).isEqualTo(Duration.ofMinutes(2));
        assertThat(properties.duration("h", Duration.ZERO)).isEqualTo(Duration.ofHours(1));
        assertThat(properties.duration("iso", Duration.ZERO)).isEqualTo(Duration.ofSeconds(45));
        assertThat(properties.duration("absent", Duration.ofDays(1))).isEqualTo(Duration.ofDays(1));
        assertInvalid(() -> properties.duration("zero", Duration.ZERO), "zero", "must be a positive duration such as 30s");
        assertInvalid(() -> properties.duration("soon", Duration.ZERO), "soon", "not 'soon'");
    }

    enum Colour { RED, DARK_BLUE }

    @Test
    void choices() {
        ProfileProperties properties = properties(Map.of("kind", "file", "wrong", "vault", "colour", "Dark_Blue", "paint", "green"));

        assertThat(properties.choice("kind", List.of("env", "file"))).isEqualTo("file");
        assertThat(properties.choice("absent", List.of("env", "file"), "env")).isEqualTo("env");
        assertInvalid(() -> properties.choice("wrong", List.of("env", "file")), "wrong", "must be one of env, file, not 'vault'");
        assertInvalid(() -> properties.choice("absent", List.of("env", "file")), "absent", "is required");
        assertThat(properties.choice("colour", Colour.class, Colour.RED)).isEqualTo(Colour.DARK_BLUE);
        assertThat(properties.choice("absent", Colour.class, Colour.RED)).isEqualTo(Colour.RED);
        assertInvalid(() -> properties.choice("paint", Colour.class, Colour.RED), "paint", "must be one of red, dark_blue, not 'green'");
    }

    @Test
    void httpUrlsNeverQuoteTheValue() {
        ProfileProperties properties = properties(Map.of("good", "https://minio.example.com:9000", "ftp", "ftp://host/SECRET",
                "query", "https://host/?sig=SECRET", "user", "http://user:SECRET@host", "broken", "http://host name/SECRET"));

        assertThat(properties.httpUrl("good")).contains(URI.create("https://minio.example.com:9000"));
        assertThat(properties.httpUrl("absent")).isEmpty();
        assertInvalid(() -> properties.httpUrl("ftp"), "ftp", "must be an http:// or https:// URL with a host");
        assertInvalid(() -> properties.httpUrl("query"), "query", "must not carry a query");
        assertInvalid(() -> properties.httpUrl("user"), "user", "must not carry a query, fragment or user");
        assertInvalid(() -> properties.httpUrl("broken"), "broken", "is not a URL");
        for (String key : List.of("ftp", "query", "user", "broken")) {
            assertThatThrownBy(() -> properties.httpUrl(key)).hasMessageNotContaining("SECRET");
        }
    }

    @Test
    void readableFiles() throws IOException {
        Path file = Files.writeString(directory.resolve("key"), "x");
        ProfileProperties properties = properties(Map.of("file", file.toString(), "missing", directory.resolve("missing").toString(), "directory", directory.toString()));

        assertThat(properties.readableFile("file")).isEqualTo(file);
        assertInvalid(() -> properties.readableFile("missing"), "missing", "names '%s', which is not a readable file".formatted(directory.resolve("missing")));
        assertInvalid(() -> properties.readableFile("directory"), "directory", "which is not a readable file");
    }

    @Test
    void secretsFromTheEnvironmentAreNeverQuoted() {
        Map<String, String> environment = Map.of("PASSWORD", " s3cr3t\n", "EMPTY", " ");
        ProfileProperties properties = properties(Map.of("password-env", "PASSWORD", "unset-env", "UNSET", "empty-env", "EMPTY"));

        assertThat(properties.secretFromEnvironment("password-env", environment::get)).isEqualTo("s3cr3t");
        assertThat(properties.environmentVariableName("password-env", environment::get)).isEqualTo("PASSWORD");
        assertInvalid(() -> properties.secretFromEnvironment("unset-env", environment::get), "unset-env", "names environment variable 'UNSET', which is not set");
        assertInvalid(() -> properties.environmentVariableName("unset-env", environment::get), "unset-env", "which is not set");
        assertInvalid(() -> properties.secretFromEnvironment("empty-env", environment::get), "empty-env", "names environment variable 'EMPTY', which is empty");
    }

    @Test
    void secretsFromFilesAreStrippedAndNeverQuoted() throws IOException {
        Path file = Files.writeString(directory.resolve("token"), "s3cr3t\n", UTF_8);
        Path empty = Files.writeString(directory.resolve("empty"), "\n", UTF_8);
        ProfileProperties properties = properties(Map.of("token-file", file.toString(), "empty-file", empty.toString(), "missing-file", directory.resolve("missing").toString()));

        assertThat(properties.secretFromFile("token-file")).isEqualTo("s3cr3t");
        assertInvalid(() -> properties.secretFromFile("empty-file"), "empty-file", "secret file '%s' is empty".formatted(empty));
        assertInvalid(() -> properties.secretFromFile("missing-file"), "missing-file", "cannot read secret file '%s' (NoSuchFileException)".formatted(directory.resolve("missing")));
    }

    @Test
    void exactlyOneSecretSource() throws IOException {
        Path file = Files.writeString(directory.resolve("key"), "from-file\n", UTF_8);
        Map<String, String> environment = Map.of("KEY", "from-env");

        assertThat(properties(Map.of("key-env", "KEY")).secretFromEnvironmentOrFile("key", environment::get)).isEqualTo("from-env");
        assertThat(properties(Map.of("key-file", file.toString())).secretFromEnvironmentOrFile("key", environment::get)).isEqualTo("from-file");
        assertThat(properties(Map.of("key-file", file.toString())).secretSource("key")).isEqualTo("key-file");
        assertInvalid(() -> properties(Map.of()).secretFromEnvironmentOrFile("key", environment::get), "key-env",
                "exactly one of 'key-env' (an environment variable's name) and 'key-file' (a secret file's path) must be set, not neither");
        assertInvalid(() -> properties(Map.of("key-env", "KEY", "key-file", file.toString())).secretSource("key"), "key-env", "must be set, not both");
    }
}
