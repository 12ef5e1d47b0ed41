package io.roam.storage.azure;

import static io.roam.storage.testing.AbstractStorageFileSystemContractTest.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roam.storage.Location;
import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AzureLocationTest {

    private static final String ACCOUNT = "labdata";

    @Test
    void theHostIsTheContainerOfAzAndAbfsLocations() {
        assertThat(AzureLocation.of(Location.parse("az://checkpoints/run-42/model.bin"), ACCOUNT))
                .isEqualTo(new AzureLocation(Location.parse("az://checkpoints/run-42/model.bin"), "checkpoints", "run-42/model.bin"));
        assertThat(AzureLocation.of(Location.parse("abfs://checkpoints/run-42/"), ACCOUNT).container()).isEqualTo("checkpoints");
        assertThat(AzureLocation.of(Location.parse("abfss://checkpoints"), ACCOUNT).blobName()).isEmpty();
    }

    @Test
    void theUserInfoIsTheContainerAndTheHostNamesTheAccountInTheAbfsForm() {
        AzureLocation location = AzureLocation.of(Location.parse("abfss://checkpoints@labdata.dfs.core.windows.net/run-42/model.bin"), ACCOUNT);

        assertThat(location.container()).isEqualTo("checkpoints");
        assertThat(location.blobName()).isEqualTo("run-42/model.bin");
        assertThat(AzureLocation.of(Location.parse("abfs://checkpoints@labdata.blob.core.chinacloudapi.cn/a"), ACCOUNT).container()).isEqualTo("checkpoints");
    }

    @Test
    void refusesAnotherAccountThanTheProfiles() {
        assertThatThrownBy(() -> AzureLocation.of(Location.parse("abfss://checkpoints@otheraccount.dfs.core.windows.net/a"), ACCOUNT))
                .isInstanceOfSatisfying(StorageException.class, exception -> assertThat(exception.kind()).isEqualTo(StorageErrorKind.INVALID_LOCATION))
                .hasMessageContaining("account 'otheraccount'")
                .hasMessageContaining("serves account 'labdata'");
        assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> AzureLocation.of(Location.parse("abfss://checkpoints@labdata.example.com/a"), ACCOUNT));
    }

    @Test
    void refusesOtherSchemes() {
        assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> AzureLocation.of(Location.parse("s3://checkpoints/a"), ACCOUNT));
        assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> AzureLocation.of(Location.parse("/checkpoints/a"), ACCOUNT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "a-b", "0day", "checkpoints-2024", "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0"})
    void acceptsValidContainerNames(String container) {
        assertThat(AzureLocation.isValidContainerName(container)).isTrue();
    }

    /** Names that {@link Location} itself refuses as hosts, such as {@code -abc}, never get here, but are refused here too. */
    @ParameterizedTest
    @ValueSource(strings = {"-abc", "abc-", "a$b"})
    void refusesContainerNamesThatAreNoHosts(String container) {
        assertThat(AzureLocation.isValidContainerName(container)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ab", "Checkpoints", "check_points", "check.points", "a--b", "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz01"})
    void refusesInvalidContainerNames(String container) {
        assertThat(AzureLocation.isValidContainerName(container)).isFalse();
        assertThatThrownBy(() -> AzureLocation.of(Location.parse("az://%s/file.bin".formatted(container)), ACCOUNT))
                .isInstanceOfSatisfying(StorageException.class, exception -> assertThat(exception.kind()).isEqualTo(StorageErrorKind.INVALID_LOCATION))
                .hasMessageContaining("'%s' is not a valid container name".formatted(container));
    }

    @Test
    void refusesBlobNamesLongerThanTheServiceAllows() {
        assertFailsWith(StorageErrorKind.INVALID_LOCATION, () -> AzureLocation.of(Location.parse("az://checkpoints/" + "a".repeat(1025)), ACCOUNT));
        assertThat(AzureLocation.of(Location.parse("az://checkpoints/" + "a".repeat(1024)), ACCOUNT).blobName()).hasSize(1024);
    }
}
