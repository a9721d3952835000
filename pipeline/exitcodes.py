"""The command's exit codes, apart from the batch machinery so the command line starts without it."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """The command's exit codes: part of its public interface (see the README's table)."""

    OK = 0  # every page done (or already done)
    PAGES_FAILED = 1  # the batch finished, some pages failed: see the log and the journal
    BAD_ARGUMENTS = 2  # the command line or the settings are wrong; nothing was run
    MISSING_DEPENDENCY = 3  # an engine, a model file or a program is missing
    NO_INPUT = 4  # no page images were found in the inputs
    ABORTED = 5  # stopped early: more pages failed than --max-failures allows
    INTERRUPTED = 130  # stopped by Ctrl-C / SIGINT / SIGTERM; finished pages are kept
