"""Polygons for the units of a user's counts table, for the spatial indices.

Either the embedded boundaries (when the units are LSOAs, MSOAs, wards or LAs of one census
vintage) or the user's own GeoPackage or GeoParquet file. Every problem is one InputError
naming the file, row and column: a unit with no polygon, a repeated or empty polygon, a
geometry that is not a polygon, coordinates in degrees.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from . import geography
from .errors import InputError
from .io import FIRST_DATA_ROW

GEOMETRY_SUFFIXES = (".gpkg", ".parquet", ".geoparquet")
POLYGON_TYPES = {"Polygon", "MultiPolygon"}


def polygons_for(frame: pd.DataFrame, unit: str, *, counts_path: str,
                 geometry: str | Path | None = None) -> gpd.GeoDataFrame:
    """One polygon per row of ``frame`` (columns ``unit`` and geometry), in its row order."""
    codes = frame[unit].astype(str).str.strip()
    if geometry is None:
        codes = codes.str.upper()
        shapes, source = _embedded(codes, counts_path, unit), "the embedded boundaries"
        keys = shapes["code"]
    else:
        shapes, key = read_geometry(geometry, unit)
        keys, source = shapes[key].astype(str).str.strip(), str(geometry)
    position = pd.Index(keys).get_indexer(codes)
    missing = np.flatnonzero(position < 0)
    if len(missing):
        row = int(missing[0])
        raise InputError(counts_path, row + FIRST_DATA_ROW, unit,
                         f"{codes.iloc[row]} has no polygon in {source}")
    return gpd.GeoDataFrame({unit: frame[unit].to_numpy()},
                            geometry=shapes.geometry.to_numpy()[position], crs=shapes.crs)


def _embedded(codes: pd.Series, counts_path: str, unit: str) -> gpd.GeoDataFrame:
    """The embedded polygons of the one vintage and level that holds every code."""
    first = codes.iloc[0]
    every_unit = pd.concat([geography.units(year) for year in geography.YEARS])
    kinds = every_unit.loc[every_unit["code"] == first, ["year", "level"]]
    if kinds.empty:
        raise InputError(counts_path, FIRST_DATA_ROW, unit,
                         f"{first} is not an LSOA, MSOA, ward or LA code of 2011 or 2021, so "
                         "there is no embedded polygon for it; give --geometry FILE "
                         "(GeoPackage or GeoParquet)")
    best: tuple[int, gpd.GeoDataFrame, str] | None = None
    without = []
    for year, level in sorted(kinds.itertuples(index=False), reverse=True):  # 2021 first
        if level not in geography.POLYGON_LEVELS[year]:
            without.append(f"{year} {geography.LEVEL_NAMES[level]}s")
            continue
        shapes = geography.polygons(level, year)
        found = codes.isin(shapes["code"])
        if found.all():
            return shapes
        if best is None or found.sum() > best[0]:
            best = (int(found.sum()), shapes, f"{year} {geography.LEVEL_NAMES[level]}")
    if best is None:
        raise InputError(counts_path, FIRST_DATA_ROW, unit,
                         f"{first}: there are no embedded polygons of {' or '.join(without)}; "
                         "give --geometry FILE (GeoPackage or GeoParquet)")
    _, shapes, kind = best
    row = int(np.flatnonzero(~codes.isin(shapes["code"]).to_numpy())[0])
    raise InputError(counts_path, row + FIRST_DATA_ROW, unit,
                     f"{codes.iloc[row]} is not a {kind} like {first} in the first row: one "
                     "level and census vintage per table, or give --geometry FILE")


def read_geometry(path: str | Path, unit: str) -> tuple[gpd.GeoDataFrame, str]:
    """A user's polygons, checked; returns them and the name of their unit-code column
    (``unit`` as in the counts table, else ``code``)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(str(path), None, None, "no such file")
    if path.suffix.lower() not in GEOMETRY_SUFFIXES:
        kind = path.suffix or "a file without suffix"
        raise InputError(str(path), None, None, f"cannot read {kind} as polygons; use a "
                         "GeoPackage (.gpkg) or GeoParquet (.parquet)")
    try:
        shapes = (gpd.read_file(path) if path.suffix.lower() == ".gpkg"
                  else gpd.read_parquet(path))
    except ValueError as error:
        if "geo" in str(error).lower() and "metadata" in str(error).lower():
            raise InputError(str(path), None, None, "no geometry column: not a GeoParquet "
                             "file") from None
        raise InputError(str(path), None, None, f"cannot be read as polygons: {error}") from None
    except Exception as error:  # any reader failure is the user's file, not our bug
        raise InputError(str(path), None, None, f"cannot be read as polygons: {error}") from None
    key = unit if unit in shapes.columns else "code" if "code" in shapes.columns else None
    if key is None:
        raise InputError(str(path), 1, unit, "no column of unit codes: name it as in the "
                         "counts table (--unit) or 'code'")
    _check_polygons(shapes, key, str(path))
    return shapes, key


def _check_polygons(shapes: gpd.GeoDataFrame, key: str, path: str) -> None:
    column = shapes.geometry.name
    codes = shapes[key].astype(str).str.strip()
    repeated = np.flatnonzero(codes.duplicated().to_numpy())
    if len(repeated):
        row = int(repeated[0])
        first = int(np.flatnonzero((codes == codes.iloc[row]).to_numpy())[0])
        raise InputError(path, row + FIRST_DATA_ROW, key, f"{codes.iloc[row]} appears again "
                         f"(first at row {first + FIRST_DATA_ROW})")
    empty = np.flatnonzero((shapes.geometry.isna() | shapes.geometry.is_empty).to_numpy())
    if len(empty):
        row = int(empty[0])
        raise InputError(path, row + FIRST_DATA_ROW, column, f"{codes.iloc[row]} has no "
                         "geometry")
    kinds = shapes.geometry.geom_type.to_numpy()
    wrong = np.flatnonzero(~np.isin(kinds, list(POLYGON_TYPES)))
    if len(wrong):
        row = int(wrong[0])
        raise InputError(path, row + FIRST_DATA_ROW, column, f"{codes.iloc[row]} is a "
                         f"{kinds[row]}, not a polygon")
    if shapes.crs is not None and shapes.crs.is_geographic:
        raise InputError(path, None, column, f"coordinates are longitude and latitude "
                         f"({shapes.crs.to_string()}); reproject to a projected CRS in "
                         "metres, e.g. British National Grid (EPSG:27700)")
