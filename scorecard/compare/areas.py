"""Areas beyond LAs — regions, and areas a user draws from wards or LSOAs — on the same engine.

A custom-area table (CSV, XLSX or Parquet) has two columns: ``code`` (a GSS code of an
output area, an LSOA or a ward of one census) and ``area`` (the name of the area it belongs
to; ``area_name`` or ``name`` are accepted too). All codes must be of one level and one
census vintage. Units inside each area are output areas: output areas nest exactly in LSOAs
and in wards (2021: the May 2022 wards of the ONS OA → ward lookup; 2011: census merged
wards), so an area of wards or LSOAs is an exact sum of output areas, nothing best-fitted.

December 2021 ward codes: wards here are the May 2022 wards. A ward unchanged since
December 2021 kept its code and is found as before (now exactly); a code of a ward redrawn
in the 2022 reviews (London among them) is answered with a message naming the ward and
asking for May 2022 ward codes or LSOAs.
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
UNIT_LEVEL = "oa"  # every custom area is a set of output areas


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


def _usual_spelling(keys: pd.Series, names: pd.Series) -> dict[str, str]:
    """Each area's most frequent spelling (the first of equally frequent ones), so that an
    odd one out is the row named in an error, not the rows spelt as usual."""
    frame = pd.DataFrame({"key": keys.to_numpy(), "name": names.to_numpy(),
                          "row": np.arange(len(names))})
    counted = frame.groupby(["key", "name"], sort=False).agg(n=("row", "size"),
                                                              first=("row", "min"))
    counted = counted.reset_index().sort_values(["n", "first"], ascending=[False, True])
    return dict(counted.drop_duplicates("key")[["key", "name"]].itertuples(index=False))


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
    usual = _usual_spelling(keys, names)
    clash = (names != keys.map(usual)).to_numpy()
    if clash.any():
        i = _first(clash)
        raise InputError(path, i + FIRST_DATA_ROW, name_column,
                         f"area {names.iloc[i]!r} differs from area "
                         f"{usual[keys.iloc[i]]!r} only in case or spacing; spell one "
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
        retired = geography.dec2021_wards().set_index("code")
        if codes.iloc[i] in retired.index:
            ward = retired.loc[codes.iloc[i]]
            raise InputError(path, i + FIRST_DATA_ROW, "code", f"{codes.iloc[i]} is a December "
                             f"2021 ward ({ward['name']}, {ward['la_code']}) redrawn in the May "
                             "2022 ward reviews; wards here are May 2022 wards (exact sums of "
                             "output areas): list May 2022 ward codes, or LSOA codes")
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
        raise InputError(path, FIRST_DATA_ROW, "code", f"areas are built from output areas, "
                         f"LSOAs or wards, not {geography.LEVEL_NAMES[level]}s")
    return level


def custom_areas(path: str | Path, year: int | None = None, *,
                 classification: str = "broad5") -> pd.DataFrame:
    """Counts of the units of user-defined areas, ready for :func:`area_indices`.

    ``path``: the areas table (see the module docstring); ``year``: the census whose units
    it lists (default: inferred, 2021 when the codes exist in both). Returns one row per
    output area: code, area_code (= the area name), area_name, la_code, year, unit_level
    (``oa``), listed (the code of the table the OA came in by), the ``classification``'s
    group columns and total. Bad input raises an InputError naming file, row and column:
    missing or unknown column, blank code or name, duplicate code, unknown code (a redrawn
    December 2021 ward is named as such), mixed vintages or levels.
    """
    path = str(path)
    frame = read_table(path)
    code_column, name_column = _columns(frame, path)
    codes = frame[code_column].fillna("").astype(str).str.strip().str.upper()
    names = frame[name_column].fillna("").astype(str).map(clean_area_name)
    _check_cells(codes, names, path, name_column)
    year, level = _vintage(codes, year, path)
    area_of = dict(zip(codes, names, strict=True))
    counts = census.load_as(year, UNIT_LEVEL, classification).frame
    if level == "oa":
        listed = counts["code"]
    else:
        parent = geography.oa_lookup(year).set_index("code")[level]
        listed = pd.Series(parent.reindex(counts["code"]).to_numpy(), index=counts.index)
    counts = counts.assign(area_name=listed.map(area_of), listed=listed)
    out = counts[counts["area_name"].notna()].copy()
    out.insert(1, "area_code", out.pop("area_name"))
    out.insert(2, "area_name", out["area_code"])
    out.insert(4, "year", year)
    out.insert(5, "unit_level", UNIT_LEVEL)
    out.insert(6, "listed", out.pop("listed"))
    return out.sort_values(["area_code", "code"], ignore_index=True)


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
