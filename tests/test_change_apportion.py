"""2011 counts on 2021 geography, checked by hand against the raw embedded tables."""

from fractions import Fraction
from math import floor

import pandas as pd
import pytest

from scorecard import geography
from scorecard.compare import harmonise_2011_to_2021, la_2011_on_2022
from scorecard.resources import boundaries_file, indicators_file

NATIONAL_2011 = 56_075_912  # usual residents of England and Wales, Census 2011 (KS201EW)
# ons2011_oa columns of the raw LSOA table → broad groups, written out by hand
BROAD = {
    "asian": ["asian_indian", "asian_pakistani", "asian_bangladeshi", "asian_chinese",
              "asian_other"],
    "black": ["black_african", "black_caribbean", "black_other"],
    "mixed": ["mixed"],
    "white": ["white_british", "white_irish", "white_gypsy_traveller", "white_other"],
    "other": ["other_arab", "other_any"],
}


@pytest.fixture(scope="module")
def raw_2011() -> pd.DataFrame:
    return pd.read_parquet(indicators_file("census2011_lsoa_ethnic.parquet")).set_index("code")


@pytest.fixture(scope="module")
def raw_2021() -> pd.DataFrame:
    return pd.read_parquet(indicators_file("census2021_lsoa_ethnic.parquet")).set_index("code")


@pytest.fixture(scope="module")
def harmonised():
    counts, changes = harmonise_2011_to_2021("lsoa")
    return counts.frame.set_index("code"), changes


def broad(row: pd.Series) -> dict[str, int]:
    return {group: int(sum(row[c] for c in columns)) for group, columns in BROAD.items()}


def test_mapped_populations_sum_to_the_2011_national_total(harmonised, raw_2011):
    frame, _ = harmonised
    assert int(frame["total"].sum()) == NATIONAL_2011
    for group, columns in BROAD.items():
        assert int(frame[group].sum()) == int(raw_2011[columns].to_numpy().sum())


def test_every_2021_lsoa_gets_2011_counts_in_its_2022_la(harmonised):
    frame, _ = harmonised
    lsoas = geography.units(2021, "lsoa").set_index("code")
    assert set(frame.index) == set(lsoas.index)
    assert (frame["la_code"] == lsoas["la_code"].reindex(frame.index)).all()
    assert (frame[list(BROAD)].sum(axis=1) == frame["total"]).all()


def test_change_types_counted_as_the_ons_lookup_documents(harmonised):
    _, changes = harmonised
    rows = changes.set_index("change")["lookup_rows"].to_dict()
    assert rows == {"U": 33_647, "S": 1_900, "M": 239, "X": 9}  # shared/data README
    assert int(changes["residents_2011"].sum()) == NATIONAL_2011
    assert changes["handled"].str.len().gt(0).all()


def test_a_split_lsoa_by_hand(harmonised, raw_2011, raw_2021):
    """E01000155 (Barnet) became E01033916, E01033921, E01033922 in 2021."""
    frame, _ = harmonised
    parent = broad(raw_2011.loc["E01000155"])
    children = ["E01033916", "E01033921", "E01033922"]
    population = {c: int(raw_2021.loc[c, "total"]) for c in children}
    whole = sum(population.values())
    for group, count in parent.items():
        quota = {c: Fraction(count * population[c], whole) for c in children}
        share = {c: floor(q) for c, q in quota.items()}
        owed = count - sum(share.values())
        by_fraction = sorted(children, key=lambda c: (-(quota[c] - share[c]), c))
        for c in by_fraction[:owed]:
            share[c] += 1
        for c in children:
            assert frame.loc[c, group] == share[c], (group, c)
        assert sum(frame.loc[c, group] for c in children) == count


def test_a_merged_lsoa_by_hand(harmonised, raw_2011):
    """E01000852 and E01000854 (Camden) became E01035711 in 2021."""
    frame, _ = harmonised
    lookup = pd.read_parquet(boundaries_file("lookup_lsoa11_lsoa21.parquet"))
    parents = sorted(lookup.loc[lookup["LSOA21CD"] == "E01035711", "LSOA11CD"])
    assert parents == ["E01000852", "E01000854"]
    for group in BROAD:
        expected = sum(broad(raw_2011.loc[p])[group] for p in parents)
        assert frame.loc["E01035711", group] == expected


def test_an_irregular_lsoa_is_divided_whole(harmonised, raw_2011):
    """E01008187 (Gateshead 024C) went partly to Northumberland in 2013 (CHGIND X)."""
    frame, _ = harmonised
    shared = ["E01035624", "E01035637"]  # its children; E01035637 also takes E01027506
    other = broad(raw_2011.loc["E01027506"])
    mine = broad(raw_2011.loc["E01008187"])
    for group in BROAD:
        assert sum(frame.loc[c, group] for c in shared) == mine[group] + other[group]
    assert frame.loc["E01035637", "la_code"] == "E06000057"


def test_fractional_shares_keep_totals():
    counts, _ = harmonise_2011_to_2021("lsoa", integer=False)
    assert counts.frame["total"].sum() == pytest.approx(NATIONAL_2011, abs=1e-3)
    assert (counts.frame["asian"] % 1 != 0).any()


def test_msoa_route_covers_every_2021_msoa():
    counts, _ = harmonise_2011_to_2021("msoa")
    assert set(counts.frame["code"]) == set(geography.units(2021, "msoa")["code"])
    assert int(counts.frame["total"].sum()) == NATIONAL_2011
    assert counts.level == "msoa" and "MSOA" in counts.source


def test_every_2022_la_gets_2011_counts():
    counts, changes = la_2011_on_2022()
    assert set(counts.frame["code"]) == set(geography.authorities(2021)["code"])
    assert len(counts.frame) == 331
    assert int(counts.frame["total"].sum()) == NATIONAL_2011
    assert changes.set_index("change")["lad_2011"].to_dict() == {
        "merged": 25, "minor_boundary_transfer": 3, "recoded": 6, "unchanged": 317}


def test_dorset_rebuilt_from_its_2011_districts():
    raw = pd.read_parquet(indicators_file("census2011_la_ethnic.parquet")).set_index("code")
    districts = ["E07000049", "E07000050", "E07000051", "E07000052", "E07000053"]
    counts, _ = la_2011_on_2022()
    dorset = counts.frame.set_index("code").loc["E06000059"]
    for column in raw.columns:
        assert dorset[column] == raw.loc[districts, column].sum(), column


def test_lsoa_method_moves_the_boundary_transfer_lsoas():
    district, _ = la_2011_on_2022("district")
    lsoa, _ = la_2011_on_2022("lsoa")
    a = district.frame.set_index("code")["total"]
    b = lsoa.frame.set_index("code")["total"]
    assert int(b.sum()) == NATIONAL_2011
    moved = (a - b)[a != b]
    assert set(moved.index) <= {"E06000057", "E08000037", "E07000240", "E07000241",
                                "E07000242", "E07000243"}
