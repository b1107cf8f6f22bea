"""School segregation for every LA from the DfE school census: indices across schools,
each school against its ten nearest schools of the same phase, and schools against the
residents around them.

``national()`` loads the inputs (the embedded school census or a user's own, LSOA counts
and centres, area names) and returns :class:`~.results.SchoolResults`; the engines in
``indices``, ``nearest``, ``neighbourhoods`` and ``results`` are pure functions of frames.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import shapely

from .. import census, geography
from ..resources import boundaries_file, indicators_file
from . import data
from .data import WALES_NOTE, WELSH_SOURCE
from .results import SUMMARY_COLUMNS, SchoolResults, school_results

__all__ = ["RESIDENT_LEVEL", "SUMMARY_COLUMNS", "WALES_NOTE", "WELSH_SOURCE", "SchoolResults",
           "area_names", "national", "residents", "small_areas"]

# The neighbourhoods of D across neighbourhoods: 2021 output areas, the units of the
# residential headline indices. (The ring of small areas around each school stays on LSOAs:
# the data hold no output-area polygons or centres to measure distance from.)
RESIDENT_LEVEL = "oa"


@cache
def small_areas() -> pd.DataFrame:
    """2021 LSOAs as the generic small-area table: code, la_code, x, y (centre of the
    generalised polygon, EPSG:27700), the five broad groups and total (all usual residents)."""
    counts = census.load(2021, "lsoa").frame
    # Only codes and geometry are needed: read them straight from the GeoParquet file (a
    # third of the time of a GeoDataFrame with names).
    table = pq.read_table(boundaries_file("lsoa_2021.parquet"), columns=["code", "geometry"])
    centre = shapely.centroid(shapely.from_wkb(table.column("geometry").to_numpy()))
    points = pd.DataFrame({"code": table.column("code").to_numpy(),
                           "x": shapely.get_x(centre), "y": shapely.get_y(centre)})
    table = counts.merge(points, on="code", how="left")
    return table[["code", "la_code", "x", "y", *counts.columns[2:]]]


@cache
def residents() -> pd.DataFrame:
    """2021 output areas: code, la_code, the five broad groups and total (all usual
    residents), the units of D across neighbourhoods."""
    return census.load(2021, RESIDENT_LEVEL).frame


@cache
def area_names() -> dict[str, str]:
    """Names of 2021 LAs, the counties of the school census, and England."""
    names = dict(zip(*geography.authorities(2021)[["code", "name"]].to_numpy().T, strict=True))
    lookup = pd.read_parquet(indicators_file("ind_area_lookup.parquet"))
    names.update(dict(zip(lookup["utla_code"], lookup["utla_name"], strict=False)))
    names["E92000001"] = "England"
    return names


@cache
def _embedded_results() -> SchoolResults:
    return school_results(data.load(), small_areas(), residents(), area_names())


def national(schools_file: str | Path | None = None,
             focus: list[str] | None = None) -> SchoolResults:
    """School results for every LA: from the embedded DfE school census (January 2023), or
    from a user's own school census table in the same columns (checked first). ``focus``
    (LA codes) computes in full only what those LAs' pages show (see ``school_results``)."""
    if schools_file is None and focus is None:
        return _embedded_results()
    schools = data.load() if schools_file is None else data.read(schools_file)
    return school_results(schools, small_areas(), residents(), area_names(), focus=focus)


def _county_of(code: str) -> str | None:
    tier = data.embedded_places().upper_tier
    county = tier.get(code)
    return county if county is not None and county != code else None


def report_tables(code: str | None, *, schools_file: str | Path | None = None,
                  phase: str | None = None, intervals: bool = True, step=None,
                  **options) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """What ``scorecard schools`` writes: the tidy summary (the LA, its county and England;
    or every area when ``code`` is None), one row per school, and a note for the user ('' if
    none). A Welsh LA without a user's table gets a row saying where Welsh data is found."""
    results = national(schools_file)
    step = step or (lambda text=None: None)
    step()
    if code is None:
        summary, schools = results.summary, results.schools
        wanted = None
    else:
        county = _county_of(code)
        wanted = [code]
        areas = [c for c in (code, county, "E92000001") if c]
        summary = results.summary[results.summary["area_code"].isin(areas)]
        schools = results.schools[results.schools["district_code"] == code]
        if schools.empty:
            note = (WALES_NOTE if code.startswith("W") else
                    f"{code}: no school in the school census table lies in this LA")
            row = pd.DataFrame([{"area_code": code, "area_name": area_names().get(code, ""),
                                 "area_level": "la", "year": data.YEAR, "unit_level": "school",
                                 "note": note}]).reindex(columns=SUMMARY_COLUMNS)
            return row, schools.reset_index(drop=True), note
    if intervals:
        from .results import add_intervals

        summary = add_intervals(summary, results.cells, wanted, step=step, **options)
    if phase is not None:
        summary = summary[summary["phase"].isin([phase, "residents"])]
        schools = schools[schools["phase"] == phase]
    order = ["area_level", "area_code", "phase", "schools", "index", "group"]
    summary = summary.sort_values(order, kind="stable", ignore_index=True)
    return summary, schools.reset_index(drop=True), ""
