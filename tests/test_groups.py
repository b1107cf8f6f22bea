"""Ethnic-group classifications and mappings are data, complete and consistent."""

import numpy as np
import pandas as pd
import pytest

from scorecard import census, groups


@pytest.mark.parametrize(("name", "size"), [("ons2021_19", 19), ("ons2011_18", 18),
                                            ("ons2011_oa", 15), ("ts022_broad6", 6),
                                            ("broad5", 5), ("white_british2", 2)])
def test_classification_sizes(name, size):
    assert len(groups.codes(name)) == size
    assert len(set(groups.codes(name))) == size


@pytest.mark.parametrize("source", ["ons2021_19", "ons2011_18", "ons2011_oa", "ts022_broad6"])
def test_every_detailed_group_falls_in_one_broad_group(source):
    mapping = groups.mapping(source, "broad5")
    assert set(mapping) == set(groups.codes(source))
    assert set(mapping.values()) <= set(groups.codes("broad5"))


def test_white_british_split_only_where_the_data_has_it():
    assert groups.can_map("ons2021_19", "white_british2")
    assert groups.can_map("ons2011_oa", "white_british2")
    assert not groups.can_map("broad5", "white_british2")
    assert not groups.can_map("ts022_broad6", "white_british2")


def test_the_18_groups_of_2011_map_to_the_output_area_set_by_combining_mixed():
    mapping = groups.mapping("ons2011_18", "ons2011_oa")
    mixed = sorted(code for code, target in mapping.items() if target == "mixed")
    assert mixed == ["mixed_other", "mixed_white_asian", "mixed_white_black_african",
                     "mixed_white_black_caribbean"]


def test_map_sums_hand_made_counts():
    frame = pd.DataFrame({"code": ["a", "b"], "white_british": [5, 1], "white_irish": [1, 0],
                          "asian_indian": [2, 7], "total": [8, 8]})
    source = {c: 0 for c in groups.codes("ons2021_19")}
    full = pd.concat([frame, pd.DataFrame([source] * 2)[[c for c in source if c not in frame]]],
                     axis=1)
    broad = groups.map(full, source="ons2021_19", to="broad5")
    assert broad["white"].tolist() == [6, 1]
    assert broad["asian"].tolist() == [2, 7]
    assert broad["black"].tolist() == [0, 0]
    assert broad["total"].tolist() == [8, 8]


@pytest.mark.parametrize(("year", "level"), [(2011, "oa"), (2011, "la"), (2021, "la"),
                                             (2021, "msoa")])
def test_mapping_real_counts_keeps_every_person(year, level):
    counts = census.load(year, level)
    broad = counts.to("broad5").frame
    np.testing.assert_array_equal(broad[groups.codes("broad5")].sum(axis=1), broad["total"])


def test_detect_recognises_a_classification_by_its_codes():
    assert groups.detect(["asian", "black", "mixed", "white", "other"]) == "broad5"
    assert groups.detect(["asian", "black"]) is None
