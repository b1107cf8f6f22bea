"""The error types a user can act on: bad input (file, row, column) and an output location
that cannot be written (path and cause). Both print as one line and map to exit code 2."""

from __future__ import annotations

import errno
from dataclasses import dataclass

EXIT_BAD_INPUT = 2


def one_line(text: str) -> str:
    return " ".join(str(text).split())


@dataclass
class InputError(Exception):
    """Bad input a user can fix. ``row`` is the spreadsheet row (the header is row 1)."""

    path: str | None
    row: int | None
    column: str | None
    message: str

    def __post_init__(self) -> None:
        # Rows often come from numpy indexing; keep them plain so no repr leaks into a message.
        if self.row is not None:
            self.row = int(self.row)
        if self.column is not None:
            self.column = str(self.column)

    def __str__(self) -> str:
        where = [str(self.path)] if self.path else []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        text = ", ".join(where) + ": " + self.message if where else self.message
        return one_line(text)  # always one line


CAUSES = {  # errno → the cause in a user's words
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied (not writable by this user)",
    errno.EPERM: "operation not permitted",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EISDIR: "is a folder, not a file",
    errno.EEXIST: "already exists",
    errno.ENAMETOOLONG: "the name is too long for the file system",
    errno.ENOENT: "no such file or folder",
    errno.EIO: "input/output error on the device",
}


@dataclass
class OutputError(Exception):
    """An output location that cannot be written: ``path`` and the ``cause`` in plain words."""

    path: str | None
    cause: str

    def __str__(self) -> str:
        return one_line(f"{self.path}: {self.cause}" if self.path else self.cause)

    @classmethod
    def from_os_error(cls, error: OSError, path: str | None = None) -> OutputError:
        """One line naming the path and the cause, for any OSError met while writing."""
        cause = CAUSES.get(error.errno) or (error.strerror or str(error)).lower()
        where = error.filename if error.filename is not None else path
        if error.filename2 is not None and error.errno not in (errno.ENOSPC, errno.EROFS):
            where = f"{error.filename} → {error.filename2}"
        return cls(None if where is None else str(where), cause)
