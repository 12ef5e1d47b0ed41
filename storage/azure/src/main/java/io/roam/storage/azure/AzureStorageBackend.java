package io.roam.storage.azure;

import static java.util.Objects.requireNonNull;

import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.storage.blob.BlobServiceClientBuilder;
import io.roam.storage.StorageBackend;
import io.roam.storage.StorageFileSystem;
import io.roam.storage.StorageProfile;

import java.util.function.UnaryOperator;

/**
 * Azure Blob Storage, and ADLS Gen2 (hierarchical namespace) accounts through their Blob endpoint, with
 * the Azure SDK for Java over the JDK's HTTP client. One profile serves one storage account.
 *
 * <p>Locations: {@code az://container/path}, {@code abfs://container/path} (the account is the profile's),
 * and {@code abfss://container@account.dfs.core.windows.net/path} (the account must be the profile's).
 * Roots use the form the profile's locations are written in.
 *
 * <p>Profile properties ({@code roam.storage.profiles.<name>.properties.<key>}):
 * <ul>
 *   <li>{@code account} (required): the storage account's name.
 *   <li>{@code endpoint}: the blob endpoint, default {@code https://<account>.blob.core.windows.net}; set it
 *       for sovereign clouds, private endpoints or Azurite ({@code http://127.0.0.1:10000/devstoreaccount1}).
 *       With a connection string, the default is the one it names.
 *   <li>{@code credentials}: how requests are authorised:
 *     <ul>
 *       <li>{@code default} (the default): {@code DefaultAzureCredential}, that is workload identity, managed
 *           identity, the {@code AZURE_*} environment variables or the Azure CLI; {@code client-id} selects a
 *           user-assigned identity;
 *       <li>{@code account-key}: the account key, from the environment variable named by
 *           {@code account-key-env} or the file whose path is {@code account-key-file};
 *       <li>{@code sas-token}: a shared access signature, from {@code sas-token-env} or {@code sas-token-file};
 *       <li>{@code connection-string}: a connection string with an {@code AccountKey} or a
 *           {@code SharedAccessSignature}, from {@code connection-string-env} or {@code connection-string-file}.
 *     </ul>
 *     Secrets are never property values; they are read once, when the file system is created.
 *   <li>{@code block-size}: the size of the blocks a write stages, 64 KiB to 1 GiB, default {@code 8MiB}
 *       (a blob has at most 50,000 blocks: 390 GiB at 8 MiB).
 *   <li>{@code upload-concurrency}: blocks of one write (or copy) in flight at once, 1 to 16, default 2. A
 *       write holds at most {@code upload-concurrency + 1} blocks in memory.
 *   <li>{@code copy-block-size}: the size of the ranges a server-side copy stages from its source, 64 KiB
 *       to 4000 MiB, default {@code 256MiB}.
 *   <li>{@code list-page-size}: blobs per listing request, 1 to 5000, default 1000.
 * </ul>
 */
public final class AzureStorageBackend implements StorageBackend {

    public static final String NAME = "azure";

    private final UnaryOperator<String> environment;

    public AzureStorageBackend() {
        this(System::getenv);
    }

    /** With another environment than the process's, from which {@code *-env} properties are read. */
    AzureStorageBackend(UnaryOperator<String> environment) {
        this.environment = requireNonNull(environment, "environment is null");
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * @throws IllegalArgumentException when a property is missing, unknown or invalid, a secret cannot be
     *     read, or a root is not an Azure location of the profile's account
     */
    @Override
    public StorageFileSystem create(StorageProfile profile) {
        AzureSettings settings = AzureSettings.from(profile, environment);
        HttpClient httpClient = new JdkHttpClientBuilder().build();
        BlobServiceClientBuilder builder = new BlobServiceClientBuilder().httpClient(httpClient);
        settings.credentials().configure(builder);
        settings.endpoint().ifPresent(builder::endpoint);
        return new AzureFileSystem(profile, settings, builder.buildClient());
    }
}
