package io.roam.storage.s3;

import java.lang.System.Logger.Level;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Discards multipart uploads that will not be completed: writes failed or aborted, copies stopped. An upload
 * that cannot be aborted keeps its parts, which S3 stores and bills until the bucket's lifecycle rule for
 * incomplete multipart uploads removes them or someone aborts it. Nothing else would tell the operator: the
 * failure that made the write stop is what its caller reports, so such an upload is logged here, once, as a
 * warning naming its location and upload id (neither is a secret).
 */
final class S3MultipartUploads {

    private static final System.Logger LOGGER = System.getLogger(S3MultipartUploads.class.getName());

    private S3MultipartUploads() {
    }

    /**
     * Aborts the multipart upload {@code uploadId} of {@code target}. Never throws: when S3 refuses or cannot
     * be reached, logs the upload left behind and attaches the reason to {@code failure}, the failure being
     * reported for the write or copy, if there is one. An upload S3 no longer has (aborted already, or
     * removed by the lifecycle rule) counts as aborted.
     */
    static void abort(S3Client client, S3Location target, String uploadId, Exception failure) {
        try {
            client.abortMultipartUpload(request -> request.bucket(target.bucket()).key(target.key()).uploadId(uploadId));
        }
        catch (AwsServiceException exception) {
            if (exception.statusCode() != 404) {
                leftBehind(target, uploadId, exception, failure);
            }
        }
        catch (RuntimeException exception) {
            leftBehind(target, uploadId, exception, failure);
        }
    }

    private static void leftBehind(S3Location target, String uploadId, RuntimeException exception, Exception failure) {
        LOGGER.log(Level.WARNING, ("could not abort multipart upload %s of '%s' (%s): its parts stay, and are billed, until the bucket's"
                + " lifecycle rule for incomplete multipart uploads removes them or the upload is aborted by hand")
                .formatted(uploadId, target.location(), exception.getMessage()), exception);
        if (failure != null) {
            failure.addSuppressed(exception);
        }
    }
}
