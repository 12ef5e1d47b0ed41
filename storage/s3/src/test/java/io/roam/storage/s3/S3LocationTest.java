package io.roam.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roam.storage.Location;
import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class S3LocationTest {

    @Test
    void theBucketIsTheHostAndTheKeyThePathAsWritten() {
        S3Location location = S3Location.of(Location.parse("s3://my.bucket-1/data/模型 1.bin"));

        assertThat(location.bucket()).isEqualTo("my.bucket-1");
        assertThat(location.key()).isEqualTo("data/模型 1.bin");
        assertThat(S3Location.of(Location.parse("s3://bucket")).key()).isEmpty();
        assertThat(S3Location.of(Location.parse("s3://bucket/prefix/")).key()).isEqualTo("prefix/");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "a-b", "a.b.c", "0bucket", "bucket9", "my-bucket--x-s3"})
    void acceptsValidBucketNames(String bucket) {
        assertThat(S3Location.bucketNameProblem(bucket)).isNull();
        assertThat(S3Location.bucketNameProblem("b".repeat(63))).isNull();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "ab | 3 to 63 characters",
            "Bucket | lowercase letters",
            "under_score | lowercase letters",
            "bucket- | end with a letter or a digit",
            "a..b | no two adjacent dots",
            "192.168.0.1 | IP addresses",
            "xn--bucket | prefix 'xn--' is reserved",
            "sthree-bucket | prefix 'sthree-' is reserved",
    })
    void explainsInvalidBucketNames(String bucket, String expectedProblem) {
        assertThat(S3Location.bucketNameProblem(bucket)).contains(expectedProblem);
    }

    @Test
    void refusesTooLongBucketNamesAndKeys() {
        assertThat(S3Location.bucketNameProblem("b".repeat(64))).contains("3 to 63 characters");
        assertThatThrownBy(() -> S3Location.of(Location.parse("s3://bucket/" + "é".repeat(513))))
                .isInstanceOfSatisfying(StorageException.class, exception -> assertThat(exception.kind()).isEqualTo(StorageErrorKind.INVALID_LOCATION))
                .hasMessageContaining("a key of 1026 bytes in UTF-8; S3 keys are at most 1024 bytes");
    }

    @Test
    void refusesOtherSchemes() {
        assertThatThrownBy(() -> S3Location.of(Location.parse("gs://bucket/key")))
                .isInstanceOfSatisfying(StorageException.class, exception -> assertThat(exception.kind()).isEqualTo(StorageErrorKind.INVALID_LOCATION))
                .hasMessage("'gs://bucket/key' is not an S3 location: expected 's3://bucket/key'");
    }
}
