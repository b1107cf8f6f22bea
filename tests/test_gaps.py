"""Intervals, gaps and ratios: against statsmodels and scipy, published examples, tiny tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint
from statsmodels.stats.rates import confint_poisson, confint_poisson_2indep

from scorecard import gaps

COUNTS = st.integers(min_value=1, max_value=5_000).flatmap(
    lambda n: st.tuples(st.integers(0, n), st.just(n)))


def test_z_is_the_normal_quantile():
    assert abs(gaps.Z95 - stats.norm.ppf(0.975)) < 1e-15


# --- published values ------------------------------------------------------------------


def test_wilson_matches_newcombe_1998_single_proportion_table():
    # Newcombe (1998), Statistics in Medicine 17:857-872, Table II, method 3 (score)
    low, high = gaps.wilson([81, 15, 0, 1], [263, 148, 20, 29])
    assert np.round(low, 4).tolist() == [0.2553, 0.0624, 0.0, 0.0061]
    assert np.round(high, 4).tolist() == [0.3662, 0.1605, 0.1611, 0.1718]


def test_newcombe_matches_newcombe_1998_difference_examples():
    # Newcombe (1998), Statistics in Medicine 17:873-890, Table II, method 10
    diff, low, high = gaps.newcombe([56, 9, 5], [70, 10, 56], [48, 3, 0], [80, 10, 29])
    assert np.round(low, 4).tolist() == [0.0524, 0.1705, -0.0381]
    assert np.round(high, 4).tolist() == [0.3339, 0.8090, 0.1926]
    assert diff.tolist() == pytest.approx([0.2, 0.6, 5 / 56])


def test_poisson_exact_matches_garwood_table():
    low, high = gaps.poisson_rate([0, 1, 10], [1, 1, 1])
    assert np.round(low, 4).tolist() == [0.0, 0.0253, 4.7954]
    assert np.round(high, 4).tolist() == [3.6889, 5.5716, 18.3904]


def test_katz_by_hand():
    # 10/100 vs 5/100: ratio 2; var(log) = 1/10 - 1/100 + 1/5 - 1/100 = 0.28
    # 1.959964 * sqrt(0.28) = 1.037116; exp(1.037116) = 2.821068; 2 / 2.821068, 2 * 2.821068
    ratio, low, high = gaps.katz_ratio(10, 100, 5, 100)
    assert ratio == pytest.approx(2.0)
    assert (low, high) == pytest.approx((0.708951, 5.642136), abs=1e-5)


# --- against statsmodels ---------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.lists(COUNTS, min_size=1, max_size=20))
def test_wilson_equals_statsmodels(pairs):
    x, n = map(np.array, zip(*pairs, strict=True))
    ours = np.array(gaps.wilson(x, n))
    theirs = np.array(proportion_confint(x, n, method="wilson"))
    np.testing.assert_allclose(ours, np.clip(theirs, 0, 1), atol=1e-12)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(COUNTS, COUNTS), min_size=1, max_size=20))
def test_newcombe_equals_statsmodels_newcomb(rows):
    (x1, n1), (x2, n2) = (map(np.array, zip(*side, strict=True))
                          for side in zip(*rows, strict=True))
    _, low, high = gaps.newcombe(x1, n1, x2, n2)
    their_low, their_high = confint_proportions_2indep(x1, n1, x2, n2, method="newcomb")
    np.testing.assert_allclose(low, their_low, atol=1e-9)
    np.testing.assert_allclose(high, their_high, atol=1e-9)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(COUNTS, COUNTS), min_size=1, max_size=20))
def test_katz_equals_statsmodels_log_not_log_adjusted(rows):
    (x1, n1), (x2, n2) = (map(np.array, zip(*side, strict=True))
                          for side in zip(*rows, strict=True))
    positive = (x1 > 0) & (x2 > 0) & ((x1 < n1) | (x2 < n2))
    if not positive.any():
        return
    x1, n1, x2, n2 = x1[positive], n1[positive], x2[positive], n2[positive]
    ratio, low, high = gaps.katz_ratio(x1, n1, x2, n2)
    their_low, their_high = confint_proportions_2indep(x1, n1, x2, n2, compare="ratio",
                                                       method="log")
    np.testing.assert_allclose(low, their_low, rtol=1e-9)
    np.testing.assert_allclose(high, their_high, rtol=1e-9)
    np.testing.assert_allclose(ratio, (x1 / n1) / (x2 / n2), rtol=1e-12)


def test_statsmodels_log_adjusted_is_not_katz():
    adjusted = confint_proportions_2indep(10, 100, 5, 100, compare="ratio",
                                          method="log-adjusted")
    assert adjusted[0] != pytest.approx(gaps.katz_ratio(10, 100, 5, 100)[1], rel=1e-3)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3000), st.integers(1, 10**6)), min_size=1,
                max_size=20))
def test_poisson_equals_statsmodels_exact(pairs):
    x, n = map(np.array, zip(*pairs, strict=True))
    ours = np.array(gaps.poisson_rate(x, n))
    low, high = confint_poisson(x, n, method="exact-c")  # a scalar low when x == [0]
    theirs = np.array([np.broadcast_to(low, x.shape), high])
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-15)


def test_rate_ratio_and_mover_difference_equal_statsmodels():
    x1, n1, x2, n2 = np.array([30, 7, 500]), np.array([1e4, 2e3, 3e5]), \
        np.array([12, 9, 480]), np.array([9e3, 4e3, 2e5])
    ratio, low, high = gaps.rate_ratio(x1, n1, x2, n2)
    theirs = confint_poisson_2indep(x1, n1, x2, n2, method="wald-log", compare="ratio")
    np.testing.assert_allclose((low, high), theirs, rtol=1e-9)
    rate1, rate2 = x1 / n1, x2 / n2
    diff, dlow, dhigh = gaps.mover_difference(rate1, *gaps.poisson_rate(x1, n1),
                                              rate2, *gaps.poisson_rate(x2, n2))
    theirs = confint_poisson_2indep(x1, n1, x2, n2, method="mover", compare="diff",
                                    method_mover="exact-c")
    np.testing.assert_allclose((dlow, dhigh), theirs, rtol=1e-9)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(COUNTS, COUNTS), min_size=1, max_size=10))
def test_interval_properties(rows):
    (x1, n1), (x2, n2) = (map(np.array, zip(*side, strict=True))
                          for side in zip(*rows, strict=True))
    low, high = gaps.wilson(x1, n1)
    assert ((low >= 0) & (low <= x1 / n1 + 1e-12) & (x1 / n1 <= high + 1e-12)
            & (high <= 1)).all()
    diff, dlow, dhigh = gaps.newcombe(x1, n1, x2, n2)
    assert ((dlow <= diff + 1e-12) & (diff <= dhigh + 1e-12)).all()
    assert ((dlow >= -1 - 1e-12) & (dhigh <= 1 + 1e-12)).all()


def test_zero_counts_give_no_ratio_interval_and_zero_denominator_no_value():
    ratio, low, high = gaps.katz_ratio([0, 3], [100, 100], [5, 0], [100, 100])
    assert ratio[0] == 0 and np.isnan(low).all() and np.isnan(high).all()
    assert np.isnan(gaps.wilson(0, 0)).all()


# --- tidy tables -------------------------------------------------------------------------

CATALOGUE = pd.DataFrame({
    "id": ["p", "r", "m", "v"], "kind": ["proportion", "rate", "mean", "value"],
    "reference": ["White", "White", "White", ""], "scale": [100.0, 1000.0, 1.0, 1.0],
    "unit": ["percent", "per 1,000", "points", "percent"]})


def obs(measure, code, ethnicity, numerator=np.nan, denominator=np.nan, value=np.nan,
        lower=np.nan, upper=np.nan, level="lad"):
    return {"measure": measure, "geography_code": code, "geography_name": code,
            "geography_level": level, "time": "2021", "ethnicity": ethnicity,
            "numerator": numerator, "denominator": denominator, "value": value,
            "lower": lower, "upper": upper}


@pytest.fixture
def table():
    rows = [obs("p", "A", "White", 48, 80), obs("p", "A", "Black", 56, 70),
            obs("p", "B", "White", 5, 20), obs("p", "B", "Black", 4, 25),
            obs("p", "N", "White", 500, 1000, level="country"),
            obs("p", "N", "Black", 100, 400, level="country"),
            obs("r", "A", "White", 30, 10_000), obs("r", "A", "Black", 12, 9_000),
            obs("m", "A", "White", value=45.0, denominator=300),
            obs("m", "A", "Black", value=40.0, denominator=90),
            obs("m", "B", "White", value=45.0, lower=44.0, upper=46.0),
            obs("m", "B", "Black", value=40.0, lower=38.0, upper=42.0),
            obs("v", "A", "Black", value=12.0), obs("p", "C", "Black", 3, 10)]
    return gaps.measures(pd.DataFrame(rows), CATALOGUE)


def row(table, measure, code, ethnicity):
    found = table[(table["measure"] == measure) & (table["geography_code"] == code)
                  & (table["ethnicity"] == ethnicity)]
    assert len(found) == 1
    return found.iloc[0]


def test_measures_proportion_gap_is_newcombe_in_percentage_points(table):
    r = row(table, "p", "A", "Black")
    assert list(table.columns) == gaps.COLUMNS
    assert r["value"] == pytest.approx(80.0) and r["gap_pp"] == pytest.approx(20.0)
    assert (r["gap_lower"], r["gap_upper"]) == pytest.approx((5.243147, 33.387265), abs=1e-5)
    assert r["ratio"] == pytest.approx((56 / 70) / (48 / 80))
    assert r["reliable"] and r["flag"] == "" and r["unit"] == "percent"


def test_reference_rows_have_no_gap(table):
    r = row(table, "p", "A", "White")
    assert np.isnan(r["gap_pp"]) and not r["reliable"] and r["note"] == "reference group"


def test_small_numbers_are_flagged_and_no_reliable_gap(table):
    r = row(table, "p", "B", "Black")
    assert r["flag"] == "count<10; denominator<30; reference count<10; " \
                        "reference denominator<30"
    assert not r["reliable"]


def test_rates_use_poisson_limits(table):
    r = row(table, "r", "A", "Black")
    low, high = gaps.poisson_rate(12, 9_000)
    assert (r["lower"], r["upper"]) == pytest.approx((low * 1000, high * 1000))
    assert r["ratio_lower"] == pytest.approx(gaps.rate_ratio(12, 9_000, 30, 10_000)[1])


def test_means_without_spread_have_a_gap_without_interval(table):
    r = row(table, "m", "A", "Black")
    assert r["gap_pp"] == pytest.approx(-5.0) and np.isnan(r["gap_lower"])
    assert not r["reliable"] and "means without a spread" in r["note"]
    assert np.isnan(r["ratio"])
    given_ci = row(table, "m", "B", "Black")  # MOVER on the given intervals
    assert given_ci["gap_lower"] == pytest.approx(-5 - np.hypot(2, 1))
    assert given_ci["reliable"]


def test_missing_reference_and_no_reference_are_explained(table):
    assert "no figure for the reference group" in row(table, "p", "C", "Black")["note"]
    assert "no reference group" in row(table, "v", "A", "Black")["note"]


def test_context_national_value_and_rank(table):
    context = gaps.add_context(table)
    a = context[(context["measure"] == "p") & (context["geography_code"] == "A")
                & (context["ethnicity"] == "Black")].iloc[0]
    assert a["national_value"] == pytest.approx(25.0) and a["national_code"] == "N"
    assert a["rank"] == 1 and a["n_ranked"] == 1  # B (denominator 25) and C are not ranked
    b = context[(context["measure"] == "p") & (context["geography_code"] == "B")
                & (context["ethnicity"] == "Black")].iloc[0]
    assert pd.isna(b["rank"])


def test_published_suppresses_small_counts_and_marks_small_denominators(table):
    out = gaps.published(table)
    b = out[(out["measure"] == "p") & (out["geography_code"] == "B")
            & (out["ethnicity"] == "Black")].iloc[0]
    assert b["numerator"] == b["value"] == b["gap_pp"] == b["ratio"] == gaps.SUPPRESSED
    a = out[(out["measure"] == "p") & (out["geography_code"] == "A")
            & (out["ethnicity"] == "Black")].iloc[0]
    assert a["value"] == "80.0" and a["gap_pp"] == "20.0" and a["ratio"] == "1.33"
    c = out[(out["measure"] == "p") & (out["geography_code"] == "C")].iloc[0]
    assert c["value"] == gaps.SUPPRESSED  # 3 of 10
    unrounded = table.loc[(table["measure"] == "p") & (table["geography_code"] == "B")]
    assert unrounded["numerator"].notna().all()  # the download form keeps the counts
