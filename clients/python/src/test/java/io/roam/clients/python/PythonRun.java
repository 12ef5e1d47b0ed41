package io.roam.clients.python;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** How a Python process ended, and everything it printed. */
record PythonRun(List<String> command, int exitCode, String standardOutput, String standardError) {

    PythonRun {
        command = List.copyOf(requireNonNull(command, "command is null"));
        requireNonNull(standardOutput, "standardOutput is null");
        requireNonNull(standardError, "standardError is null");
    }

    /** A description for assertion messages: the command, its exit code and all it printed. */
    String report() {
        return String.join(" ", command) + " exited with " + exitCode + "\n--- standard output ---\n" + standardOutput
                + "\n--- standard error ---\n" + standardError;
    }

    String lastLineOfErrors() {
        List<String> lines = standardError.strip().lines().toList();
        return lines.isEmpty() ? "exit code " + exitCode : lines.getLast();
    }
}
