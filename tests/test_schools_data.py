"""The embedded school census (built byte for byte), a user's own school census (checked with
file, row and column, exit 2, nothing written) and the ``scorecard schools`` command."""

from __future__ import annotations

import sys

import pandas as pd
import pytest
from conftest import REPO

from scorecard.resources import indicators_file
from scorecard.schools import data


@pytest.fixture
def dfe(raw) -> pd.DataFrame:
    return pd.read_parquet(raw / "schools" / "spc_school_level_2022_23.parquet")


@pytest.fixture
def user_file(dfe, tmp_path):
    """Real rows of the DfE file as a user would save them: Bradford's and Leeds's schools."""
    rows = dfe[dfe["la_code"].isin(["E08000032", "E08000035"])]
    state = rows["phase"].isin(list(data.PHASES))  # first, so that the rows tested are used
    rows = pd.concat([rows[state], rows[~state]])
    path = tmp_path / "schools.csv"
    rows.to_csv(path, index=False)
    return path


def _with_cell(path, row: int, column: str, value, tmp_path):
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    table.loc[row - 2, column] = value
    out = tmp_path / "bad.csv"
    table.to_csv(out, index=False)
    return out


@pytest.mark.slow
def test_embedded_schools_rebuild_byte_for_byte(raw, tmp_path):
    sys.path.insert(0, str(REPO / "scripts"))
    import build_data

    build_data.build_schools(raw, REPO / "boundaries", tmp_path)
    built = (tmp_path / data.EMBEDDED_FILE).read_bytes()
    assert built == indicators_file(data.EMBEDDED_FILE).read_bytes()


def test_embedded_table_keeps_state_funded_schools_and_every_pupil_group():
    table = data.load()
    assert len(table) == 21_651 and table["urn"].is_unique
    assert set(table["phase"]) == {"primary", "secondary", "special_ap"}
    assert table["selective"].sum() == 163  # grammar schools
    groups = table[data.group_codes()].astype("float64")
    known = groups.notna().all(axis=1)
    assert (~known).sum() == 9  # special schools without ethnicity in the source
    summed = groups[known].sum(axis=1) + table.loc[known, "unclassified"].astype(float)
    assert (summed == table.loc[known, "headcount"].astype(float)).all()


def test_validate_accepts_a_real_school_census(run_cli, user_file):
    code, out, err = run_cli("validate", user_file)
    assert code == 0, err
    assert "OK" in out and "state-funded schools" in out and "2 LA districts" in out


@pytest.mark.parametrize(("row", "column", "value", "words"), [
    (5, "pupils_indian", "abc", "not a number"),
    (7, "pupils_african", "-3", "not a count"),
    (9, "phase", "Sixth form", "not a DfE phase"),
    (4, "la_code", "E99999999", "not a 2021 local authority"),
    (6, "easting", "9999999", "British National Grid"),
    (3, "headcount", "", "blank"),
])
def test_validate_names_file_row_and_column(run_cli, user_file, tmp_path, row, column, value,
                                            words):
    bad = _with_cell(user_file, row, column, value, tmp_path)
    code, out, err = run_cli("validate", bad)
    assert code == 2 and out == ""
    assert str(bad) in err and f"row {row}" in err and f"'{column}'" in err and words in err
    assert len(err.strip().splitlines()) == 1


def test_a_repeated_urn_and_a_missing_column(run_cli, user_file, tmp_path):
    table = pd.read_csv(user_file, dtype=str, keep_default_na=False)
    table.loc[3, "urn"] = table.loc[1, "urn"]
    table.to_csv(tmp_path / "twice.csv", index=False)
    code, _, err = run_cli("validate", tmp_path / "twice.csv")
    assert code == 2 and "row 5" in err and "appears twice" in err
    table.drop(columns="pupils_chinese").to_csv(tmp_path / "short.csv", index=False)
    code, _, err = run_cli("validate", tmp_path / "short.csv")
    assert code == 2 and "'pupils_chinese'" in err and "missing column" in err


def test_schools_with_a_users_file_writes_nothing_when_it_is_bad(run_cli, user_file, tmp_path):
    bad = _with_cell(user_file, 5, "pupils_indian", "x1", tmp_path)
    out = tmp_path / "out" / "bradford.csv"
    code, _, err = run_cli("schools", "Bradford", "--schools", bad, "--out", out)
    assert code == 2 and "row 5" in err
    assert not out.parent.exists() or not any(out.parent.iterdir())


def test_schools_with_a_users_file(run_cli, user_file, tmp_path):
    out = tmp_path / "leeds.csv"
    code, _, err = run_cli("schools", "Leeds", "--schools", user_file, "--out", out,
                           "--no-intervals")
    assert code == 0, err
    per_school = pd.read_csv(tmp_path / "leeds-schools.csv")
    assert set(per_school["district_code"]) == {"E08000035"}
    summary = pd.read_csv(out)
    assert {"E08000035", "E92000001"} <= set(summary["area_code"])


def test_schools_command_writes_the_summary_and_the_schools(run_cli, tmp_path):
    out = tmp_path / "bradford.csv"
    code, _, err = run_cli("schools", "bradford", "--phase", "primary", "--out", out)
    assert code == 0, err
    summary = pd.read_csv(out, keep_default_na=False)
    assert set(summary["phase"]) == {"primary", "residents"}
    d = summary[(summary["area_code"] == "E08000032") & (summary["index"] == "dissimilarity")
                & (summary["group"] == "white_british") & (summary["schools"] == "all")]
    assert len(d) == 1 and d["expected"].iloc[0] != "" and d["lower"].iloc[0] != ""
    assert "dissimilarity_bias_corrected" in set(summary["index"])
    schools = pd.read_csv(tmp_path / "bradford-schools.csv")
    assert len(schools) > 100 and (schools["phase"] == "primary").all()


def test_schools_command_prints_key_figures_and_speaks_for_wales(run_cli):
    code, out, _ = run_cli("schools", "E08000032", "--no-intervals")
    assert code == 0 and "ten nearest primary schools" in out and "Bradford" in out
    code, out, _ = run_cli("schools", "Cardiff")
    assert code == 0 and "PLASC" in out
    code, _, err = run_cli("schools", "Bradfrod")
    assert code == 2 and "did you mean" in err
