package io.roam.storage.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.roam.storage.Location;
import io.roam.storage.ServerSideCopy;
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

/** Reading profile properties: no server is needed, and no secret ever appears in a message. */
class AzureSettingsTest {

    private static final String KEY = "c2VjcmV0LWFjY291bnQta2V5LWZvci10ZXN0cw==";
    private static final List<Location> ROOTS = List.of(Location.parse("az://checkpoints/"));

    @TempDir
    Path directory;

    @Test
    void theBackendIsFoundByItsName() {
        assertThat(ServiceLoader.load(StorageBackend.class).stream().map(ServiceLoader.Provider::get))
                .anySatisfy(backend -> {
                    assertThat(backend).isInstanceOf(AzureStorageBackend.class);
                    assertThat(backend.name()).isEqualTo("azure");
                });
    }

    @Test
    void aProfileWithOnlyAnAccountUsesTheDefaultCredentialChainAndThePublicEndpoint() {
        AzureSettings settings = AzureSettings.from(profile(Map.of("account", "labdata")), variable -> null);

        assertThat(settings.account()).isEqualTo("labdata");
        assertThat(settings.endpoint()).contains("https://labdata.blob.core.windows.net");
        assertThat(settings.credentials()).isInstanceOf(AzureCredentials.Token.class);
        assertThat(settings.blockSize()).isEqualTo(8 * 1024 * 1024);
        assertThat(settings.uploadConcurrency()).isEqualTo(4);
        assertThat(settings.copyBlockSize()).isEqualTo(256L * 1024 * 1024);
        assertThat(settings.listPageSize()).isEqualTo(1000);
    }

    /** Building the clients needs no network: a profile with the default chain is created and closed offline. */
    @Test
    void createsAFileSystemWithoutContactingAzure() {
        StorageFileSystem fileSystem = new AzureStorageBackend().create(profile(Map.of("account", "labdata", "client-id", "00000000-0000-0000-0000-000000000000")));

        assertThat(fileSystem).isInstanceOf(ServerSideCopy.class);
        fileSystem.close();
    }

    @Test
    void readsTheAccountKeyFromTheNamedEnvironmentVariable() {
        AzureSettings settings = AzureSettings.from(
                profile(Map.of("account", "labdata", "credentials", "account-key", "account-key-env", "ROAM_AZURE_KEY")),
                variable -> variable.equals("ROAM_AZURE_KEY") ? KEY : null);

        assertThat(settings.credentials()).isInstanceOfSatisfying(AzureCredentials.AccountKey.class,
                credentials -> assertThat(credentials.key().getAccountName()).isEqualTo("labdata"));
    }

    @Test
    void readsASasTokenFromAFileWithoutItsQuestionMarkAndFinalNewline() throws IOException {
        Path file = Files.writeString(directory.resolve("sas"), "?sv=2024-01-01&sig=abc\n");

        AzureSettings settings = AzureSettings.from(
                profile(Map.of("account", "labdata", "credentials", "sas-token", "sas-token-file", file.toString())), variable -> null);

        assertThat(settings.credentials()).isEqualTo(new AzureCredentials.SharedAccessSignature("sv=2024-01-01&sig=abc"));
        assertThat(settings.credentials().toString()).doesNotContain("sig=abc");
    }

    @Test
    void aConnectionStringNamesTheEndpointUnlessTheProfileDoes() throws IOException {
        Path file = Files.writeString(directory.resolve("connection-string"),
                "DefaultEndpointsProtocol=https;AccountName=labdata;AccountKey=%s;EndpointSuffix=core.windows.net".formatted(KEY));

        AzureSettings settings = AzureSettings.from(
                profile(Map.of("account", "labdata", "credentials", "connection-string", "connection-string-file", file.toString())), variable -> null);

        assertThat(settings.endpoint()).isEmpty();
        assertThat(settings.credentials()).isInstanceOfSatisfying(AzureCredentials.ConnectionString.class,
                credentials -> assertThat(credentials.sharedAccessSignature()).isEmpty());
        assertThat(settings.credentials().toString()).doesNotContain(KEY);
    }

    @Test
    void readsSizesWithUnits() {
        AzureSettings settings = AzureSettings.from(profile(Map.of(
                "account", "labdata", "block-size", "16MiB", "copy-block-size", "1GiB", "upload-concurrency", "8", "list-page-size", "5000")), variable -> null);

        assertThat(settings.blockSize()).isEqualTo(16 * 1024 * 1024);
        assertThat(settings.copyBlockSize()).isEqualTo(1024L * 1024 * 1024);
        assertThat(settings.uploadConcurrency()).isEqualTo(8);
        assertThat(settings.listPageSize()).isEqualTo(5000);
        assertThat(AzureSettings.from(profile(Map.of("account", "labdata", "block-size", "4194304")), variable -> null).blockSize()).isEqualTo(4 * 1024 * 1024);
    }

    @Test
    void refusesAProfileWithoutAnAccount() {
        assertRefused(Map.of("endpoint", "https://labdata.blob.core.windows.net"), "roam.storage.profiles.lab.properties.account: is required, but not set");
        assertRefused(Map.of("account", "Lab_Data"), "properties.account: is 'Lab_Data', but a storage account name has");
    }

    @Test
    void refusesUnknownProperties() {
        assertRefused(Map.of("account", "labdata", "acount-key-env", "X"), "properties.acount-key-env: is not a property of the azure backend");
    }

    @Test
    void refusesCredentialsWithoutExactlyOneSecretSource() {
        assertRefused(Map.of("account", "labdata", "credentials", "account-key"), "exactly one of 'account-key-env' (an environment variable's name) and 'account-key-file' (a secret file's path) must be set, not neither");
        assertRefused(Map.of("account", "labdata", "credentials", "account-key", "account-key-env", "A", "account-key-file", "/b"),
                "exactly one of 'account-key-env' (an environment variable's name) and 'account-key-file' (a secret file's path) must be set, not both");
        assertRefused(Map.of("account", "labdata", "credentials", "certificate"), "properties.credentials: must be one of default, account-key, sas-token, connection-string, not 'certificate'");
    }

    @Test
    void refusesSecretSourcesThatTheChosenCredentialsDoNotRead() {
        assertRefused(Map.of("account", "labdata", "sas-token-env", "ROAM_SAS"), "properties.sas-token-env: is only read with credentials=sas-token, not default");
        assertRefused(Map.of("account", "labdata", "credentials", "sas-token", "sas-token-env", "ROAM_SAS", "client-id", "id"), "properties.client-id: selects a managed or workload identity");
    }

    @Test
    void namesAMissingEnvironmentVariableOrSecretFile() {
        assertRefused(Map.of("account", "labdata", "credentials", "account-key", "account-key-env", "ROAM_UNSET"),
                "properties.account-key-env: names environment variable 'ROAM_UNSET', which is not set");
        Path missing = directory.resolve("missing-key");
        assertRefused(Map.of("account", "labdata", "credentials", "account-key", "account-key-file", missing.toString()),
                "cannot read secret file '%s'".formatted(missing));
    }

    @Test
    void refusesAnAccountKeyThatIsNotBase64WithoutQuotingIt() {
        String notBase64 = "this is not base64 but a secret!";
        assertThatThrownBy(() -> AzureSettings.from(
                profile(Map.of("account", "labdata", "credentials", "account-key", "account-key-env", "ROAM_AZURE_KEY")),
                variable -> notBase64))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not Base64")
                .hasMessageNotContaining(notBase64)
                .hasNoCause();
    }

    @Test
    void refusesAConnectionStringOfAnotherAccountOrWithoutASecret() throws IOException {
        Path otherAccount = Files.writeString(directory.resolve("other"), "AccountName=otheraccount;AccountKey=%s".formatted(KEY));
        Path withoutSecret = Files.writeString(directory.resolve("without-secret"), "AccountName=labdata;EndpointSuffix=core.windows.net");

        assertRefused(Map.of("account", "labdata", "credentials", "connection-string", "connection-string-file", otherAccount.toString()),
                "is for account 'otheraccount', not 'labdata'");
        assertRefused(Map.of("account", "labdata", "credentials", "connection-string", "connection-string-file", withoutSecret.toString()),
                "neither an AccountKey nor a SharedAccessSignature");
    }

    @Test
    void refusesAnEndpointCarryingASignature() {
        assertThatThrownBy(() -> AzureSettings.from(profile(Map.of("account", "labdata", "endpoint", "https://labdata.blob.core.windows.net/?sv=1&sig=SECRET")), variable -> null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not carry a query")
                .hasMessageNotContaining("SECRET");
        assertRefused(Map.of("account", "labdata", "endpoint", "ftp://labdata"), "properties.endpoint: must be an http:// or https:// URL with a host");
    }

    @Test
    void refusesSizesOutsideTheirRange() {
        assertRefused(Map.of("account", "labdata", "block-size", "1KiB"), "properties.block-size: must be between 64KiB and 1GiB");
        assertRefused(Map.of("account", "labdata", "block-size", "2GiB"), "properties.block-size: must be between 64KiB and 1GiB");
        assertRefused(Map.of("account", "labdata", "block-size", "lots"), "properties.block-size: must be a size in bytes");
        assertRefused(Map.of("account", "labdata", "upload-concurrency", "0"), "properties.upload-concurrency: must be between 1 and 16, not 0");
        assertRefused(Map.of("account", "labdata", "list-page-size", "5001"), "properties.list-page-size: must be between 1 and 5000, not 5001");
    }

    @Test
    void refusesRootsThatAreNotLocationsOfTheAccount() {
        assertRefusedRoots(List.of(Location.parse("s3://checkpoints/")), "serves only abfs://, abfss:// and az://");
        assertRefusedRoots(List.of(Location.parse("abfss://checkpoints@otheraccount.dfs.core.windows.net/")), "account 'otheraccount'");
        assertRefusedRoots(List.of(Location.parse("az://Checkpoints/")), "'Checkpoints' is not a valid container name");
    }

    private static StorageProfile profile(Map<String, String> properties) {
        return profile(ROOTS, properties);
    }

    private static StorageProfile profile(List<Location> roots, Map<String, String> properties) {
        return new StorageProfile("lab", "azure", roots, Optional.empty(), Optional.empty(), properties);
    }

    private static void assertRefused(Map<String, String> properties, String message) {
        assertThatThrownBy(() -> AzureSettings.from(profile(properties), variable -> null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("roam.storage.profiles.lab.properties.")
                .hasMessageContaining(message);
    }

    private static void assertRefusedRoots(List<Location> roots, String message) {
        assertThatThrownBy(() -> new AzureStorageBackend().create(profile(roots, Map.of("account", "labdata"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("storage profile 'lab'")
                .hasMessageContaining(message);
    }
}
