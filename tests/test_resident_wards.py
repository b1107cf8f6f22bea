"""The ward label of an LSOA or MSOA: the May 2022 ward holding most of its residents."""

from __future__ import annotations

import pandas as pd

from scorecard import census


def test_label_is_the_ward_with_most_residents_in_the_raw_lookup(raw):
    # Independently from the raw ONS tables: OA → ward lookup, OA → LSOA lookup, OA counts.
    wards = pd.read_parquet(raw / "boundaries" / "oa21_wd22_lad22_ew_lu.parquet")
    nesting = pd.read_parquet(raw / "boundaries" / "oa21_lsoa21_msoa21_lad22_ew_lu.parquet")
    people = pd.read_parquet(raw / "census2021" / "ts021_ethnic_group_5_oa.parquet")
    oas = (people[["OA21CD", "total"]].merge(wards[["OA21CD", "WD22CD", "WD22NM"]])
           .merge(nesting[["OA21CD", "LSOA21CD", "MSOA21CD"]]))
    ours = census.resident_wards(2021, "lsoa").set_index("code")
    assert len(ours) == oas["LSOA21CD"].nunique()
    for level, column in (("lsoa", "LSOA21CD"), ("msoa", "MSOA21CD")):
        ours = census.resident_wards(2021, level).set_index("code")
        by_ward = oas.groupby([column, "WD22CD", "WD22NM"])["total"].sum().reset_index()
        top = by_ward.groupby(column)["total"].transform("max")
        leaders = by_ward[by_ward["total"] == top]
        single = leaders.groupby(column).filter(lambda rows: len(rows) == 1)
        expected = single.set_index(column)
        got = ours.loc[expected.index]
        assert (got["ward_code"] == expected["WD22CD"]).all()
        assert (got["ward_name"] == expected["WD22NM"]).all()
        tied = leaders.groupby(column)["WD22CD"].min()  # ties go to the lower code
        assert (ours.loc[tied.index, "ward_code"] == tied).all()
        share = expected["total"] / oas.groupby(column)["total"].sum().loc[expected.index]
        assert (got["ward_share"] - share).abs().max() < 1e-12


def test_an_lsoa_split_between_wards_takes_the_larger_part():
    labels = census.resident_wards(2021, "lsoa")
    split = labels[labels["ward_share"] < 1]
    assert len(split) > 1000  # LSOAs are not nested in wards
    assert (labels["ward_name"] != "").all()
