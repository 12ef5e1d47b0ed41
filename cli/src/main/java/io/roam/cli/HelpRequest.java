package io.roam.cli;

import static java.util.Objects.requireNonNull;

/** A request for help: {@code roam --help} or {@code roam cp --help}. */
public record HelpRequest(String text) implements Invocation {

    public HelpRequest {
        requireNonNull(text, "text is null");
    }
}
