"""Every CSV we write is safe to open in a spreadsheet: a text cell that would run as a
formula (= + - @, tab, CR) starts with an apostrophe, while numbers, negative ones included,
stay numbers. Custom area names are data: any script, '$…$', '../..', formulas."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from scorecard import geography
from scorecard.io import csv_text, safe_csv_cell

from .conftest import run_here

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ATTACKS = ['=HYPERLINK("http://example.invalid","x")', "+cmd|' /C calc'!A0", "-2+3",
           "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "=1+1"]


def read_rows(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


@pytest.mark.parametrize("text", ATTACKS)
def test_formula_text_is_neutralised(text):
    assert safe_csv_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["-3.5", "-12", "+7", "1e-5", "-0.25e3", "plain words",
                                   "White British", "", "E09000022"])
def test_numbers_and_plain_text_are_left_alone(value):
    assert safe_csv_cell(value) == value


def test_numeric_columns_keep_their_negative_numbers():
    frame = pd.DataFrame({"group": ["=1+1", "Asian"], "gap": [-4.25, 3.0]})
    lines = csv_text(frame).splitlines()
    assert lines[1:] == ["'=1+1,-4.25", "Asian,3.0"]


def test_indices_output_is_neutralised(tmp_path):
    table = tmp_path / "counts.csv"
    pd.DataFrame({"unit": ["u1", "u2", "u3", "u4"], "area": ["=A1", "=A1", "@B", "@B"],
                  "=cmd": [10, 0, 5, 7], "b": [1, 9, 4, 4]}).to_csv(table, index=False)
    out = tmp_path / "indices.csv"
    code, _, err = run_here("indices", table, "--unit", "unit", "--area", "area", "--groups",
                            "=cmd,b", "--out", out)
    assert code == 0, err
    rows = read_rows(out)
    assert {r["area_code"] for r in rows} == {"'=A1", "'@B"}
    assert "'=cmd" in {r["group"] for r in rows}


def test_gaps_output_is_neutralised_and_numbers_stay_numbers(tmp_path):
    table = tmp_path / "local.csv"
    base = (FIXTURES / "indicators" / "employment_lambeth.csv").read_text()
    extra = "".join(f'E09000022,2021,employment,employment_rate,"{g}",{n},100\n'
                    for g, n in (("=HYPERLINK(\"\"http://example.invalid\"\")", 40),
                                 ("@SUM(A1)", 90)))
    table.write_text(base.rstrip("\n") + "\n" + extra)
    out = tmp_path / "gaps.csv"
    code, _, err = run_here("gaps", "Lambeth", "--indicators", table, "--out", out)
    assert code == 0, err
    rows = read_rows(out)
    groups = {r["ethnicity"] for r in rows}
    assert {"'=HYPERLINK(\"http://example.invalid\")", "'@SUM(A1)"} <= groups
    assert not [g for g in groups if g and g[0] in "=+-@"]
    gaps = [r["gap_pp"] for r in rows if r["gap_pp"].startswith("-")]
    assert gaps and all(float(g) < 0 for g in gaps)  # negative numbers are not prefixed


@pytest.mark.slow
def test_comparison_of_custom_areas_named_in_any_way(tmp_path):
    """Names that used to collapse into one area ('日本'/'中国', '...'/'../..'), crash the
    chart code ('$\\foo$') or run as a formula: six areas, six rows each, a folder of
    their own, escaped on the page, neutralised in data.csv, and nothing on stderr."""
    names = ["日本", "中国", "$\\foo$", '=HYPERLINK("x")', "...", "../.."]
    lsoas = sorted(geography.units(2021, "lsoa").query("la_code == 'E06000017'")["code"])
    areas = pd.DataFrame({"code": lsoas[:24], "area": [names[i % 6] for i in range(24)]})
    table = tmp_path / "areas.csv"
    areas.to_csv(table, index=False)
    out = tmp_path / "reports"
    code, stdout, err = run_here("compare", "--areas", table, *names, "--out", out, "--quiet")
    assert code == 0, err
    assert err == ""
    (folder,) = (out / "compare").iterdir()
    assert folder.parent == out / "compare" and len(folder.name.rsplit("-", 1)[-1]) == 8
    rows = read_rows(folder / "data.csv")
    shown = {r["area_name"] for r in rows} - {"England and Wales"}  # the national context
    assert shown == {"日本", "中国", "$\\foo$", "'=HYPERLINK(\"x\")", "...", "../.."}
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert "=HYPERLINK(&#34;x&#34;)" in page or "=HYPERLINK(&quot;x&quot;)" in page
