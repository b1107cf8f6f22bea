"""The gaps engine on the embedded real data, checked against the sources' own figures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scorecard import gaps, indicators


@pytest.fixture(scope="module")
def stops():
    """Black vs White stop and search for all 993 LA-years, as the engine computes it."""
    table = indicators.all_measures()[0]
    black = table[(table["measure"] == "stop_search_lad") & (table["ethnicity"] == "Black")
                  & (table["geography_level"] == "lad")]
    assert len(black) == 993
    return black


@pytest.fixture
def source(raw):
    s = pd.read_parquet(raw / "indicators/stop_search_lad_black_white_2019_2021.parquet")
    return s.assign(time=s["date"].astype(int).astype(str))


def test_risk_ratios_equal_the_source_rr_for_all_993_la_years(stops, source):
    both = stops.merge(source, left_on=["geography_code", "time"],
                       right_on=["la_code", "time"], validate="one_to_one")
    assert len(both) == 993
    # same definition: rr = (Black stopped / Black residents) / (White stopped / White
    # residents), and the source's interval is the Katz (Wald log) interval
    defined = both["rr"].notna()
    np.testing.assert_allclose(both.loc[defined, "ratio"], both.loc[defined, "rr"], rtol=1e-9)
    both_positive = (both["Black_stopped"] > 0) & (both["White_stopped"] > 0)
    assert both_positive.sum() == 923
    np.testing.assert_allclose(both.loc[both_positive, "ratio_lower"],
                               both.loc[both_positive, "rr_ci_low"], rtol=1e-9)
    np.testing.assert_allclose(both.loc[both_positive, "ratio_upper"],
                               both.loc[both_positive, "rr_ci_upp"], rtol=1e-9)
    # where a count is zero the source prints 0 (and no upper limit); we give no interval
    zero = ~both_positive
    assert both.loc[zero, "ratio_lower"].isna().all()
    assert both.loc[zero, "note"].str.contains("no ratio interval").all()


def test_rates_equal_the_source_rates(stops, source):
    both = stops.merge(source, left_on=["geography_code", "time"],
                       right_on=["la_code", "time"])
    np.testing.assert_allclose(both["value"], 10 * both["Black_stop_rate"], rtol=1e-9)


def test_spot_checks_by_hand(stops):
    lambeth = stops[(stops["geography_code"] == "E09000022") & (stops["time"] == "2019")]
    r = lambeth.iloc[0]
    # 6,118 of 88,499 Black residents vs 2,930 of 173,095 White residents
    assert r["value"] == pytest.approx(1000 * 6118 / 88499)
    assert r["ratio"] == pytest.approx((6118 / 88499) / (2930 / 173095))
    assert r["reliable"]


def test_how_many_la_years_have_a_reliable_gap(stops):
    excludes = (stops["gap_lower"] > 0) | (stops["gap_upper"] < 0)
    assert excludes.sum() == 737  # the interval of the gap excludes 0 (731 higher, 6 lower)
    # … but a gap resting on a count under 10, or on Greater Manchester's incomplete records
    # ([x], the force's 10 LAs × 3 years), is not called reliable.
    small = stops["flag"].str.contains("count<10")
    missing = stops["flag"].str.contains("not available")
    assert missing.sum() == 30
    assert (excludes & (small | missing)).sum() == 139
    reliable = stops[stops["reliable"]]
    higher = (reliable["gap_lower"] > 0).sum()
    lower = (reliable["gap_upper"] < 0).sum()
    assert (len(reliable), higher, lower) == (598, 592, 6)
    assert not (stops["reliable"] & (small | missing)).any()


def test_national_rows_are_the_readme_totals():
    obs = indicators.observations()
    ew = obs[(obs["measure"] == "stop_search_lad") & (obs["geography_code"] == "K04000001")]
    black = ew[ew["ethnicity"] == "Black"].set_index("time")
    assert black["numerator"].tolist() == [90_005, 95_418, 62_866]
    assert (black["denominator"] == 3_171_916).all()


def test_every_embedded_measure_has_values_and_notes_not_silent_nans():
    table = indicators.all_measures()[0]
    empty = table["value"].isna()
    assert (table.loc[empty, "note"] != "").all()
    gap_missing = table["gap_pp"].isna() & table["value"].notna()
    assert (table.loc[gap_missing, "note"] != "").all()
    assert set(table["measure"]) == set(indicators.catalogue().query("file != ''")["id"])
    assert set(table.columns) >= set(gaps.COLUMNS)
