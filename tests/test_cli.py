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
    assert audit.figures >= 6 and audit.labelled_images == audit.figures
    assert audit.tables >= audit.figures - 5  # every chart has its table; maps share one
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
    segregation = data[(data["section"] == "segregation") & ~data["measure"].str.contains(":")]
    assert set(segregation["measure"]) == {"dissimilarity", "isolation", "exposure", "theil_h",
                                           "dissimilarity_bias_corrected",
                                           "theil_h_bias_corrected"}
    # D and H are ranked on their bias-corrected values (the raw rows show that rank too),
    # among the LAs where the group is large enough to rank (all of Bradford's groups are)
    found = segregation["rank"].str.extract(r"^(\d+)(?:st|nd|rd|th) of (\d+)$").astype(float)
    assert found.notna().all().all()
    assert ((found[0] <= found[1]) & (found[1] <= 331)).all()
    ranks = segregation.set_index(["group", "measure"])["rank"]
    assert ranks["asian", "dissimilarity"] == ranks["asian", "dissimilarity_bias_corrected"]
    chance = data[data["measure"] == "dissimilarity:expected"].set_index("group")["value"]
    d = segregation[segregation["measure"] == "dissimilarity"].set_index("group")["value"]
    assert (chance < d).all()  # Bradford's groups are more uneven than chance alone
    segregation = segregation[~segregation["measure"].str.endswith("_bias_corrected")]
    assert set(segregation["group"]) == {"asian", "black", "mixed", "white", "other"}
    assert (segregation["unit_level"] == "output area").all()
    assert (segregation["n_units"] == 1575).all()  # Bradford's 2021 output areas


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
    def files():
        return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())

    written = files()
    assert {"data.csv", "index.html", "scorecard.pdf"} <= set(written)
    assert any(name.startswith("figures/") and name.endswith(".svg") for name in written)
    first = {name: (folder / name).read_bytes() for name in written}
    (folder / "stale.txt").write_text("from an older run")
    assert run_cli("build", "Rutland", "--out", tmp_path, "--quiet")[0] == 0
    assert files() == written
    for name, content in first.items():  # seeded and deterministic: byte-identical output
        assert (folder / name).read_bytes() == content
    assert [p.name for p in folder.parent.iterdir()] == ["E06000017-rutland"]


def test_installed_command_runs_from_any_folder(tmp_path):
    """The console script finds its embedded data wherever it is run from."""
    script = [sys.executable, "-m", "scorecard.cli", "list", "--year", "2011"]
    result = subprocess.run(script, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 348


def test_indices_command_on_a_wide_file(tmp_path, run_cli):
    frame = census.load(2011, "lsoa").to("broad5").frame
    path = tmp_path / "lsoa.csv"
    frame.to_csv(path, index=False)
    out = tmp_path / "indices.csv"
    code, _, err = run_cli("indices", path, "--unit", "code", "--area", "la_code", "--groups",
                           "asian,black,mixed,white,other", "--out", out)
    assert code == 0, err
    table = pd.read_csv(out, keep_default_na=False)
    assert table["area_code"].nunique() == 348
    names = set(table["index"])
    assert {"dissimilarity", "gini", "atkinson_0.5", "theil_h", "isolation", "exposure",
            "correlation_ratio", "multigroup_dissimilarity", "multigroup_theil_h",
            "mutual_information_m", "simpson_interaction"} <= names
    assert set(table.loc[table["index"] == "dissimilarity", "reference"]) == {"rest"}
    assert set(table.loc[table["index"] == "mutual_information_m", "group"]) == {"all"}


def test_indices_with_two_groups_is_that_pair_over_one_area(tmp_path, run_cli):
    path = tmp_path / "tiny.csv"
    path.write_text("ward,x,y\na,10,0\nb,0,10\n")
    code, out, err = run_cli("indices", path, "--unit", "ward", "--groups", "x,y")
    assert code == 0, err
    table = pd.read_csv(__import__("io").StringIO(out))
    d = table[table["index"] == "dissimilarity"].iloc[0]
    assert (d["area_code"], d["group"], d["reference"], d["value"]) == ("all", "x", "y", 1.0)


@pytest.mark.parametrize(("content", "row", "column", "words"), [
    ("ward,x,y\na,10,0\nb,-1,10\n", 3, "x", "negative count"),
    ("ward,x,y\na,10,0\nb,c,10\n", 3, "x", "not a number"),
    ("ward,x,z\na,10,0\nb,0,10\n", 1, "y", "no such column"),
])
def test_indices_bad_input_writes_nothing(content, row, column, words, tmp_path, run_cli):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    out = tmp_path / "out.csv"
    code, stdout, err = run_cli("indices", path, "--unit", "ward", "--groups", "x,y", "--out",
                                out)
    assert code == 2 and stdout == "" and not out.exists()
    assert f"row {row}" in err and f"column '{column}'" in err and words in err
    assert str(path) in err and len(err.strip().splitlines()) == 1


def test_gaps_command_writes_the_tidy_table(tmp_path, run_cli):
    out = tmp_path / "gaps.csv"
    code, _, err = run_cli("gaps", "Lambeth", "--out", out)
    assert code == 0, err
    table = pd.read_csv(out)
    stops = table[(table["measure"] == "stop_search_lad") & (table["ethnicity"] == "Black")]
    assert set(stops["time"].astype(str)) == {"2019", "2020", "2021"}
    assert (stops["ratio"] > 1).all()


def test_validate_recognises_a_local_indicator_table(run_cli):
    from pathlib import Path

    fixture = Path(__file__).parent / "fixtures" / "indicators" / "employment_lambeth.csv"
    code, out, err = run_cli("validate", fixture)
    assert code == 0, err
    assert "OK" in out and "indicators" in out


def test_build_shows_seven_domains_and_names_missing_tables(bradford):
    html = (bradford / "index.html").read_text(encoding="utf-8")
    for heading in ("Education", "Employment", "Housing", "Health", "Criminal justice",
                    "Civic participation", "Support for the BME voluntary sector"):
        assert f">{heading}</h3>" in html
    # searches are events: a rate per 1,000 residents and the ratio of rates, not "likely"
    assert "searches for every 1,000 Black residents" in html
    assert "the Black rate was" in html and "times the White rate (95% CI" in html
    assert "times as likely as White residents to be stopped" not in html
    assert "households whose reference person is Black were" in html  # RM134, embedded
    assert "Census 2021 occupancy rating" in html  # the housing table a user could supply
    assert "BAME" not in html
    data = pd.read_csv(bradford / "data.csv", low_memory=False)
    stops = data[(data["measure"] == "stop_search_lad") & (data["group"] == "Black")]
    assert len(stops) == 3 and stops["ratio"].notna().all()


def test_build_with_a_bad_indicator_table_writes_nothing(tmp_path, run_cli):
    bad = tmp_path / "local.csv"
    bad.write_text("la_code,period,domain,indicator,ethnic_group,numerator,denominator\n"
                   "E09000022,2023,employment,employment_rate,Black,50,40\n")
    out = tmp_path / "reports"
    code, _, err = run_cli("build", "Lambeth", "--indicators", bad, "--out", out)
    assert code == 2 and str(bad) in err and "row 2" in err
    assert not out.exists()
