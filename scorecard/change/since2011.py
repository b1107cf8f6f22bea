"""Change since 2011 in the embedded census counts, on units common to both censuses.

Both censuses' output-area counts are summed to the common units of :mod:`.common_units`
(nothing apportioned) and compared in the one classification both have below LA level, the
five broad groups. Every LA's change comes from its own common units (each unit lies in the
LA holding most of its 2021 output areas; three units of the 2013 district boundary changes
reach into a neighbour), a region's from its LAs', and a set of 2021 output areas (a custom
area) takes the units most of whose 2021 residents live in it.

The earlier method, 2011 LSOAs apportioned onto 2021 LSOAs, stays available
(``index_change(level="lsoa")``) to compare with; see :mod:`.apportion`.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from .. import census, geography, groups
from ..resources import indicators_file
from ..segregation.inference import DEFAULT_DRAWS, DEFAULT_SEED
from .apportion import harmonise_2011_to_2021
from .common_units import CommonUnits, common_units, coverage, on_common_units
from .difference import COLUMNS, change_table

CLASSIFICATION = "broad5"
UNIT_LEVEL = "common"
UNIT_NAMES = {"common": "units common to both censuses", "lsoa": "2021 LSOAs",
              "msoa": "2021 MSOAs"}
GROUPS_NOTE = ("five broad groups: no 2021 table embedded below local authority level splits "
               "White British from other White groups (TS021's 19 detailed groups exist "
               "upstream at output-area level but are not embedded)")
CROSSING_NOTE = ("one common unit reaches into a neighbouring LA (2013 district boundary "
                 "change): its residents are counted here")


@cache
def embedded_common_units() -> CommonUnits:
    """The common units of the embedded 2011 and 2021 output areas."""
    return common_units(geography.oa_lookup(2011), geography.oa_lookup(2021),
                        geography.lsoa_lookup())


# Both censuses' counts on the common units, made by scripts/build_data.py from the embedded
# output-area tables and lookups: a one-LA build reads its rows instead of building the
# national units again (about 2 s). Computed afresh when the file is absent.
EMBEDDED_COUNTS = "common_unit_counts.parquet"


@cache
def common_unit_counts(classification: str = CLASSIFICATION) -> tuple[pd.DataFrame,
                                                                       pd.DataFrame]:
    """2011 and 2021 counts on the common units: code, la_code (2022), groups, total."""
    stored = _stored_counts()
    if classification == CLASSIFICATION and stored is not None:
        return tuple(_as_computed(stored[stored["year"] == year]) for year in (2011, 2021))
    return computed_common_unit_counts(classification)


def _as_computed(stored: pd.DataFrame) -> pd.DataFrame:
    codes = groups.codes(CLASSIFICATION)
    frame = stored.drop(columns=["year", "crosses_la"]).reset_index(drop=True)
    frame[codes] = frame[codes].astype(np.int64)
    frame["total"] = frame[codes].sum(axis=1)
    return frame


@cache
def _stored_counts() -> pd.DataFrame | None:
    path = indicators_file(EMBEDDED_COUNTS)
    return pd.read_parquet(path) if path.is_file() else None


def stored_common_unit_counts() -> pd.DataFrame:
    """The table scripts/build_data.py stores: year, code, la_code, crosses_la (the unit's
    2021 OAs lie in more than one LA) and the broad groups (int32; totals are their sums)."""
    units = embedded_common_units().units.set_index("code")
    parts = []
    for year, frame in zip((2011, 2021), computed_common_unit_counts(), strict=True):
        frame = frame.copy()
        frame.insert(0, "year", np.int16(year))
        frame.insert(3, "crosses_la", units["n_la"].reindex(frame["code"]).to_numpy() > 1)
        codes = groups.codes(CLASSIFICATION)
        parts.append(frame.drop(columns="total").astype({code: np.int32 for code in codes}))
    return pd.concat(parts, ignore_index=True)


def computed_common_unit_counts(classification: str = CLASSIFICATION
                                ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`common_unit_counts` from the output-area counts and lookups themselves."""
    units = embedded_common_units()
    la_of = units.units.set_index("code")["la_code"]
    codes = groups.codes(classification)
    before = on_common_units(census.load_as(2011, "oa", classification).frame, units.of_2011,
                             la_of, codes)
    after = on_common_units(census.load_as(2021, "oa", classification).frame, units.of_2021,
                            la_of, codes)
    return before, after


def caption(n_units: int) -> str:
    """What every change table says of its units."""
    return f"on {n_units:,} units common to both censuses"


def unit_coverage(areas: str = "la") -> pd.DataFrame:
    """Per LA (``areas="la"``) or for England and Wales (``"country"``): number of common
    units, how many are output-area units, 2021 residents, and the share of them on
    output-area units (the rest sit on whole LSOA components)."""
    units = embedded_common_units().units
    residents = common_unit_counts()[1].set_index("code")["total"]
    return coverage(units, residents, by="la_code" if areas == "la" else None)


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


def _crossing_las() -> set[str]:
    stored = _stored_counts()
    if stored is not None:
        return set(stored.loc[stored["crosses_la"], "la_code"])
    units = embedded_common_units().units
    return set(units.loc[units["n_la"] > 1, "la_code"])


def _finish(table: pd.DataFrame, level: str, crossing: set[str] | None = None) -> pd.DataFrame:
    table["unit_level"] = level
    table["classification"] = CLASSIFICATION
    extra = np.full(len(table), GROUPS_NOTE, dtype=object)
    if crossing:
        extra = np.where(table["area_code"].isin(crossing), CROSSING_NOTE + "; " + extra, extra)
    table["note"] = np.where(table["note"] == "", extra, table["note"] + "; " + extra)
    return table[COLUMNS]


def harmonised_pair(level: str = "lsoa") -> tuple[census.Counts, census.Counts]:
    """The earlier method: 2011 counts apportioned onto 2021 LSOAs (or MSOAs) and the 2021
    counts there, broad groups (kept to compare with)."""
    before = harmonise_2011_to_2021(level, CLASSIFICATION)[0]
    after = census.load_as(2021, level, CLASSIFICATION)
    return before, after


def index_change(years: tuple[int, int] = (2011, 2021), level: str = UNIT_LEVEL, *,
                 areas: str = "la", inference: bool = True, draws: int = DEFAULT_DRAWS,
                 seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """Change in D, H, isolation and exposure (each broad group vs the rest) and in M and
    multigroup H, 2011 → 2021, for every 2022 LA (``areas="la"``), region or the country.

    ``level``: ``"common"`` (default): units common to both censuses, nothing apportioned;
    ``"lsoa"`` or ``"msoa"``: the earlier method, 2011 counts apportioned onto 2021 LSOAs
    (biased towards "more segregated" where LSOAs split; kept to compare with). Returns
    :data:`COLUMNS`: each year's value with its bootstrap interval and expected value under
    random allocation, the change with its interval, ``direction`` (higher, lower, no
    reliable change) and a note; classification ``broad5``.
    """
    if tuple(years) != (2011, 2021):
        raise ValueError("change is available between the 2011 and 2021 censuses only")
    if level == UNIT_LEVEL:
        before, after = common_unit_counts()
    else:
        pair = harmonised_pair(level)
        before, after = pair[0].frame, pair[1].frame
    table = change_table(_area_column(before, areas), _area_column(after, areas),
                         area="area", groups=groups.codes(CLASSIFICATION),
                         inference=inference, draws=draws, seed=seed, years=tuple(years))
    table["area_name"] = table["area_code"].map(area_names(areas))
    table["area_level"] = areas
    crossing = _crossing_las() if level == UNIT_LEVEL and areas == "la" else None
    return _finish(table, level, crossing).sort_values(["area_code", "index", "group"],
                                                        ignore_index=True)


def frames_for(membership: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Both censuses' common-unit counts for areas given as sets of 2021 output areas.

    ``membership``: code (2021 OA), area. A common unit belongs to an area when more than half
    of its 2021 residents live in the area's output areas (for an LA or region, all of them
    but for the three units of the 2013 boundary changes). Returns (before, after) with an
    ``area`` column; a unit appears once per area it belongs to.
    """
    units = embedded_common_units()
    before, after = common_unit_counts()
    oa = census.load_as(2021, "oa", CLASSIFICATION).frame.set_index("code")["total"]
    rows = membership.assign(unit=units.of_2021.reindex(membership["code"]).to_numpy(),
                             people=oa.reindex(membership["code"]).to_numpy())
    inside = rows.groupby(["unit", "area"], sort=False)["people"].sum().reset_index()
    whole = after.set_index("code")["total"]
    share = inside["people"] / whole.reindex(inside["unit"]).to_numpy()
    empty = whole.reindex(inside["unit"]).to_numpy() == 0
    keys = inside.loc[(share > 0.5) | empty, ["unit", "area"]].rename(columns={"unit": "code"})
    return (keys.merge(before, on="code", how="left"), keys.merge(after, on="code", how="left"))


def area_change(frames: tuple[pd.DataFrame, pd.DataFrame], names: dict[str, str],
                levels: dict[str, str], *, draws: int = DEFAULT_DRAWS,
                seed: int = DEFAULT_SEED, on_area=None) -> pd.DataFrame:
    """Change of every index and broad group in each area of ``frames`` (from
    :func:`frames_for`), each area bootstrapped on its own with ``seed``: an area's interval
    is the same whatever else is asked with it. ``on_area(code)`` is called after each."""
    before, after = frames
    codes = groups.codes(CLASSIFICATION)
    parts = []
    for code in names:  # the few areas a comparison names, each with its own seed
        one = (before[before["area"] == code], after[after["area"] == code])
        table = change_table(*one, area="area", groups=codes, draws=draws, seed=seed)
        table["area_name"] = names[code]
        table["area_level"] = levels[code]
        parts.append(table)
        if on_area is not None:
            on_area(code)
    crossing = {c for c in names if levels[c] == "la"} & _crossing_las()
    return _finish(pd.concat(parts, ignore_index=True), UNIT_LEVEL, crossing)


def la_change(la_code: str, *, draws: int = DEFAULT_DRAWS,
              seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """One 2022 LA's change since 2011 in every index and broad group, on its common units
    (the values of :func:`index_change` for that LA; intervals from its own bootstrap)."""
    before, after = common_unit_counts()
    name = area_names("la")[la_code]
    frames = (before[before["la_code"] == la_code].assign(area=la_code),
              after[after["la_code"] == la_code].assign(area=la_code))
    return area_change(frames, {la_code: name}, {la_code: "la"}, draws=draws, seed=seed)


def districts_change(code: str, name: str, districts: list[str], *,
                     draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """The change since 2011 of an area made of whole 2022 LAs (a county council of its
    districts), on the common units of those LAs, as a custom area."""
    before, after = common_unit_counts()
    frames = (before[before["la_code"].isin(districts)].assign(area=code),
              after[after["la_code"].isin(districts)].assign(area=code))
    return area_change(frames, {code: name}, {code: "custom"}, draws=draws, seed=seed)
