"""Exit codes and the one exception type that the CLI turns into exit code 2."""

from __future__ import annotations

EXIT_PASSED = 0
EXIT_GATE_FAILED = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """A usage, configuration or rule error: printed as one line, exit code 2.

    Messages name files and JSON paths, never the content of a scanned artifact.
    """


class Unscannable(Exception):
    """Raised by a reader when an artifact cannot be read or parsed.

    The message is a reason for the report; it must not quote the artifact's content.
    """
