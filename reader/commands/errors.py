"""The two ways a command fails on purpose: both print one line on stderr, never a traceback."""


class UsageError(Exception):
    """A command line that does not parse or fit together: exit 2."""


class InputError(Exception):
    """Input reader cannot use (an unknown id, an unreadable file): exit 1."""
