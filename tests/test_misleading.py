"""Words, ranks and symbols that cannot mislead: each case found on real pages is a test.

Real scorecards of Bradford, Oldham, City of London, Isles of Scilly and Cardiff, built once
for the module from the embedded data, read back as a reader sees them (the page's text)
and as a researcher does (data.csv, data.xlsx).
"""

from __future__ import annotations

import html
import re

import numpy as np
import openpyxl
import pandas as pd
import pytest

from scorecard import gaps, indicators
from scorecard.report.context import National
from scorecard.report.render import write_scorecard
from scorecard.report.text import authority_kind, plural

BRADFORD, OLDHAM, CITY, SCILLY, CARDIFF = (
    "E08000032", "E08000004", "E09000001", "E06000053", "W06000015")


def page_text(markup: str) -> str:
    """The page as read: no script, style or SVG; one ¶ after each cell, item or paragraph."""
    markup = re.sub(r"<(script|style)[^>]*>.*?</\1>", "", markup, flags=re.S)
    markup = re.sub(r"<svg.*?</svg>", "", markup, flags=re.S)
    markup = re.sub(r"</(td|th|li|p|caption|h\d|dd|dt|figcaption)>", " ¶ ", markup)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    out = tmp_path_factory.mktemp("pages")
    national = National(2021)
    built = {}
    for code in (BRADFORD, OLDHAM, CITY, SCILLY, CARDIFF):
        folder = write_scorecard(national, code, out)
        markup = (folder / "index.html").read_text(encoding="utf-8")
        built[code] = {"folder": folder, "html": markup, "text": page_text(markup),
                       "csv": pd.read_csv(folder / "data.csv", dtype={"rank": str},
                                      keep_default_na=False, na_values=[""])}
    return built


def headlines(page: dict) -> list[str]:
    section = re.search(r'<ul class="headlines">(.*?)</ul>', page["html"], re.S).group(1)
    return [page_text(li) for li in re.findall(r"<li>(.*?)</li>", section, re.S)]


def table_rows(page: dict, caption: str) -> list[list[str]]:
    """The cells of every body row of the tables whose caption starts with ``caption``."""
    rows = []
    for table in re.findall(r"<table.*?</table>", page["html"], re.S):
        found = re.search(r"<caption>(.*?)</caption>", table, re.S)
        if found and page_text(found.group(1)).startswith(caption):
            body = re.search(r"<tbody>(.*?)</tbody>", table, re.S).group(1)
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
                rows.append([page_text(c).rstrip(" ¶") for c in
                             re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)])
    return rows


# -- ranks ---------------------------------------------------------------------------------


def test_suppressed_and_missing_values_have_no_rank(pages):
    ranked = re.compile(r"\d+(st|nd|rd|th) of \d+")
    checked = 0
    for page in pages.values():
        for table in re.findall(r"<table.*?</table>", page["html"], re.S):
            for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
                cells = [page_text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
                values = [c.strip(" ¶") for c in cells[:-1]]
                if len(cells) > 3 and (gaps.SUPPRESSED in values
                                       or gaps.NOT_AVAILABLE in values):
                    checked += 1
                    assert not any(ranked.search(c) for c in cells), cells
    assert checked > 10
    # The Isles of Scilly's 2019 White searches (a count of 1) were "302nd of 331".
    rows = table_rows(pages[SCILLY], "Stop and searches per 1,000 residents, Isles of Scilly")
    white = [r for r in rows if r[:2] == ["2019", "White"]][0]
    assert white[4] == gaps.SUPPRESSED
    assert not any(ranked.search(cell) for cell in white)  # no rank, nor a rank column


def test_national_ranks_of_d_are_on_the_corrected_value(pages):
    table = National(2021).indices
    corrected = table[table["index"] == "dissimilarity_bias_corrected"]
    black = corrected[(corrected["group"] == "black") & corrected["rank"].notna()]
    black = black.sort_values("value", ascending=False)
    assert black["rank"].tolist()[:3] == [1, 2, 3]
    assert table.loc[table["index"] == "dissimilarity", "rank"].isna().all()
    rows = table_rows(pages[BRADFORD], "Table 3.")
    asian = [r for r in rows if r[0] == "Asian"][0]
    expected = corrected[(corrected["area_code"] == BRADFORD) & (corrected["group"] == "asian")]
    n = int(expected["n_ranked"].iloc[0])
    assert n < 331 and asian[4] == f"{int(expected['rank'].iloc[0])}th of {n}"


# The examples that topped the ranks of D corrected for small numbers on tiny groups:
# Allerdale's 85 and Torridge's 76 Black residents (D 0.78 and 0.72 corrected; 0.76 and 0.70
# expected at random), the Isles of Scilly's 6 Asian residents.
TINY = [("E07000026", "black", 85), ("E07000046", "black", 76), (SCILLY, "asian", 6)]


@pytest.mark.parametrize("la_code, group, residents", TINY)
def test_tiny_groups_are_not_ranked_and_say_why(la_code, group, residents):
    table = National(2021).indices
    rows = table[(table["area_code"] == la_code) & (table["group"] == group)]
    assert rows["rank"].isna().all() and rows["n_ranked"].isna().all()
    flag = rows["flag"].iloc[0]
    assert flag.startswith(f"not ranked: {residents} ") and "expected by chance alone" in flag
    corrected = table[(table["index"] == "dissimilarity_bias_corrected")
                      & (table["group"] == group)]
    first = corrected[corrected["rank"] == 1]
    assert len(first) == 1 and first["area_code"].iloc[0] != la_code
    assert first["group_count"].iloc[0] >= 1_000 and first["flag"].iloc[0] == ""
    # every ranked LA of the group counts in the denominator, the flagged ones do not
    ranked = corrected[corrected["rank"].notna()]
    assert (ranked["n_ranked"] == len(ranked)).all()
    assert (corrected["flag"] != "").sum() + len(ranked) == corrected["value"].notna().sum()


def test_a_tiny_group_reads_not_ranked_on_its_page_and_in_data_csv(pages):
    rows = table_rows(pages[SCILLY], "Table 3.")
    asian = [r for r in rows if r[0] == "Asian"][0]
    assert asian[4] == "not ranked" and asian[5].startswith("6 Asian residents")
    table2 = table_rows(pages[SCILLY], "Table 2.")
    assert all("not ranked" in cell for cell in [r for r in table2 if r[0] == "Asian"][0][1:5])
    csv = pages[SCILLY]["csv"]
    d = csv[(csv["section"] == "segregation") & (csv["group"] == "asian")
            & (csv["measure"] == "dissimilarity_bias_corrected")].iloc[0]
    assert d["rank"] == "not ranked" and d["note"].startswith("not ranked: 6 Asian")
    assert not any("Asian residents were the most unevenly" in line
                   for line in headlines(pages[SCILLY]))


def test_page_ranks_match_the_national_table_and_data_csv(pages):
    table = National(2021).indices
    for code in (BRADFORD, OLDHAM, CARDIFF):
        csv = pages[code]["csv"]
        rows = table_rows(pages[code], "Table 3.")
        ours = table[(table["area_code"] == code)
                     & (table["index"] == "dissimilarity_bias_corrected")]
        for row in ours.itertuples():
            shown = [r for r in rows if r[0] == row.group.capitalize()]
            written = csv[(csv["section"] == "segregation") & (csv["group"] == row.group)
                          & (csv["measure"] == "dissimilarity_bias_corrected")]["rank"].iloc[0]
            rank = int(row.rank) if pd.notna(row.rank) else 0
            suffix = "th" if 10 <= rank % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(
                rank % 10, "th")
            text = "not ranked" if row.flag else f"{rank}{suffix} of {int(row.n_ranked)}"
            assert written == text and (not shown or shown[0][4] == text)


# -- small numbers and breaks in headlines ---------------------------------------------------


def test_means_of_few_pupils_are_suppressed_and_never_headlined(pages):
    rows = table_rows(pages[SCILLY], "Average Attainment 8 score per pupil")
    mixed = [r for r in rows if r[1] == "Mixed"][0]
    assert mixed[3] == gaps.SUPPRESSED and mixed[4] == gaps.SUPPRESSED  # 1 pupil
    assert not any("Chinese" in line for line in headlines(pages[BRADFORD]))  # 6 pupils
    assert not any("Attainment 8" in line for page in pages.values()
                   for line in headlines(page))


@pytest.mark.parametrize("la_code, absent", [
    ("E06000002", "0.06 times"),  # Middlesbrough: Cleveland use of force, Asian 348 → 28
    ("E06000049", "25.6 times"),  # Cheshire East: Cheshire use of force, Other 65 → 1,887
    ("E08000025", "0.04 times"),  # Birmingham: West Midlands searches of Other, about 22
    (CITY, "12.5 times"),  # City of London: use of force on 232 Black residents
])
def test_headlines_rest_on_enough_people_and_a_stable_series(la_code, absent):
    from scorecard.report.domains import domain_sections
    from scorecard.report.headlines import _gaps
    table = indicators.gaps_for(la_code)
    lines = _gaps(domain_sections(table))
    assert lines and not any(absent in line for line in lines)


@pytest.mark.parametrize("la_code", ["E06000002", "E06000049", "E08000025", CITY,
                                     "E06000053", "E07000117", "E06000017"])
def test_key_figures_follow_the_headline_rule(la_code):
    """The glance's gap figures are headlines too: none on a crude rate, a small count, a
    break or missing records (Kent-style pages led with crude health rates)."""
    from scorecard.report.domains import domain_sections
    from scorecard.report.glance import _gap_figures
    from scorecard.report.headlines import headline_ready

    sections = domain_sections(indicators.gaps_for(la_code))
    by_name = {i["name"]: i for d in sections for i in d["indicators"]}
    figures = _gap_figures(sections)
    for figure in figures:
        name, who = figure["label"].split(": ", 1)
        indicator = by_name[name]
        ethnicity = who.split(" compared with ")[0]
        latest = indicator["latest_rows"]
        row = next(r for r in latest if r["ethnicity"] == ethnicity)
        ref = next(r for r in latest if r["ethnicity"] == indicator["reference"])
        assert headline_ready(row, ref, indicator), figure["label"]
        assert "health" not in name.lower()


def test_breaks_are_flagged_in_the_table():
    table = indicators.all_measures()[0]
    cleveland = table[(table["measure"] == "use_of_force_pfa")
                      & (table["geography_name"] == "Cleveland") & (table["time"] == "2019/20")]
    asian = cleveland[cleveland["ethnicity"] == "Asian"].iloc[0]
    assert "break" in asian["flag"] and "348 in 2018/19, 28 in 2019/20" in asian["note"]
    assert gaps.symbols(cleveland).tolist().count(gaps.BREAK) >= 2
    shown = gaps.published(cleveland.loc[[asian.name]])
    assert shown["value"].iloc[0].endswith(gaps.BREAK)
    white = cleveland[cleveland["ethnicity"] == "White"].iloc[0]  # 12,566 → 9,463: no break
    assert "break" not in white["flag"]


def test_a_count_of_zero_is_never_a_reliable_difference():
    table = indicators.all_measures()[0]
    zero = table[(table["numerator"] == 0) | (table["denominator"] == 0)]
    assert len(zero) > 50 and not zero["reliable"].any()
    mixed = table[(table["measure"] == "health_not_good") & (table["geography_code"] == SCILLY)
                  & (table["ethnicity"] == "Mixed")].iloc[0]
    assert mixed["numerator"] == 0 and not mixed["reliable"]


# -- missing is not small ------------------------------------------------------------------


def test_greater_manchester_searches_are_not_available_not_suppressed(pages):
    page = pages[OLDHAM]
    rows = table_rows(page, "Stop and searches per 1,000 residents, Oldham")
    assert len(rows) == 6
    assert all(r[2] == gaps.NOT_AVAILABLE and r[4] == gaps.NOT_AVAILABLE for r in rows)
    assert "[x] not available: Greater Manchester Police records on police.uk" in page["text"]
    data = page["csv"]
    ss = data[data["measure"] == "stop_search_lad"]
    assert ss["flag"].str.contains("not available").all()
    assert ss["note"].str.contains("Greater Manchester Police records").all()
    book = openpyxl.load_workbook(page["folder"] / "data.xlsx", read_only=True)
    cells = [c for row in book["Criminal justice"].iter_rows(values_only=True) for c in row]
    assert gaps.NOT_AVAILABLE in cells
    # Bradford (West Yorkshire) keeps its figures
    bradford = table_rows(pages[BRADFORD], "Stop and searches per 1,000 residents, Bradford")
    assert not any(gaps.NOT_AVAILABLE in r for r in bradford)


# -- words ---------------------------------------------------------------------------------


def test_searches_and_tactics_are_events_not_people(pages):
    for page in pages.values():
        text = page["text"]
        assert not re.search(r"times as likely[^.¶]*(stopped|use-of-force)", text)
    text = pages[BRADFORD]["text"]
    assert re.search(r"there were [\d.]+ searches for every 1,000 Black residents and [\d.]+ "
                     r"for every 1,000 White residents: the Black rate was [\d.]+ times the "
                     r"White rate", text)
    assert "Black here includes Mixed White and Black Caribbean and Mixed White and Black " \
           "African residents" in text


def test_crude_health_rates_are_explained_and_not_headlined(pages):
    for page in pages.values():
        assert not any("health" in line for line in headlines(page))
    assert "These are crude rates, not age-standardised" in pages[BRADFORD]["text"]


def test_police_force_areas_are_named_as_areas():
    assert indicators.police_area("Metropolitan Police") == "the Metropolitan Police area"
    table = indicators.gaps_for("E09000030")  # Tower Hamlets, policed by the Met
    force = table[table["measure"] == "stop_search_pfa"]
    assert force["area_note"].str.contains("the Metropolitan Police area").all()


def test_one_reference_group_per_domain_named_in_sentences_and_charts(pages):
    cat = indicators.catalogue()
    for domain, part in cat.groupby("domain"):
        assert len({r for r in part["reference"] if r}) == 1, domain
    text = pages[BRADFORD]["text"]
    assert "Reference group in this domain: White." in text
    assert "reference group White British in orange" in text


def test_ranks_say_their_direction_and_bme_is_explained(pages):
    text = pages[BRADFORD]["text"]
    assert "Rank among areas (1st = highest rate)" in text
    assert "Rank among areas (1st = highest share)" in text
    assert "BME stands for Black and minority ethnic" in text


def test_grammar_and_typography(pages):
    for page in pages.values():
        text = page["text"]
        assert not re.search(r"(?<![\w\-/.])-\d", text)  # negative numbers take U+2212
        assert not re.search(r",\s*[.)¶]", text)  # no trailing commas
        assert not re.search(r"\b0 of the\b", text)
        assert not re.search(r"\b1 (LSOA|output area|group)s\b", text)
        assert "Welsh unitary authority in Wales" not in text
    assert "\u2212" in pages[BRADFORD]["text"]
    assert "Unitary authority in Wales" in pages[CARDIFF]["text"]
    assert plural(1, "LSOA") == "1 LSOA" and plural(3, "LSOA") == "3 LSOAs"
    assert authority_kind("London borough", "London") == "London borough"


# -- downloads and methods -------------------------------------------------------------------


def _close(shown: str, values: np.ndarray) -> bool:
    """Whether a figure as printed is some unrounded value of data.csv, rounded alike."""
    text = shown.replace("\u2212", "-").replace(",", "")
    decimals = len(text.split(".")[1]) if "." in text else 0
    return bool(np.any(np.abs(values - float(text)) <= 0.5 * 10 ** -decimals + 1e-9))


def test_every_number_of_the_segregation_and_domain_tables_is_in_data_csv(pages):
    figure = re.compile(r"\u2212?\d[\d,]*\.\d+|\u2212?\d[\d,]*(?![\w%])")
    for code in (BRADFORD, SCILLY):
        page = pages[code]
        data = page["csv"]
        numbers = {}
        for column in ("value", "lower", "upper", "gap_pp", "gap_lower", "gap_upper",
                       "ratio", "ratio_lower", "ratio_upper", "numerator", "denominator",
                       "national_value"):
            if column in data:
                numbers[column] = pd.to_numeric(data[column], errors="coerce").dropna()
        values = np.concatenate([v.to_numpy() for v in numbers.values()])
        ranks = set(data["rank"].dropna())
        checked = 0
        for caption in ("Table 2.", "Table 3.", "Stop and searches", "Residents not in",
                        "Pupils achieving", "Police use-of-force"):
            for row in table_rows(page, caption):
                for cell in row[1:]:
                    for rank in re.findall(r"\d+(?:st|nd|rd|th) (?:highest )?of \d+", cell):
                        assert rank.replace(" highest", "") in ranks, (caption, rank)
                    cell = re.sub(r"\d+(?:st|nd|rd|th) (?:highest )?of \d+"
                                  r"|\b(19|20)\d\d(/\d\d)?\b", "",
                                  cell)
                    for shown in figure.findall(cell):
                        checked += 1
                        assert _close(shown, values), (code, caption, row, shown)
        assert checked > 100
    # the bias-corrected D and H themselves, not only their intervals
    assert {"dissimilarity_bias_corrected", "theil_h_bias_corrected"} <= set(
        pages[BRADFORD]["csv"]["measure"])


def test_methods_state_the_intervals_the_code_uses(pages):
    assert gaps.METHODS["rate"]["interval"] is gaps.poisson_rate
    assert gaps.METHODS["proportion"]["interval"] is gaps.wilson
    table = indicators.all_measures()[0]
    force = table[(table["measure"] == "use_of_force_pfa") & table["numerator"].notna()].head(20)
    low, high = gaps.poisson_rate(force["numerator"], force["denominator"])
    np.testing.assert_allclose(force["lower"], low * 1000, rtol=1e-12)
    np.testing.assert_allclose(force["upper"], high * 1000, rtol=1e-12)
    methods = re.search(r'<section id="methods".*?</section>', pages[BRADFORD]["html"], re.S)
    text = page_text(methods.group(0))
    assert "rates of events or people per resident get the exact Poisson (Garwood) interval" \
        in text
    assert "shares of people (proportions) get the Wilson score interval" in text
