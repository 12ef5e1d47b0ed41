package io.roam.infrastructure;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the end of log files for error messages. */
final class LogFiles {

    private static final int TAIL_BYTES = 8 * 1024;

    private LogFiles() {
    }

    /** Returns about the last 8 KiB of {@code file}, or a note saying why it could not be read. */
    static String tail(Path file) {
        if (!Files.exists(file)) {
            return "(" + file + " does not exist)";
        }
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            long start = Math.max(0, channel.size() - TAIL_BYTES);
            ByteBuffer buffer = ByteBuffer.allocate((int) (channel.size() - start));
            channel.position(start);
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // Keep reading until the buffer is full or the file ends.
            }
            String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
            return start == 0 ? text : "..." + text.substring(text.indexOf('\n') + 1);
        }
        catch (IOException exception) {
            return "(could not read " + file + ": " + exception.getMessage() + ")";
        }
    }
}
