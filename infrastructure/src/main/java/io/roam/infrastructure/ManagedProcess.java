package io.roam.infrastructure;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A child process whose standard output and error go to one file, and which is stopped by its PID: first a
 * graceful termination request (SIGTERM), then, after a grace period, a forcible kill.
 *
 * <p>A JVM shutdown hook asks the process to terminate if the launching JVM exits without closing it, so an
 * aborted test run does not leave servers behind.
 */
final class ManagedProcess {

    private final String description;
    private final Process process;
    private final Path outputFile;
    private final Thread shutdownHook;

    private ManagedProcess(String description, Process process, Path outputFile) {
        this.description = description;
        this.process = process;
        this.outputFile = outputFile;
        this.shutdownHook = new Thread(process::destroy, "stop " + description);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts {@code command} in {@code workingDirectory}, appending its standard output and error to
     * {@code outputFile}.
     */
    static ManagedProcess start(String description, List<String> command, Path workingDirectory, Path outputFile) {
        return start(description, command, Map.of(), workingDirectory, outputFile);
    }

    /**
     * Like {@link #start(String, List, Path, Path)}, with {@code environment} added to the inherited environment:
     * the place for secrets, which must not show in the process list or in this class's messages.
     */
    static ManagedProcess start(String description, List<String> command, Map<String, String> environment,
            Path workingDirectory, Path outputFile) {
        requireNonNull(description, "description is null");
        requireNonNull(command, "command is null");
        requireNonNull(environment, "environment is null");
        requireNonNull(workingDirectory, "workingDirectory is null");
        requireNonNull(outputFile, "outputFile is null");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(outputFile.toFile()));
        builder.environment().putAll(environment);
        try {
            return new ManagedProcess(description, builder.start(), outputFile);
        }
        catch (IOException exception) {
            throw new UncheckedIOException("Could not start " + description + ": " + command, exception);
        }
    }

    /**
     * Runs {@code command} to completion, appending its output to {@code outputFile}, and fails unless it exits
     * with status 0 within {@code timeout}.
     */
    static void run(String description, List<String> command, Path workingDirectory, Path outputFile, Duration timeout) {
        ManagedProcess managedProcess = start(description, command, workingDirectory, outputFile);
        try {
            if (!managedProcess.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                managedProcess.stop(Duration.ofSeconds(5));
                throw new IllegalStateException(description + " did not finish within " + timeout
                        + "; its output (" + outputFile + ") ends with:\n" + LogFiles.tail(outputFile));
            }
        }
        catch (InterruptedException exception) {
            managedProcess.stop(Duration.ofSeconds(5));
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for " + description, exception);
        }
        managedProcess.removeShutdownHook();
        int exitValue = managedProcess.process.exitValue();
        if (exitValue != 0) {
            throw new IllegalStateException(description + " failed with exit status " + exitValue
                    + "; its output (" + outputFile + ") ends with:\n" + LogFiles.tail(outputFile));
        }
    }

    /** The Java launcher of the running JVM, used to start child JVMs with the same Java version. */
    static Path javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Explains the state of the process and shows the end of its output, for error messages. */
    String diagnostics() {
        String state = process.isAlive()
                ? description + " (PID " + process.pid() + ") is still running"
                : description + " (PID " + process.pid() + ") exited with status " + process.exitValue();
        return state + "; its output (" + outputFile + ") ends with:\n" + LogFiles.tail(outputFile);
    }

    /**
     * Sends SIGTERM, waits up to {@code gracePeriod} for the process to exit, then kills it (SIGKILL) and waits
     * for that. Does nothing if the process has already exited.
     */
    void stop(Duration gracePeriod) {
        ProcessHandle handle = process.toHandle();
        CompletableFuture<ProcessHandle> exit = handle.onExit();
        handle.destroy();
        try {
            exit.get(gracePeriod.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (TimeoutException timeout) {
            handle.destroyForcibly();
            awaitExit(exit);
        }
        catch (ExecutionException exception) {
            throw new IllegalStateException("Could not wait for " + description + " to exit", exception);
        }
        catch (InterruptedException exception) {
            handle.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        removeShutdownHook();
    }

    private void awaitExit(CompletableFuture<ProcessHandle> exit) {
        try {
            exit.get(30, TimeUnit.SECONDS);
        }
        catch (ExecutionException | TimeoutException exception) {
            throw new IllegalStateException(description + " (PID " + process.pid() + ") did not exit after SIGKILL",
                    exception);
        }
        catch (InterruptedException exception) {
            Thread.currentThread().interrupt();
        }
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        }
        catch (IllegalStateException shutdownInProgress) {
            // The JVM is exiting: the hook runs anyway and stops a process that is already gone.
        }
    }
}
