"""Bad input: one line naming file, row and column, exit code 2, and nothing written."""

from pathlib import Path

import pandas as pd
import pytest

from scorecard import census, geography

BRADFORD = "E08000032"
LEEDS = "E08000035"


def good_rows() -> pd.DataFrame:
    """Three real Bradford LSOAs (2021) with made-up but consistent counts."""
    codes = geography.units(2021, "lsoa", BRADFORD)["code"].tolist()[:3]
    return pd.DataFrame({"code": codes, "la_code": BRADFORD, "asian": [10, 200, 30],
                         "black": [5, 6, 7], "mixed": [1, 2, 3], "white": [900, 500, 1200],
                         "other": [4, 0, 9], "total": [920, 708, 1249]}).astype(str)


def write(frame: pd.DataFrame, path: Path) -> Path:
    frame.to_csv(path, index=False)
    return path


def oa_codes_2011(n: int) -> list[str]:
    return geography.units(2011, "oa", BRADFORD)["code"].tolist()[:n]


def case_unknown_code(f):
    f.loc[1, "code"] = "E01999999"
    return f, 3, "code", "not a 2021 LSOA code"


def case_duplicated_code(f):
    f.loc[2, "code"] = f.loc[0, "code"]
    return f, 4, "code", "appears again (first at row 2)"


def case_unit_outside_claimed_la(f):
    f.loc[1, "la_code"] = LEEDS
    return f, 3, "la_code", "not in the LA it claims"


def case_negative(f):
    f.loc[0, "black"] = "-3"
    return f, 2, "black", "negative count"


def case_text(f):
    f.loc[2, "mixed"] = "three"
    return f, 4, "mixed", "'three' is not a number"


def case_suppressed_x(f):
    f.loc[1, "other"] = "x"
    return f, 3, "other", "suppressed or text"


def case_blank(f):
    f.loc[0, "white"] = ""
    return f, 2, "white", "is blank"


def case_fraction(f):
    f.loc[0, "asian"] = "10.5"
    return f, 2, "asian", "not a whole number"


def case_total_disagrees(f):
    f.loc[1, "total"] = "709"
    return f, 3, "total", "add up to 708 but the total is 709"


def case_vintage_mismatch(f):
    # LSOAs of 2011 that were split or merged by 2021 exist only in the 2011 vintage.
    only_2011 = set(geography.units(2011, "lsoa")["code"]) - set(
        geography.units(2021, "lsoa")["code"])
    f["code"] = sorted(only_2011)[:3]
    return (f.drop(columns="la_code"), 2, "code",
            "is a 2011 LSOA code but the table is used with 2021")


def case_mixed_levels(f):
    f.loc[2, "code"] = geography.units(2021, "msoa", BRADFORD)["code"].iloc[0]
    return f, 4, "code", "is a MSOA, but the table is of LSOAs"


def case_missing_code_column(f):
    return f.drop(columns="code"), 1, "code", "missing column"


def case_unknown_column(f):
    return f.rename(columns={"other": "others"}), 1, "others", "not a group of"


def case_missing_group(f):
    return f.drop(columns="mixed"), 1, None, "missing group column 'mixed'"


def case_blank_code(f):
    f.loc[1, "code"] = ""
    return f, 3, "code", "the unit code is blank"


def case_unknown_la_name(f):
    f = f.drop(columns="la_code")
    f["la_name"] = ["Bradford", "Bradferd", "Bradford"]
    return f, 3, "la_name", "'Bradferd' is not the name of a 2021 local authority"


def case_thousands_text(f):
    f.loc[0, "white"] = "9OO"  # letter O, as typed
    return f, 2, "white", "'9OO' is not a number"


CASES = [case_unknown_code, case_duplicated_code, case_unit_outside_claimed_la, case_negative,
         case_text, case_suppressed_x, case_blank, case_fraction, case_total_disagrees,
         case_vintage_mismatch, case_mixed_levels, case_missing_code_column, case_unknown_column,
         case_missing_group, case_blank_code, case_unknown_la_name, case_thousands_text]


def check_error(code, out, err, path, row, column, words):
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert str(path) in lines[0]
    if row is not None:
        assert f"row {row}" in lines[0]
    if column is not None:
        assert f"column '{column}'" in lines[0]
    assert words in lines[0]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.__name__.removeprefix("case_"))
def test_bad_counts_table(case, tmp_path, run_cli):
    frame, row, column, words = case(good_rows())
    path = write(frame, tmp_path / "counts.csv")
    check_error(*run_cli("validate", path, "--year", "2021"), path, row, column, words)
    out = tmp_path / "reports"
    check_error(*run_cli("build", "Bradford", "--counts", path, "--out", out), path, row,
                column, words)
    assert not out.exists()


@pytest.mark.parametrize(("content", "words"), [
    (b"", "the file is empty"),
    (b"code,asian,black,mixed,white,other\n", "a header but no rows"),
    (b"code,asian,asian\nE01010600,1,2\n", "the column appears twice"),
    (b"code,asian\n\xff\xfeE0,1\n", "not UTF-8"),
])
def test_unreadable_files(content, words, tmp_path, run_cli):
    path = tmp_path / "counts.csv"
    path.write_bytes(content)
    code, out, err = run_cli("validate", path)
    assert code == 2 and words in err and str(path) in err and len(err.strip().splitlines()) == 1


def test_missing_file_and_unknown_format(tmp_path, run_cli):
    code, _, err = run_cli("validate", tmp_path / "nope.csv")
    assert code == 2 and "no such file" in err
    path = tmp_path / "counts.txt"
    path.write_text("code\n")
    code, _, err = run_cli("validate", path)
    assert code == 2 and "cannot read .txt" in err


def test_unknown_authority_writes_nothing_even_when_others_are_fine(tmp_path, run_cli):
    out = tmp_path / "reports"
    code, _, err = run_cli("build", "Bradford", "Bradferd", "--out", out)
    assert code == 2 and "did you mean 'Bradford'" in err
    assert not out.exists()


def test_good_table_with_bom_labels_and_xlsx_is_accepted(tmp_path, run_cli):
    frame = good_rows().rename(columns={"asian": "Asian", "black": "Black"})
    csv = tmp_path / "bom.csv"
    csv.write_bytes(b"\xef\xbb\xbf" + frame.to_csv(index=False).encode())
    code, out, err = run_cli("validate", csv)
    assert code == 0, err
    assert "3 LSOAs of 2021, 5 groups (broad5), 2,877 people" in out
    xlsx = tmp_path / "counts.xlsx"
    frame.to_excel(xlsx, index=False)
    counts = census.read(xlsx)
    assert counts.frame["total"].tolist() == [920, 708, 1249]
    assert counts.frame["la_code"].eq(BRADFORD).all()


def test_ons_labels_as_headers(tmp_path):
    frame = census.load(2021, "la").frame.head(3)
    labels = {code: label for code, label in
              __import__("scorecard.groups", fromlist=["labels"]).labels("ons2021_19").items()}
    path = write(frame.rename(columns=labels).drop(columns="la_code"), tmp_path / "la.csv")
    counts = census.read(path)
    assert counts.classification == "ons2021_19" and counts.level == "la"
    assert counts.frame["total"].tolist() == frame["total"].tolist()
