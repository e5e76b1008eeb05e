"""Named exit codes and the one exception type the CLI turns into a clean message."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes; the README documents each one."""

    OK = 0
    NOT_FOUND = 1  # no confident answer, or an unknown id, country or mineral
    USAGE = 2  # bad command-line usage (Click's own code)
    DATA_MISSING = 3  # the data file does not exist or cannot be read
    DATA_NOT_JSON = 4  # the data file is empty, truncated, binary or not UTF-8 JSON
    DATA_INVALID = 5  # valid JSON, but the wrong shape, duplicate ids or dangling references
    INTERRUPTED = 130  # Ctrl-C
    BROKEN_PIPE = 141  # the reader of stdout went away (as a shell reports SIGPIPE)


class C5Error(Exception):
    """An expected failure: shown to the user as one line on stderr, then exit with `code`."""

    def __init__(self, message: str, code: ExitCode) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class DataError(C5Error):
    """The knowledge-base file is missing, unparsable or invalid."""
