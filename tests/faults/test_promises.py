"""Named faults that once broke a promise, one test per class: input blamed on the right
cell, every option checked up front, names as data, labels that fit, stale staging."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from scorecard import census, outputs
from scorecard.report import charts

from .conftest import assert_one_line_error, files_under, run_here

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
LAMBETH = FIXTURES / "indicators" / "employment_lambeth.csv"
GROUPS = ["asian", "black", "mixed", "white", "other"]


@pytest.fixture
def rutland_counts(tmp_path) -> Path:
    frame = census.load(2021, "lsoa").for_authority("E06000017").frame
    path = tmp_path / "rutland.csv"
    frame[["code", *GROUPS]].to_csv(path, index=False)
    return path


@pytest.mark.parametrize("total", [True, False])
def test_count_above_int64_is_blamed_on_its_own_cell(tmp_path, total):
    frame = census.load(2021, "lsoa").for_authority("E06000017").frame[["code", *GROUPS,
                                                                        "total"]]
    frame = frame.astype(object)
    frame.loc[3, "black"] = str(2**63 + 5)
    if not total:
        frame = frame.drop(columns="total")
    path = tmp_path / "huge.csv"
    frame.to_csv(path, index=False)
    code, _, err = run_here("validate", path)
    assert_one_line_error(code, err, path=path, row=5, column="black")


def test_counts_with_no_unit_in_the_la_built(rutland_counts, tmp_path):
    out = tmp_path / "out"
    code, _, err = run_here("build", "Lambeth", "--counts", rutland_counts, "--out", out)
    line = assert_one_line_error(code, err, path=rutland_counts, column="code")
    assert "Lambeth" in line and "Rutland" in line
    assert not out.exists()


def test_an_la_level_counts_table_is_refused(tmp_path):
    frame = census.load(2021, "la").frame.head(4).drop(columns=["la_code", "total"])
    path = tmp_path / "las.csv"
    frame.to_csv(path, index=False)
    out = tmp_path / "out"
    code, _, err = run_here("build", frame["code"].iloc[0], "--counts", path, "--out", out)
    assert "local authorities" in assert_one_line_error(code, err, path=path, column="code")
    assert not out.exists()


def test_indicators_with_2011_are_refused_not_dropped(tmp_path):
    out = tmp_path / "out"
    code, _, err = run_here("build", "Lambeth", "--year", "2011", "--indicators", LAMBETH,
                            "--out", out)
    assert "2021" in assert_one_line_error(code, err, path=LAMBETH)
    assert not out.exists()


def test_catalogued_indicator_without_its_reference_group_fails_validate(tmp_path):
    lines = LAMBETH.read_text().splitlines()
    kept = [line for line in lines if not line.startswith("E09000022,2021,employment,"
                                                          "employment_rate,White,")]
    assert len(kept) == len(lines) - 1
    path = tmp_path / "no_reference.csv"
    path.write_text("\n".join(kept) + "\n")
    code, _, err = run_here("validate", path)
    line = assert_one_line_error(code, err, path=path, column="ethnic_group")
    assert "'White'" in line and "E09000022" in line


def test_messages_name_the_users_columns_not_internal_ones(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text("la_code,period,domain,indicator,ethnic_group,numerator,denominator,value,"
                    "name,unit\n"
                    "E09000022,2021,health,asr,White,1,2,,Rate,percent\n"
                    "E09000022,2021,health,asr,Black,,,30,Rate,percent\n")
    code, _, err = run_here("validate", path)
    line = assert_one_line_error(code, err, path=path, row=3, column="value")
    assert "_basis" not in line and "_form" not in line


@pytest.mark.parametrize("option, value", [
    ("--draws", "0"), ("--draws", "-5"), ("--draws", "1"), ("--draws", "100000000"),
    ("--draws", "ten"), ("--seed", "-1"), ("--seed", "1.5")])
def test_indices_options_are_checked_up_front(rutland_counts, tmp_path, option, value):
    out = tmp_path / "indices.csv"
    code, _, err = run_here("indices", rutland_counts, "--unit", "code", "--groups",
                            ",".join(GROUPS), "--inference", option, value, "--out", out)
    assert option in assert_one_line_error(code, err)
    assert not out.exists()


def test_draws_at_the_documented_limit_are_accepted(tmp_path):
    table = tmp_path / "small.csv"
    table.write_text("code,a,b\nx1,3,0\nx2,1,4\nx3,5,2\n")
    code, out, err = run_here("indices", table, "--unit", "code", "--groups", "a,b",
                              "--inference", "--draws", "10000", "--seed", "0")
    assert code == 0, err
    assert err == ""  # no numpy warning on a small, legal table


@pytest.mark.parametrize("command", [["build", "Rutland"], ["site", "--authorities",
                                                            "Rutland"]])
@pytest.mark.parametrize("jobs", ["0", "-2", "many"])
def test_jobs_are_checked_up_front(command, jobs, tmp_path):
    code, _, err = run_here(*command, "--jobs", jobs, "--out", tmp_path / "out")
    assert "--jobs" in assert_one_line_error(code, err)
    assert files_under(tmp_path) == []


def test_compare_seed_is_checked_up_front(tmp_path):
    code, _, err = run_here("compare", "Rutland", "Leicester", "--seed", "-1", "--out",
                            tmp_path)
    assert "--seed" in assert_one_line_error(code, err)


def test_blank_unit_code_is_refused_by_indices(tmp_path):
    table = tmp_path / "blank.csv"
    table.write_text("code,a,b\nx1,3,0\n ,1,4\nx3,5,2\n")
    code, _, err = run_here("indices", table, "--unit", "code", "--groups", "a,b")
    assert_one_line_error(code, err, path=table, row=3, column="code")


def test_a_very_long_label_never_draws_a_negative_width():
    svg = charts.interval_bars(["A" * 100_000, "White"], [10.0, 20.0], [5.0, None],
                               [15.0, None], highlight="White", unit="percent", title="t")
    widths = [float(w) for w in re.findall(r' (?:width|x)="(-?[\d.]+)"', svg)]
    assert min(widths) >= 0
    assert len(svg) < 5_000 and "…" in svg


def test_stale_staging_of_a_dead_process_is_cleared_and_a_live_one_kept(tmp_path):
    target = tmp_path / "reports" / "E06000017-rutland"
    target.parent.mkdir()
    dead = target.parent / f".{target.name}.abc123{outputs.PARTIAL}"
    dead.mkdir()
    (dead / "index.html").write_text("half")
    legacy = target.parent / f".{target.name}.k3j4h5g6"  # before the locks
    legacy.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent("""
        import sys, time
        from pathlib import Path
        from scorecard import outputs
        with outputs.staged_folder(Path(sys.argv[1]) / "other") as staging:
            print(staging, flush=True)
            time.sleep(60)
    """), target.parent], stdout=subprocess.PIPE, text=True)
    try:
        live = Path(holder.stdout.readline().strip())
        with outputs.staged_folder(target) as staging:
            (staging / "index.html").write_text("whole")
        assert not dead.exists() and not legacy.exists()
        assert live.is_dir(), "a live process's staging folder was removed"
    finally:
        holder.kill()
        holder.wait()
    assert (target / "index.html").read_text() == "whole"
    outputs.clear_stale(target.parent)
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]


def test_signals_leave_no_staging_behind(tmp_path):
    """SIGTERM during the write: the folder is not published and its staging is removed."""
    script = textwrap.dedent("""
        import os, signal, sys
        from pathlib import Path
        from scorecard import outputs
        from scorecard.processes import signals_as_exit
        with signals_as_exit(), outputs.staged_folder(Path(sys.argv[1])) as staging:
            (staging / "index.html").write_text("half")
            os.kill(os.getpid(), signal.SIGTERM)
            (staging / "data.csv").write_text("never")
    """)
    target = tmp_path / "out" / "E06000017-rutland"
    done = subprocess.run([sys.executable, "-c", script, target], capture_output=True)
    assert done.returncode == 128 + 15, done.stderr.decode()
    assert done.stderr == b""
    assert os.listdir(target.parent) == []


def test_custom_area_names_differing_only_in_case_are_one_name(tmp_path):
    path = tmp_path / "areas.csv"
    pd.DataFrame({"code": ["E01013697", "E01013698"], "area": ["North", "north"]}).to_csv(
        path, index=False)
    code, _, err = run_here("compare", "--areas", path, "--out", tmp_path / "out")
    assert_one_line_error(code, err, path=path, row=3, column="area")


def test_an_area_without_residents_prints_no_numpy_warning(tmp_path):
    table = tmp_path / "empty_area.csv"
    table.write_text("code,area,a,b\nx1,A,0,0\nx2,A,0,0\nx3,B,5,0\nx4,B,3,0\nx5,C,1,1\n"
                     "x6,C,0,4\n")
    code, out, err = run_here("indices", table, "--unit", "code", "--area", "area", "--groups",
                              "a,b", "--inference", "--decompose")
    assert code == 0 and err == "", err
    rows = [line for line in out.splitlines() if line.startswith("A,dissimilarity,")]
    assert rows and "fewer than 2 units with residents" in rows[0]
