package io.roam.cli;

/** What a command line asks for, once parsed: help text to print, or a copy to run. */
public sealed interface Invocation permits HelpRequest, CopyArguments {
}
