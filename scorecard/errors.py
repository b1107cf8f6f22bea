"""The one error type for bad input: it names the file, row and column, and maps to exit code 2."""

from __future__ import annotations

from dataclasses import dataclass

EXIT_BAD_INPUT = 2


@dataclass
class InputError(Exception):
    """Bad input a user can fix. ``row`` is the spreadsheet row (the header is row 1)."""

    path: str | None
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [str(self.path)] if self.path else []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        text = ", ".join(where) + ": " + self.message if where else self.message
        return " ".join(text.split())  # always one line
