"""Hand-made tables whose indices are known in closed form."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from scorecard.errors import InputError
from scorecard.segregation import (
    ALL_TWO_GROUP_INDICES,
    MULTIGROUP_INDICES,
    compute,
    decompose,
    local_measures,
    multigroup,
    two_group,
)


def table(rows, groups=("a", "b"), area=None) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(groups))
    frame.insert(0, "code", [f"u{i}" for i in range(len(frame))])
    frame.insert(1, "area", area if area is not None else "A")
    return frame


def values(result: pd.DataFrame) -> dict[str, float]:
    return dict(zip(result["index"], result["value"], strict=True))


def test_fully_segregated_pair():
    v = values(two_group(table([[10, 0], [0, 5]]), "a", groups=["a", "b"],
                         indices=ALL_TWO_GROUP_INDICES))
    for name in ("dissimilarity", "gini", "theil_h", "isolation", "correlation_ratio",
                 "atkinson_0.1", "atkinson_0.5", "atkinson_0.9"):
        assert v[name] == pytest.approx(1.0, abs=1e-12), name
    assert v["exposure"] == pytest.approx(0.0, abs=1e-12)


def test_even_spread():
    v = values(two_group(table([[10, 20], [5, 10], [1, 2]]), "a", groups=["a", "b"],
                         indices=ALL_TWO_GROUP_INDICES))
    for name in ("dissimilarity", "gini", "theil_h", "correlation_ratio",
                 "atkinson_0.1", "atkinson_0.5", "atkinson_0.9"):
        assert v[name] == pytest.approx(0.0, abs=1e-12), name
    assert v["isolation"] == pytest.approx(1 / 3)
    assert v["exposure"] == pytest.approx(2 / 3)


def test_two_units_by_hand():
    # x = (1, 3), y = (3, 1): D = ½(|¼−¾| + |¾−¼|) = ½; p = (¼, ¾), P = ½, T = 8
    v = values(two_group(table([[1, 3], [3, 1]]), "a", groups=["a", "b"],
                         indices=ALL_TWO_GROUP_INDICES))
    assert v["dissimilarity"] == pytest.approx(0.5)
    # Gini: t_i t_j |p_i − p_j| summed over both orders / (2 T² P(1−P)) = 2·16·½ / 32 = ½
    assert v["gini"] == pytest.approx(0.5)
    # xPx = ¼·¼ + ¾·¾ = 5/8; V = (5/8 − ½)/(½) = ¼
    assert v["isolation"] == pytest.approx(5 / 8)
    assert v["correlation_ratio"] == pytest.approx(0.25)
    # H = 1 − mean unit entropy / ln 2, unit entropy = −(¼ ln ¼ + ¾ ln ¾)
    unit_entropy = -(0.25 * math.log(0.25) + 0.75 * math.log(0.75))
    assert v["theil_h"] == pytest.approx(1 - unit_entropy / math.log(2))
    # Atkinson b = ½: 1 − (P/(1−P)) |Σ √(1−p)√p t / (P T)|² = 1 − (2·√(3/16)·4/4)²
    assert v["atkinson_0.5"] == pytest.approx(1 - (2 * math.sqrt(3 / 16)) ** 2)


def test_multigroup_fully_segregated_and_even():
    segregated = values(multigroup(table([[10, 0, 0], [0, 10, 0], [0, 0, 10]],
                                         groups=("a", "b", "c")), groups=["a", "b", "c"]))
    assert segregated["multigroup_dissimilarity"] == pytest.approx(1.0)
    assert segregated["multigroup_theil_h"] == pytest.approx(1.0)
    assert segregated["mutual_information_m"] == pytest.approx(math.log(3))
    assert segregated["multigroup_diversity"] == pytest.approx(math.log(3))
    assert segregated["simpson_interaction"] == pytest.approx(2 / 3)
    assert segregated["simpson_concentration"] == pytest.approx(1 / 3)
    assert segregated["relative_diversity"] == pytest.approx(1.0)
    assert segregated["normalised_exposure"] == pytest.approx(1.0)
    even = values(multigroup(table([[1, 2, 3], [2, 4, 6]], groups=("a", "b", "c")),
                             groups=["a", "b", "c"]))
    for name in ("multigroup_dissimilarity", "multigroup_theil_h", "mutual_information_m",
                 "relative_diversity", "normalised_exposure"):
        assert even[name] == pytest.approx(0.0, abs=1e-12), name


def test_absent_group_changes_nothing():
    with_zero = multigroup(table([[3, 1, 0], [1, 3, 0]], groups=("a", "b", "c")),
                           groups=["a", "b", "c"])
    without = multigroup(table([[3, 1], [1, 3]]), groups=["a", "b"])
    assert np.allclose(with_zero["value"], without["value"], atol=1e-15)


def test_undefined_areas_say_why():
    frame = pd.concat([table([[5, 5]], area="one-unit"),
                       table([[0, 4], [0, 6]], area="no-a"),
                       table([[1, 2], [3, 4]], area="fine")], ignore_index=True)
    result = two_group(frame, "a", groups=["a", "b"], indices=ALL_TWO_GROUP_INDICES)
    by_area = result.groupby("area_code")
    assert by_area["note"].first().to_dict() == {
        "one-unit": "fewer than 2 units with residents", "no-a": "no a residents", "fine": ""}
    assert result.loc[result["note"] != "", "value"].isna().all()
    assert result.loc[result["note"] == "", "value"].notna().all()
    multi = multigroup(frame, groups=["a", "b"], indices=MULTIGROUP_INDICES)
    noted = multi.set_index(["area_code", "index"])["note"]
    assert noted["no-a", "mutual_information_m"] == "only one group has residents"
    assert noted["no-a", "simpson_interaction"] == ""  # composition is defined
    small = two_group(frame, "a", groups=["a", "b"], min_group=5)
    assert set(small.loc[small["area_code"] == "fine", "note"]) == {"fewer than 5 a residents"}


def test_decomposition_by_hand():
    # Two areas with the same mix, each fully segregated inside: between = 0, within = ln 2.
    frame = pd.concat([table([[10, 0], [0, 10]], area="X"),
                       table([[5, 0], [0, 5]], area="Y")], ignore_index=True)
    parts = decompose(frame, area="area", groups=["a", "b"])
    m = parts[parts["index"] == "mutual_information_m"].set_index(["component", "area_code",
                                                                   "group"])
    assert m.loc[("total", "all", "all"), "value"] == pytest.approx(math.log(2))
    assert m.loc[("between", "all", "all"), "value"] == pytest.approx(0.0, abs=1e-15)
    assert m.loc[("within", "all", "all"), "value"] == pytest.approx(math.log(2))
    assert m.loc[("area", "X", "all"), "weight"] == pytest.approx(20 / 30)
    assert m.loc[("area", "Y", "all"), "value"] == pytest.approx(math.log(2))


def test_local_measures_by_hand():
    result = local_measures(table([[3, 1], [1, 3]]), groups=["a", "b"])
    assert result["lq_a"].tolist() == pytest.approx([1.5, 0.5])
    ls = 0.75 * math.log(1.5) + 0.25 * math.log(0.5)
    assert result["mutual_local"].tolist() == pytest.approx([ls, ls])
    assert result["unit_share"].tolist() == pytest.approx([0.5, 0.5])


def test_compute_maps_arguments():
    frame = table([[3, 1, 2], [1, 3, 2], [2, 2, 2]], groups=("a", "b", "c"))
    rest = compute(frame, unit="code", groups=["a", "b", "c"])
    assert set(rest["area_code"]) == {"all"}
    assert set(rest.loc[rest["group"] != "all", "reference"]) == {"rest"}
    pair = compute(frame, unit="code", groups=["a", "b"])
    assert set(zip(pair["group"], pair["reference"], strict=True)) == {("a", "b"), ("all", "")}
    referenced = compute(frame, unit="code", area="area", groups=["a", "b", "c"],
                         reference="c")
    assert set(referenced.loc[referenced["group"] != "all", "reference"]) == {"c"}
    assert set(referenced.loc[referenced["group"] != "all", "group"]) == {"a", "b"}
    d = values(pair[pair["group"] == "a"])["dissimilarity"]
    assert d == pytest.approx(0.5 * (abs(3 / 6 - 1 / 6) + abs(1 / 6 - 3 / 6) + abs(2 / 6 - 2 / 6)))
    with pytest.raises(InputError):
        compute(frame, unit="code", groups=["a", "zzz"])
    with pytest.raises(InputError):
        compute(frame, unit="code", groups=["a", "b"], decompose=True)
