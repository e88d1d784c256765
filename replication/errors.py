"""Exceptions raised for bad or missing input.

Every message names the file, says what is wrong (row, column or hash), and says
what to do about it. They all derive from :class:`DataError`, so a caller can catch
one type.
"""

from __future__ import annotations


class DataError(Exception):
    """Base class for every input problem this package reports."""


class MissingRawFileError(DataError, FileNotFoundError):
    """A registered raw file is not in the raw-data folder."""


class ChecksumError(DataError):
    """A file's sha256 differs from the one pinned in the registry."""


class MalformedCSVError(DataError):
    """A CSV cannot be parsed: truncated, wrong field count, bad encoding, bad value."""


class TruncatedFileError(MalformedCSVError):
    """A file is shorter than the version pinned for it (authored files: restore from git)."""


class MissingColumnError(DataError):
    """A required column is absent from a file."""


class DuplicateKeyError(DataError):
    """Rows that should be unique on a key are not."""


class UnknownVersionError(DataError, ValueError):
    """A dataset version was asked for that the registry does not know."""


class SchemaValidationError(DataError):
    """A parsed table breaks its pandera schema."""


class OutputNotWritableError(PermissionError):
    """An output cannot be written (read-only results folder); the message names the output."""


class AuthoredFileChangedWarning(UserWarning):
    """An authored file in data/raw differs from the version pinned in data/raw/authored.toml
    (an edit, used as it is), or is not pinned there."""
