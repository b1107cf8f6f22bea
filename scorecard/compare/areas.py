"""Areas beyond LAs — regions, and areas a user draws from wards or LSOAs — on the same engine.

A custom-area table (CSV, XLSX or Parquet) has two columns: ``code`` (a GSS code of an
LSOA, a 2011 output area or a December 2021 ward) and ``area`` (the name of the area it
belongs to; ``area_name`` or ``name`` are accepted too). All codes must be of one level
and one census vintage. Units inside each area are LSOAs (2011 OAs when the table lists
OAs). Wards do not nest LSOAs exactly and there is no ONS LSOA → ward lookup here, so
each 2021 LSOA is given to the ward that holds its representative point (the nearest
ward for the few points that generalised boundaries leave outside every ward) — a
best-fit like the ONS's own, but from polygons rather than population-weighted
centroids. 2011 census merged wards have no polygons here and cannot be used.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from .. import census, geography, groups
from ..errors import InputError
from ..io import FIRST_DATA_ROW, read_table
from ..segregation import compute

AREA_COLUMNS = ("area", "area_name", "name")
LEVELS_ACCEPTED = ("lsoa", "oa", "ward")


def _columns(frame: pd.DataFrame, path: str) -> tuple[str, str]:
    if "code" not in frame.columns:
        raise InputError(path, 1, "code", "missing column: give a 'code' column of LSOA, "
                         "output area or ward codes")
    name = next((c for c in AREA_COLUMNS if c in frame.columns), None)
    if name is None:
        raise InputError(path, 1, "area", "missing column: give an 'area' column naming the "
                         "area each code belongs to")
    extra = [c for c in frame.columns if c not in ("code", name)]
    if extra:
        raise InputError(path, 1, extra[0], f"unknown column; the columns are code and {name}")
    return "code", name


def _first(mask: np.ndarray) -> int:
    return int(np.flatnonzero(mask)[0])


INVISIBLE = ("Cc", "Cf", "Zs", "Zl", "Zp", "Mn")  # categories that show nothing alone


def clean_area_name(text: str) -> str:
    """An area name as data: any Unicode, NFC-normalised, its spaces collapsed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def area_key(name: str) -> str:
    """The form in which two area names are the same area: case and spacing ignored, every
    other character kept (so '日本' and '中国', or '...' and '../..', stay apart)."""
    return clean_area_name(name).casefold()


def _shows_nothing(name: str) -> bool:
    return all(unicodedata.category(c) in INVISIBLE for c in name)


def _check_cells(codes: pd.Series, names: pd.Series, path: str, name_column: str) -> None:
    blank = (codes == "").to_numpy()
    if blank.any():
        raise InputError(path, _first(blank) + FIRST_DATA_ROW, "code", "the code is blank")
    blank = names.map(_shows_nothing).to_numpy()
    if blank.any():
        raise InputError(path, _first(blank) + FIRST_DATA_ROW, name_column,
                         "the area name is blank; every code needs the name of its area")
    control = names.map(lambda n: any(unicodedata.category(c) == "Cc" for c in n)).to_numpy()
    if control.any():
        raise InputError(path, _first(control) + FIRST_DATA_ROW, name_column,
                         "the area name holds a control character")
    keys = names.map(area_key)
    first_name = dict(zip(keys[::-1], names[::-1], strict=True))
    clash = (names != keys.map(first_name)).to_numpy()
    if clash.any():
        i = _first(clash)
        raise InputError(path, i + FIRST_DATA_ROW, name_column,
                         f"area {names.iloc[i]!r} differs from area "
                         f"{first_name[keys.iloc[i]]!r} only in case or spacing; spell one "
                         "area's name the same way in every row")
    repeated = codes.duplicated().to_numpy()
    if repeated.any():
        i = _first(repeated)
        first = _first((codes == codes.iloc[i]).to_numpy())
        raise InputError(path, i + FIRST_DATA_ROW, "code", f"{codes.iloc[i]} appears again "
                         f"(first at row {first + FIRST_DATA_ROW}); a unit belongs to one area")


@cache
def _known_units() -> pd.DataFrame:
    both = pd.concat([geography.units(y) for y in geography.YEARS], ignore_index=True)
    return both[["code", "level", "year", "la_code"]]


def _vintage(codes: pd.Series, year: int | None, path: str) -> tuple[int, str]:
    """The one year and level of all codes, or an InputError at the first that differs."""
    known = _known_units()
    found = known[known["code"].isin(set(codes))]
    unknown = ~codes.isin(set(found["code"])).to_numpy()
    if unknown.any():
        i = _first(unknown)
        raise InputError(path, i + FIRST_DATA_ROW, "code", f"{codes.iloc[i]} is not an "
                         "output area, LSOA, MSOA, ward or LA code of 2011 or 2021")
    if year is None:  # the first code's vintage; if it has both, the one most codes have
        coverage = found.groupby("year")["code"].nunique()
        first_years = set(found.loc[found["code"] == codes.iloc[0], "year"])
        year = int(max(first_years, key=lambda y: (coverage[y], y)))
    geography.check_year(year)
    in_year = found[found["year"] == year]
    missing = ~codes.isin(set(in_year["code"])).to_numpy()
    if missing.any():
        i = _first(missing)
        other = found.loc[found["code"] == codes.iloc[i], ["year", "level"]].iloc[0]
        raise InputError(path, i + FIRST_DATA_ROW, "code", f"mixed vintages: "
                         f"{codes.iloc[i]} is a {other['year']} "
                         f"{geography.LEVEL_NAMES[other['level']]} code, but the table's "
                         f"areas are built from {year} units")
    level_of = in_year.drop_duplicates("code").set_index("code")["level"]
    levels = codes.map(level_of)
    mixed = (levels != levels.iloc[0]).to_numpy()
    if mixed.any():
        i = _first(mixed)
        raise InputError(path, i + FIRST_DATA_ROW, "code", f"{codes.iloc[i]} is a "
                         f"{geography.LEVEL_NAMES[levels.iloc[i]]}, but the table starts with "
                         f"{geography.LEVEL_NAMES[levels.iloc[0]]}s: one level per table")
    return year, _usable_level(levels.iloc[0], year, path)


def _usable_level(level: str, year: int, path: str) -> str:
    if level not in LEVELS_ACCEPTED:
        raise InputError(path, FIRST_DATA_ROW, "code", f"areas are built from LSOAs, 2011 "
                         f"output areas or 2021 wards, not {geography.LEVEL_NAMES[level]}s")
    if level == "ward" and year == 2011:
        raise InputError(path, FIRST_DATA_ROW, "code", "2011 census merged wards have no "
                         "boundaries here, so their LSOAs cannot be found; list the LSOAs")
    return level


@cache
def ward_of_lsoa_2021() -> pd.Series:
    """Best-fit 2021 ward of each 2021 LSOA (see :func:`scorecard.geography.best_fit_wards`)."""
    lsoas = geography.polygons("lsoa", 2021)
    wards = geography.best_fit_wards(lsoas, geography.polygons("ward", 2021))
    return pd.Series(wards["ward_code"].to_numpy(), index=lsoas["code"].to_numpy(), name="ward")


def custom_areas(path: str | Path, year: int | None = None, *,
                 classification: str = "broad5") -> pd.DataFrame:
    """Counts of the units of user-defined areas, ready for :func:`area_indices`.

    ``path``: the areas table (see the module docstring); ``year``: the census whose units
    it lists (default: inferred, 2021 when the codes exist in both). Returns one row per
    unit: code, area_code (= the area name), area_name, la_code, year, unit_level, the
    ``classification``'s group columns and total. Bad input raises an InputError naming
    file, row and column: missing or unknown column, blank code or name, duplicate code,
    unknown code, mixed vintages or levels, 2011 wards.
    """
    path = str(path)
    frame = read_table(path)
    code_column, name_column = _columns(frame, path)
    codes = frame[code_column].fillna("").astype(str).str.strip().str.upper()
    names = frame[name_column].fillna("").astype(str).map(clean_area_name)
    _check_cells(codes, names, path, name_column)
    year, level = _vintage(codes, year, path)
    area_of = dict(zip(codes, names, strict=True))
    unit_level = "oa" if level == "oa" else "lsoa"
    counts = census.load(year, unit_level).to(classification).frame
    if level == "ward":
        counts = counts.assign(_ward=counts["code"].map(ward_of_lsoa_2021()))
        counts["area_name"] = counts["_ward"].map(area_of)
        counts = counts.drop(columns="_ward")
        _check_every_area_has_units(names, counts, path, name_column)
    else:
        counts = counts.assign(area_name=counts["code"].map(area_of))
    out = counts[counts["area_name"].notna()].copy()
    out.insert(1, "area_code", out.pop("area_name"))
    out.insert(2, "area_name", out["area_code"])
    out.insert(4, "year", year)
    out.insert(5, "unit_level", unit_level)
    return out.sort_values(["area_code", "code"], ignore_index=True)


def _check_every_area_has_units(names: pd.Series, counts: pd.DataFrame, path: str,
                                column: str) -> None:
    empty = ~names.isin(set(counts["area_name"].dropna())).to_numpy()
    if empty.any():
        i = _first(empty)
        raise InputError(path, i + FIRST_DATA_ROW, column, f"no 2021 LSOA falls in the wards "
                         f"of area {names.iloc[i]!r} (an LSOA belongs to the ward holding its "
                         "representative point); add neighbouring wards or list LSOAs")


def region_counts(year: int = 2021, level: str = "lsoa",
                  classification: str = "broad5") -> pd.DataFrame:
    """Unit counts with their region as the area (Wales is one region), for the engine."""
    counts = census.load(year, level).to(classification).frame
    las = geography.authorities(year).set_index("code")
    out = counts.assign(area_code=counts["la_code"].map(las["region_code"]),
                        area_name=counts["la_code"].map(las["region_name"]),
                        year=year, unit_level=level)
    return out[["code", "area_code", "area_name", "la_code", "year", "unit_level",
                *groups.codes(classification), "total"]]


def area_indices(frame: pd.DataFrame, *, area_level: str = "custom",
                 classification: str = "broad5", **options) -> pd.DataFrame:
    """Every segregation index of each area of ``frame`` (from :func:`custom_areas` or
    :func:`region_counts`), by :func:`scorecard.segregation.compute`.

    ``options`` go to ``compute`` (inference, decompose, seed, draws, …). Adds area_name,
    area_level, year, unit_level and classification to its tidy table.
    """
    codes = groups.codes(classification)
    result = compute(frame, unit="code", area="area_code", groups=codes, **options)
    names = frame.drop_duplicates("area_code").set_index("area_code")["area_name"]
    result.insert(1, "area_name", result["area_code"].map(names))
    result.insert(2, "area_level", area_level)
    result.insert(3, "year", int(frame["year"].iloc[0]))
    result.insert(4, "unit_level", frame["unit_level"].iloc[0])
    result.insert(5, "classification", classification)
    return result
