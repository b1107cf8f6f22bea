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
import shapely

from .. import census, geography
from ..resources import indicators_file
from . import data
from .data import WALES_NOTE, WELSH_SOURCE
from .results import SUMMARY_COLUMNS, SchoolResults, school_results

__all__ = ["SUMMARY_COLUMNS", "WALES_NOTE", "WELSH_SOURCE", "SchoolResults", "area_names",
           "national", "small_areas"]


@cache
def small_areas() -> pd.DataFrame:
    """2021 LSOAs as the generic small-area table: code, la_code, x, y (centre of the
    generalised polygon, EPSG:27700), the five broad groups and total (all usual residents)."""
    counts = census.load(2021, "lsoa").frame
    shapes = geography.polygons("lsoa", 2021)
    centre = shapely.centroid(shapes.geometry.to_numpy())
    points = pd.DataFrame({"code": shapes["code"].to_numpy(), "x": shapely.get_x(centre),
                           "y": shapely.get_y(centre)})
    table = counts.merge(points, on="code", how="left")
    return table[["code", "la_code", "x", "y", *counts.columns[2:]]]


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
    return school_results(data.load(), small_areas(), area_names())


def national(schools_file: str | Path | None = None) -> SchoolResults:
    """School results for every LA: from the embedded DfE school census (January 2023), or
    from a user's own school census table in the same columns (checked first)."""
    if schools_file is None:
        return _embedded_results()
    return school_results(data.read(schools_file), small_areas(), area_names())
