"""Generated bad tables against every reader: each gives exit 2 and one line naming the
file, the row and the column of the bad cell, with no traceback and nothing written.

A valid table (real Rutland LSOA counts, the Lambeth indicator fixture, Rutland's LSOAs as
two custom areas) is written as CSV, XLSX or Parquet with one cell replaced by a value drawn
from a class of bad values; the expected row and column are where that cell was put.
"""

from __future__ import annotations

import csv
import tempfile
from functools import cache
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorecard import census, geography

from .conftest import assert_one_line_error, files_under, run_here

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
RUTLAND = "E06000017"
GROUPS = ["asian", "black", "mixed", "white", "other"]
EXAMPLES = settings(max_examples=50, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

# ----------------------------------------------------------------- classes of bad cells

no_digits = st.text(st.characters(whitelist_categories=("L", "P", "S", "Zs")), min_size=1,
                    max_size=12).filter(lambda s: not any(c.isdigit() for c in s))
BAD_COUNT = st.one_of(
    st.integers(min_value=2**63, max_value=10**30).map(str),  # wraps in int64
    st.integers(min_value=10**10 + 1, max_value=2**63 - 1).map(str),
    st.integers(min_value=-(10**20), max_value=-1).map(str),
    st.sampled_from(["nan", "NaN", "inf", "-inf", "Infinity", "", " "]),
    st.sampled_from(["x", "c", "..", "[c]", "-", ":", "*", "n/a", "suppressed"]),
    st.floats(min_value=0.01, max_value=1e6).filter(lambda f: not f.is_integer()).map(repr),
    no_digits,
)
BAD_INDICATOR_NUMBER = st.one_of(
    st.integers(min_value=-(10**20), max_value=-1).map(str),
    st.sampled_from(["nan", "inf", "-inf", "x", "c", "..", "[c]", "suppressed", ""]),
    no_digits,
)


def write_table(frame: pd.DataFrame, folder: Path, suffix: str) -> Path:
    path = folder / f"table{suffix}"
    text = frame.astype(str)
    if suffix == ".csv":
        with open(path, "w", newline="", encoding="utf-8") as stream:
            writer = csv.writer(stream)
            writer.writerow(text.columns)
            writer.writerows(text.itertuples(index=False))
    elif suffix == ".xlsx":
        text.to_excel(path, index=False)
    else:
        text.to_parquet(path, index=False)
    return path


FORMATS = st.sampled_from([".csv", ".xlsx", ".parquet"])


def _cells_ok_for(suffix: str, value: str) -> bool:
    # Spreadsheet cells cannot hold control characters; a blank Excel cell is blank anyway.
    return suffix != ".xlsx" or all(c.isprintable() or c == " " for c in value)


# ----------------------------------------------------------------- base tables


@cache
def rutland_counts() -> pd.DataFrame:
    frame = census.load(2021, "lsoa").for_authority(RUTLAND).frame
    return frame[["code", *GROUPS, "total"]].astype(str).reset_index(drop=True)


@cache
def lambeth_indicators() -> pd.DataFrame:
    return pd.read_csv(FIXTURES / "indicators" / "employment_lambeth.csv", dtype=str,
                       keep_default_na=False)


@cache
def rutland_areas() -> pd.DataFrame:
    codes = sorted(geography.units(2021, "lsoa").query("la_code == @RUTLAND")["code"])
    return pd.DataFrame({"code": codes, "area": ["North" if i % 2 else "South"
                                                 for i in range(len(codes))]})


def _replace(frame: pd.DataFrame, row: int, column: str, value: str) -> pd.DataFrame:
    frame = frame.copy()
    frame.loc[row, column] = value
    return frame


# ----------------------------------------------------------------- the readers


@EXAMPLES
@given(data=st.data(), suffix=FORMATS, with_total=st.booleans())
def test_counts_reader(data, suffix, with_total):
    base = rutland_counts() if with_total else rutland_counts().drop(columns="total")
    row = data.draw(st.integers(0, len(base) - 1), label="row")
    column = data.draw(st.sampled_from(GROUPS), label="column")
    value = data.draw(BAD_COUNT.filter(lambda v: _cells_ok_for(suffix, v)), label="value")
    command = data.draw(st.sampled_from(["validate", "build"]), label="command")
    with tempfile.TemporaryDirectory() as folder:
        path = write_table(_replace(base, row, column, value), Path(folder), suffix)
        out = Path(folder) / "out"
        args = (["validate", path] if command == "validate" else
                ["build", RUTLAND, "--counts", path, "--out", out, "--quiet"])
        code, stdout, err = run_here(*args)
        assert_one_line_error(code, err, path=path, row=row + 2, column=column)
        assert not out.exists()


BAD_CODE = st.one_of(st.sampled_from(["", " ", "E01999999", "W01000001X", "nonsense",
                                      "E06000017"]), no_digits)


@EXAMPLES
@given(data=st.data(), suffix=FORMATS)
def test_counts_reader_codes(data, suffix):
    base = rutland_counts().drop(columns="total")
    row = data.draw(st.integers(1, len(base) - 1), label="row")
    duplicate = data.draw(st.booleans(), label="duplicate")
    value = (base.loc[row - 1, "code"] if duplicate else
             data.draw(BAD_CODE.filter(lambda v: _cells_ok_for(suffix, v)), label="code"))
    with tempfile.TemporaryDirectory() as folder:
        path = write_table(_replace(base, row, "code", value), Path(folder), suffix)
        code, _, err = run_here("validate", path)
        assert_one_line_error(code, err, path=path, row=row + 2, column="code")


@EXAMPLES
@given(data=st.data(), suffix=FORMATS)
def test_indicator_reader(data, suffix):
    base = lambeth_indicators()
    row = data.draw(st.integers(0, len(base) - 1), label="row")
    column = data.draw(st.sampled_from(["numerator", "denominator", "la_code", "period",
                                        "domain"]), label="column")
    bad = {"la_code": st.sampled_from(["E09999999", "nowhere", "E01000001"]),
           "period": st.sampled_from(["2021/23", "twenty", "21", "2021-2023"]),
           "domain": st.sampled_from(["wealth", "employmentt", "x"])}.get(
        column, BAD_INDICATOR_NUMBER)
    value = data.draw(bad.filter(lambda v: _cells_ok_for(suffix, v)), label="value")
    with tempfile.TemporaryDirectory() as folder:
        path = write_table(_replace(base, row, column, value), Path(folder), suffix)
        code, _, err = run_here("validate", path)
        assert_one_line_error(code, err, path=path, row=row + 2, column=column)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), suffix=FORMATS)
def test_custom_areas_reader(data, suffix):
    base = rutland_areas()
    row = data.draw(st.integers(1, len(base) - 1), label="row")
    column = data.draw(st.sampled_from(["code", "area"]), label="column")
    if column == "code":
        value = data.draw(st.sampled_from(["", "E01999999", base.loc[row - 1, "code"],
                                           "E06000017"]), label="value")
    else:
        value = data.draw(st.sampled_from(["", " ", "\u200b", "\u200b \u2060", "north",
                                           "North\x07"]), label="value")
    if not _cells_ok_for(suffix, value):
        suffix = ".csv"
    with tempfile.TemporaryDirectory() as folder:
        path = write_table(_replace(base, row, column, value), Path(folder), suffix)
        out = Path(folder) / "out"
        code, _, err = run_here("compare", "--areas", path, "--out", out, "--quiet")
        assert_one_line_error(code, err, path=path, row=row + 2, column=column)
        assert files_under(out) == []


@EXAMPLES
@given(data=st.data(), suffix=FORMATS)
def test_indices_reader(data, suffix):
    base = rutland_counts().drop(columns="total")
    row = data.draw(st.integers(0, len(base) - 1), label="row")
    column = data.draw(st.sampled_from(["code", *GROUPS]), label="column")
    value = "" if column == "code" else data.draw(
        BAD_COUNT.filter(lambda v: _cells_ok_for(suffix, v)), label="value")
    with tempfile.TemporaryDirectory() as folder:
        path = write_table(_replace(base, row, column, value), Path(folder), suffix)
        out = Path(folder) / "indices.csv"
        code, _, err = run_here("indices", path, "--unit", "code", "--groups", ",".join(GROUPS),
                                "--out", out)
        assert_one_line_error(code, err, path=path, row=row + 2, column=column)
        assert not out.exists()
