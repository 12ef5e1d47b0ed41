package io.roam.cli;

/**
 * The command line cannot be run as given: an unknown command or option, a missing or malformed
 * value, a missing configuration file. The message says what is wrong; the command exits with code 2.
 */
public final class UsageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }

    public UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
