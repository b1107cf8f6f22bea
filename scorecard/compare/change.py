"""Change in segregation between the 2011 and 2021 censuses, on the same units.

Both censuses are put on 2021 LSOAs (or MSOAs) first (:mod:`.harmonise`) and compared in
the one classification both have below LA level: the five broad groups. White British vs
all others is **not** possible: the embedded 2021 tables below LA (TS021 LSOA, TS022 MSOA)
have broad groups only, so the comparison falls back to broad groups and says so in every
row (``classification``).

Intervals: each census year is bootstrapped on its own (draws of the year's units from
their own mix, see :mod:`.bootstrap`; year y uses seed ``seed + y``, so the two years'
draws are independent, as the two censuses are). The change's draws are the differences
of the two years' draws, and its interval is their 2.5–97.5 percentile spread centred on
the observed change. A change is "higher" or "lower" only when that interval excludes 0.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import census, geography, groups
from ..segregation.inference import DEFAULT_DRAWS, DEFAULT_SEED
from ..segregation.multigroup import multigroup
from ..segregation.twogroup import Units, two_group
from . import bootstrap
from .harmonise import harmonise_2011_to_2021

CLASSIFICATION = "broad5"
COLUMNS = ["area_code", "area_name", "area_level", "unit_level", "classification", "index",
           "group", "reference", "year_from", "year_to", "value_from", "lower_from",
           "upper_from", "expected_from", "value_to", "lower_to", "upper_to", "expected_to",
           "change", "change_lower", "change_upper", "direction", "n_units_from",
           "n_units_to", "note"]
FALLBACK_NOTE = ("broad groups: White British vs others is not in the 2021 tables below "
                 "local authority level")


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


# ----------------------------------------------------------------------------- loaders


def _area_column(frame: pd.DataFrame, areas: str) -> pd.DataFrame:
    if areas == "la":
        return frame.assign(area=frame["la_code"])
    if areas == "region":
        region = geography.authorities(2021).set_index("code")["region_code"]
        return frame.assign(area=frame["la_code"].map(region))
    if areas == "country":
        return frame.assign(area="K04000001")
    raise ValueError(f"areas is 'la', 'region' or 'country', not {areas!r}")


def area_names(areas: str) -> dict[str, str]:
    """Area code → name for LAs (2022) or regions (with Wales)."""
    las = geography.authorities(2021)
    if areas == "la":
        return dict(zip(las["code"], las["name"], strict=True))
    if areas == "region":
        return dict(zip(las["region_code"], las["region_name"], strict=True))
    return {"K04000001": "England and Wales"}


def harmonised_pair(level: str = "lsoa") -> tuple[census.Counts, census.Counts]:
    """2011 and 2021 broad-group counts on the same 2021 units."""
    before = harmonise_2011_to_2021(level, CLASSIFICATION)[0]
    after = census.load_as(2021, level, CLASSIFICATION)
    return before, after


def index_change(years: tuple[int, int] = (2011, 2021), level: str = "lsoa", *,
                 areas: str = "la", inference: bool = True, draws: int = DEFAULT_DRAWS,
                 seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """Change in D, H, isolation and exposure (each broad group vs the rest) and in M and
    multigroup H, 2011 → 2021, for every 2022 LA (``areas="la"``), region or the country.

    ``level``: the units, 2021 LSOAs (default) or MSOAs, with 2011 counts moved onto them.
    Returns :data:`COLUMNS`: each year's value with its bootstrap interval and expected
    value under random allocation, the change with its interval, ``direction`` (higher,
    lower, no reliable change) and a note; classification ``broad5``.
    """
    if tuple(years) != (2011, 2021):
        raise ValueError("change is available between the 2011 and 2021 censuses only")
    before, after = harmonised_pair(level)
    codes = groups.codes(CLASSIFICATION)
    table = change_table(_area_column(before.frame, areas), _area_column(after.frame, areas),
                         area="area", groups=codes, inference=inference, draws=draws,
                         seed=seed, years=tuple(years))
    table["area_name"] = table["area_code"].map(area_names(areas))
    table["area_level"] = areas
    table["unit_level"] = level
    table["classification"] = CLASSIFICATION
    table["note"] = np.where(table["note"] == "", FALLBACK_NOTE,
                             table["note"] + "; " + FALLBACK_NOTE)
    return table[COLUMNS].sort_values(["area_code", "index", "group"], ignore_index=True)


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
