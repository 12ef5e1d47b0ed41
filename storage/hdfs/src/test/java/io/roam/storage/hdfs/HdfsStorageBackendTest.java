package io.roam.storage.hdfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roam.storage.Location;
import io.roam.storage.StorageBackend;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.StorageProfile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Creating file systems from profiles: nothing here needs a cluster, since creation contacts none. */
class HdfsStorageBackendTest {

    private static final Location ROOT = Location.parse("hdfs://namenode.invalid:8020/data/");

    @TempDir
    Path temporaryDirectory;

    @Test
    void isFoundByServiceLoaderUnderItsName() {
        assertThat(ServiceLoader.load(StorageBackend.class).stream().map(provider -> provider.get().name()))
                .contains(HdfsStorageBackend.NAME);
    }

    @Test
    void createsAFileSystemWithoutContactingTheNameNode() {
        StorageFileSystem fileSystem = create(Map.of("user", "etl", "hadoop.dfs.client.use.datanode.hostname", "true"));

        fileSystem.close();
    }

    @Test
    void refusesRootsThatAreNotHdfsLocations() {
        assertThatThrownBy(() -> new HdfsStorageBackend().create(profile(List.of(ROOT, Location.parse("s3://bucket/data/")), Map.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'s3://bucket/data/' is not a valid HDFS location");
    }

    @Test
    void refusesUnknownProperties() {
        assertThatThrownBy(() -> create(Map.of("usr", "etl")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("roam.storage.profiles.cluster.properties.usr: is not a property of the hdfs backend");
    }

    @Test
    void refusesKerberosRatherThanRunningUnauthenticated() {
        for (Map<String, String> properties : List.of(
                Map.of("kerberos-principal", "roam/worker@EXAMPLE.COM", "kerberos-keytab-file", "/var/run/secrets/roam/roam.keytab"),
                Map.of("kerberos-keytab-file", "/var/run/secrets/roam/roam.keytab"),
                Map.of("hadoop.hadoop.security.authentication", "kerberos"))) {
            assertThatThrownBy(() -> create(properties))
                    .as("properties %s", properties)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Kerberos")
                    .hasMessageContaining("does not support yet");
        }
    }

    @Test
    void refusesKerberosAskedForByTheConfigurationDirectory() throws IOException {
        writeConfiguration("core-site.xml", Map.of("hadoop.security.authentication", "kerberos"));

        assertThatThrownBy(() -> create(Map.of("configuration-directory", temporaryDirectory.toString())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not support yet");
    }

    @Test
    void refusesAnInvalidUserName() {
        assertThatThrownBy(() -> create(Map.of("user", "etl user")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a valid HDFS user name");
    }

    @Test
    void refusesAConfigurationDirectoryThatIsMissingEmptyOrBroken() throws IOException {
        assertThatThrownBy(() -> create(Map.of("configuration-directory", temporaryDirectory.resolve("missing").toString())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a directory");
        assertThatThrownBy(() -> create(Map.of("configuration-directory", temporaryDirectory.toString())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds neither core-site.xml nor hdfs-site.xml");

        Files.writeString(temporaryDirectory.resolve("hdfs-site.xml"), "<configuration><property><name>dfs.replication");

        assertThatThrownBy(() -> create(Map.of("configuration-directory", temporaryDirectory.toString())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot read the Hadoop configuration in '%s'".formatted(temporaryDirectory));
    }

    @Test
    void appliesTheConfigurationDirectoryThenTheHadoopProperties() throws IOException {
        writeConfiguration("hdfs-site.xml", Map.of("dfs.replication", "2", "dfs.blocksize", "64m"));

        HdfsSettings settings = HdfsSettings.of(profile(List.of(ROOT), Map.of(
                "configuration-directory", temporaryDirectory.toString(),
                "hadoop.dfs.blocksize", "256m")));

        assertThat(settings.toConfiguration().get("dfs.replication")).isEqualTo("2");
        assertThat(settings.toConfiguration().get("dfs.blocksize")).isEqualTo("256m");
    }

    private StorageFileSystem create(Map<String, String> properties) {
        return new HdfsStorageBackend().create(profile(List.of(ROOT), properties));
    }

    private static StorageProfile profile(List<Location> roots, Map<String, String> properties) {
        return new StorageProfile("cluster", HdfsStorageBackend.NAME, roots, Optional.empty(), Optional.empty(), properties);
    }

    private void writeConfiguration(String fileName, Map<String, String> properties) throws IOException {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?>\n<configuration>\n");
        properties.forEach((name, value) -> xml.append("  <property><name>%s</name><value>%s</value></property>\n".formatted(name, value)));
        Files.writeString(temporaryDirectory.resolve(fileName), xml.append("</configuration>\n"));
    }
}
