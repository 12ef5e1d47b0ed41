package io.roam.storage;

import java.util.NoSuchElementException;

/**
 * A streamed listing. Both methods may fetch the next page from the backend and so may throw
 * {@link StorageException}.
 */
public interface FileIterator {

    boolean hasNext();

    /**
     * @throws NoSuchElementException when the listing is exhausted
     */
    FileEntry next();
}
