package io.roam.storage.azure;

import static java.util.Objects.requireNonNull;

import com.azure.core.credential.AzureSasCredential;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpAuthorization;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.options.BlockBlobStageBlockFromUrlOptions;
import com.azure.storage.blob.sas.BlobSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.azure.storage.common.StorageSharedKeyCredential;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * How a file system authenticates to its account, once its secret has been read: what the client builder
 * is given, and how a server-side copy lets the service read the source blob.
 */
sealed interface AzureCredentials {

    /** How long the SAS signed for one Put Block From URL request stays valid: that one request. */
    Duration COPY_SOURCE_SAS_VALIDITY = Duration.ofHours(1);
    String STORAGE_SCOPE = "https://storage.azure.com/.default";

    void configure(BlobServiceClientBuilder builder);

    /** The options of a Put Block From URL request reading {@code source}, authorised for this account. */
    BlockBlobStageBlockFromUrlOptions stageBlockFromUrl(String base64BlockId, BlobClient source);

    /** DefaultAzureCredential: managed identity, workload identity, environment, Azure CLI. */
    record Token(TokenCredential credential) implements AzureCredentials {

        public Token {
            requireNonNull(credential, "credential is null");
        }

        @Override
        public void configure(BlobServiceClientBuilder builder) {
            builder.credential(credential);
        }

        /** The service reads the source with a bearer token of the same identity. */
        @Override
        public BlockBlobStageBlockFromUrlOptions stageBlockFromUrl(String base64BlockId, BlobClient source) {
            String token = credential.getTokenSync(new TokenRequestContext().addScopes(STORAGE_SCOPE)).getToken();
            return new BlockBlobStageBlockFromUrlOptions(base64BlockId, source.getBlobUrl())
                    .setSourceAuthorization(new HttpAuthorization("Bearer", token));
        }
    }

    /** The account key: the client signs every request with it, and signs a service SAS for copy sources. */
    record AccountKey(StorageSharedKeyCredential key) implements AzureCredentials {

        public AccountKey {
            requireNonNull(key, "key is null");
        }

        @Override
        public void configure(BlobServiceClientBuilder builder) {
            builder.credential(key);
        }

        @Override
        public BlockBlobStageBlockFromUrlOptions stageBlockFromUrl(String base64BlockId, BlobClient source) {
            return new BlockBlobStageBlockFromUrlOptions(base64BlockId, source.getBlobUrl() + "?" + signReadAccess(source));
        }
    }

    /** A shared access signature, given to every request; the service reads copy sources with it too. */
    record SharedAccessSignature(String token) implements AzureCredentials {

        public SharedAccessSignature {
            requireNonNull(token, "token is null");
            token = token.startsWith("?") ? token.substring(1) : token;
        }

        @Override
        public void configure(BlobServiceClientBuilder builder) {
            builder.credential(new AzureSasCredential(token));
        }

        @Override
        public BlockBlobStageBlockFromUrlOptions stageBlockFromUrl(String base64BlockId, BlobClient source) {
            return new BlockBlobStageBlockFromUrlOptions(base64BlockId, source.getBlobUrl() + "?" + token);
        }

        @Override
        public String toString() {
            return "SharedAccessSignature[redacted]";
        }
    }

    /**
     * A connection string, which the SDK parses: it names the endpoint and holds either an account key or a
     * shared access signature.
     *
     * @param sharedAccessSignature the connection string's {@code SharedAccessSignature}, when it has one
     *     rather than an {@code AccountKey}
     */
    record ConnectionString(String value, Optional<String> sharedAccessSignature) implements AzureCredentials {

        public ConnectionString {
            requireNonNull(value, "value is null");
            requireNonNull(sharedAccessSignature, "sharedAccessSignature is null");
        }

        @Override
        public void configure(BlobServiceClientBuilder builder) {
            builder.connectionString(value);
        }

        @Override
        public BlockBlobStageBlockFromUrlOptions stageBlockFromUrl(String base64BlockId, BlobClient source) {
            String signature = sharedAccessSignature.orElseGet(() -> signReadAccess(source));
            return new BlockBlobStageBlockFromUrlOptions(base64BlockId, source.getBlobUrl() + "?" + signature);
        }

        @Override
        public String toString() {
            return "ConnectionString[redacted]";
        }
    }

    /** A read-only service SAS for one blob, signed with the account key the client holds, valid for one request. */
    private static String signReadAccess(BlobClient source) {
        return source.generateSas(new BlobServiceSasSignatureValues(
                OffsetDateTime.now().plus(COPY_SOURCE_SAS_VALIDITY), new BlobSasPermission().setReadPermission(true)));
    }
}
