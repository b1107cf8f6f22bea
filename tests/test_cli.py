"""The commands a user runs: list, build, validate."""

import re
import subprocess
import sys
from html.parser import HTMLParser

import pandas as pd
import pytest

from scorecard import census, geography


def test_list_prints_every_la(run_cli):
    for year, count in ((2011, 348), (2021, 331)):
        code, out, _ = run_cli("list", "--year", year)
        lines = out.strip().splitlines()
        assert code == 0 and len(lines) == count
        codes = [line.split()[0] for line in lines]
        assert codes == sorted(geography.authorities(year)["code"])
    assert re.search(r"^E08000032  Bradford\s+Metropolitan district, Yorkshire and The Humber$",
                     out, flags=re.M)


def test_unknown_year_is_a_usage_error(run_cli):
    with pytest.raises(SystemExit) as exit_info:
        run_cli("list", "--year", "2001")
    assert exit_info.value.code == 2


class PageAudit(HTMLParser):
    """Collects what the accessibility and self-containment checks need."""

    def __init__(self):
        super().__init__()
        self.external = []
        self.figures = 0
        self.labelled_images = 0
        self.tables = 0
        self.headings = []
        self._heading = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("src", "href"):
            value = attrs.get(name) or ""
            if re.match(r"^(https?:)?//", value):
                self.external.append(value)
        if tag == "figure":
            self.figures += 1
        if attrs.get("role") == "img" and attrs.get("aria-label"):
            self.labelled_images += 1
        if tag == "table":
            self.tables += 1
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = tag

    def handle_data(self, data):
        if self._heading:
            self.headings.append((self._heading, data.strip()))
            self._heading = None


@pytest.fixture(scope="module")
def bradford(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    from scorecard.cli import main

    assert main(["build", "bradford", "--out", str(out), "--quiet"]) == 0
    return out / "2021" / "E08000032-bradford"


def test_build_writes_a_self_contained_page_with_real_numbers(bradford):
    html = (bradford / "index.html").read_text(encoding="utf-8")
    audit = PageAudit()
    audit.feed(html)
    assert audit.external == []
    assert "<link" not in html and "<script" not in html
    assert audit.figures == 6 and audit.labelled_images == audit.figures
    assert audit.tables >= 3  # a table behind every chart and map
    assert ("h1", "Bradford") in audit.headings
    assert "Open Government Licence v.3.0" in html and "Crown copyright" in html
    la = census.load(2021, "la").frame.set_index("code").loc["E08000032"]
    assert f"{int(la['total']):,}" in html
    assert f"{int(la['asian_pakistani']):,}" in html


def test_data_csv_holds_every_number_unrounded(bradford):
    data = pd.read_csv(bradford / "data.csv")
    population = data[data["section"] == "population"].set_index("group")["value"]
    la = census.load(2021, "la").frame.set_index("code").loc["E08000032"]
    assert population["all"] == la["total"]
    assert population["white_british"] == la["white_british"]
    segregation = data[data["section"] == "segregation"]
    assert set(segregation["measure"]) == {"dissimilarity", "isolation", "exposure", "theil_h"}
    assert set(segregation["group"]) == {"asian", "black", "mixed", "white", "other"}
    assert (segregation["unit_level"] == "LSOA").all()
    assert (segregation["n_units"] == 312).all()


def test_build_2011_uses_output_areas_and_white_british(tmp_path, run_cli):
    code, out, err = run_cli("build", "E09000030", "--year", "2011", "--out", tmp_path)
    assert code == 0, err
    folder = tmp_path / "2011" / "E09000030-tower-hamlets"
    data = pd.read_csv(folder / "data.csv")
    segregation = data[data["section"] == "segregation"]
    assert "white_british" in set(segregation["group"])
    assert (segregation["unit_level"] == "output area").all()
    assert str(folder / "index.html") in out


def test_rebuild_replaces_the_folder_whole(tmp_path, run_cli):
    assert run_cli("build", "Rutland", "--out", tmp_path, "--quiet")[0] == 0
    folder = tmp_path / "2021" / "E06000017-rutland"
    (folder / "stale.txt").write_text("from an older run")
    assert run_cli("build", "Rutland", "--out", tmp_path, "--quiet")[0] == 0
    assert sorted(p.name for p in folder.iterdir()) == ["data.csv", "index.html"]
    assert [p.name for p in folder.parent.iterdir()] == ["E06000017-rutland"]


def test_installed_command_runs_from_any_folder(tmp_path):
    """The console script finds its embedded data wherever it is run from."""
    script = [sys.executable, "-m", "scorecard.cli", "list", "--year", "2011"]
    result = subprocess.run(script, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 348
