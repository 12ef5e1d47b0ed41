package io.roam.storage.gcs;

import static io.roam.storage.testing.AbstractStorageFileSystemContractTest.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roam.storage.Location;
import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageException;

import org.junit.jupiter.api.Test;

class GcsLocationTest {

    @Test
    void splitsBucketAndObjectName() {
        assertThat(GcsLocation.of(Location.parse("gs://lab-data/runs/42/model.bin"))).isEqualTo(new GcsLocation("lab-data", "runs/42/model.bin"));
        assertThat(GcsLocation.of(Location.parse("gcs://lab-data/runs/"))).isEqualTo(new GcsLocation("lab-data", "runs/"));
        assertThat(GcsLocation.of(Location.parse("gs://lab-data"))).isEqualTo(new GcsLocation("lab-data", ""));
    }

    @Test
    void acceptsBucketNamesGcsAccepts() {
        for (String bucket : new String[] {"abc", "a_b-c.d", "0ab", "%s".formatted("a".repeat(63)), "example.com", "%s.%s".formatted("a".repeat(63), "b".repeat(63))}) {
            assertThat(GcsLocation.bucketNameProblem(bucket)).as(bucket).isNull();
        }
    }

    @Test
    void refusesBucketNamesGcsRefuses() {
        assertThat(GcsLocation.bucketNameProblem("ab")).contains("shorter than 3");
        assertThat(GcsLocation.bucketNameProblem("a".repeat(64))).contains("longer than 63");
        assertThat(GcsLocation.bucketNameProblem(("a".repeat(60) + ".").repeat(4) + "abc")).contains("longer than 222");
        assertThat(GcsLocation.bucketNameProblem("a".repeat(64) + ".com")).contains("1 to 63");
        assertThat(GcsLocation.bucketNameProblem("a..b")).contains("1 to 63");
        assertThat(GcsLocation.bucketNameProblem("Data")).contains("lowercase");
        assertThat(GcsLocation.bucketNameProblem("-data")).contains("starting and ending");
        assertThat(GcsLocation.bucketNameProblem("data_")).contains("starting and ending");
        assertThat(GcsLocation.bucketNameProblem("10.0.0.1")).contains("IP address");
        assertThat(GcsLocation.bucketNameProblem("goog-data")).contains("reserved");
        assertThat(GcsLocation.bucketNameProblem("my-g00gle-data")).contains("reserved");
    }

    @Test
    void refusesOtherSchemesAndLongObjectNames() {
        assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> GcsLocation.of(Location.parse("s3://lab-data/a")));
        assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> GcsLocation.of(Location.parse("/lab-data/a")));
        // 342 three-byte characters are 1026 bytes, over GCS's 1024.
        assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> GcsLocation.of(Location.parse("gs://lab-data/" + "模".repeat(342))));
        assertThat(GcsLocation.of(Location.parse("gs://lab-data/" + "模".repeat(341))).name()).hasSize(341);
    }

    @Test
    void messagesNameTheLocationAndTheRule() {
        assertThatThrownBy(() -> GcsLocation.of(Location.parse("gs://Lab-Data/a")))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("gs://Lab-Data/a")
                .hasMessageContaining("lowercase");
    }
}
