"""Change in segregation indices between two censuses, and the national count."""

import numpy as np
import pandas as pd
import pytest

from scorecard.change.bootstrap import draw, interval
from scorecard.change.difference import change_table
from scorecard.change.since2011 import harmonised_pair
from scorecard.compare import index_change, national_picture
from scorecard.segregation import inference

GROUPS = ["g1", "g2"]


def frame(rows, area="a"):
    out = pd.DataFrame(rows, columns=GROUPS)
    out.insert(0, "code", [f"u{i}" for i in range(len(rows))])
    out.insert(1, "area", area)
    return out


def d_by_hand(rows) -> float:
    x = np.asarray(rows, dtype=float)
    return 0.5 * float(np.abs(x[:, 0] / x[:, 0].sum() - x[:, 1] / x[:, 1].sum()).sum())


def test_change_is_later_minus_earlier_value():
    before, after = [[40, 10], [10, 40], [25, 25]], [[30, 20], [20, 30], [25, 25]]
    table = change_table(frame(before), frame(after), area="area", groups=GROUPS,
                         inference=False)
    row = table[(table["index"] == "dissimilarity") & (table["group"] == "g1")].iloc[0]
    assert row["value_from"] == pytest.approx(d_by_hand(before))
    assert row["value_to"] == pytest.approx(d_by_hand(after))
    assert row["change"] == pytest.approx(d_by_hand(after) - d_by_hand(before))
    assert row["direction"] == "lower"
    assert "no interval" in row["note"]


def test_interval_excludes_zero_for_a_large_real_change():
    before = [[4000, 1000], [1000, 4000], [2500, 2500]]
    after = [[2500, 2500], [2400, 2600], [2500, 2500]]
    table = change_table(frame(before), frame(after), area="area", groups=GROUPS, draws=39)
    row = table[(table["index"] == "dissimilarity") & (table["group"] == "g1")].iloc[0]
    assert row["change_lower"] <= row["change"] <= row["change_upper"]
    assert row["change_upper"] < 0 and row["direction"] == "lower"
    assert row["lower_from"] <= row["value_from"] <= row["upper_from"]


def test_year_intervals_are_those_of_the_segregation_inference():
    before, _ = harmonised_pair("lsoa")
    one = before.frame[before.frame["la_code"].isin(["E08000032", "E09000030"])]
    groups = before.groups
    ours = draw(one, area="la_code", groups=groups, draws=19, seed=7)
    theirs = inference(one, area="la_code", groups=groups, draws=19, seed=7, workers=1)
    spread = interval(ours.observed, ours.boot)
    for column, (index, group) in enumerate(ours.keys):
        if index not in ("dissimilarity", "theil_h", "mutual_information_m",
                         "multigroup_theil_h"):
            continue
        rows = theirs[(theirs["index"] == index) & (theirs["group"] == group)]
        rows = rows.set_index("area_code").loc[ours.areas]
        assert np.allclose(rows["value"], ours.observed[:, column])
        assert np.allclose(rows["lower"], spread["lower"][:, column])
        assert np.allclose(rows["upper"], spread["upper"][:, column])


def test_undefined_areas_have_a_note_not_a_silent_gap():
    before = pd.concat([frame([[40, 10], [10, 40]], "a"), frame([[5, 5]], "b")])
    before["code"] = [f"u{i}" for i in range(len(before))]
    table = change_table(before, before, area="area", groups=GROUPS, inference=False)
    b = table[table["area_code"] == "b"]
    assert b["change"].isna().all()
    assert b["note"].str.contains("fewer than 2 units").all()


@pytest.fixture(scope="module")
def national():
    return index_change(inference=False)


def test_every_2022_la_has_both_values_on_common_units(national):
    assert national["area_code"].nunique() == 331
    m = national[national["index"] == "mutual_information_m"]
    # On 2021 LSOAs the Isles of Scilly (one LSOA) had no value; its output areas give one.
    assert m["value_from"].notna().all() and m["value_to"].notna().all()
    assert set(national["classification"]) == {"broad5"}
    assert set(national["unit_level"]) == {"common"}
    assert national["note"].str.contains("White British").all()


def test_the_earlier_apportioned_method_is_still_there_to_compare_with():
    old = index_change(level="lsoa", inference=False)
    m = old[old["index"] == "mutual_information_m"]
    missing = m[m["value_from"].isna()]
    assert list(missing["area_code"]) == ["E06000053"]  # Isles of Scilly: one LSOA
    assert missing["note"].str.contains("fewer than 2 units").all()
    assert set(old["unit_level"]) == {"lsoa"}


def test_national_picture_counts_directions():
    change = pd.DataFrame({
        "area_code": ["a", "b", "c", "d"], "index": "dissimilarity", "group": "g1",
        "change": [0.1, -0.2, -0.01, np.nan],
        "direction": ["higher", "lower", "no reliable change", ""]})
    row = national_picture(change).iloc[0]
    assert (row["areas"], row["with_change"], row["higher"], row["lower"]) == (4, 3, 1, 2)
    assert (row["higher_reliable"], row["lower_reliable"], row["no_value"]) == (1, 1, 1)


@pytest.mark.slow
def test_regions_change_with_intervals():
    table = index_change(areas="region", draws=19)
    assert table["area_code"].nunique() == 10
    defined = table.dropna(subset=["change"])
    assert (defined["change_lower"] <= defined["change_upper"]).all()
