"""Change over time in race-equality indicators with two or more periods."""

import math

import numpy as np
import pandas as pd
import pytest

from scorecard.compare import indicator_change
from scorecard.compare.indicator_change import period_pairs


def measures() -> pd.DataFrame:
    rows = []
    for time, (v, lo, hi), (g, glo, ghi) in [
        ("2019", (10.0, 8.0, 12.5), (6.0, 3.0, 9.0)),
        ("2020", (11.0, 9.0, 13.0), (7.0, 4.0, 10.0)),
        ("2021", (20.0, 18.0, 22.0), (15.0, 12.5, 17.0))]:
        rows.append({"measure": "m", "geography_code": "E1", "geography_name": "A",
                     "geography_level": "lad", "ethnicity": "Black", "reference": "White",
                     "unit": "per 1,000", "time": time, "value": v, "lower": lo, "upper": hi,
                     "gap_pp": g, "gap_lower": glo, "gap_upper": ghi, "ratio": np.nan,
                     "ratio_lower": np.nan, "ratio_upper": np.nan})
    rows.append({**rows[0], "measure": "single", "time": "2021"})
    return pd.DataFrame(rows)


def test_mover_interval_of_the_change_by_hand():
    out = indicator_change(measures())
    row = out[out["statistic"] == "value"].iloc[0]
    assert (row["time_from"], row["time_to"]) == ("2019", "2021")
    assert row["change"] == pytest.approx(10.0)
    # MOVER: d − √((p2 − l2)² + (u1 − p1)²), d + √((u2 − p2)² + (p1 − l1)²)
    assert row["change_lower"] == pytest.approx(10 - math.hypot(20 - 18, 12.5 - 10))
    assert row["change_upper"] == pytest.approx(10 + math.hypot(22 - 20, 10 - 8))
    assert row["direction"] == "higher"
    ratio = out[out["statistic"] == "ratio"].iloc[0]
    assert np.isnan(ratio["change"]) and ratio["note"].startswith("no change")
    assert set(out["measure"]) == {"m"}  # one period: no change


def test_consecutive_periods():
    pairs = period_pairs(measures(), "consecutive")
    assert pairs[["time_from", "time_to"]].values.tolist() == [["2019", "2020"],
                                                               ["2020", "2021"]]
    out = indicator_change(measures(), span="consecutive")
    first = out[(out["statistic"] == "gap_pp") & (out["time_to"] == "2020")].iloc[0]
    assert first["direction"] == "no reliable change"


def test_embedded_stop_and_search_change_covers_every_la():
    out = indicator_change()
    lad = out[out["measure"] == "stop_search_lad"]
    assert set(zip(lad["time_from"], lad["time_to"], strict=True)) == {("2019", "2021")}
    assert lad.loc[lad["geography_level"] == "lad", "geography_code"].nunique() == 331
    assert {"stop_search_pfa", "use_of_force_pfa"} <= set(out["measure"])
    assert not {"health_not_good", "ks4_attainment8"} & set(out["measure"])
    values = lad[lad["statistic"] == "value"]
    assert (values["change_lower"] <= values["change"]).all()
