"""Units and local authorities of each census vintage, their polygons, and name → code lookup.

A *unit* is a small area (output area, LSOA, MSOA, ward) or an LA; every unit row carries
its code, name, level, year (vintage) and the code of the LA it lies in for that vintage.
2011 units use the 2011 LA codes (348 LAs); 2021 units use the 2021/22 codes (331 LAs,
identical in December 2021 and December 2022).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import cache

import geopandas as gpd
import pandas as pd

from .errors import InputError
from .resources import boundaries_file, package_file

YEARS = (2011, 2021)
LEVELS = ("oa", "lsoa", "msoa", "ward", "la")
LEVEL_NAMES = {
    "oa": "output area",
    "lsoa": "LSOA",
    "msoa": "MSOA",
    "ward": "ward",
    "la": "local authority",
}
WARD_NAMES = {2011: "census merged ward (2011)", 2021: "ward (May 2022)"}
LA_TYPES = {
    "E06": "Unitary authority",
    "E07": "Shire district",
    "E08": "Metropolitan district",
    "E09": "London borough",
    "W06": "Welsh unitary authority",
}
POLYGON_LEVELS = {2011: ("la", "lsoa", "msoa", "ward"), 2021: ("la", "lsoa", "msoa", "ward")}
# Output areas nest exactly in LSOAs, MSOAs, wards (2011: census merged wards; 2021: May 2022
# wards, the OA → ward lookup's) and LAs: every coarser scale is a sum of output areas.
OA_PARENTS = ("lsoa", "msoa", "ward")


def normalise_name(name: str) -> str:
    """A form of an LA name that ignores case, accents, punctuation, '&' and 'X, City of'
    word order."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    text = text.lower().replace("&", " and ")
    text = re.sub(r"^(.*),\s*(city|county) of$", r"\1", text.strip())
    text = re.sub(r"^the\s+", "", text)
    text = re.sub(r"[^a-z0-9 ]+", " ", text)
    return " ".join(text.split())


def _name_keys(name: str) -> list[str]:
    """Keys an LA name is found by: its normal form, and 'city of X' for 'X, City of'."""
    keys = [normalise_name(name)]
    match = re.match(r"^(.*),\s*(city|county) of$", name.strip(), flags=re.IGNORECASE)
    if match:
        keys.append(normalise_name(f"{match.group(2)} of {match.group(1)}"))
    return keys


def _query_keys(text: str) -> list[str]:
    """Keys to try for what a user typed: as typed, then without a leading 'city of'."""
    key = normalise_name(text)
    return list(dict.fromkeys([key, re.sub(r"^(city|county) of ", "", key)]))


def check_year(year: int) -> int:
    if year not in YEARS:
        raise InputError(None, None, None, f"year {year} has no census data here; use 2011 or 2021")
    return year


@cache
def _units() -> pd.DataFrame:
    return pd.read_parquet(boundaries_file("units.parquet"))


@cache
def _units_of(year: int, level: str | None) -> pd.DataFrame:
    """One vintage (and level) of the unit table, filtered once: builds ask for it per LA."""
    table = _units()
    keep = table["year"] == check_year(year)
    if level is not None:
        keep &= table["level"] == level
    return table[keep].reset_index(drop=True)


def units(year: int, level: str | None = None, la_code: str | None = None) -> pd.DataFrame:
    """Units of a vintage: code, name, level, year, la_code (and region for LAs)."""
    table = _units_of(check_year(year), level)
    if la_code is not None:
        return table[table["la_code"] == la_code].reset_index(drop=True)
    return table.copy()  # the cached frame stays as read, whatever the caller does


def authorities(year: int) -> pd.DataFrame:
    """Every LA of a vintage: code, name, region_code, region_name, la_type."""
    las = units(year, "la")[["code", "name", "region_code", "region_name"]].copy()
    las["la_type"] = las["code"].str[:3].map(LA_TYPES)
    return las.sort_values("code", ignore_index=True)


@cache
def welsh_names() -> dict[str, str]:
    """LA code → Welsh name, for the 22 Welsh LAs (scorecard/welsh_names.csv)."""
    table = pd.read_csv(package_file("welsh_names.csv"), dtype=str)
    return dict(zip(table["code"], table["name_cy"], strict=True))


@cache
def _name_index(year: int) -> dict[str, str]:
    index: dict[str, str] = {}
    cymraeg = welsh_names()
    for code, name in authorities(year)[["code", "name"]].itertuples(index=False):
        names = [name] + ([cymraeg[code]] if code in cymraeg else [])
        for each in names:
            for key in _name_keys(each):
                index[key] = code
    return index


def _partial_matches(key: str, year: int) -> list[str]:
    """LA codes whose name (English or Welsh) starts with what was typed or holds it as
    whole words: 'Hull' finds Kingston upon Hull, 'Newcastle' both Newcastles."""
    if len(key) < 3:
        return []
    pattern = re.compile(rf"(^|\b){re.escape(key)}")
    found = [code for name_key, code in _name_index(year).items()
             if name_key.startswith(key) or re.search(rf"\b{re.escape(key)}\b", name_key)
             or (len(key) >= 4 and pattern.search(name_key))]
    return list(dict.fromkeys(found))


@cache
def county_districts() -> dict[str, tuple[str, list[str]]]:
    """County council (E10) code → (name, its districts' codes), from the embedded lookup of
    upper-tier areas."""
    from .resources import indicators_file

    table = pd.read_parquet(indicators_file("ind_area_lookup.parquet"),
                            columns=["lad_code", "utla_code", "utla_name"])
    counties = table[table["utla_code"].str.startswith("E10")]
    return {code: (part["utla_name"].iloc[0], sorted(part["lad_code"]))
            for code, part in counties.groupby("utla_code")}


COUNTY_TYPE = "County council area"


def _county_key(text: str) -> str:
    """'Kent County Council', 'Kent CC', 'Kent' → 'kent'."""
    return re.sub(r"\s+(county council|council|cc)$", "", normalise_name(text))


def find_county(query: str) -> tuple[str, str, list[str]] | None:
    """A county council of two or more 2021 districts named as people type it ('Kent',
    'Kent County Council', 'E10000016'): (code, name, district codes), or None."""
    text = query.strip()
    for code, (name, districts) in county_districts().items():
        if len(districts) > 1 and (text.upper() == code
                                   or _county_key(text) == normalise_name(name)):
            return code, name, districts
    return None


def county_row(code: str) -> pd.Series:
    """A county as a row like :func:`authorities`' (code, name, region, la_type), for a
    scorecard of the county as the custom area of its districts."""
    name, districts = county_districts()[code]
    las = authorities(2021).set_index("code").loc[districts]
    regions = las["region_name"].unique()
    return pd.Series({"code": code, "name": name,
                      "region_code": las["region_code"].iloc[0] if len(regions) == 1 else "",
                      "region_name": regions[0] if len(regions) == 1 else "",
                      "la_type": COUNTY_TYPE}, name=code)


def find_authority(query: str, year: int) -> pd.Series:
    """The LA a user means, by GSS code or by name, case-insensitively.

    An unknown name raises an InputError that suggests the closest names ("did you mean …").
    """
    las = authorities(year).set_index("code", drop=False)
    text = query.strip()
    if text.upper() in las.index:
        return las.loc[text.upper()]
    index = _name_index(year)
    code = next((index[k] for k in _query_keys(text) if k in index), None)
    if code is not None:
        return las.loc[code]
    county = find_county(text)
    if county is not None:
        c, name, districts = county
        listed = ", ".join(las.loc[d, "name"] for d in districts if d in las.index)
        raise InputError(None, None, None, f"{name} ({c}) is a county council, not a district;"
                         f" its {len(districts)} districts: {listed}. `scorecard build "
                         f"{name!r}` builds the county as one area (2021 only); "
                         f"`scorecard compare {name!r} …` compares it")
    regions = las.drop_duplicates("region_code").set_index("region_code")["region_name"]
    region = next((c for c, name in regions.items()
                   if normalise_name(name) == normalise_name(text)), None)
    if region is not None:
        listed = las[las["region_code"] == region]
        raise InputError(None, None, None, f"{regions[region]} has {len(listed)} local "
                         "authorities; name one of them (scorecard list), or compare "
                         f"the region with: scorecard compare {regions[region]!r} …")
    partial = [c for c in _partial_matches(_query_keys(text)[-1], year) if c in las.index]
    if len(partial) == 1:
        return las.loc[partial[0]]
    if len(partial) > 1:
        names = [las.loc[c, "name"] for c in partial]
        raise InputError(None, None, None, f"{text!r} could be {len(names)} local authorities: "
                         + ", ".join(f"{n} ({c})" for n, c in zip(names, partial, strict=True))
                         + "; give the full name or the code")
    if re.fullmatch(r"[EeWw]\d{8}", text):
        other = [y for y in YEARS if y != year and text.upper() in authorities(y)["code"].values]
        hint = f" (it is a {other[0]} LA code; try --year {other[0]})" if other else ""
        raise InputError(None, None, None,
                         f"no {year} local authority has code {text.upper()}{hint}")
    names = las["name"].tolist()
    by_key = {normalise_name(n): n for n in names}
    close = difflib.get_close_matches(normalise_name(text), list(by_key), n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(repr(by_key[c]) for c in close)}?" if close else (
        "; `scorecard list` shows every name")
    raise InputError(None, None, None, f"no {year} local authority is called {text!r}{hint}")


def resolve_la_names(names: pd.Series, year: int, *, path: str | None = None,
                     column: str | None = None, first_row: int = 2) -> pd.Series:
    """LA names as published (e.g. 'Bristol, City of', 'The Vale of Glamorgan') → LA codes."""
    index = _name_index(year)
    distinct = pd.Series(names.unique())
    codes = distinct.map(lambda n: next((index[k] for k in _query_keys(str(n)) if k in index),
                                        None))
    if codes.isna().any():
        bad = distinct[codes.isna()].iloc[0]
        row = int((names.to_numpy() == bad).argmax()) + first_row
        raise InputError(path, row, column, f"{bad!r} is not the name of a {year} local authority")
    return names.map(dict(zip(distinct, codes, strict=True)))


def polygons(level: str, year: int, la_code: str | None = None) -> gpd.GeoDataFrame:
    """Polygons (EPSG:27700, generalised for maps) with code, name and la_code."""
    check_year(year)
    if level not in POLYGON_LEVELS[year]:
        raise InputError(None, None, None, f"no {LEVEL_NAMES.get(level, level)} polygons for "
                         f"{year}; there are: {', '.join(POLYGON_LEVELS[year])}")
    filters = [("la_code", "==", la_code)] if la_code else None
    shapes = gpd.read_parquet(boundaries_file(f"{level}_{year}.parquet"), filters=filters)
    names = units(year, level)[["code", "name"]]
    return shapes.merge(names, on="code", how="left")[["code", "name", "la_code", "geometry"]]


@cache
def oa_lookup(year: int) -> pd.DataFrame:
    """Every output area of a census with the units it nests in.

    Columns: code, lsoa, msoa, ward (2011: census merged ward, through the OA's best-fit 2011
    ward; 2021: May 2022 ward), la_code; 2011 also ``oa_2021``, the ONS best-fit 2021 OA
    (one row per 2011 OA: the children of a split OA other than its best fit are not listed).
    """
    name = {2011: "lookup_oa11.parquet", 2021: "lookup_oa21.parquet"}[check_year(year)]
    table = pd.read_parquet(boundaries_file(name))
    suffix = str(year)[2:]
    names = {f"LSOA{suffix}CD": "lsoa", f"MSOA{suffix}CD": "msoa", "CMWD11CD": "ward",
             "WD22CD": "ward"}
    names |= ({"OA11CD": "code", "OA21CD": "oa_2021"} if year == 2011 else {"OA21CD": "code"})
    table = table.rename(columns=names)
    # Plain object arrays: the engines index and group by these codes many times, which is
    # several times faster than on Arrow-backed strings or categoricals.
    out = pd.DataFrame({column: pd.Series(table[column].to_numpy(dtype=object), dtype=object)
                        for column in table.columns})
    oa = units(year, "oa")
    where = pd.Index(oa["code"].to_numpy(dtype=object)).get_indexer(out["code"].to_numpy())
    out.insert(4, "la_code", pd.Series(oa["la_code"].to_numpy(dtype=object)[where],
                                       dtype=object))
    return out


@cache
def lsoa_lookup() -> pd.DataFrame:
    """ONS LSOA11 → LSOA21 lookup: code_2011, code_2021, change (U/S/M/X), la_code (2022)."""
    table = pd.read_parquet(boundaries_file("lookup_lsoa11_lsoa21.parquet"))
    return table.rename(columns={"LSOA11CD": "code_2011", "LSOA21CD": "code_2021",
                                 "CHGIND": "change", "LAD22CD": "la_code"})


@cache
def dec2021_wards() -> pd.DataFrame:
    """December 2021 ward codes (code, name, la_code): no longer units here (wards are the
    May 2022 wards, exact sums of output areas), kept to tell users what to use instead."""
    return pd.read_parquet(boundaries_file("wards_dec2021.parquet"))
