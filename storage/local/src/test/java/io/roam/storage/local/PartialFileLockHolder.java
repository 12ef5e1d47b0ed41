package io.roam.storage.local;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A process of its own that locks the file named by its argument as a live writer does, says {@code locked}
 * on its output, and holds the lock until its input closes.
 */
public final class PartialFileLockHolder {

    private PartialFileLockHolder() {
    }

    public static void main(String[] arguments) throws IOException {
        try (FileChannel channel = FileChannel.open(Path.of(arguments[0]), CREATE, WRITE)) {
            channel.lock();
            System.out.println("locked");
            System.out.flush();
            System.in.transferTo(OutputStream.nullOutputStream());
        }
    }
}
