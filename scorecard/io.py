"""Reading user tables with clear errors, and writing output atomically."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputError

READABLE = (".csv", ".parquet", ".xlsx")
FIRST_DATA_ROW = 2  # spreadsheet numbering: the header is row 1


def read_table(path: str | Path) -> pd.DataFrame:
    """A CSV, XLSX or Parquet table with every cell as text (None when blank).

    Cells stay text so that validation can name the row and column of a bad value
    instead of letting a parser guess. CSV may carry a UTF-8 byte-order mark.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(str(path), None, None, "no such file")
    suffix = path.suffix.lower()
    try:
        # Text tables are read without a header so that a repeated column name is seen as
        # written, not renamed by pandas to "name.1".
        if suffix == ".csv":
            frame = _header_from_first_row(pd.read_csv(
                path, dtype=str, keep_default_na=False, encoding="utf-8-sig", header=None))
        elif suffix == ".xlsx":
            frame = _header_from_first_row(pd.read_excel(
                path, dtype=str, keep_default_na=False, engine="openpyxl", header=None))
        elif suffix == ".parquet":
            frame = pd.read_parquet(path)
            frame = frame.astype(object).where(frame.notna(), None).astype(str).where(
                frame.notna(), "")
        else:
            raise InputError(str(path), None, None,
                             f"cannot read {suffix or 'a file without suffix'}; use "
                             + ", ".join(READABLE))
    except InputError:
        raise
    except pd.errors.EmptyDataError:
        raise InputError(str(path), None, None, "the file is empty") from None
    except UnicodeDecodeError as error:
        raise InputError(str(path), None, None,
                         f"not UTF-8 text (byte {error.start}); save it as CSV UTF-8") from None
    except Exception as error:  # any parser failure is the user's file, not our bug
        raise InputError(str(path), None, None, f"cannot be read: {error}") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    duplicated = pd.Index(frame.columns)[pd.Index(frame.columns).duplicated()]
    if len(duplicated):
        raise InputError(str(path), 1, duplicated[0], "the column appears twice")
    if frame.empty:
        raise InputError(str(path), None, None, "the table has a header but no rows")
    return frame.map(lambda v: v.strip() if isinstance(v, str) else v)


def _header_from_first_row(frame: pd.DataFrame) -> pd.DataFrame:
    body = frame.iloc[1:].reset_index(drop=True)
    body.columns = list(frame.iloc[0]) if len(frame) else []
    return body


def whole_numbers(column: pd.Series, path: str, name: str) -> np.ndarray:
    """A column of whole, non-negative counts, or an error naming the first bad cell."""
    if pd.api.types.is_numeric_dtype(column):
        numbers = column.to_numpy(dtype=float)
    else:
        text = column.astype(str).str.strip().str.replace(",", "", regex=False)
        numbers = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
    bad = np.flatnonzero(~np.isfinite(numbers))
    if len(bad):
        i = int(bad[0])
        value = column.iloc[i]
        what = "is blank" if str(value).strip() in ("", "None", "nan") else (
            f"{value!r} is not a number (suppressed or text cells cannot be used as counts)")
        raise InputError(path, i + FIRST_DATA_ROW, name, f"the count {what}")
    negative = np.flatnonzero(numbers < 0)
    if len(negative):
        i = int(negative[0])
        raise InputError(path, i + FIRST_DATA_ROW, name, f"negative count {column.iloc[i]}")
    fractional = np.flatnonzero(numbers != np.round(numbers))
    if len(fractional):
        i = int(fractional[0])
        raise InputError(path, i + FIRST_DATA_ROW, name,
                         f"{column.iloc[i]} is not a whole number of people")
    return numbers.astype(np.int64)


@contextmanager
def staged_folder(target: Path) -> Iterator[Path]:
    """Write a folder's files into a hidden temporary folder beside it, then swap it in.

    On any error the temporary folder is removed and ``target`` is left as it was.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; a report folder is for sharing
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old.{os.getpid()}")
        target.rename(old)
    staging.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write a file through a temporary file in the same folder and rename it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
