package io.roam.storage;

import java.util.NoSuchElementException;

/**
 * The lookahead shared by {@link FileIterator} implementations, in the spirit of Guava's
 * {@code AbstractIterator}: a subclass only says how to fetch the next entry, in {@link #computeNext()},
 * and this class answers {@link #hasNext()} and {@link #next()} from it.
 *
 * <p>{@link #computeNext()} is called lazily, by the first {@link #hasNext()} or {@link #next()} after the
 * previous entry was handed out, and never again once it has answered null. An exception it throws
 * propagates unchanged to the caller of {@link #hasNext()} or {@link #next()}; nothing is held back, so a
 * later call asks {@link #computeNext()} again. Not thread-safe, like every {@link FileIterator}.
 */
public abstract class AbstractFileIterator implements FileIterator {

    private final Location directory;
    private FileEntry next;
    private boolean exhausted;

    /**
     * @param directory the directory being listed, named by the message of the
     *         {@link NoSuchElementException} thrown by {@link #next()} once the listing is exhausted
     */
    protected AbstractFileIterator(Location directory) {
        this.directory = directory;
    }

    /**
     * The next entry of the listing, or null when there is none: the listing is then exhausted and this
     * method is not called again. May fetch from the backend and so throw {@link StorageException}.
     */
    protected abstract FileEntry computeNext();

    @Override
    public final boolean hasNext() {
        if (next == null && !exhausted) {
            next = computeNext();
            exhausted = next == null;
        }
        return next != null;
    }

    @Override
    public final FileEntry next() {
        if (!hasNext()) {
            throw new NoSuchElementException("listing of '%s' is exhausted".formatted(directory));
        }
        FileEntry entry = next;
        next = null;
        return entry;
    }
}
