"""A county council builds as one scorecard: the custom area of its districts."""

import pandas as pd
import pytest

from scorecard import geography
from scorecard.resources import indicators_file

KENT = "E10000016"


def _kent_districts() -> list[str]:
    """Kent's districts read straight from the embedded upper-tier lookup."""
    lookup = pd.read_parquet(indicators_file("ind_area_lookup.parquet"))
    return sorted(lookup.loc[lookup["utla_code"] == KENT, "lad_code"])


@pytest.fixture(scope="module")
def kent(tmp_path_factory):
    from scorecard.cli import main

    out = tmp_path_factory.mktemp("reports")
    assert main(["build", "Kent", "--out", str(out), "--quiet"]) == 0
    return out / "2021" / f"{KENT}-kent"


@pytest.mark.parametrize("typed", ["Kent", "kent county council", "Kent CC", "E10000016"])
def test_a_county_is_found_as_people_type_it(typed):
    code, name, districts = geography.find_county(typed)
    assert (code, name) == (KENT, "Kent") and districts == _kent_districts()


def test_an_la_name_is_never_taken_for_a_county():
    assert geography.find_county("Maidstone") is None
    assert geography.find_county("Buckinghamshire") is None  # one district: the LA itself


@pytest.mark.slow
def test_build_kent_writes_one_county_scorecard(kent):
    assert {p.name for p in kent.iterdir()} >= {"index.html", "data.csv", "data.xlsx",
                                                "map.gpkg"}
    html = (kent / "index.html").read_text(encoding="utf-8")
    assert "County council area in South East" in html
    assert "Maidstone" in html and "Tunbridge Wells" in html  # the districts named
    assert "no rank:" in html  # a county is not ranked among the LAs, and says so
    assert 'id="schools"' in html and "Change since 2011" in html


@pytest.mark.slow
def test_county_counts_are_the_sum_of_its_districts(kent):
    data = pd.read_csv(kent / "data.csv")
    population = data[(data["section"] == "population") & (data["measure"] == "usual_residents")]
    raw = pd.read_parquet(indicators_file("census2021_la_ethnic.parquet"))
    districts = raw[raw["code"].isin(_kent_districts())]
    assert len(districts) == len(_kent_districts()) == 12
    assert len(population) >= 19
    for row in population.itertuples():
        column = "total" if row.group == "all" else row.group
        assert row.value == districts[column].sum(), row.group


@pytest.mark.slow
def test_county_housing_is_the_sum_of_its_districts_counts(kent):
    data = pd.read_csv(kent / "data.csv")
    owner = data[(data["measure"] == "housing_owner_occupied") & (data["group"] == "Asian")]
    raw = pd.read_parquet(indicators_file("ind_housing_lad.parquet"))
    mine = raw[(raw["measure"] == "housing_owner_occupied") & (raw["ethnicity"] == "Asian")
               & raw["geography_code"].isin(_kent_districts())]
    assert len(mine) == 12
    assert len(owner) == 1
    assert owner["numerator"].iloc[0] == mine["numerator"].sum()
    assert owner["denominator"].iloc[0] == mine["denominator"].sum()
    assert owner["symbol"].isna().all()  # published: no district lies in a source gap


def test_a_county_in_2011_or_with_own_counts_is_refused(run_cli):
    code, _, err = run_cli("build", "Kent", "--year", "2011", "--out", "/nonexistent/x")
    assert code == 2 and "2021" in err
