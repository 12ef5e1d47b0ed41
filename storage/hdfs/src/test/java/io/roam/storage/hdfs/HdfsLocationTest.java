package io.roam.storage.hdfs;

import static io.roam.storage.testing.AbstractStorageFileSystemContractTest.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;

import io.roam.storage.Location;
import io.roam.storage.StorageErrorKind;

import java.net.URI;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HdfsLocationTest {

    @Test
    void aNameNodeWithAPortAndAPath() {
        HdfsLocation location = HdfsLocation.of(Location.parse("hdfs://namenode:8020/data/run-42/file.bin"));

        assertThat(location.authority()).isEqualTo("namenode:8020");
        assertThat(location.fileSystemUri()).isEqualTo(URI.create("hdfs://namenode:8020"));
        assertThat(location.path().toUri().getPath()).isEqualTo("/data/run-42/file.bin");
    }

    @Test
    void anHaNameServiceHasNoPort() {
        HdfsLocation location = HdfsLocation.of(Location.parse("hdfs://training/data/"));

        assertThat(location.authority()).isEqualTo("training");
        assertThat(location.path().toUri().getPath()).isEqualTo("/data");
    }

    @Test
    void theRootOfANameNode() {
        assertThat(HdfsLocation.of(Location.parse("hdfs://namenode:8020")).path().toUri().getPath()).isEqualTo("/");
        assertThat(HdfsLocation.of(Location.parse("hdfs://namenode:8020/")).path().toUri().getPath()).isEqualTo("/");
    }

    /** Hadoop's Path would read '%20' as an escaped space and a leading segment with ':' as a scheme: names are kept literally. */
    @Test
    void namesAreTakenLiterally() {
        HdfsLocation location = HdfsLocation.of(Location.parse("hdfs://namenode:8020/données/ckpt 1/100%20done/模型.bin"));

        assertThat(location.path().toUri().getPath()).isEqualTo("/données/ckpt 1/100%20done/模型.bin");
        assertThat(location.path().getName()).isEqualTo("模型.bin");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "s3://bucket/file.bin",
            "/local/file.bin",
            "hdfs://namenode:8020/data/a:b.bin",
            "hdfs://namenode:8020/.reserved/raw/data/file.bin",
            "hdfs://namenode:8020/.reserved/"})
    void refusesWhatHdfsCannotStore(String location) {
        assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> HdfsLocation.of(Location.parse(location)));
    }

    @Test
    void aReservedNameDeeperDownIsAnOrdinaryName() {
        assertThat(HdfsLocation.of(Location.parse("hdfs://namenode:8020/data/.reserved/file.bin")).path().toUri().getPath())
                .isEqualTo("/data/.reserved/file.bin");
    }
}
