package io.roam.transfer;

import io.roam.storage.StorageErrorKind;
import io.roam.storage.StorageException;

/**
 * The error code a failed copy reports, to users and in transfer events: the {@link StorageErrorKind} of its
 * classified failure, or one of the finer codes below where the engine knows more.
 */
public final class FailureCodes {

    /** A written copy differs from its source: {@link VerificationFailedException}. */
    public static final String VERIFICATION_FAILED = "VERIFICATION_FAILED";

    /** Nothing exists at the source: {@link SourceNotFoundException}. */
    public static final String SOURCE_NOT_FOUND = "SOURCE_NOT_FOUND";

    private FailureCodes() {
    }

    public static String of(StorageException failure) {
        return switch (failure) {
            case VerificationFailedException verification -> VERIFICATION_FAILED;
            case SourceNotFoundException missing -> SOURCE_NOT_FOUND;
            default -> failure.kind().name();
        };
    }
}
