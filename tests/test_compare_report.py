"""`scorecard compare`: the report folder end to end on the embedded data, and bad input."""

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scorecard import census, geography, groups
from scorecard.change import embedded_common_units
from scorecard.cli import main
from scorecard.compare import index_change, scorecard_change
from scorecard.compare.selection import Area, area_frames, check_years, resolve
from scorecard.errors import InputError
from scorecard.resources import indicators_file
from scorecard.segregation import two_group

LAS = ["Bradford", "Leicester", "Tower Hamlets"]
CODES = {"Bradford": "E08000032", "Leicester": "E06000016", "Tower Hamlets": "E09000030"}


class Audit(HTMLParser):
    """External references, figures with their alt text, and table captions."""

    def __init__(self):
        super().__init__()
        self.external, self.figures, self.images, self.unlabelled = [], 0, 0, 0
        self.captions, self.figcaptions = [], []
        self._in = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("src", "href"):
            if re.match(r"^(https?:)?//", attrs.get(name) or ""):
                self.external.append(attrs[name])
        if tag == "figure":
            self.figures += 1
        if attrs.get("role") == "img":
            self.images += 1
            self.unlabelled += not (attrs.get("aria-label") or "").strip()
        if tag in ("img", "image"):
            self.unlabelled += not (attrs.get("alt") or "").strip()
        if tag in ("caption", "figcaption"):
            self._in = tag
            (self.captions if tag == "caption" else self.figcaptions).append("")

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in == "caption":
            self.captions[-1] += data
        elif self._in == "figcaption":
            self.figcaptions[-1] += data


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("compare")
    code = main(["compare", *LAS, "--out", str(out), "--quiet"])
    return code, out


@pytest.fixture(scope="module")
def folder(report) -> Path:
    code, out = report
    assert code == 0
    return out / "compare" / "bradford-leicester-tower-hamlets"


def test_writes_html_pdf_and_csv(folder):
    for name in ("index.html", "compare.pdf", "data.csv"):
        assert (folder / name).is_file() and (folder / name).stat().st_size > 1000, name
    leftovers = [p.name for p in folder.parent.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_page_is_self_contained_and_every_figure_has_alt_text_and_a_table(folder):
    html = (folder / "index.html").read_text(encoding="utf-8")
    audit = Audit()
    audit.feed(html)
    assert audit.external == []
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert audit.figures >= 2 and audit.images == audit.figures and audit.unlabelled == 0
    numbers = {int(m) for c in audit.captions for m in re.findall(r"^\s*Table (\d+)\.", c)}
    for caption in audit.figcaptions:
        named = [int(n) for n in re.findall(r"Table (\d+)", caption)]
        assert named and set(named) <= numbers, caption
    for caption in audit.captions:  # which classification and units, in every table
        assert re.search(r"broad ethnic groups on units common to both censuses|"
                         r"local authorities \(2021", caption)


def test_page_says_what_it_compares_in_plain_words(folder):
    html = (folder / "index.html").read_text(encoding="utf-8")
    text = re.sub(r"<svg.*?</svg>", "", html, flags=re.S)
    for name in LAS:
        assert name in text
    assert "Open Government Licence v.3.0" in text
    assert "2021 LSOAs" in text and "five broad ethnic groups" in text
    for reading in ("fell", "rose", "no reliable change"):
        assert f"<td>{reading}</td>" in text
    assert "BAME" not in text
    assert not re.search(r"\b(worse|better|alarming|worrying|good news)\b", text, flags=re.I)
    assert "Part from group shares (composition)" in text
    assert "times as likely as White residents to be stopped and searched" in text


def test_pdf_text_is_extractable(folder):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed, and pypdf is not a dependency")
    text = subprocess.run(["pdftotext", str(folder / "compare.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert "Bradford, Leicester and Tower" in text
    assert "Dissimilarity (D)" in text and "Stop and search" in text
    assert re.search(r"Page \d+ of \d+", text)


def test_csv_has_every_number_and_matches_independent_paths(folder):
    table = pd.read_csv(folder / "data.csv")
    assert set(table["section"]) == {"segregation_change", "m_decomposition",
                                     "stop_search_change", "housing_2021"}
    change = table[table["section"] == "segregation_change"]
    assert set(change["area_code"]) == set(CODES.values())
    assert len(change) == 3 * (5 * 4 + 2)
    # 2021 values: the two-group engine on the raw 2021 OA table summed to common units.
    raw = pd.read_parquet(indicators_file("census2021_oa_ethnic.parquet"))
    units = embedded_common_units()
    la_of = units.units.set_index("code")["la_code"]
    codes = groups.codes("broad5")
    after = raw.groupby(raw["code"].map(units.of_2021))[codes].sum().reset_index(names="code")
    after["la_code"] = after["code"].map(la_of)
    d = pd.concat([two_group(after[after["la_code"] == c], g, area="la_code", groups=codes,
                             indices=("dissimilarity",)) for c in CODES.values() for g in codes])
    got = change[change["index"] == "dissimilarity"].set_index(["area_code", "group"])
    for row in d.itertuples():
        assert got.loc[(row.area_code, row.group), "value_to"] == pytest.approx(row.value)
    # 2011 values and ranks: the national harmonisation, every LA at once.
    national = index_change(inference=False)
    national = national[national["index"] == "dissimilarity"]
    # ranked, as on the scorecards, only where the group is large enough to rank in 2021
    from scorecard.report.context import National
    flags = National(2021).indices.drop_duplicates(["area_code", "group"])
    flagged = flags.set_index(["area_code", "group"])["flag"].ne("")
    national = national.set_index(["area_code", "group"])
    national["to"] = national["value_to"].where(~flagged.reindex(national.index))
    national["rank"] = national.groupby("group")["to"].rank(ascending=False, method="min")
    for key, row in got.iterrows():
        assert row["value_from"] == pytest.approx(national.loc[key, "value_from"], abs=1e-12)
        assert row["rank_to"] == national.loc[key, "rank"] or (
            pd.isna(row["rank_to"]) and pd.isna(national.loc[key, "rank"]))
    # Each area is bootstrapped on its own: the same figures as its scorecard's change.
    own = scorecard_change("Leicester").set_index(["index", "group"])
    leicester = change[change["area_code"] == CODES["Leicester"]].set_index(["index", "group"])
    assert np.allclose(leicester.loc[own.index, "change_lower"], own["change_lower"])
    parts = table[table["section"] == "m_decomposition"].pivot(
        index="area_code", columns="component", values="value")
    summed = parts[["additions", "removals", "group_marginal", "unit_marginal",
                    "structural"]].sum(axis=1)
    assert np.allclose(summed, parts["diff"])
    stop = table[table["section"] == "stop_search_change"]
    assert {"E08000032", "E06000016", "E09000030", "K04000001"} <= set(stop["area_code"])
    # Housing, 2021 only: the embedded RM134 counts divided by hand.
    housing = table[table["section"] == "housing_2021"]
    assert set(housing["area_code"]) == {*CODES.values(), "E92000001"}
    raw = pd.read_parquet(indicators_file("ind_housing_lad.parquet")).set_index(
        ["measure", "geography_code", "ethnicity"])
    got = housing.set_index(["index", "area_code", "group"])["value"]
    for key, value in got.items():
        assert value == pytest.approx(100 * raw.loc[key, "numerator"]
                                      / raw.loc[key, "denominator"], rel=1e-12)


def test_housing_is_2021_only_and_says_so(folder):
    html = (folder / "index.html").read_text(encoding="utf-8")
    assert "5. Housing tenure, 2021" in html
    assert "no 2011 table of tenure by ethnic group is embedded" in html
    assert "households whose reference person is Black owned their home" in html


# ----------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("args, words", [
    (["Bradford", "Leicster"], "did you mean 'Leicester'"),
    (["Bradford"], "two or more areas"),
    (["Bradford", "Bradford"], "two or more areas"),
    (["Bradford", "Leicester", "--years", "2001,2021"], "2011 and 2021 censuses only"),
    (["Bradford", "Leicester", "--years", "2011"], "2011 and 2021 censuses only"),
    (["Bradford", "Leicester", "--years", "twenty"], "not two years"),
    (["Bradford", "Leicester", "--peers", "county"], "choose one of"),
])
def test_bad_input_exits_2_and_writes_nothing(tmp_path, run_cli, args, words):
    out = tmp_path / "out"
    code, stdout, stderr = run_cli("compare", *args, "--out", out)
    assert code == 2 and stdout == ""
    assert words in stderr and len(stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_bad_areas_file_names_file_row_and_column(tmp_path, run_cli):
    bad = tmp_path / "areas.csv"
    bad.write_text("code,area\nE01010568,Inner\nE01099999,Inner\n", encoding="utf-8")
    out = tmp_path / "out"
    code, _, stderr = run_cli("compare", "--areas", bad, "Inner", "Bradford", "--out", out)
    assert code == 2 and not out.exists()
    assert f"{bad}, row 3, column 'code'" in stderr
    old = tmp_path / "old.csv"  # a 2011-only LSOA code: no 2021 LSOA to compare on
    old.write_text("code,area\nE01000010,A\n", encoding="utf-8")
    code, _, stderr = run_cli("compare", "--areas", old, "A", "Leeds", "--out", out)
    assert code == 2 and not out.exists() and str(old) in stderr


# ----------------------------------------------------------------------------- areas


def test_names_resolve_to_custom_areas_regions_and_las(tmp_path):
    lsoas = geography.units(2021, "lsoa")
    listed = lsoas[lsoas["la_code"] == "E08000032"].head(25)
    path = tmp_path / "areas.csv"
    listed.assign(area="Inner Bradford")[["code", "area"]].to_csv(path, index=False)
    areas = resolve(["inner bradford", "Wales", "Taunton Deane", "E09000030"], path)
    assert [a.level for a in areas] == ["custom", "region", "la", "la"]
    assert areas[1].code == "W92000004"
    assert areas[2].name == "Somerset West and Taunton" and "2011" in areas[2].note
    before, after = area_frames(areas[:1])
    counts = census.load(2021, "lsoa").frame.set_index("code").loc[listed["code"], "total"]
    # Common units go to the area holding most of their residents: about the LSOAs' total.
    assert abs(after["total"].sum() / counts.sum() - 1) < 0.01
    assert before["total"].sum() > 0 and set(before["area"]) == {"Inner Bradford"}


def test_an_areas_file_alone_compares_all_its_areas(tmp_path):
    lsoas = geography.units(2021, "lsoa")
    rows = pd.concat([lsoas[lsoas["la_code"] == "E08000032"].head(10).assign(area="A"),
                      lsoas[lsoas["la_code"] == "E06000016"].head(10).assign(area="B")])
    path = tmp_path / "areas.csv"
    rows[["code", "area"]].to_csv(path, index=False)
    assert [a.name for a in resolve([], path)] == ["A", "B"]


def test_years_are_2011_and_2021_only():
    assert check_years("2011,2021") == (2011, 2021)
    with pytest.raises(InputError):
        check_years("2021,2011")


def test_a_region_and_one_of_its_las_share_units():
    areas = [Area("E12000007", "London", "region"), Area("E09000030", "Tower Hamlets", "la")]
    before, after = area_frames(areas)
    tower = after[after["area"] == "E09000030"]
    assert set(tower["code"]) <= set(after.loc[after["area"] == "E12000007", "code"])
    assert len(before) == len(after)


def test_a_county_council_is_the_custom_area_of_its_districts():
    """Kent (the education and social-care authority) as one area: its 12 districts' LSOAs."""
    from scorecard import geography
    from scorecard.compare.selection import resolve

    kent_districts = {"E07000105", "E07000106", "E07000107", "E07000108", "E07000109",
                      "E07000110", "E07000111", "E07000112", "E07000113", "E07000114",
                      "E07000115", "E07000116"}
    kent, region = resolve(["Kent", "South East"])
    assert (kent.code, kent.name, kent.level) == ("E10000016", "Kent", "custom")
    lsoas = geography.units(2021, "lsoa")
    expected = set(lsoas.loc[lsoas["la_code"].isin(kent_districts), "code"])
    assert set(kent.listed) == expected and len(expected) > 900
    assert kent.units and kent.listed_level == "lsoa"
    assert region.level == "region"


@pytest.mark.parametrize("odd_row", [1, 4])
def test_an_area_name_spelt_differently_once_is_the_row_named(tmp_path, odd_row):
    from scorecard.compare.areas import custom_areas

    codes = sorted(geography.units(2021, "lsoa").query("la_code == 'E06000017'")["code"])
    names = ["North" if i % 2 else "South" for i in range(len(codes))]
    names[odd_row] = names[odd_row].lower()  # the one odd spelling, first or not
    path = tmp_path / "areas.csv"
    pd.DataFrame({"code": codes, "area": names}).to_csv(path, index=False)
    with pytest.raises(InputError) as raised:
        custom_areas(path)
    assert raised.value.row == odd_row + 2 and raised.value.column == "area"
    assert "only in case or spacing" in str(raised.value)
