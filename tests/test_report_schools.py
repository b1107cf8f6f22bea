"""The Schools section of a scorecard: what it shows for an English LA and for a Welsh one."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from scorecard.report.context import National
from scorecard.report.neighbourhoods import maps_section
from scorecard.report.render import _environment
from scorecard.report.schools_section import schools_section
from scorecard.schools import WELSH_SOURCE


@pytest.fixture(scope="module")
def national() -> National:
    return National(2021)


@pytest.fixture(scope="module")
def bradford(national) -> dict:
    base = maps_section(national, "E08000032")["basemap"]
    return schools_section(national, "E08000032", "Bradford", base)


def test_an_english_la_gets_maps_tables_and_sentences(national, bradford):
    schools = national.schools.schools
    mine = schools[(schools["district_code"] == "E08000032")
                   & schools["phase"].isin(["primary", "secondary"])]
    assert bradford["covered"]
    assert len(bradford["table"]) == len(mine)
    assert [m["phase"] for m in bradford["maps"]] == ["primary", "secondary"]
    for entry in bradford["maps"]:
        dots = entry["svg"].count("<circle")
        phase = mine[(mine["phase"] == entry["phase"]) & mine["easting"].notna()]
        assert dots == len(phase)
    assert len(bradford["sentences"]) == 8
    assert any("ten nearest primary schools" in s for s in bradford["sentences"])
    assert {r["group"] for r in bradford["chart_table"]} >= {"Asian", "White"}


def test_sentences_describe_intake_in_neutral_words(bradford):
    text = " ".join(bradford["sentences"]).lower()
    for word in ("worse", "better", "alarming", "bame", "good", "bad"):
        assert not re.search(rf"\b{word}\b", text), word
    assert '"segregated"' in text  # the measure's own term, quoted
    assert "january 2023" in text and "bradford" in text


def test_small_schools_shares_are_suppressed(national):
    la = "E06000053"  # Isles of Scilly: a handful of small schools
    section = schools_section(national, la, "Isles of Scilly", None)
    if section["covered"]:
        small = [r for r in section["table"] if r["pupils"] == "[c]"]
        assert all(r["wb"] == "[c]" for r in small)


def test_a_welsh_la_says_it_is_not_covered_and_names_plasc(national):
    section = schools_section(national, "W06000015", "Cardiff", None)
    assert not section["covered"]
    assert WELSH_SOURCE in section["note"] and "--schools" in section["note"]
    html = _environment().get_template("_schools.html.j2").render(schools=section,
                                                                  la={"name": "Cardiff"},
                                                                  medium="screen")
    assert "Pupil Level Annual School Census" in html


def test_data_rows_carry_every_school(bradford):
    measures = {r["measure"].split(":")[0] for r in bradford["data_rows"]}
    assert {"share_white_british", "nearby_white_british", "lsoa_white"} <= measures
    urns = {r["measure"].split(":")[1] for r in bradford["data_rows"]
            if r["measure"].startswith("share_white_british:")}
    assert len(urns) >= len(bradford["table"])


def test_the_page_reads_the_same_from_focused_and_full_results():
    """A run's first LA gets results focused on it, later ones the full results: the
    section must not depend on which."""
    first = National(2021)
    focused = schools_section(first, "E06000035", "Medway", None)
    assert "schools" not in first.__dict__  # the first LA was focused
    full = schools_section(first, "E06000035", "Medway", None)
    assert "schools" in first.__dict__
    for key in ("key_rows", "sentences", "table", "chart_table"):
        assert focused[key] == full[key], key
    pd.testing.assert_frame_equal(pd.DataFrame(focused["data_rows"]),
                                  pd.DataFrame(full["data_rows"]))


def test_neighbourhood_comparison_names_its_units(national, bradford):
    """D across neighbourhoods is over output areas, said in the table, chart and sentences;
    the ring around each school is of LSOAs, and the page says why."""
    html = _environment().get_template("_schools.html.j2").render(
        schools=bradford, la={"name": "Bradford"}, medium="screen")
    table = re.search(r"Table S2\..*?</table>", html, re.S).group(0)
    assert "across\n      output areas (all usual residents, Census 2021)" in table
    assert '<th scope="col" class="num">Output areas</th>' in table and "LSOA" not in table
    summary = national.schools.summary
    d = summary[(summary["area_code"] == "E08000032") & (summary["phase"] == "residents")
                & (summary["group"] == "asian")]
    assert d["unit_level"].tolist() == ["oa"]
    asian = next(r for r in bradford["chart_table"] if r["group"] == "Asian")
    assert asian["residents"] == f"{d['value'].iloc[0]:.2f}"
    assert ">Asian: output areas (all residents)<" in bradford["chart"]
    assert "across the output areas" in bradford["chart_alt"]
    ratios = [s for s in bradford["sentences"] if "ratio" in s]
    assert ratios and all("across output areas" in s for s in ratios)
    words = " ".join(html.split())
    assert "That ring is made of LSOAs, not output areas" in words
    assert "no output-area boundaries or centres" in words


def test_methods_summarise_the_critique_with_its_sources():
    html = _environment().get_template("_schools_methods.html.j2").render()
    words = " ".join(re.sub(r"<[^>]+>", "", html).split())
    assert ("(Mis-)understanding school segregation in England? Comments on a new measure "
            "of segregation") in words
    assert "simonburgesseconomics.co.uk" in words
    assert "Only the opening of their post could be checked" in words
    assert "Understanding School Segregation in England: 2011 to 2016" in words
    assert "26% of primary and 40.6% of secondary schools" in words
    assert "Applied Spatial Analysis and Policy 1(1), 2008" in words
    assert "Bristol University Press, 2020" in words
    assert "Urban Studies 42(7), 2005" in words
    # Nothing unread is put in their mouths.
    assert "Burgess and Harris among them" not in words
    assert "no output-area boundaries or centres" in words
