package io.roam.storage;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;

/**
 * Classifies any failure met while moving bytes, so that retry decisions are taken in one place.
 * Backends throw {@link StorageException} for what they recognise; plain I/O exceptions from streams
 * are classified here by their type.
 */
public final class StorageErrors {

    private StorageErrors() {
    }

    public static StorageException classify(Throwable failure) {
        Throwable current = failure;
        while (current != null) {
            if (current instanceof StorageException storageException) {
                return storageException;
            }
            current = current.getCause();
        }
        Throwable cause = failure instanceof UncheckedIOException unchecked ? unchecked.getCause() : failure;
        StorageErrorKind kind = switch (cause) {
            case NoSuchFileException ignored -> StorageErrorKind.NOT_FOUND;
            case FileNotFoundException ignored -> StorageErrorKind.NOT_FOUND;
            case FileAlreadyExistsException ignored -> StorageErrorKind.ALREADY_EXISTS;
            case AccessDeniedException ignored -> StorageErrorKind.ACCESS_DENIED;
            case InterruptedIOException ignored -> StorageErrorKind.TRANSIENT;
            case IOException ignored -> StorageErrorKind.TRANSIENT;
            default -> StorageErrorKind.FATAL;
        };
        return new StorageException(kind, describe(cause), cause);
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : cause.getClass().getSimpleName() + ": " + message;
    }
}
