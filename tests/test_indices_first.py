"""The first two-group indices: hand-computed tiny tables and PySAL `segregation` on real LAs."""

import math

import numpy as np
import pandas as pd
import pytest
from segregation.singlegroup import Dissim, Entropy, Interaction, Isolation

from scorecard import census, geography
from scorecard.segregation import scorecard_indices, two_group

PYSAL = {"dissimilarity": Dissim, "isolation": Isolation, "exposure": Interaction,
         "theil_h": Entropy}


def values(table):
    return table.set_index("index")["value"].to_dict()


def test_complete_segregation():
    frame = pd.DataFrame({"x": [10, 0], "y": [0, 10]})
    got = values(two_group(frame, "x", area=None, groups=["x", "y"]))
    assert got == pytest.approx({"dissimilarity": 1, "isolation": 1, "exposure": 0,
                                 "theil_h": 1})


def test_even_spread():
    frame = pd.DataFrame({"x": [3, 6, 9], "y": [7, 14, 21]})
    got = values(two_group(frame, "x", area=None, groups=["x", "y"]))
    assert got == pytest.approx({"dissimilarity": 0, "isolation": 0.3, "exposure": 0.7,
                                 "theil_h": 0}, abs=1e-12)


def test_two_units_by_hand():
    # Units (x, y): (2, 8) and (8, 2). X = Y = 10, T = 20.
    frame = pd.DataFrame({"x": [2, 8], "y": [8, 2]})
    got = values(two_group(frame, "x", area=None, groups=["x", "y"]))

    def entropy(p):
        return -(p * math.log(p) + (1 - p) * math.log(1 - p))

    assert got["dissimilarity"] == pytest.approx(0.5 * (abs(0.2 - 0.8) + abs(0.8 - 0.2)))
    assert got["isolation"] == pytest.approx(0.2 * 0.2 + 0.8 * 0.8)
    assert got["exposure"] == pytest.approx(0.2 * 0.8 + 0.8 * 0.2)
    assert got["theil_h"] == pytest.approx(1 - entropy(0.2) / entropy(0.5))


def test_areas_are_computed_separately_in_one_call():
    frame = pd.DataFrame({"area": ["b", "a", "b", "a"], "x": [0, 2, 10, 8], "y": [10, 8, 0, 2]})
    table = two_group(frame, "x", groups=["x", "y"])
    d = table[table["index"] == "dissimilarity"].set_index("area_code")["value"]
    assert d["a"] == pytest.approx(0.6)
    assert d["b"] == pytest.approx(1.0)


def test_degenerate_areas_get_a_reason_not_a_silent_nan():
    frame = pd.DataFrame({"area": ["one", "none", "none", "single"],
                          "x": [5, 0, 0, 4], "y": [5, 3, 4, 1]})
    frame.loc[0, "area"] = "single"
    table = two_group(frame, "x", groups=["x", "y"])
    notes = table.groupby("area_code")["note"].first()
    assert notes["none"] == "no x residents"
    assert notes["single"] == ""
    lonely = two_group(frame[frame["area"] == "none"].iloc[:1], "x", groups=["x", "y"])
    assert lonely["note"].iloc[0] == "fewer than 2 units with residents"
    assert table.loc[table["note"] != "", "value"].isna().all()
    assert table.loc[table["note"] == "", "value"].notna().all()


CHECKED_LAS = ["Bradford", "Tower Hamlets", "Leicester", "Eden", "Cardiff", "Birmingham"]


@pytest.mark.parametrize("year", [2011, 2021])
def test_equal_to_pysal_for_real_authorities(year):
    counts = census.load(year, census.available(year)[0])
    ours = scorecard_indices(counts)
    for name in CHECKED_LAS:
        la = geography.find_authority(name, year)
        for classification in ("broad5", "white_british2"):
            if classification == "white_british2" and year == 2021:
                continue
            frame = counts.to(classification).for_authority(la["code"]).frame
            focal = ["white_british"] if classification == "white_british2" else [
                "asian", "black", "mixed", "white", "other"]
            for group in focal:
                expected_rows = ours[(ours.area_code == la["code"]) & (ours.group == group)]
                for index, pysal_class in PYSAL.items():
                    expected = pysal_class(frame, group, "total").statistic
                    got = expected_rows.set_index("index").loc[index, "value"]
                    assert got == pytest.approx(expected, abs=1e-12), (name, group, index)


def test_every_la_has_every_index_on_real_data():
    table = scorecard_indices(census.load(2011, "oa"))
    assert table["area_code"].nunique() == 348
    assert len(table) == 348 * 6 * 4
    assert table["value"].notna().all()
    assert np.all((table["value"] >= 0) & (table["value"] <= 1))


def test_ranks_count_the_authorities_with_a_higher_value():
    table = scorecard_indices(census.load(2021, "lsoa"))
    d = table[(table["index"] == "dissimilarity") & (table["group"] == "asian")]
    # without expected values only the group's size can keep an LA out of the ranks
    flagged = d["flag"] != ""
    assert flagged.any() and (d.loc[flagged, "group_count"] < 1_000).all()
    assert (d.loc[~flagged, "group_count"] >= 1_000).all()
    valued = d[d["value"].notna() & ~flagged]
    for code in ("E08000032", "E09000030", "E06000018"):
        mine = valued.set_index("area_code").loc[code]
        higher = sum(v > mine["value"] for v in valued["value"])
        assert mine["rank"] == higher + 1
        assert mine["n_ranked"] == len(valued)
    assert d["rank"].isna().sum() == (d["value"].isna() | flagged).sum()  # no rank for these


def test_chance_and_interval_for_one_authority():
    from scorecard.segregation.battery import scorecard_inference

    counts = census.load(2011, "oa")
    once = scorecard_inference(counts, "E09000030")
    again = scorecard_inference(counts, "E09000030")
    pd.testing.assert_frame_equal(once, again)  # seeded
    d = once[once["index"] == "dissimilarity"].set_index("group")
    assert list(d.index) == ["white_british", "asian", "black", "mixed", "white", "other"]
    assert ((d["lower"] <= d["value"]) & (d["value"] <= d["upper"])).all()
    assert (d["expected"] < d["value"]).all()


def test_a_tiny_group_with_a_high_raw_d_is_not_ranked():
    from scorecard.segregation.battery import rank_among_areas, small_group_flags
    rows = []
    for code, count, expected, raw, corrected in [
            ("A", 50, 0.70, 0.90, 0.85),  # tiny: highest D, by chance as much as anything
            ("B", 5_000, 0.05, 0.50, 0.49),
            ("C", 3_000, 0.08, 0.40, 0.39),
            ("D", 2_000, 0.25, 0.60, 0.55)]:  # large enough, but D 0.25 expected at random
        rows.append({"area_code": code, "index": "dissimilarity", "group": "black",
                     "value": raw, "expected": expected, "group_count": count})
        rows.append({"area_code": code, "index": "dissimilarity_bias_corrected",
                     "group": "black", "value": corrected, "expected": expected,
                     "group_count": count})
    table = pd.DataFrame(rows)
    table["flag"] = small_group_flags(table)
    ranked = rank_among_areas(table).set_index(["area_code", "index"])
    corrected = ranked.xs("dissimilarity_bias_corrected", level="index")
    assert corrected["rank"].tolist()[1:3] == [1, 2]
    assert corrected["n_ranked"].tolist()[1:3] == [2, 2]
    assert corrected.loc[["A", "D"], "rank"].isna().all()
    assert corrected.loc["A", "flag"] == ("not ranked: 50 Black residents, too few to rank; "
                                          "a D of 0.70 is expected by chance alone")
    assert corrected.loc["D", "flag"] == "not ranked: a D of 0.25 is expected by chance alone"
    assert ranked.xs("dissimilarity", level="index")["rank"].isna().all()
