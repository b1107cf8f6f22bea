"""User indicator tables: every bad input gives one clear error naming file, row and column."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from scorecard.errors import InputError
from scorecard.indicators import TEMPLATE_COLUMNS, validate_user_table

FIXTURES = Path(__file__).parent / "fixtures" / "indicators"
HEAD = "la_code,period,domain,indicator,ethnic_group,numerator,denominator\n"
GOOD = ("E09000022,2021,employment,employment_rate,White,120,150\n"
        "E09000022,2021,employment,employment_rate,Black,40,60\n")


def write(tmp_path: Path, text: str, name: str = "table.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


# (id, file text, expected row, expected column, words the message must contain)
BAD = [
    ("header only", HEAD, None, None, "no rows"),
    ("empty file", "", None, None, "empty"),
    ("missing column", "la_code,domain,indicator,ethnic_group,numerator,denominator\n"
     "E09000022,employment,x,White,1,2\n", 1, "period", "missing column"),
    ("unknown column", HEAD.replace("numerator", "numerater") + GOOD, 1, "numerater",
     "unknown column"),
    ("no figure columns", "la_code,period,domain,indicator,ethnic_group\n"
     "E09000022,2021,employment,e,White\n", 1, "denominator", "numerator and denominator"),
    ("empty code", HEAD + GOOD + ",2021,employment,employment_rate,Asian,1,2\n", 4, "la_code",
     "empty cell"),
    ("unknown LA code", HEAD + GOOD + "E09999999,2021,employment,employment_rate,Asian,1,2\n",
     4, "la_code", "not a local authority code"),
    ("2011 LA code", HEAD + GOOD + "E08000020,2021,employment,employment_rate,Asian,1,2\n", 4,
     "la_code", "2011 code"),
    ("LA name not code", HEAD + "Lambeth,2021,employment,employment_rate,White,1,2\n", 2,
     "la_code", "not a local authority code"),
    ("unknown domain", HEAD + GOOD.replace("employment,", "transport,", 1), 2, "domain",
     "not a domain"),
    ("indicator id with spaces", HEAD + "E09000022,2021,employment,Employment Rate,White,1,2\n",
     2, "indicator", "lower-case letters"),
    ("period in words", HEAD + "E09000022,twenty,employment,employment_rate,White,1,2\n", 2,
     "period", "not a period"),
    ("period not consecutive", HEAD + "E09000022,2021/23,employment,employment_rate,White,1,2\n",
     2, "period", "consecutive"),
    ("mixed periods", HEAD + GOOD + "E09000001,2021/22,employment,employment_rate,White,1,2\n",
     4, "_form", "all be years"),
    ("text numerator", HEAD + "E09000022,2021,employment,employment_rate,White,lots,2\n", 2,
     "numerator", "not a number"),
    ("suppressed x", HEAD + GOOD + "E09000022,2021,employment,employment_rate,Asian,x,20\n", 4,
     "numerator", "suppressed"),
    ("suppressed c", HEAD + GOOD + "E09000022,2021,employment,employment_rate,Asian,5,c\n", 4,
     "denominator", "suppressed"),
    ("suppressed ..", HEAD + GOOD + "E09000022,2021,employment,employment_rate,Asian,..,20\n",
     4, "numerator", "suppressed"),
    ("infinity", HEAD + "E09000022,2021,employment,employment_rate,White,inf,2\n", 2,
     "numerator", "not a number"),
    ("negative", HEAD + GOOD + "E09000022,2021,employment,employment_rate,Asian,-3,20\n", 4,
     "numerator", "negative"),
    ("numerator over denominator", HEAD + GOOD
     + "E09000022,2021,employment,employment_rate,Asian,30,20\n", 4, "numerator", "larger"),
    ("zero denominator", HEAD + GOOD + "E09000022,2021,employment,employment_rate,Asian,0,0\n",
     4, "denominator", "is 0"),
    ("numerator without denominator", HEAD + GOOD
     + "E09000022,2021,employment,employment_rate,Asian,3,\n", 4, "denominator", "together"),
    ("counts and value", HEAD.strip() + ",value\n"
     + "E09000022,2021,employment,employment_rate,White,1,2,50\n", 2, "value", "not both"),
    ("no figure", HEAD + GOOD + "E09000022,2021,employment,employment_rate,Asian,,\n", 4,
     "value", "no figure"),
    ("lower without upper", "la_code,period,domain,indicator,ethnic_group,value,lower,upper\n"
     "E09000022,2021,health,asr,White,50,40,\n", 2, "upper", "go together"),
    ("value outside interval", "la_code,period,domain,indicator,ethnic_group,value,lower,upper,"
     "name,unit\nE09000022,2021,health,asr,White,50,40,45,Rate,per 1000\n", 2, "upper",
     "outside its interval"),
    ("interval on counts", HEAD.strip() + ",lower,upper\n"
     + "E09000022,2021,employment,employment_rate,White,1,2,1,3\n", 2, "lower",
     "interval is computed"),
    ("duplicated row", HEAD + GOOD + "E09000022,2021,employment,employment_rate,Black,41,60\n",
     4, "ethnic_group", "already in row 3"),
    ("duplicated ignoring case", HEAD + GOOD
     + "E09000022,2021,employment,employment_rate,black,41,60\n", 4, "ethnic_group",
     "ignoring case"),
    ("two domains for one indicator", HEAD + GOOD
     + "E09000001,2021,housing,employment_rate,White,1,2\n", 4, "domain", "one domain"),
    ("reference group absent", HEAD.strip() + ",reference,name,unit\n"
     + "E09000022,2021,employment,new_rate,White,1,2,White British,Rate,percent\n", 2,
     "reference", "has no rows"),
    ("no default reference", HEAD.strip() + ",name,unit\n"
     + "E09000022,2021,employment,new_rate,Black,1,2,Rate,percent\n", 2,
     "reference", "name its comparison group"),
    ("two references", HEAD.strip() + ",reference,name,unit\n"
     + "E09000022,2021,employment,new_rate,White,1,2,White,Rate,percent\n"
     + "E09000022,2021,employment,new_rate,Black,1,2,Black,,\n", 3, "reference",
     "one reference group"),
    ("catalogue reference differs", HEAD.strip() + ",reference\n"
     + "E09000022,2021,employment,employment_rate,White,1,2,Black\n", 2, "reference",
     "catalogue's reference"),
    ("unknown unit", HEAD.strip() + ",unit,name\n"
     + "E09000022,2021,employment,new_rate,White,1,2,per mille,Rate\n", 2, "unit",
     "for counts use"),
    ("catalogue unit differs", HEAD.strip() + ",unit\n"
     + "E09000022,2021,employment,employment_rate,White,1,2,per 1000\n", 2, "unit",
     "catalogue's unit"),
    ("embedded indicator", HEAD + "E09000022,2021,criminal justice,stop_search_lad,White,1,2\n",
     2, "indicator", "embedded already"),
    ("catalogue indicator as value", "la_code,period,domain,indicator,ethnic_group,value\n"
     "E09000022,2021,employment,employment_rate,White,75\n", 2, "numerator",
     "not as a value"),
    ("counts and values mixed", "la_code,period,domain,indicator,ethnic_group,numerator,"
     "denominator,value,name,unit\nE09000022,2021,health,asr,White,1,2,,Rate,percent\n"
     "E09000022,2021,health,asr,Black,,,30,,\n", 3, "_basis", "all counts or all values"),
    ("two units", HEAD.strip() + ",unit\n"
     + "E09000022,2021,employment,new_rate,White,1,2,percent\n"
     + "E09000022,2021,employment,new_rate,Black,1,2,per 1000\n", 3, "unit", "one unit"),
]


@pytest.mark.parametrize(("text", "row", "column", "words"),
                         [case[1:] for case in BAD], ids=[case[0] for case in BAD])
def test_bad_table_gives_one_clear_error(tmp_path, text, row, column, words):
    path = write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        validate_user_table(path)
    error = caught.value
    assert error.path == str(path)
    assert (error.row, error.column) == (row, column), str(error)
    assert words in error.message, str(error)
    assert "\n" not in str(error)


def test_at_least_25_bad_inputs_are_covered():
    assert len(BAD) + 4 >= 25  # plus the four file-level cases below


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        validate_user_table(tmp_path / "nothing.csv")


def test_unreadable_suffix(tmp_path):
    with pytest.raises(InputError, match="cannot read .txt"):
        validate_user_table(write(tmp_path, HEAD + GOOD, "table.txt"))


def test_not_utf8(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes((HEAD + "E09000022,2021,employment,employment_rate,Wh\xefte,1,2\n")
                     .encode("latin-1"))
    with pytest.raises(InputError, match="UTF-8"):
        validate_user_table(path)


def test_xlsx_with_suppressed_marker(tmp_path):
    path = tmp_path / "table.xlsx"
    frame = pd.DataFrame({"la_code": ["E09000022", "E09000022"], "period": [2021, 2021],
                          "domain": ["employment"] * 2, "indicator": ["employment_rate"] * 2,
                          "ethnic_group": ["White", "Black"], "numerator": [120, "c"],
                          "denominator": [150, 60]})
    frame.to_excel(path, index=False)
    with pytest.raises(InputError) as caught:
        validate_user_table(path)
    assert (caught.value.row, caught.value.column) == (3, "numerator")
    assert "suppressed" in caught.value.message


# --- good tables -------------------------------------------------------------------------


def test_fixture_is_valid_and_tidy():
    table = validate_user_table(FIXTURES / "employment_lambeth.csv")
    assert list(table.columns) == [*TEMPLATE_COLUMNS, "kind", "scale"]
    assert len(table) == 8
    assert table.loc[0, "numerator"] == 120_000  # thousands separators are accepted
    assert set(table["reference"]) == {"White"} and set(table["kind"]) == {"proportion"}


def test_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (HEAD + GOOD).encode())
    assert len(validate_user_table(path)) == 2


def test_forgiving_spellings_are_normalised(tmp_path):
    text = ("LA_Code,Period,Domain,Indicator,Ethnic group,Value,Lower,Upper,Reference,Unit,"
            "Name\n"
            "e09000022,2021-22,Support for the BME voluntary sector,grants,White,10,8,12,,"
            "%,Grants\n"
            "E09000022,2021/22,bme voluntary sector,grants,Black,5,4,6,,,\n")
    table = validate_user_table(write(tmp_path, text))
    assert table["la_code"].tolist() == ["E09000022"] * 2
    assert table["period"].tolist() == ["2021/22"] * 2
    assert set(table["domain"]) == {"bme_voluntary_sector"}
    assert set(table["kind"]) == {"value"}


def test_xlsx_equals_csv(tmp_path):
    csv_table = validate_user_table(FIXTURES / "employment_lambeth.csv")
    raw = pd.read_csv(FIXTURES / "employment_lambeth.csv", dtype=str)
    path = tmp_path / "table.xlsx"
    counts = {c: raw[c].str.replace(",", "").astype(int) for c in ("numerator", "denominator")}
    raw.assign(**counts).to_excel(path, index=False)
    pd.testing.assert_frame_equal(validate_user_table(path), csv_table)


def test_rates_may_exceed_their_denominator(tmp_path):
    text = (HEAD.strip() + ",unit,name\nE09000022,2021,housing,evictions,White,30,20,per 1000,"
            "Evictions\nE09000022,2021,housing,evictions,Black,3,2,per 1000,\n")
    table = validate_user_table(write(tmp_path, text))
    assert set(table["kind"]) == {"rate"} and set(table["scale"]) == {1000.0}
    assert set(table["unit"]) == {"per 1,000"}
