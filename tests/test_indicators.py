"""The indicator catalogue, the embedded observations, their build, and one LA's table."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

from scorecard import geography, indicators
from scorecard.errors import InputError
from scorecard.resources import indicators_file

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "indicators"
EMPLOYMENT = FIXTURES / "employment_lambeth.csv"


def build_module():
    spec = importlib.util.spec_from_file_location("build_indicators",
                                                  REPO / "scripts" / "build_indicators.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- catalogue ---------------------------------------------------------------------------


def test_catalogue_covers_the_seven_domains_with_complete_rows():
    cat = indicators.catalogue()
    assert cat["id"].is_unique
    assert set(cat["domain"]) == set(indicators.DOMAINS)
    assert set(cat["higher_is"]) <= {"better", "worse", "neither"}
    assert set(cat["kind"]) <= {"proportion", "rate", "mean", "value"}
    for column in ("name", "source", "geography_level", "numerator", "denominator",
                   "ethnic_classification", "unit", "caveats"):
        assert (cat[column] != "").all(), column
    user = cat["file"] == ""
    assert (cat.loc[user, "user_supply"] != "").all()
    assert {"housing_overcrowded", "ks2_rwm_expected"} <= set(cat.loc[user, "id"])
    assert {"housing_owner_occupied", "housing_social_rented", "housing_private_rented"} <= set(
        cat.loc[~user, "id"])
    for file in set(cat.loc[~user, "file"]):
        assert indicators_file(file).is_file(), file


def test_no_bame_in_reader_facing_names():
    cat = indicators.catalogue()
    assert not cat["name"].str.contains("BAME").any()
    assert indicators.DOMAINS["bme_voluntary_sector"] == "Support for the BME voluntary sector"


# --- embedded observations ---------------------------------------------------------------


def test_observations_are_tidy_and_use_gss_codes():
    obs = indicators.observations()
    keys = ["measure", "geography_code", "time", "ethnicity"]
    assert not obs.duplicated(keys).any()
    assert obs["geography_code"].str.fullmatch(r"[EWK]\d{8}").all()
    lads = set(geography.authorities(2021)["code"])
    lad_rows = obs[obs["geography_level"] == "lad"]
    assert set(lad_rows["geography_code"]) == lads
    counts = obs["numerator"].notna()
    assert (obs.loc[counts, "denominator"] > 0).all()
    sizes = obs.groupby("measure").size()
    assert sizes["stop_search_lad"] == 993 * 2 + 6
    assert sizes["health_not_good"] == 331 * 7 + 7


def test_area_lookup_districts_to_counties_and_forces():
    lookup = indicators.area_lookup().set_index("lad_code")
    assert len(lookup) == 331 and lookup["pfa_code"].nunique() == 43
    assert lookup.loc["E07000110", "utla_code"] == "E10000016"  # Maidstone → Kent
    assert lookup.loc["E07000110", "utla_name"] == "Kent"
    assert lookup.loc["E06000062", "utla_code"] == "E10000021"  # former Northamptonshire
    assert lookup.loc["E09000001", "pfa_name"] == "London, City of"
    districts = lookup.index.str.startswith("E07")
    assert lookup.loc[districts, "utla_code"].str.startswith("E10").all()
    assert (lookup.loc[~districts, "utla_code"].str.startswith("E10")
            == lookup.index[~districts].isin(["E06000060", "E06000061", "E06000062"])).all()


def test_build_reproduces_the_embedded_tables(raw, tmp_path):
    build_module().build_indicators(raw, tmp_path)
    built = sorted(p.name for p in tmp_path.glob("ind_*.parquet"))
    assert built == sorted(p.name for p in (REPO / "indicators").glob("ind_*.parquet"))
    for name in built:
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / name),
                                      pd.read_parquet(indicators_file(name)), obj=name)


def test_force_populations_sum_to_the_census_total(raw):
    module = build_module()
    forces = module.force_populations(raw, module.area_lookup(raw))
    census = module.census_lad(raw)
    groups = list(module.TS021_BROAD)
    assert forces[groups].to_numpy().sum() == census[groups].to_numpy().sum()


# --- one LA ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def maidstone():
    return indicators.gaps_for("E07000110")


def test_every_catalogue_indicator_has_a_row(maidstone):
    assert set(maidstone["measure"]) == set(indicators.catalogue()["id"])
    assert list(dict.fromkeys(maidstone["domain"])) == list(indicators.DOMAINS)


def test_district_shows_its_county_education_figure_and_says_so(maidstone):
    ks4 = maidstone[maidstone["measure"] == "ks4_basics_95"]
    assert set(ks4["geography_code"]) == {"E10000016"}
    assert ks4["area_note"].str.contains("figure for Kent").all()
    assert ks4["area_note"].str.contains("includes Maidstone").all()


def test_district_shows_its_own_stop_search_and_its_force(maidstone):
    own = maidstone[maidstone["measure"] == "stop_search_lad"]
    assert set(own["geography_code"]) == {"E07000110"} and (own["area_note"] == "").all()
    force = maidstone[maidstone["measure"] == "use_of_force_pfa"]
    assert force["area_note"].str.contains("the Kent Police area").all()


def test_user_supplied_domains_say_what_to_supply(maidstone):
    employment = maidstone[maidstone["measure"] == "employment_rate"].iloc[0]
    assert pd.isna(employment["value"]) and "you could supply" in employment["note"]
    assert not employment["reliable"]


def test_welsh_la_has_no_english_education_figure():
    cardiff = indicators.gaps_for("Cardiff")
    ks4 = cardiff[cardiff["measure"] == "ks4_basics_95"]
    assert len(ks4) == 1 and ks4["note"].iloc[0].startswith("no data for Cardiff in the source")
    assert "StatsWales" in ks4["note"].iloc[0]
    health = cardiff[cardiff["measure"] == "health_not_good"]
    assert len(health) == 7 and health["value"].notna().all()


def test_successor_unitary_uses_the_former_county():
    north = indicators.gaps_for("E06000061")
    ks4 = north[north["measure"] == "ks4_basics_95"]
    assert set(ks4["geography_code"]) == {"E10000021"}
    assert ks4["area_note"].str.contains("former Northamptonshire").all()


def test_unknown_authority_is_an_input_error():
    with pytest.raises(InputError, match="no 2021 local authority"):
        indicators.gaps_for("Atlantis")


def test_user_table_joins_the_scorecard():
    lambeth = indicators.gaps_for("Lambeth", [EMPLOYMENT])
    rows = lambeth[lambeth["measure"] == "employment_rate"].set_index("ethnicity")
    assert rows.loc["Black", "value"] == pytest.approx(100 * 40_000 / 60_000)
    assert rows.loc["Black", "gap_pp"] == pytest.approx(100 * (40_000 / 60_000 - 0.8))
    assert rows.loc["Black", "national_value"] == pytest.approx(100 * 1 / 1.5)
    assert rows.loc["Black", "reliable"]
    assert "count<10" in rows.loc["Mixed", "flag"]


def test_the_same_user_rows_twice_are_an_error():
    with pytest.raises(InputError, match="already given by an earlier table"):
        indicators.gaps_for("Lambeth", [EMPLOYMENT, EMPLOYMENT])


def test_template_is_the_documented_header():
    header = (REPO / "indicators" / "template.csv").read_text().strip().split(",")
    assert header == indicators.TEMPLATE_COLUMNS


def test_user_indicator_without_a_row_for_the_la_says_so():
    maidstone = indicators.gaps_for("Maidstone", [EMPLOYMENT])
    row = maidstone[maidstone["measure"] == "employment_rate"].iloc[0]
    assert pd.isna(row["value"]) and "you could supply" in row["note"]


def test_published_form_of_one_la():
    from scorecard import gaps
    lambeth = gaps.published(indicators.gaps_for("Lambeth", [EMPLOYMENT]))
    mixed = lambeth[(lambeth["measure"] == "employment_rate")
                    & (lambeth["ethnicity"] == "Mixed")].iloc[0]
    assert mixed["numerator"] == mixed["value"] == gaps.SUPPRESSED
