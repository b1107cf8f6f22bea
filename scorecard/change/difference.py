"""Change in segregation between two censuses on the same units: values, intervals, reading.

Pure functions of two wide counts tables over the same units (in practice the common units
of :mod:`.common_units`, where nothing is apportioned), all areas at once.

Intervals: each census year is bootstrapped on its own (draws of the year's units from
their own mix, see :mod:`.bootstrap`; year y uses seed ``seed + y``, so the two years'
draws are independent, as the two censuses are). The change's draws are the differences
of the two years' draws, and its interval is their 2.5–97.5 percentile spread centred on
the observed change. A change is "higher" or "lower" only when that interval excludes 0.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..segregation.inference import DEFAULT_DRAWS, DEFAULT_SEED
from ..segregation.multigroup import multigroup
from ..segregation.twogroup import Units, two_group
from . import bootstrap

COLUMNS = ["area_code", "area_name", "area_level", "unit_level", "classification", "index",
           "group", "reference", "year_from", "year_to", "value_from", "lower_from",
           "upper_from", "expected_from", "value_to", "lower_to", "upper_to", "expected_to",
           "change", "change_lower", "change_upper", "direction", "n_units_from",
           "n_units_to", "note"]


def year_values(frame: pd.DataFrame, *, area: str, groups: list[str]) -> pd.DataFrame:
    """Observed D, H, isolation, exposure (each group vs the rest), M and multigroup H."""
    units = Units.of(frame, area, groups)  # sorted once for every index
    parts = [two_group(units, g, indices=bootstrap.TWO_GROUP) for g in groups]
    parts.append(multigroup(units, indices=bootstrap.MULTI))
    return pd.concat(parts, ignore_index=True)


def _long(draws: bootstrap.Draws, **arrays: np.ndarray) -> pd.DataFrame:
    """areas × stats arrays as long rows: area_code, index, group and one column each."""
    n_areas, n_stats = draws.observed.shape
    keys = np.array(draws.keys, dtype=object).reshape(n_stats, 2)
    columns = {"area_code": np.repeat(draws.areas, n_stats),
               "index": np.tile(keys[:, 0], n_areas), "group": np.tile(keys[:, 1], n_areas)}
    columns.update({name: np.asarray(array, dtype=float).ravel()
                    for name, array in arrays.items()})
    return pd.DataFrame(columns)


def _with_draws(values: pd.DataFrame, draws: bootstrap.Draws) -> pd.DataFrame:
    """Add lower, upper and expected (random allocation) from the draws."""
    summary = bootstrap.interval(draws.observed, draws.boot)
    extra = _long(draws, lower=summary["lower"], upper=summary["upper"],
                  expected=bootstrap.nanmean(draws.null))
    out = values.merge(extra, on=["area_code", "index", "group"], how="left")
    undefined = out["value"].isna()
    out.loc[undefined, ["lower", "upper", "expected"]] = np.nan
    return out


def change_table(before: pd.DataFrame, after: pd.DataFrame, *, area: str, groups: list[str],
                 inference: bool = True, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED,
                 years: tuple[int, int] = (2011, 2021)) -> pd.DataFrame:
    """The change of every index in every area between two wide counts tables.

    ``before`` and ``after``: one row per unit (the same units), an ``area`` column and the
    ``groups`` columns. Pure: no I/O. Returns :data:`COLUMNS` without the naming columns
    (area_name, area_level, unit_level, classification), one row per area × index × group.
    """
    key = ["area_code", "index", "group", "reference"]
    sides, simulated = [], []
    for frame, year in ((before, years[0]), (after, years[1])):
        values = year_values(frame, area=area, groups=groups)
        if inference:
            simulated.append(bootstrap.draw(frame, area=area, groups=groups, draws=draws,
                                            seed=seed + year))
            values = _with_draws(values, simulated[-1])
        sides.append(values)
    table = sides[0].merge(sides[1], on=key, how="outer", suffixes=("_from", "_to"))
    table["change"] = table["value_to"] - table["value_from"]
    if inference:
        _change_interval(table, simulated)
    else:
        table[["change_lower", "change_upper"]] = np.nan
    table["direction"] = _direction(table, inference)
    table["note"] = _notes(table, inference)
    table["year_from"], table["year_to"] = years
    return table.reindex(columns=[c for c in COLUMNS if c not in
                                  ("area_name", "area_level", "unit_level", "classification")])


def _change_interval(table: pd.DataFrame, pair: list[bootstrap.Draws]) -> None:
    """Interval of the change from the differences of the two years' independent draws."""
    observed = pair[1].observed - pair[0].observed
    spread = bootstrap.interval(observed, pair[1].boot - pair[0].boot)
    long = _long(pair[0], change_lower=spread["lower"], change_upper=spread["upper"])
    keys = ["area_code", "index", "group"]
    found = table[keys].merge(long, on=keys, how="left")
    for name in ("change_lower", "change_upper"):
        table[name] = found[name].to_numpy()
    table.loc[table["change"].isna(), ["change_lower", "change_upper"]] = np.nan


def _direction(table: pd.DataFrame, inference: bool) -> np.ndarray:
    change = table["change"].to_numpy(dtype=float)
    if not inference:
        return np.select([change > 0, change < 0, change == 0], ["higher", "lower", "same"], "")
    low = table["change_lower"].to_numpy(dtype=float)
    high = table["change_upper"].to_numpy(dtype=float)
    return np.select([low > 0, high < 0, np.isfinite(change)],
                     ["higher", "lower", "no reliable change"], "")


def _notes(table: pd.DataFrame, inference: bool) -> np.ndarray:
    """Why a change is missing, beside each year's own note."""
    out = []
    for before, after, change in zip(table["note_from"].fillna(""), table["note_to"].fillna(""),
                                     table["change"], strict=True):
        parts = []
        if before:
            parts.append(f"first year: {before}")
        if after:
            parts.append(f"second year: {after}")
        if pd.isna(change) and not parts:
            parts.append("no change: a year has no value")
        out.append("; ".join(parts))
    note = np.array(out, dtype=object)
    if not inference:
        note = np.where(note == "", "no interval: inference was not run", note)
    return note


def national_picture(change: pd.DataFrame) -> pd.DataFrame:
    """How many areas became more and less segregated on each index and group.

    Columns: index, group, areas, with_change, higher, lower, higher_reliable (interval
    above 0), lower_reliable (interval below 0), no_value.
    """
    values = change.assign(
        has=change["change"].notna(), higher=change["change"] > 0, lower=change["change"] < 0,
        higher_reliable=change["direction"] == "higher",
        lower_reliable=change["direction"] == "lower")
    out = values.groupby(["index", "group"], sort=False).agg(
        areas=("area_code", "nunique"), with_change=("has", "sum"), higher=("higher", "sum"),
        lower=("lower", "sum"), higher_reliable=("higher_reliable", "sum"),
        lower_reliable=("lower_reliable", "sum")).reset_index()
    out["no_value"] = out["areas"] - out["with_change"]
    return out
