"""The same inputs give the same bytes wherever they are built: a scorecard built from two
working directories into two places, and the site's national downloads written twice."""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
from pathlib import Path

import pytest
from pypdf import PdfReader

from .conftest import fault_env, start

RUTLAND = "E06000017-rutland"


def digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def pdf_links(path: Path) -> list[str]:
    links = []
    for page in PdfReader(path).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            if "/URI" in action:
                links.append(str(action["/URI"]))
    return links


def test_scorecard_is_the_same_bytes_from_any_working_directory(tmp_path):
    folders, builds = [], []
    for name in ("first", "second/deeper"):  # at the same time: two CPUs, half the wait
        cwd = tmp_path / name
        cwd.mkdir(parents=True)
        env, _ = fault_env()
        builds.append(start(["build", "Rutland", "--format", "html,pdf", "--jobs", "1",
                             "--out", "reports", "--quiet"], env=env, cwd=cwd))
        folders.append(cwd / "reports" / "2021" / RUTLAND)
    for build in builds:
        _, err = build.communicate(timeout=300)
        assert build.returncode == 0, err.decode()
        assert err == b"", f"a clean run printed to stderr: {err.decode()}"
    first, second = (digests(folder) for folder in folders)
    assert sorted(f for f in first if "/" not in f) == [
        "data.csv", "data.xlsx", "index.html", "map.gpkg", "scorecard.pdf"]
    assert any(f.startswith("figures/") and f.endswith(".svg") for f in first)
    assert first == second
    pdf = (folders[0] / "scorecard.pdf").read_bytes()
    assert b"file:" not in pdf and str(tmp_path).encode() not in pdf
    links = pdf_links(folders[0] / "scorecard.pdf")
    assert "data.csv" in links, links  # relative to the report's folder
    assert not [link for link in links if link.startswith("file:")]


@pytest.mark.slow
def test_site_national_geopackage_records_no_time_of_writing(tmp_path):
    """GDAL stamps each layer with the time of writing; the site's package is dated by
    census day instead (as each scorecard's is), so two builds give the same bytes. Checked
    on the stamps themselves: writing the national downloads twice takes a minute."""
    from scorecard.report.context import National
    from scorecard.report.downloads import CENSUS_DAY
    from scorecard.site.data import SiteData
    from scorecard.site.downloads import write_downloads

    write_downloads(SiteData(National(2021)), tmp_path / "downloads")
    with contextlib.closing(sqlite3.connect(tmp_path / "downloads" / "scorecard-2021.gpkg")
                            ) as package:
        stamps = {row[0] for row in package.execute("SELECT last_change FROM gpkg_contents")}
        tables = {row[0] for row in package.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "gpkg_metadata_reference" in tables:
            stamps |= {row[0] for row in package.execute(
                "SELECT timestamp FROM gpkg_metadata_reference")}
    assert stamps == {CENSUS_DAY[2021]}
