"""Units common to both censuses: exact by construction, on hand-made lookups and on the real
ONS lookups; and the change measured on them."""

import numpy as np
import pandas as pd
import pytest

from scorecard import census, geography
from scorecard.change import (
    change_table,
    common_unit_counts,
    common_units,
    embedded_common_units,
    index_change,
    la_change,
    on_common_units,
    since2011,
    unit_coverage,
)
from scorecard.change.apportion import apportion

GROUPS = ["x", "y"]


def lsoa_lookup(rows):
    return pd.DataFrame(rows, columns=["code_2011", "code_2021", "change"])


def synthetic_split():
    """One LA: 2011 OA o1 splits into 2021 OAs n1 (its best fit) and n2 (absent from the OA
    lookup); the split divides its residents by group. Nobody moves between the censuses."""
    oa11 = pd.DataFrame({"code": ["o1", "o2", "o3", "o4"], "lsoa": ["A", "A", "B", "B"],
                         "oa_2021": ["n1", "o2", "o3", "o4"]})
    oa21 = pd.DataFrame({"code": ["n1", "n2", "o2", "o3", "o4"],
                         "lsoa": ["A", "A", "A", "B", "B"], "la_code": "E0X"})
    lookup = lsoa_lookup([("A", "A", "U"), ("B", "B", "U")])
    before = pd.DataFrame({"code": ["o1", "o2", "o3", "o4"], "x": [50, 80, 10, 30],
                           "y": [50, 20, 90, 70]})
    after = pd.DataFrame({"code": ["n1", "n2", "o2", "o3", "o4"], "x": [50, 0, 80, 10, 30],
                          "y": [0, 50, 20, 90, 70]})
    return oa11, oa21, lookup, before, after


def _changes(before, after):
    table = change_table(before.assign(area="E0X"), after.assign(area="E0X"), area="area",
                         groups=GROUPS, inference=False)
    return table.set_index(["index", "group"])["change"]


def test_a_split_with_no_movement_shows_no_change_on_common_units_but_did_on_apportioning():
    oa11, oa21, lookup, before, after = synthetic_split()
    units = common_units(oa11, oa21, lookup)
    la = units.units.set_index("code")["la_code"]
    ours = _changes(on_common_units(before, units.of_2011, la, GROUPS),
                    on_common_units(after, units.of_2021, la, GROUPS))
    assert np.allclose(ours.dropna(), 0.0, atol=1e-12)
    assert ours.notna().sum() >= 8
    # The earlier method: 2011 o1 apportioned onto n1 and n2 by their 2021 population, the
    # same mix in each; 2011 then looks more mixed than it was and D "rises".
    rows = pd.DataFrame({"code_2011": ["o1", "o1", "o2", "o3", "o4"],
                         "code_2021": ["n1", "n2", "o2", "o3", "o4"]})
    moved = apportion(before, rows, after.set_index("code")[GROUPS].sum(axis=1), GROUPS)
    old = _changes(moved, after.sort_values("code", ignore_index=True))
    assert old[("dissimilarity", "x")] > 0.05


def test_unchanged_merged_and_split_output_areas_form_the_units_expected():
    oa11, oa21, lookup, _, _ = synthetic_split()
    oa11 = pd.concat([oa11, pd.DataFrame({"code": ["o5", "o6"], "lsoa": "B",
                                          "oa_2021": ["m1", "m1"]})], ignore_index=True)
    oa21 = pd.concat([oa21, pd.DataFrame({"code": ["m1"], "lsoa": "B", "la_code": "E0X"})],
                     ignore_index=True)
    units = common_units(oa11, oa21, lookup)
    groups_of = {tuple(sorted(oa11.loc[units.of_2011.to_numpy() == u, "code"])) + ("|",)
                 + tuple(sorted(oa21.loc[units.of_2021.to_numpy() == u, "code"]))
                 for u in units.units["code"]}
    assert groups_of == {("o1", "|", "n1", "n2"), ("o2", "|", "o2"), ("o3", "|", "o3"),
                         ("o4", "|", "o4"), ("o5", "o6", "|", "m1")}
    kinds = units.units.set_index("code")["kind"]
    assert kinds[units.of_2021["n2"]] == "oa_split"
    assert kinds[units.of_2021["m1"]] == "oa" and kinds[units.of_2021["o2"]] == "oa"


def test_a_split_part_without_a_parent_falls_back_to_the_whole_lsoa_component():
    oa11 = pd.DataFrame({"code": ["o1", "o2", "o3"], "lsoa": ["A", "A", "B"],
                         "oa_2021": ["o1", "o2", "o3"]})
    oa21 = pd.DataFrame({"code": ["o1", "o2", "n9", "o3"], "lsoa": ["A", "C", "C", "B"],
                         "la_code": "E0X"})
    lookup = lsoa_lookup([("A", "A", "S"), ("A", "C", "S"), ("B", "B", "U")])
    units = common_units(oa11, oa21, lookup)
    whole = units.of_2021["n9"]
    assert units.of_2021["o1"] == units.of_2021["o2"] == whole
    assert units.of_2011["o1"] == units.of_2011["o2"] == whole
    assert units.units.set_index("code").loc[whole, "kind"] == "lsoa"
    assert units.of_2011["o3"] != whole


def _union_find_components(lookup: pd.DataFrame) -> int:
    """Components of the LSOA lookup by a plain union-find (independent of scipy)."""
    parent: dict[str, str] = {}

    def find(a):
        while parent.setdefault(a, a) != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for a, b in zip("11:" + lookup["code_2011"], "21:" + lookup["code_2021"], strict=True):
        parent[find(a)] = find(b)
    return len({find(a) for a in list(parent)})


@pytest.mark.slow
def test_real_common_units_are_exact_and_mostly_output_areas():
    units = embedded_common_units()
    table = units.units
    assert _union_find_components(geography.lsoa_lookup()) == 34_630
    assert len(table) == 179_930 and table["code"].is_unique
    for year, mapping in ((2011, units.of_2011), (2021, units.of_2021)):
        oa = geography.units(year, "oa")["code"]
        assert set(mapping.index) == set(oa) and mapping.notna().all()
    # Each unit lies within one LSOA component: its 2011 and 2021 LSOAs are linked.
    oa11, oa21 = geography.oa_lookup(2011), geography.oa_lookup(2021)
    links = geography.lsoa_lookup()
    pairs = set(zip(links["code_2011"], links["code_2021"], strict=True))
    unit_lsoas = (oa11.assign(unit=units.of_2011.reindex(oa11["code"]).to_numpy())
                  [["unit", "lsoa"]].drop_duplicates()
                  .merge(oa21.assign(unit=units.of_2021.reindex(oa21["code"]).to_numpy())
                         [["unit", "lsoa"]].drop_duplicates(), on="unit", suffixes=("_11", "_21")))
    one_to_one = table[(table["n_oa_2011"] == 1) & (table["n_oa_2021"] == 1)]
    simple = unit_lsoas[unit_lsoas["unit"].isin(one_to_one["code"])]
    linked = [(a, b) in pairs for a, b in zip(simple["lsoa_11"], simple["lsoa_21"],
                                              strict=True)]
    assert all(linked)
    before, after = common_unit_counts()
    assert int(before["total"].sum()) == 56_075_912
    assert int(after["total"].sum()) == int(census.load(2021, "oa").frame["total"].sum())
    country = unit_coverage("country").iloc[0]
    assert country["n_units"] == 179_930 and country["share_oa_level"] > 0.99


@pytest.mark.slow
def test_one_la_change_equals_the_national_run_for_that_la():
    national = index_change(inference=False)
    assert national["area_code"].nunique() == 331 and set(national["unit_level"]) == {"common"}
    mine = la_change("E07000110", draws=9)  # Maidstone
    theirs = national[national["area_code"] == "E07000110"]
    joined = mine.merge(theirs, on=["index", "group"], suffixes=("", "_all"))
    assert len(joined) == 22
    for column in ("value_from", "value_to", "change", "n_units_to"):
        assert np.allclose(joined[column], joined[f"{column}_all"], equal_nan=True), column


@pytest.mark.slow
def test_stored_common_unit_counts_equal_the_computation_from_lookups():
    from scorecard.change.since2011 import computed_common_unit_counts

    for stored, computed in zip(common_unit_counts(), computed_common_unit_counts(),
                                strict=True):
        pd.testing.assert_frame_equal(stored, computed)
    units = embedded_common_units().units
    crossing = set(units.loc[units["n_la"] > 1, "la_code"])
    assert since2011._crossing_las() == crossing and len(crossing) == 3
