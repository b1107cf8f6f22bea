"""Change over time in every race-equality indicator published for two or more periods.

In the embedded data: stop and search by LA (2019, 2020, 2021), stop and search by
police force area (2020/21 to 2024/25) and use of force by force area (2018/19, 2019/20);
the education and health tables have one period and so no change. For each area, group
and pair of periods, three statistics change: the group's ``value`` (e.g. searches per
1,000), its ``gap_pp`` from the reference group and its ``ratio`` to it. Each change is
the later figure minus the earlier one, with a MOVER interval (Newcombe's method, as in
:func:`scorecard.gaps.mover_difference`) built from the two figures' own intervals. This
treats the periods as independent samples; the stop-and-search denominators are the 2021
census population in every year, so a change in rate is a change in searches.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import gaps

STATISTICS = {"value": ("value", "lower", "upper"), "gap_pp": ("gap_pp", "gap_lower",
                                                              "gap_upper"),
              "ratio": ("ratio", "ratio_lower", "ratio_upper")}
KEYS = ["measure", "geography_code", "ethnicity"]
COLUMNS = ["measure", "geography_code", "geography_name", "geography_level", "ethnicity",
           "reference", "statistic", "unit", "time_from", "time_to", "value_from",
           "lower_from", "upper_from", "value_to", "lower_to", "upper_to", "change",
           "change_lower", "change_upper", "direction", "note"]


def period_pairs(table: pd.DataFrame, span: str = "first_last") -> pd.DataFrame:
    """(measure, time_from, time_to) for every measure with two or more periods.

    ``span``: ``first_last`` (earliest to latest) or ``consecutive`` (each period to the
    next). Periods sort as text (2019 < 2020; 2018/19 < 2019/20).
    """
    rows = []
    for measure, times in table.groupby("measure")["time"].unique().items():
        times = sorted(times)
        if len(times) < 2:
            continue
        if span == "first_last":
            rows.append((measure, times[0], times[-1]))
        elif span == "consecutive":
            rows += [(measure, a, b) for a, b in zip(times, times[1:], strict=False)]
        else:
            raise ValueError(f"span is 'first_last' or 'consecutive', not {span!r}")
    return pd.DataFrame(rows, columns=["measure", "time_from", "time_to"])


def _one_statistic(joined: pd.DataFrame, statistic: str) -> pd.DataFrame:
    value, lower, upper = STATISTICS[statistic]
    cols = {f"{name}_{side}": joined[f"{column}_{side}"].to_numpy(dtype=float)
            for side in ("from", "to")
            for name, column in (("value", value), ("lower", lower), ("upper", upper))}
    change, low, high = gaps.mover_difference(cols["value_to"], cols["lower_to"],
                                              cols["upper_to"], cols["value_from"],
                                              cols["lower_from"], cols["upper_from"])
    out = joined[["measure", "geography_code", "geography_name", "geography_level",
                  "ethnicity", "reference", "unit", "time_from", "time_to"]].assign(
        statistic=statistic, **cols, change=change, change_lower=low, change_upper=high)
    out["direction"] = np.select([low > 0, high < 0, np.isfinite(change)],
                                 ["higher", "lower", "no reliable change"], "")
    out["note"] = _notes(out, statistic, joined)
    return out


def _notes(out: pd.DataFrame, statistic: str, joined: pd.DataFrame) -> np.ndarray:
    is_reference = (joined["ethnicity"] == joined["reference"]).to_numpy()
    change = out["change"].to_numpy(dtype=float)
    no_interval = np.isfinite(change) & ~np.isfinite(out["change_lower"].to_numpy(dtype=float))
    return np.select(
        [is_reference & (statistic != "value"), ~np.isfinite(change), no_interval],
        ["reference group: no gap or ratio", "no change: a period has no figure",
         "no interval: a period's figure has none (e.g. a zero count for a ratio)"], "")


def indicator_change(table: pd.DataFrame | None = None, *,
                     span: str = "first_last") -> pd.DataFrame:
    """Change in value, gap and ratio of every indicator with two or more periods.

    ``table``: measures as :func:`scorecard.indicators.all_measures` returns them (default:
    the embedded ones). Returns :data:`COLUMNS`, one row per measure × area × group ×
    statistic × pair of periods; ``direction`` is higher / lower only when the interval
    of the change excludes zero.
    """
    if table is None:
        from ..indicators import all_measures  # loads embedded data only when needed

        table = all_measures()[0]
    parts = []
    for measure, time_from, time_to in period_pairs(table, span).itertuples(index=False):
        rows = table[table["measure"] == measure]
        joined = rows[rows["time"] == time_from].merge(
            rows[rows["time"] == time_to], on=KEYS, suffixes=("_from", "_to"))
        joined = joined.assign(
            geography_name=joined["geography_name_to"],
            geography_level=joined["geography_level_to"], reference=joined["reference_to"],
            unit=joined["unit_to"], time_from=time_from, time_to=time_to)
        parts += [_one_statistic(joined, s) for s in STATISTICS]
    if not parts:
        return pd.DataFrame(columns=COLUMNS)
    out = pd.concat(parts, ignore_index=True)[COLUMNS]
    return out.sort_values(["measure", "geography_code", "ethnicity", "statistic",
                            "time_from"], ignore_index=True)
