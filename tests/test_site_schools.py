"""School segregation on the site: league-table columns, national map layers, downloads."""

from __future__ import annotations

import re
from html import unescape

import pandas as pd
import pytest

from scorecard.report.context import National
from scorecard.site import pages
from scorecard.site.data import SiteData
from scorecard.site.schools import COLUMNS, write_school_tables


@pytest.fixture(scope="module")
def site_data() -> SiteData:
    return SiteData(National(2021))


def test_league_table_has_switchable_school_columns(site_data):
    table = pages.league_table(site_data, {})
    keys = [c["key"] for c in table["columns"]]
    assert set(COLUMNS) <= set(keys)
    rows = {r["code"]: r for r in table["rows"]}
    position = keys.index("school_d_wb_primary")
    assert len(rows["E08000032"]["cells"]) == len(keys)
    assert rows["E08000032"]["cells"][position]["text"] == "0.70"
    assert rows["W06000015"]["cells"][position]["text"] == "–"  # Wales: not in the census


def test_la_columns_are_the_summary_values(site_data):
    summary = site_data.national.schools.summary
    value = summary[(summary["area_code"] == "E06000035") & (summary["phase"] == "secondary")
                    & (summary["index"] == "share_segregated")
                    & (summary["group"] == "white_british")]["value"].iloc[0]
    las = site_data.las.set_index("code")
    assert las.loc["E06000035", "school_segregated_secondary"] == pytest.approx(100 * value)


def test_national_map_offers_school_layers(site_data):
    built = pages.national_map(site_data, {})
    text = str(built)
    assert "school_d_wb_secondary" in text


def test_school_tables_for_the_downloads(site_data, tmp_path):
    written = write_school_tables(tmp_path, site_data.national.schools.summary,
                                  site_data.national.schools.schools)
    schools = pd.read_csv(tmp_path / "schools.csv")
    assert written == ["school_results.csv", "schools.csv"] and len(schools) == 21_651


def test_la_page_map_has_a_school_level(site_data):
    built = pages.explore_map(site_data, "E08000032", "Bradford", "share_asian")
    levels = [level["level"] for level in built["levels"]]
    assert "schools" in levels
    text = str(built["json"])
    assert "school_wb_nearby" in text and "URN" in text
    schools = site_data.national.schools.schools
    mine = schools[(schools["district_code"] == "E08000032")
                   & schools["phase"].isin(["primary", "secondary"]) & schools["easting"].notna()]
    assert str(built["svg"]).count('data-level="schools"') == 1
    assert len(mine) > 150
    wales = pages.explore_map(site_data, "W06000015", "Cardiff", "share_asian")
    assert "schools" not in [level["level"] for level in wales["levels"]]


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_methods_page_has_a_schools_part(site_data):
    from scorecard.report.render import _environment as report_environment
    from scorecard.schools import WELSH_SOURCE
    from scorecard.site.build import methods_page

    html = methods_page(site_data)
    assert '<a href="#schools">Schools</a>' in html
    section = re.search(r'<section id="schools".*?</section>', html, re.S).group(0)
    words = _text(section)
    # what is measured, and where the site shows it
    assert "DfE school census of January 2023" in words
    assert "school_results.csv" in words and "schools.csv" in words
    # the ten-nearest classification
    assert "ten nearest schools of the same phase" in words
    assert "26% of primary and 40.6% of secondary schools in 2016 \"ethnically segregated" in words
    # the critique, with its sources
    assert "Comments on a new measure of segregation" in words
    assert "Only the opening of their post could be checked" in words
    assert "Harris and Johnston" in words
    # Wales, and the Welsh source a user can supply
    assert "Wales is not covered." in words
    assert _text(WELSH_SOURCE) in words and "--schools FILE" in words
    # one account of the measures: the scorecards' own definitions, not a second copy
    definitions = report_environment().get_template("_schools_definitions.html.j2").render()
    assert _text(definitions) in words
    # the sections stay numbered in order
    numbers = [int(n) for n in re.findall(r'<h2 id="[a-z]+-heading">(\d+)\.', html)]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) == 7


def test_a_2011_methods_page_points_to_the_2021_site():
    from scorecard.site.build import methods_page

    html = methods_page(SiteData(National(2011)))
    section = re.search(r'<section id="schools".*?</section>', html, re.S).group(0)
    assert "2021 site only" in _text(section) and "Burgess" not in section
