"""The exceptions alphaseq raises: the library's errors with its message unchanged (the file,
line, ticker, date or config key at fault, as the ``alphaseq`` binary prints them)."""


class AlphaseqError(Exception):
    """Any error of alphaseq's library or engine."""


class ConfigError(AlphaseqError, ValueError):
    """An experiment (file, dict or override) with an unknown key, a wrong type or a value out of
    range; the message names the key, and the line and column of a file."""


class DataError(AlphaseqError, ValueError):
    """Input data that cannot be used: a malformed row (file and line), an unknown ticker, too
    little history."""


class FileError(AlphaseqError, OSError):
    """A file or folder that cannot be read or written (its path is in the message)."""


class IncompleteRunError(AlphaseqError):
    """A run folder whose run has not finished (no COMPLETE marker): run it again to resume."""


class ResourceError(AlphaseqError, MemoryError):
    """A run whose estimated peak memory exceeds what the machine has (or the limit given)."""
