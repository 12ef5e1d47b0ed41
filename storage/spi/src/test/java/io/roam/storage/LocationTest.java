package io.roam.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class LocationTest {

    record Expected(String text, String scheme, String userInfo, String host, Integer port, String path, boolean directory) {

        Optional<String> expectedUserInfo() {
            return Optional.ofNullable(userInfo);
        }

        Optional<String> expectedHost() {
            return Optional.ofNullable(host);
        }

        OptionalInt expectedPort() {
            return port == null ? OptionalInt.empty() : OptionalInt.of(port);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    static Stream<Expected> validLocations() {
        return Stream.of(
                new Expected("/data/x", "file", null, null, null, "data/x", false),
                new Expected("/data/x/", "file", null, null, null, "data/x/", true),
                new Expected("/", "file", null, null, null, "", true),
                new Expected("file:///data/x/", "file", null, null, null, "data/x/", true),
                new Expected("file:///data/x", "file", null, null, null, "data/x", false),
                new Expected("file:///", "file", null, null, null, "", true),
                new Expected("FILE:///data", "file", null, null, null, "data", false),
                new Expected("s3://bucket/a/b", "s3", null, "bucket", null, "a/b", false),
                new Expected("s3://bucket", "s3", null, "bucket", null, "", true),
                new Expected("s3://bucket/", "s3", null, "bucket", null, "", true),
                new Expected("S3://bucket/a", "s3", null, "bucket", null, "a", false),
                new Expected("s3://my.bucket-1/prefix/", "s3", null, "my.bucket-1", null, "prefix/", true),
                new Expected("gs://bucket/a", "gs", null, "bucket", null, "a", false),
                new Expected("gcs://bucket_with_underscores/a", "gcs", null, "bucket_with_underscores", null, "a", false),
                new Expected("abfs://container/a/b", "abfs", null, "container", null, "a/b", false),
                new Expected("az://container/a", "az", null, "container", null, "a", false),
                new Expected("abfss://container@account.dfs.core.windows.net/a/b", "abfss", "container", "account.dfs.core.windows.net", null, "a/b", false),
                new Expected("sftp://host/home/a", "sftp", null, "host", null, "home/a", false),
                new Expected("sftp://user@host:2222/home/a/", "sftp", "user", "host", 2222, "home/a/", true),
                new Expected("sftp://user@[::1]:22/a", "sftp", "user", "[::1]", 22, "a", false),
                new Expected("sftp://host:1/a", "sftp", null, "host", 1, "a", false),
                new Expected("sftp://host:65535/a", "sftp", null, "host", 65535, "a", false),
                new Expected("hdfs://namenode:8020/user/data", "hdfs", null, "namenode", 8020, "user/data", false),
                new Expected("hdfs://namenode/user/", "hdfs", null, "namenode", null, "user/", true),
                new Expected("/données/ckpt 1/模型.bin", "file", null, null, null, "données/ckpt 1/模型.bin", false),
                new Expected("s3://bucket/emoji 😀/a b", "s3", null, "bucket", null, "emoji 😀/a b", false),
                new Expected("s3://bucket/...", "s3", null, "bucket", null, "...", false),
                new Expected("s3://bucket/.hidden/..x/x..", "s3", null, "bucket", null, ".hidden/..x/x..", false),
                new Expected("s3://bucket/100%25/%20", "s3", null, "bucket", null, "100%25/%20", false),
                new Expected("s3://bucket/a:b/c@d/e;f=g", "s3", null, "bucket", null, "a:b/c@d/e;f=g", false),
                new Expected("/" + "a".repeat(Location.MAXIMUM_LENGTH - 1), "file", null, null, null, "a".repeat(Location.MAXIMUM_LENGTH - 1), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validLocations")
    void parsesValidLocations(Expected expected) {
        Location location = Location.parse(expected.text());

        assertThat(location.toString()).isEqualTo(expected.text());
        assertThat(location.scheme()).isEqualTo(expected.scheme());
        assertThat(location.userInfo()).isEqualTo(expected.expectedUserInfo());
        assertThat(location.host()).isEqualTo(expected.expectedHost());
        assertThat(location.port()).isEqualTo(expected.expectedPort());
        assertThat(location.path()).isEqualTo(expected.path());
        assertThat(location.isDirectory()).isEqualTo(expected.directory());
        assertThat(Location.parse(location.toString())).isEqualTo(location);
    }

    static Stream<Arguments> invalidLocations() {
        return Stream.of(
                Arguments.of("", "'' is empty or blank"),
                Arguments.of("   ", "'   ' is empty or blank"),
                Arguments.of("data/x", "relative location in 'data/x'"),
                Arguments.of("./x", "relative location in './x'"),
                Arguments.of("x", "relative location in 'x'"),
                Arguments.of("ftp://host/a", "unsupported scheme 'ftp' in 'ftp://host/a'; supported: file, s3, gs, gcs, abfs, abfss, az, sftp, hdfs"),
                Arguments.of("http://host/a", "unsupported scheme 'http'"),
                Arguments.of("1s3://bucket/a", "malformed scheme '1s3'"),
                Arguments.of("s3:bucket/a", "scheme 's3' must be followed by '://' in 's3:bucket/a'"),
                Arguments.of("s3:/bucket/a", "scheme 's3' must be followed by '://'"),
                Arguments.of("file://host/a", "a file location must be 'file:///absolute/path', without a host, in 'file://host/a'"),
                Arguments.of("file://", "a file location must be 'file:///absolute/path'"),
                Arguments.of("s3:///a", "missing host (bucket, container or server) after 's3://' in 's3:///a'"),
                Arguments.of("s3://", "missing host"),
                Arguments.of("gs:///a", "missing host"),
                Arguments.of("sftp://user@/a", "missing host"),
                Arguments.of("s3://bad_host!/a", "malformed host 'bad_host!'"),
                Arguments.of("s3://-bucket/a", "malformed host '-bucket'"),
                Arguments.of("s3://user@bucket/a", "scheme 's3' does not take user information in 's3://***@bucket/a'"),
                Arguments.of("sftp://user:secret@host/a", "user information must not contain a password in 'sftp://***@host/a'"),
                Arguments.of("sftp://us er@host/a", "malformed user information 'us er'"),
                Arguments.of("sftp://a@b@host/a", "malformed user information 'a@b'"),
                Arguments.of("s3://AKIAEXAMPLE:ROAM-FAKE-SECRET@bucket/a", "does not take user information in 's3://***@bucket/a'"),
                Arguments.of("s3://ghp_token@bucket/a", "does not take user information in 's3://***@bucket/a'"),
                Arguments.of("abfss://container:key@account.dfs.core.windows.net/a", "must not contain a password in "
                        + "'abfss://***@account.dfs.core.windows.net/a'"),
                Arguments.of("s3://bucket/a/%c0%ae%c0%ae/b", "percent-encoded overlong UTF-8 in segment '%c0%ae%c0%ae'"),
                Arguments.of("s3://bucket/a/%C1%9Cx", "percent-encoded overlong UTF-8"),
                Arguments.of("s3://bucket/a/%e0%80%ae/b", "percent-encoded overlong UTF-8"),
                Arguments.of("s3://bucket/a/%f0%80%80%ae/b", "percent-encoded overlong UTF-8"),
                Arguments.of("s3://bucket/a/%25c0%25ae/b", "percent-encoded overlong UTF-8"),
                Arguments.of("s3://bucket:9000/a", "scheme 's3' does not take a port"),
                Arguments.of("sftp://host:0/a", "port 0 is not between 1 and 65535"),
                Arguments.of("sftp://host:65536/a", "port 65536 is not between 1 and 65535"),
                Arguments.of("sftp://host:/a", "malformed port ':'"),
                Arguments.of("sftp://host:22x/a", "malformed port ':22x'"),
                Arguments.of("sftp://host:123456/a", "malformed port ':123456'"),
                Arguments.of("sftp://[::1/a", "malformed IPv6 host '[::1'"),
                Arguments.of("/data/../etc/passwd", "'..' segment in '/data/../etc/passwd'"),
                Arguments.of("/data/./x", "'.' segment"),
                Arguments.of("/data/..", "'..' segment"),
                Arguments.of("s3://bucket/..", "'..' segment"),
                Arguments.of("s3://bucket/../x", "'..' segment"),
                Arguments.of("s3://bucket/a/%2e%2e/b", "percent-encoded '..' segment '%2e%2e'"),
                Arguments.of("s3://bucket/a/%2E./b", "percent-encoded '..' segment '%2E.'"),
                Arguments.of("s3://bucket/a/.%2e/b", "percent-encoded '..' segment '.%2e'"),
                Arguments.of("s3://bucket/a/%2e/b", "percent-encoded '.' segment '%2e'"),
                Arguments.of("s3://bucket/a/%252e%252e/b", "percent-encoded '..' segment '%252e%252e'"),
                Arguments.of("s3://bucket/a%2fb", "percent-encoded slash in segment 'a%2fb'"),
                Arguments.of("s3://bucket/a%2Fb", "percent-encoded slash"),
                Arguments.of("s3://bucket/a%5cb", "percent-encoded backslash in segment 'a%5cb'"),
                Arguments.of("s3://bucket/a%5Cb", "percent-encoded backslash"),
                Arguments.of("s3://bucket/a%00b", "percent-encoded control character in segment 'a%00b'"),
                Arguments.of("s3://bucket/a%0ab", "percent-encoded control character"),
                Arguments.of("/data//x", "empty path segment ('//') in '/data//x'"),
                Arguments.of("//data/x", "empty path segment"),
                Arguments.of("s3://bucket//x", "empty path segment"),
                Arguments.of("file:////x", "empty path segment"),
                Arguments.of("/data\\x", "backslash at index 5 in '/data\\x'"),
                Arguments.of("/data/x\u0000.bin", "control character U+0000 at index 7 in '/data/x\\u0000.bin'"),
                Arguments.of("/data/x\n", "control character U+000A"),
                Arguments.of("/data/x\u007f", "control character U+007F"),
                Arguments.of("/data/x\u0085", "control character U+0085"),
                Arguments.of("/data/\uD800x", "unpaired surrogate U+D800 at index 6 in '/data/\\uD800x'"),
                Arguments.of("s3://bucket/a?versionId=1", "query ('?') at index 13"),
                Arguments.of("s3://bucket/a#part", "fragment ('#') at index 13"),
                Arguments.of("/" + "a".repeat(Location.MAXIMUM_LENGTH), "too long (4097 characters, more than the 4096 allowed): '/aaaa"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidLocations")
    void rejectsInvalidLocationsSayingWhatIsWrong(String text, String expectedMessage) {
        assertThatThrownBy(() -> Location.parse(text))
                .isInstanceOf(InvalidLocationException.class)
                .hasMessageContaining(expectedMessage);
    }

    @Test
    void asDirectoryAddsTheTrailingSlashInTheLocationsOwnForm() {
        assertThat(Location.parse("/data/run-42").asDirectory()).hasToString("/data/run-42/");
        assertThat(Location.parse("s3://bucket/run-42").asDirectory()).hasToString("s3://bucket/run-42/");
        Location directory = Location.parse("gs://bucket/run-42/");
        assertThat(directory.asDirectory()).isSameAs(directory);
    }

    @Test
    void quotesOverLongInputShortened() {
        assertThatThrownBy(() -> Location.parse("/" + "a".repeat(10_000)))
                .hasMessageEndingWith("'/" + "a".repeat(199) + "...'");
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> Location.parse(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("location is null");
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "/data/x/model.bin, model.bin",
            "s3://bucket/model.bin, model.bin",
            "s3://bucket/a/模型 1.bin, 模型 1.bin",
    })
    void fileNameIsTheLastSegment(String text, String expectedFileName) {
        assertThat(Location.parse(text).fileName()).isEqualTo(expectedFileName);
    }

    @Test
    void directoryHasNoFileName() {
        assertThatThrownBy(() -> Location.parse("s3://bucket/a/").fileName())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("'s3://bucket/a/' is a directory, not a file");
    }

    @ParameterizedTest(name = "{0} + {1} = {2}")
    @CsvSource({
            "/data/x/, a/b.bin, /data/x/a/b.bin",
            "file:///data/x/, a/b.bin, file:///data/x/a/b.bin",
            "/, a, /a",
            "file:///, a, file:///a",
            "s3://bucket, a/b, s3://bucket/a/b",
            "s3://bucket/, a/b, s3://bucket/a/b",
            "sftp://user@host:22, a, sftp://user@host:22/a",
            "s3://bucket/dir/, sub/, s3://bucket/dir/sub/",
            "s3://bucket/dir/, données/ckpt 1/模型.bin, s3://bucket/dir/données/ckpt 1/模型.bin",
    })
    void resolveAppendsToTheDirectoryKeepingItsForm(String directory, String relativePath, String expected) {
        Location resolved = Location.parse(directory).resolve(relativePath);

        assertThat(resolved).isEqualTo(Location.parse(expected));
        assertThat(resolved.toString()).isEqualTo(expected);
    }

    static Stream<Arguments> invalidRelativePaths() {
        return Stream.of(
                Arguments.of("", "relative path '' is empty or blank"),
                Arguments.of("/a", "relative path '/a' must not start with '/'"),
                Arguments.of("../a", "'..' segment in relative path '../a'"),
                Arguments.of("a/./b", "'.' segment"),
                Arguments.of("%2e%2e/a", "percent-encoded '..' segment"),
                Arguments.of("a//b", "empty path segment"),
                Arguments.of("a\\b", "backslash"),
                Arguments.of("a?b", "query"),
                Arguments.of("a#b", "fragment"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRelativePaths")
    void resolveRejectsInvalidRelativePaths(String relativePath, String expectedMessage) {
        Location directory = Location.parse("s3://bucket/dir/");

        assertThatThrownBy(() -> directory.resolve(relativePath))
                .isInstanceOf(InvalidLocationException.class)
                .hasMessageContaining(expectedMessage);
    }

    @Test
    void resolveRejectsResultsThatAreTooLong() {
        Location directory = Location.parse("/" + "a".repeat(4000) + "/");

        assertThatThrownBy(() -> directory.resolve("b".repeat(100)))
                .isInstanceOf(InvalidLocationException.class)
                .hasMessageContaining("too long (4102 characters, more than the 4096 allowed)");
    }

    @Test
    void resolveRequiresADirectory() {
        assertThatThrownBy(() -> Location.parse("s3://bucket/file").resolve("a"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot resolve 'a' against 's3://bucket/file': it is not a directory (it does not end with '/')");
    }

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource({
            "/data/, /data/x, true",
            "/data/, /data/, true",
            "/data/, /data/a/b/c/, true",
            "/data/, file:///data/x, true",
            "file:///data/, /data/x, true",
            "/, /anything/at/all, true",
            "/data/, /data, false",
            "/data/, /database/x, false",
            "s3://bucket/dir/, s3://bucket/dir-other/x, false",
            "s3://bucket/dir/, s3://bucket/dir/x, true",
            "s3://bucket, s3://bucket/x, true",
            "s3://bucket, s3://other/x, false",
            "s3://bucket/, gs://bucket/x, false",
            "S3://bucket/, s3://bucket/x, true",
            "gcs://bucket/, gs://bucket/x, true",
            "gs://bucket/, gcs://bucket/x, true",
            "az://container/, abfs://container/x, true",
            "abfs://container/, abfss://container/x, false",
            "abfss://c1@account.dfs.core.windows.net/, abfss://c2@account.dfs.core.windows.net/x, false",
            "sftp://user@host:22/home/, sftp://user@host:22/home/x, true",
            "sftp://user@host:22/home/, sftp://user@host:2222/home/x, false",
            "sftp://user@host/home/, sftp://other@host/home/x, false",
            "/data/x, /data/x, true",
            "/data/x, /data/x/y, false",
    })
    void containsComparesCanonicalPlacesOnSegmentBoundaries(String directory, String other, boolean expected) {
        assertThat(Location.parse(directory).contains(Location.parse(other))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{1} under {0} is ''{2}''")
    @CsvSource({
            "/data/, /data/a/b.bin, a/b.bin",
            "/data/, file:///data/a/b.bin, a/b.bin",
            "file:///data/, /data/a/, a/",
            "s3://bucket, s3://bucket/a, a",
            "s3://bucket/dir/, s3://bucket/dir/, ''",
            "s3://bucket/dir/, s3://bucket/dir/données/模型.bin, données/模型.bin",
    })
    void relativePathOfRemovesTheDirectoryPath(String directory, String descendant, String expected) {
        Location directoryLocation = Location.parse(directory);
        Location descendantLocation = Location.parse(descendant);

        String relativePath = directoryLocation.relativePathOf(descendantLocation);

        assertThat(relativePath).isEqualTo(expected);
        if (!relativePath.isEmpty()) {
            assertThat(directoryLocation.resolve(relativePath).canonical()).isEqualTo(descendantLocation.canonical());
        }
    }

    @Test
    void relativePathOfRejectsLocationsOutsideTheDirectory() {
        assertThatThrownBy(() -> Location.parse("s3://bucket/dir/").relativePathOf(Location.parse("s3://bucket/dir-other/x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'s3://bucket/dir-other/x' is not under 's3://bucket/dir/'");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "/data/x/, file:///data/x/",
            "/, file:///",
            "file:///data/x, file:///data/x",
            "FILE:///data/x, file:///data/x",
            "S3://bucket/a, s3://bucket/a",
            "gcs://bucket/a, gs://bucket/a",
            "GCS://bucket/a, gs://bucket/a",
            "az://container/a, abfs://container/a",
            "abfss://container@account.dfs.core.windows.net/a, abfss://container@account.dfs.core.windows.net/a",
            "sftp://user@host:22/a, sftp://user@host:22/a",
    })
    void canonicalMapsBarePathsAndSchemeAliases(String text, String expected) {
        Location canonical = Location.parse(text).canonical();

        assertThat(canonical.toString()).isEqualTo(expected);
        assertThat(canonical).isEqualTo(Location.parse(expected));
        assertThat(canonical.path()).isEqualTo(Location.parse(text).path());
    }

    @Test
    void equalityIsOnTheTextAsWritten() {
        assertThat(Location.parse("s3://bucket/a")).isEqualTo(Location.parse("s3://bucket/a"))
                .hasSameHashCodeAs(Location.parse("s3://bucket/a"));
        assertThat(Location.parse("/data/x")).isNotEqualTo(Location.parse("file:///data/x"));
        assertThat(Location.parse("/data/x").canonical()).isEqualTo(Location.parse("file:///data/x").canonical());
    }
}
