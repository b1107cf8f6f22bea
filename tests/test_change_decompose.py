"""Shapley decomposition of a change in M: closed-form cases and the real national data."""

import numpy as np
import pandas as pd
import pytest

from scorecard.change.since2011 import harmonised_pair
from scorecard.compare import mutual_difference

PARTS = ["additions", "removals", "group_marginal", "unit_marginal", "structural"]


def table(rows: list[list[float]], groups=("g1", "g2"), area="a") -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(groups))
    frame.insert(0, "code", [f"u{i}" for i in range(len(rows))])
    frame.insert(1, "la_code", area)
    return frame


def parts(before, after, groups=("g1", "g2")) -> pd.Series:
    result = mutual_difference(before, after, groups=list(groups))
    return result.set_index("component")["value"]


def m_by_hand(rows) -> float:
    x = np.asarray(rows, dtype=float)
    T, t, G = x.sum(), x.sum(axis=1, keepdims=True), x.sum(axis=0, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(x > 0, x / T * np.log(x * T / (t * G)), 0.0)
    return float(terms.sum())


def test_m_values_and_parts_sum_to_the_difference():
    a, b = [[40, 10], [10, 40], [25, 25]], [[20, 20], [5, 30], [30, 10]]
    result = parts(table(a), table(b))
    assert result["M1"] == pytest.approx(m_by_hand(a), abs=1e-12)
    assert result["M2"] == pytest.approx(m_by_hand(b), abs=1e-12)
    assert result["diff"] == pytest.approx(m_by_hand(b) - m_by_hand(a), abs=1e-12)
    assert result[PARTS].sum() == pytest.approx(result["diff"], abs=1e-14)


def test_no_change_gives_zero_everywhere():
    a = [[40, 10], [10, 40], [25, 25]]
    assert np.allclose(parts(table(a), table(a)).drop(["M1", "M2"]), 0, atol=1e-12)


def test_same_margins_leave_only_structural_change():
    a, b = [[40, 10], [10, 40]], [[30, 20], [20, 30]]  # every row and column sums to 50
    result = parts(table(a), table(b))
    assert result["group_marginal"] == pytest.approx(0, abs=1e-12)
    assert result["unit_marginal"] == pytest.approx(0, abs=1e-12)
    assert result["structural"] == pytest.approx(m_by_hand(b) - m_by_hand(a), abs=1e-12)


def test_rescaled_rows_and_columns_change_margins_only():
    a = np.array([[25, 25], [28, 2], [2, 18]], dtype=float)
    b = a * np.array([[1.0], [3.0], [0.5]]) * np.array([[2.0, 1.0]])  # same odds ratios
    result = parts(table(a.tolist()), table(b.tolist()))
    assert result["structural"] == pytest.approx(0, abs=1e-8)
    assert result["group_marginal"] + result["unit_marginal"] == pytest.approx(
        result["diff"], abs=1e-8)


def test_swapping_years_reverses_every_part():
    a, b = [[40, 10, 5], [10, 40, 5], [25, 25, 30]], [[20, 20, 1], [5, 30, 9], [30, 10, 12]]
    g = ("g1", "g2", "g3")
    forward, backward = parts(table(a, g), table(b, g), g), parts(table(b, g), table(a, g), g)
    for name in PARTS:
        assert forward[name] == pytest.approx(-backward[name], abs=1e-8), name


def test_swapping_units_and_groups_swaps_the_marginals():
    a = np.array([[40, 10, 5], [10, 40, 5]], dtype=float)
    b = np.array([[20, 20, 1], [5, 30, 9]], dtype=float)
    g3, g2 = ("g1", "g2", "g3"), ("g1", "g2")
    straight = parts(table(a.tolist(), g3), table(b.tolist(), g3), g3)
    turned = parts(table(a.T.tolist(), g2), table(b.T.tolist(), g2), g2)
    assert straight["group_marginal"] == pytest.approx(turned["unit_marginal"], abs=1e-8)
    assert straight["unit_marginal"] == pytest.approx(turned["group_marginal"], abs=1e-8)
    assert straight["structural"] == pytest.approx(turned["structural"], abs=1e-8)


def test_units_and_groups_in_one_year_only_are_additions_and_removals():
    before = table([[40, 10, 0], [10, 40, 0], [5, 5, 0]], ("g1", "g2", "g3"))
    after = table([[20, 20, 3], [5, 30, 4], [0, 0, 0]], ("g1", "g2", "g3"))
    result = parts(before, after, ("g1", "g2", "g3"))
    assert result["removals"] != 0 and result["additions"] != 0
    assert result[PARTS].sum() == pytest.approx(result["diff"], abs=1e-14)


def test_areas_are_decomposed_separately():
    a = pd.concat([table([[40, 10], [10, 40]], area="x"), table([[5, 5], [9, 1]], area="y")])
    a["code"] = [f"u{i}" for i in range(len(a))]
    b = a.assign(g1=a["g1"] + 3)
    both = mutual_difference(a, b, groups=["g1", "g2"]).pivot(
        index="area_code", columns="component", values="value")
    for area in ("x", "y"):
        alone = mutual_difference(a[a["la_code"] == area], b[b["la_code"] == area],
                                  groups=["g1", "g2"]).set_index("component")["value"]
        assert np.allclose(both.loc[area, alone.index], alone, atol=1e-12)


@pytest.mark.slow
def test_national_parts_sum_exactly_to_each_las_change():
    before, after = harmonised_pair("lsoa")
    result = mutual_difference(before.frame, after.frame, groups=before.groups)
    wide = result.pivot(index="area_code", columns="component", values="value")
    assert len(wide) == 331
    assert np.abs(wide[PARTS].sum(axis=1) - wide["diff"]).max() < 1e-12
    assert (wide["additions"] == 0).all() and (wide["removals"] == 0).all()
    assert np.allclose(wide["M2"] - wide["M1"], wide["diff"], atol=0)
