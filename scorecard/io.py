"""Reading user tables with clear errors; writing CSV that is safe to open.

Writing whole files and folders lives in :mod:`scorecard.outputs` (re-exported here).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputError
from .outputs import atomic_write_bytes, staged_folder

__all__ = ["read_table", "whole_numbers", "cell_text", "safe_csv_cell", "safe_csv_frame",
           "csv_text", "write_csv", "atomic_write_bytes", "staged_folder", "MAX_COUNT"]

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


# More people than live on Earth: any larger count is a typo or an overflow, and refusing it
# keeps every count far inside int64 (2^63 ≈ 9.2e18 wraps to negative numbers).
MAX_COUNT = 10**10


def cell_text(value) -> str:
    """A cell as its user wrote it (no numpy repr such as ``np.int64(26)``), shortened."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        value = int(value)
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def whole_numbers(column: pd.Series, path: str, name: str) -> np.ndarray:
    """A column of whole, non-negative counts, or an error naming the first bad cell.

    Every cell is range-checked as a float before the integer cast, so a huge count is
    reported at its own row and column instead of wrapping to a negative number."""
    if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
        numbers = column.to_numpy(dtype=float, na_value=np.nan)
    else:
        text = column.astype(str).str.strip().str.replace(",", "", regex=False)
        numbers = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
    bad = np.flatnonzero(~np.isfinite(numbers))
    if len(bad):
        i = int(bad[0])
        value = column.iloc[i]
        what = "is blank" if str(value).strip() in ("", "None", "nan", "<NA>") else (
            f"{cell_text(value)!r} is not a number (suppressed or text cells cannot be used "
            "as counts)")
        raise InputError(path, i + FIRST_DATA_ROW, name, f"the count {what}")
    negative = np.flatnonzero(numbers < 0)
    if len(negative):
        i = int(negative[0])
        raise InputError(path, i + FIRST_DATA_ROW, name,
                         f"negative count {cell_text(column.iloc[i])}")
    huge = np.flatnonzero(numbers > MAX_COUNT)
    if len(huge):
        i = int(huge[0])
        raise InputError(path, i + FIRST_DATA_ROW, name,
                         f"the count {cell_text(column.iloc[i])} is larger than any "
                         f"population (at most {MAX_COUNT:,})")
    fractional = np.flatnonzero(numbers != np.round(numbers))
    if len(fractional):
        i = int(fractional[0])
        raise InputError(path, i + FIRST_DATA_ROW, name,
                         f"{cell_text(column.iloc[i])} is not a whole number of people")
    return numbers.astype(np.int64)


# --------------------------------------------------------------------------- safe CSV

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP, "CSV
# Injection"); full-width and minus-sign forms are included because some applications
# fold them to the ASCII ones.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d",
                  "\uff20", "\u2212")
PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def safe_csv_cell(value):
    """A text cell that a spreadsheet would run as a formula, prefixed with an apostrophe
    (OWASP's advice) so that it shows as the text it is; plain numbers and non-text cells
    are returned unchanged."""
    if (isinstance(value, str) and value and value.startswith(FORMULA_STARTS)
            and not PLAIN_NUMBER.fullmatch(value)):
        return "'" + value
    return value


def safe_csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell and column name passed through :func:`safe_csv_cell`;
    numeric columns (negative numbers included) are left as they are."""
    out = frame.copy()
    out.columns = [safe_csv_cell(str(c)) for c in out.columns]
    for i in range(out.shape[1]):
        column = out.iloc[:, i]
        if column.dtype == object or pd.api.types.is_string_dtype(column):
            out.isetitem(i, column.map(safe_csv_cell))
    return out


def csv_text(frame: pd.DataFrame) -> str:
    """The frame as CSV text (UTF-8, LF line ends, no index), safe to open in a spreadsheet."""
    return safe_csv_frame(frame).to_csv(index=False, lineterminator="\n")


def write_csv(frame: pd.DataFrame, path: str | Path) -> None:
    """Every CSV the project writes goes through here: safe cells, written atomically."""
    atomic_write_bytes(Path(path), csv_text(frame).encode("utf-8"))
