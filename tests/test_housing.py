"""Housing tenure (Census 2021 RM134) and English proficiency (TS029): the embedded tables,
their build, the gaps engine on them against statsmodels, and the words on the page."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from scorecard import gaps, indicators
from scorecard.integration import english_for, english_proficiency
from scorecard.report.context_notes import data_as_of
from scorecard.report.domains import rank_text, source_line, unit_text
from scorecard.report.text import who
from scorecard.resources import indicators_file

REPO = Path(__file__).resolve().parents[1]
TENURES = ["housing_owner_occupied", "housing_social_rented", "housing_private_rented"]
GROUPS = ["Asian", "Black", "Mixed", "Other", "White British", "White Irish",
          "White Gypsy or Irish Traveller, Roma or Other White"]


def script(name: str):
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def housing() -> pd.DataFrame:
    table, _ = indicators.all_measures()
    return table[table["measure"].isin(TENURES)]


# --- the embedded tables and their build ------------------------------------------------


def test_housing_build_is_byte_for_byte_the_embedded_file(raw, tmp_path):
    script("build_indicators").build_indicators(raw, tmp_path)
    for name in ("ind_housing_lad.parquet", "context_english_lad.parquet"):
        assert (tmp_path / name).read_bytes() == indicators_file(name).read_bytes(), name


def test_every_la_has_every_tenure_and_group(housing):
    las = housing[housing["geography_level"] == "lad"]
    assert las["geography_code"].nunique() == 331
    assert len(las) == 331 * 3 * 7
    assert set(las["ethnicity"]) == set(GROUPS)
    countries = housing[housing["geography_level"] == "country"]
    assert set(countries["geography_code"]) == {"E92000001", "W92000004", "K04000001"}


def test_national_rates_from_the_raw_table_and_the_published_ons_figures(raw, housing):
    """Owner-occupation by group of the household reference person, England and Wales,
    computed from the raw RM134 totals with pandas alone; the all-households shares are
    ONS's published Census 2021 figures (62.5% owned, 17.1% social rented; ONS's 20.3%
    private rented leaves out living rent free, which RM134 adds to it here)."""
    r = pd.read_parquet(raw / "census2021" / "rm134_tenure_by_ethnic_group_hrp_lad.parquet")
    summed = r.groupby("group")[["owned", "social_rented", "private_rented", "total"]].sum()
    share = 100 * summed.div(summed["total"], axis=0)
    assert round(share.loc["total", "owned"], 1) == 62.5
    assert round(share.loc["total", "social_rented"], 1) == 17.1
    assert 20.3 <= share.loc["total", "private_rented"] < 20.5
    # as the shared README states them: White British 67.4, Asian 58.6, Mixed 40.4,
    # Other 36.2, Black 29.9 (per cent of households owning)
    published = {"white_british": 67.4, "asian": 58.6, "mixed": 40.4, "other": 36.2,
                 "black": 29.9}
    for group, value in published.items():
        assert round(share.loc[group, "owned"], 1) == value, group
    ew = housing[(housing["geography_code"] == "K04000001")
                 & (housing["measure"] == "housing_owner_occupied")].set_index("ethnicity")
    assert ew.loc["Black", "value"] == pytest.approx(share.loc["black", "owned"], rel=1e-12)
    assert ew.loc["White British", "value"] == pytest.approx(share.loc["white_british",
                                                                         "owned"], rel=1e-12)


def test_intervals_gaps_and_ratios_agree_with_statsmodels(housing):
    la = housing[(housing["geography_code"] == "E08000032")
                 & (housing["measure"] == "housing_owner_occupied")].set_index("ethnicity")
    ref = la.loc["White British"]
    for group in GROUPS:
        if group == "White British":
            continue
        row = la.loc[group]
        x, n = int(row["numerator"]), int(row["denominator"])
        low, high = proportion_confint(x, n, method="wilson")
        assert (row["lower"], row["upper"]) == pytest.approx((100 * low, 100 * high))
        args = (x, n, int(ref["numerator"]), int(ref["denominator"]))
        gap = confint_proportions_2indep(*args, method="newcomb", compare="diff")
        assert (row["gap_lower"], row["gap_upper"]) == pytest.approx(
            (100 * gap[0], 100 * gap[1]))
        ratio = confint_proportions_2indep(*args, method="log", compare="ratio")
        assert (row["ratio_lower"], row["ratio_upper"]) == pytest.approx(ratio)


def test_comparator_is_the_las_own_country(housing):
    rows = housing[housing["geography_level"] == "lad"]
    welsh = rows["geography_code"].str.startswith("W")
    assert set(rows.loc[welsh, "national_name"]) == {"Wales"}
    assert set(rows.loc[~welsh, "national_name"]) == {"England"}
    cardiff = rows[(rows["geography_code"] == "W06000015") & (rows["ethnicity"] == "Black")
                   & (rows["measure"] == "housing_owner_occupied")].iloc[0]
    wales = housing[(housing["geography_code"] == "W92000004") & (housing["ethnicity"] ==
                    "Black") & (housing["measure"] == "housing_owner_occupied")].iloc[0]
    assert cardiff["national_value"] == wales["value"]
    stops, _ = indicators.all_measures()
    stops = stops[(stops["measure"] == "stop_search_lad") & (stops["geography_level"] == "lad")]
    assert set(stops["national_code"]) == {"K04000001"}  # the source has England and Wales only


def test_add_context_prefers_own_country_then_england_and_wales():
    table = pd.DataFrame({
        "measure": "m", "time": "2021", "ethnicity": "A",
        "geography_code": ["E06000001", "W06000001", "E92000001", "K04000001"],
        "geography_name": ["e", "w", "England", "England and Wales"],
        "geography_level": ["lad", "lad", "country", "country"],
        "value": [1.0, 2.0, 3.0, 4.0], "gap_pp": np.nan, "ratio": np.nan,
        "denominator": 100.0})
    out = gaps.add_context(table).set_index("geography_code")
    assert out.loc["E06000001", "national_name"] == "England"
    assert out.loc["W06000001", "national_name"] == "England and Wales"  # no Wales row
    assert out.loc["W06000001", "national_value"] == 4.0
    assert out.loc["E06000001", "rank"] == 2 and out.loc["W06000001", "rank"] == 1


def test_reliable_gaps_for_all_las_are_counted(housing):
    gaps_ = housing[(housing["geography_level"] == "lad") & (housing["ethnicity"]
                                                              != "White British")]
    reliable = gaps_.groupby(["measure", "ethnicity"])["reliable"].sum()
    assert reliable.loc[("housing_owner_occupied", "Black")] > 250
    assert (reliable <= 331).all()


# --- words -----------------------------------------------------------------------------


def test_house_style_names_households_by_their_reference_person():
    phrase = {"who": "households whose reference person is {group}", "subjects": "households"}
    assert who("Black", phrase) == "households whose reference person is Black"
    assert who("Other", phrase) == "households whose reference person is of another ethnic group"
    assert who("Black", {"who": "", "subjects": "residents"}) == "Black residents"
    assert unit_text("percent", "households") == "percent of households"
    assert unit_text("per 1,000", "residents") == "per 1,000 residents"
    assert rank_text(12, 331) == "12th highest of 331"
    assert rank_text(1, 1) == "" and rank_text(pd.NA, 5) == ""
    assert source_line("your table", "") == "Source: your table."
    assert source_line("ONS, RM134.", "2021") == "Source: ONS, RM134, 2021."


def test_english_proficiency_hand_made_table():
    table = pd.DataFrame({
        "geography_code": ["E06000001", "E06000002", "W06000001", "E92000001", "W92000004"],
        "geography_name": ["a", "b", "c", "England", "Wales"],
        "geography_level": ["lad", "lad", "lad", "country", "country"], "time": "2021",
        "numerator": [10, 30, 5, 40, 5], "denominator": [100, 100, 100, 200, 100]})
    out = english_proficiency(table).set_index("geography_code")
    assert out.loc["E06000002", "value"] == 30.0 and out.loc["E06000002", "rank"] == 1
    assert out.loc["W06000001", "national_name"] == "Wales"
    assert out.loc["W06000001", "national_value"] == 5.0
    assert out.loc["E06000001", "national_value"] == 20.0
    assert set(out["n_ranked"]) == {3}


def test_english_proficiency_embedded_against_the_raw_table(raw):
    t = pd.read_parquet(raw / "census2021" / "ts029_english_proficiency_lad.parquet")
    share = t.set_index("lad22cd")["pct_cannot_speak_english_well_or_at_all"]
    found = english_for("E09000030")  # Tower Hamlets
    assert found["value"] == pytest.approx(share["E09000030"])
    assert found["rank"] == int((share > share["E09000030"]).sum()) + 1
    assert found["national_name"] == "England" and found["n_ranked"] == 331
    assert english_for("W06000015")["national_name"] == "Wales"


def test_data_as_of_names_census_day_and_the_latest_period():
    table = pd.DataFrame({"value": [1.0, 2.0, np.nan], "time": ["2019", "2024/25", "2030"],
                          "name": ["A", "Stop and search", "Nothing"]})
    line = data_as_of(2021, table)
    assert "21 March 2021" in line and "2024/25: stop and search" in line
    assert "2030" not in line


def test_site_has_housing_map_layers_and_league_columns():
    from scorecard.report.context import National
    from scorecard.site.data import SiteData
    from scorecard.site.pages import housing_layers, league_table

    data = SiteData(National(2021))
    layers = housing_layers(data.las)
    assert {layer.id for layer, _, _ in layers} == {
        f"{t}_{g}_ratio" for t in ("own", "social") for g in ("asian", "black", "mixed",
                                                               "other")}
    table = league_table(data, {})
    labels = [c["label"] for c in table["columns"]]
    assert "Home ownership, Black ÷ White British, 2021" in labels
    bradford = next(r for r in table["rows"] if r["code"] == "E08000032")
    cell = bradford["cells"][labels.index("Home ownership, Black ÷ White British, 2021")]
    assert cell["text"] == "0.44" and "95% CI 0.42 to 0.46" in cell["title"]
