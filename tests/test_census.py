"""Embedded census counts: complete, consistent across levels, and equal to the published tables."""

import numpy as np
import pandas as pd
import pytest

from scorecard import census, geography, groups

EW_TOTAL_2011 = 56_075_912


def test_every_2011_output_area_lands_in_exactly_one_la_whose_totals_equal_qs201ew():
    oa = census.load(2011, "oa").frame  # la_code resolved from the table's LA *names*
    assert len(oa) == 181_408 and oa["code"].is_unique
    lookup = geography.units(2011, "oa").set_index("code")["la_code"]
    # The OA→LA lookup is a different source (ONS boundaries), independent of the names.
    assert (oa.set_index("code")["la_code"] == lookup.reindex(oa["code"])).all()
    las = geography.authorities(2011)["code"]
    assert set(oa["la_code"]) == set(las) and len(las) == 348

    published = census.load(2011, "la").to("ons2011_oa").frame.set_index("code")
    summed = oa.groupby("la_code")[published.columns.drop("la_code")].sum()
    pd.testing.assert_frame_equal(summed.sort_index(), published.drop(columns="la_code")
                                  .sort_index(), check_names=False, check_dtype=False)
    assert int(summed["total"].sum()) == EW_TOTAL_2011


def test_2011_lsoa_counts_equal_their_output_areas_summed():
    oa = census.load(2011, "oa").frame
    lsoa = census.load(2011, "lsoa").frame.set_index("code")
    assert int(lsoa["total"].sum()) == EW_TOTAL_2011
    assert len(lsoa) == 34_753
    assert (lsoa.groupby("la_code")["total"].sum()
            == oa.groupby("la_code")["total"].sum()).all()


def test_2021_lsoas_add_up_to_the_la_table_within_census_perturbation():
    lsoa = census.load(2021, "lsoa").by_authority().frame.set_index("code")
    la = census.load(2021, "la").to("broad5").frame.set_index("code")
    assert len(lsoa) == len(la) == 331
    difference = (lsoa[groups.codes("broad5")] - la[groups.codes("broad5")]).abs()
    # ONS perturbs each cell; the shared README measured |d| ≤ 99 for totals, ≤ 58 per group.
    assert int(difference.to_numpy().max()) <= 100
    relative = (lsoa["total"] - la["total"]).abs() / la["total"]
    assert float(relative.max()) < 0.001


def test_2021_msoa_table_maps_to_broad_groups_and_totals():
    msoa = census.load(2021, "msoa")
    assert msoa.classification == "ts022_broad6"
    assert len(msoa.frame) == 7_264
    broad = msoa.to("broad5").frame
    assert abs(int(broad["total"].sum()) - 59_597_542) < 1_000


@pytest.mark.parametrize(("year", "level"), list(census.EMBEDDED))
def test_groups_add_up_to_totals_everywhere(year, level):
    frame = census.load(year, level).frame
    counts = census.load(year, level)
    np.testing.assert_array_equal(frame[counts.groups].sum(axis=1), frame["total"])
    assert (frame[counts.groups].to_numpy() >= 0).all()


def test_embedded_tables_equal_the_raw_public_tables(raw):
    raw_oa = pd.read_parquet(raw / "census2011" / "ethnic_group_oa_2011.parquet")
    oa = census.load(2011, "oa").frame.set_index("code")
    assert (oa.loc[raw_oa["OA"], "white_british"].to_numpy() == raw_oa["WhiteBrit"]).all()
    assert (oa.loc[raw_oa["OA"], "total"].to_numpy() == raw_oa["Persons"]).all()
    raw_la = pd.read_parquet(raw / "census2021" / "ts021_ethnic_group_19_lad.parquet")
    la = census.load(2021, "la").frame.set_index("code")
    column = "White: English, Welsh, Scottish, Northern Irish or British"
    assert (la.loc[raw_la["LAD22CD"], "white_british"].to_numpy() == raw_la[column]).all()
    raw_lsoa = pd.read_parquet(raw / "census2021" / "ts021_ethnic_group_5_lsoa.parquet")
    lsoa = census.load(2021, "lsoa").frame.set_index("code")
    assert (lsoa.loc[raw_lsoa["LSOA21CD"], "asian"].to_numpy()
            == raw_lsoa["Asian, Asian British or Asian Welsh"]).all()


def test_long_form_is_tidy():
    long = census.load(2021, "la").long()
    assert list(long.columns) == ["code", "la_code", "group", "count"]
    assert len(long) == 331 * 19
    assert int(long["count"].sum()) == int(census.load(2021, "la").frame["total"].sum())


def test_2021_output_areas_add_up_to_the_lsoa_table_within_census_perturbation():
    oa = census.load(2021, "oa")
    assert len(oa.frame) == 188_880 and oa.classification == "broad5"
    summed = census.from_output_areas(2021, "lsoa").frame.set_index("code")
    lsoa = census.load(2021, "lsoa").frame.set_index("code")
    assert set(summed.index) == set(lsoa.index)
    assert (summed["la_code"] == lsoa.loc[summed.index, "la_code"]).all()
    difference = (summed[oa.groups] - lsoa.loc[summed.index, oa.groups]).abs()
    # The shared README: OA sums vs the LSOA table differ by at most 17 people in a cell.
    assert int(difference.to_numpy().max()) <= 17
    assert float(difference.to_numpy().mean()) < 2


def test_every_scale_is_a_sum_of_output_areas_with_the_same_people():
    for year in geography.YEARS:
        oa_total = int(census.load_as(year, "oa", "broad5").frame["total"].sum())
        for level in ("lsoa", "msoa", "ward", "la"):
            counts = census.from_output_areas(year, level)
            assert set(counts.frame["code"]) == set(geography.units(year, level)["code"])
            assert int(counts.frame["total"].sum()) == oa_total
