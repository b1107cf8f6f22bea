"""`scorecard sources`: every embedded table, consistent with the SOURCES.md files."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd

from scorecard.resources import indicators_file

REPO = Path(__file__).resolve().parents[1]


def test_sources_table_lists_every_embedded_table_once():
    table = pd.read_csv(indicators_file("sources.csv"), dtype=str, keep_default_na=False)
    on_disk = {f"{folder}/{p.name}" for folder in ("boundaries", "indicators")
               for p in (REPO / folder).glob("*.parquet")}
    assert table["file"].is_unique and set(table["file"]) == on_disk
    for column in ("publisher", "table", "title", "period", "geography", "licence",
                   "came_from"):
        assert (table[column] != "").all(), column
    assert set(table["licence"]) == {"Open Government Licence v3.0"}
    housing = table.set_index("file").loc["indicators/ind_housing_lad.parquet"]
    assert "RM134" in housing["table"] and int(housing["rows"]) == 7_014


def test_sources_table_agrees_with_sources_md_and_its_builder():
    table = pd.read_csv(indicators_file("sources.csv"), dtype=str, keep_default_na=False)
    for file in table["file"]:
        folder, name = file.split("/")
        assert f"`{name}`" in (REPO / folder / "SOURCES.md").read_text(encoding="utf-8"), file
    spec = importlib.util.spec_from_file_location("build_sources",
                                                  REPO / "scripts" / "build_sources.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.sources_table(REPO) == indicators_file("sources.csv").read_text(
        encoding="utf-8")


def test_sources_command_prints_every_table(run_cli, tmp_path):
    code, out, _ = run_cli("sources")
    assert code == 0
    assert "indicators/ind_housing_lad.parquet" in out and "RM134" in out
    assert "licence: Open Government Licence v3.0" in out
    code, _, _ = run_cli("sources", "--out", tmp_path / "sources.csv")
    assert code == 0 and len(pd.read_csv(tmp_path / "sources.csv")) > 20
