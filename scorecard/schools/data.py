"""The school census table: the embedded DfE table, a user's own in the same columns, and
each school's place (2021 LA district and LSOA) found from its point.

A school census table has one row per school in the columns of the DfE school-level file
("Schools, pupils and their characteristics", as in ``../shared/data/schools``): ``urn,
school_name, la_code, phase, headcount, fsm_eligible, fsm_denominator``, one
``pupils_<group>`` column per group of ``dfe_pupil_18`` in ``scorecard/groups.csv``,
``easting, northing`` (EPSG:27700), and optionally ``denomination``, ``admissions_policy``
and ``pupils_unclassified``. Loaded, it becomes the *schools frame* the engines use: one
row per state-funded school with ``phase`` one of :data:`PHASES`, its ``district_code`` and
``lsoa_code``, flags ``faith`` and ``selective``, and the 18 group counts under their codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .. import geography, groups
from ..errors import InputError
from ..io import FIRST_DATA_ROW, read_table
from ..resources import indicators_file

CLASSIFICATION = "dfe_pupil_18"
EMBEDDED_FILE = "schools_spc_2022_23.parquet"
YEAR = 2023  # January 2023 school census (academic year 2022/23)
PERIOD = "2022/23"
SOURCE = ("Department for Education, Schools, pupils and their characteristics 2022/23 "
          "(school census, January 2023), school-level data; school locations from OS "
          "Code-Point Open postcode centroids")
ATTRIBUTION = ("Contains public sector information licensed under the Open Government Licence "
               "v3.0 (Department for Education). Contains OS data © Crown copyright and "
               "database right 2025.")
WELSH_SOURCE = ("the Welsh Government's Pupil Level Annual School Census (PLASC), published "
                "on StatsWales (schools and pupils by ethnic background and free school meals)")
WALES_NOTE = ("Welsh schools are not in the DfE school census (England only): school "
              "segregation for Welsh authorities needs a school-level table from "
              f"{WELSH_SOURCE}, given in the same columns with --schools FILE.")

# DfE phase → the phase the engines report. Mainstream primary and secondary schools are
# compared with each other; special schools and alternative provision are reported apart.
PHASES = {
    "State-funded primary": "primary",
    "State-funded secondary": "secondary",
    "State-funded special school": "special_ap",
    "Non-maintained special school": "special_ap",
    "State-funded AP school": "special_ap",
}
PHASE_LABELS = {"primary": "primary", "secondary": "secondary",
                "special_ap": "special and alternative provision"}
# Rows with these phases are read and left out: no pupil ethnicity (independent schools) or
# not compared (nursery schools).
PHASES_LEFT_OUT = ("State-funded nursery", "Independent school")
NO_FAITH = ("No religious character", "Does not apply", "None", "")
SELECTIVE = "Selective"
SUPPRESSED = {"", "c", "z", "x", "..", ":", "none", "nan"}  # cells read as missing

REQUIRED = ("urn", "school_name", "la_code", "phase", "headcount", "fsm_eligible",
            "fsm_denominator", "easting", "northing")
OPTIONAL = ("la_name", "denomination", "admissions_policy", "pupils_unclassified")
SCHOOL_COLUMNS = ["urn", "school_name", "la_code", "district_code", "lsoa_code", "placement",
                  "phase", "denomination", "faith", "selective", "headcount", "fsm_eligible",
                  "fsm_denominator"]


def group_codes() -> list[str]:
    """The 18 DfE pupil groups (codes of ``dfe_pupil_18``)."""
    return groups.codes(CLASSIFICATION)


def source_column(code: str) -> str:
    """The DfE file's column of a group: ``pupils_<code>``."""
    return f"pupils_{code}"


# --------------------------------------------------------------------------- placing


@dataclass(frozen=True)
class Places:
    """What placing a school needs: 2021 LSOA polygons with their LA, and each LA's upper
    tier (its county for a shire district, else itself)."""

    lsoas: gpd.GeoDataFrame  # code, la_code, geometry
    upper_tier: pd.Series  # LAD code → upper-tier code (E10 county or the LAD itself)


def upper_tier_of(lookup: pd.DataFrame) -> pd.Series:
    """LAD → upper tier from the area lookup (``lad_code, utla_code, utla_note``): a shire
    district's county, else the district itself (the successor unitaries of Buckinghamshire
    and Northamptonshire are their own upper tier in 2022/23)."""
    county = lookup["utla_note"].eq("county (upper-tier) figure")
    tier = lookup["utla_code"].where(county, lookup["lad_code"])
    return pd.Series(tier.to_numpy(), index=lookup["lad_code"].to_numpy(), name="upper_tier")


@cache
def embedded_places() -> Places:
    lsoas = geography.polygons("lsoa", 2021)[["code", "la_code", "geometry"]]
    lookup = pd.read_parquet(indicators_file("ind_area_lookup.parquet"))
    return Places(lsoas, upper_tier_of(lookup))


def place(easting: np.ndarray, northing: np.ndarray, la_code: np.ndarray,
          places: Places) -> pd.DataFrame:
    """Each school's 2021 LA district and LSOA from its point.

    ``lsoa_code`` is the LSOA holding the point (the nearest one where generalised
    boundaries leave a point outside all). ``district_code`` is that LSOA's LA when it lies
    within the school's own LA (``la_code``: a county for shire districts); otherwise the
    school's own LA when that is a district, or, for a county school whose point lies outside
    the county, the county's district nearest to it. ``placement`` says which rule applied.
    """
    n = len(la_code)
    la_code = np.asarray(la_code, dtype=object)
    located = np.isfinite(easting) & np.isfinite(northing)
    lsoa = np.full(n, "", dtype=object)
    district = np.full(n, "", dtype=object)
    how = np.full(n, "", dtype=object)
    geoms = places.lsoas.geometry.to_numpy()
    codes = places.lsoas["code"].to_numpy()
    lsoa_la = places.lsoas["la_code"].to_numpy()
    rows = np.flatnonzero(located)
    points = shapely.points(easting[rows], northing[rows])
    tree = shapely.STRtree(geoms)
    hit_point, hit_lsoa = tree.query(points, predicate="intersects")
    # A point on a shared edge touches two LSOAs: keep the lower code, so placing is stable.
    order = np.lexsort((codes[hit_lsoa], hit_point))
    hit_point, hit_lsoa = hit_point[order], hit_lsoa[order]
    first = np.r_[True, hit_point[1:] != hit_point[:-1]]
    chosen = np.full(len(rows), -1)
    chosen[hit_point[first]] = hit_lsoa[first]
    outside = np.flatnonzero(chosen < 0)
    if len(outside):
        chosen[outside] = tree.query_nearest(points[outside], all_matches=False)[1]
    lsoa[rows] = codes[chosen]
    point_la = lsoa_la[chosen]
    tier = places.upper_tier.reindex(point_la).to_numpy()
    inside = tier == la_code[rows]
    district[rows[inside]] = point_la[inside]
    how[rows[inside]] = "point"
    is_district = places.upper_tier.reindex(la_code).to_numpy() == la_code
    own = rows[~inside & is_district[rows]]
    district[own] = la_code[own]
    how[own] = "point outside its LA: placed in its own LA"
    county_rows = rows[~inside & ~is_district[rows]]
    if len(county_rows):
        lsoa_tier = places.upper_tier.reindex(lsoa_la).to_numpy()
        for county in pd.unique(la_code[county_rows]):
            mine = county_rows[la_code[county_rows] == county]
            candidates = np.flatnonzero(lsoa_tier == county)
            if len(candidates) == 0:
                how[mine] = "point outside its LA, whose districts are unknown"
                continue
            near = shapely.STRtree(geoms[candidates]).query_nearest(
                shapely.points(easting[mine], northing[mine]), all_matches=False)
            district[mine[near[0]]] = lsoa_la[candidates[near[1]]]
            how[mine[near[0]]] = "point outside its county: nearest district of the county"
    unlocated = np.flatnonzero(~located)
    district[unlocated] = np.where(is_district[unlocated], la_code[unlocated], "")
    how[unlocated] = np.where(is_district[unlocated], "no location: placed in its own LA",
                              "no location: county only")
    return pd.DataFrame({"district_code": district, "lsoa_code": lsoa, "placement": how})


# --------------------------------------------------------------------------- preparing


def prepare(frame: pd.DataFrame, places: Places) -> pd.DataFrame:
    """The schools frame from a checked DfE-form table (numbers as numbers, NaN missing):
    state-funded schools of :data:`PHASES` only, groups under their codes, placed."""
    kept = frame[frame["phase"].isin(list(PHASES))].reset_index(drop=True)
    denomination = (kept["denomination"].fillna("").astype(str) if "denomination" in kept
                    else pd.Series("", index=kept.index))
    policy = (kept["admissions_policy"].fillna("").astype(str) if "admissions_policy" in kept
              else pd.Series("", index=kept.index))
    placed = place(kept["easting"].to_numpy(dtype=float), kept["northing"].to_numpy(dtype=float),
                   kept["la_code"].to_numpy(dtype=object), places)
    out = pd.DataFrame({
        "urn": kept["urn"].astype("int64"),
        "school_name": kept["school_name"].astype(str),
        "la_code": kept["la_code"].astype(str),
        **{c: placed[c] for c in ("district_code", "lsoa_code", "placement")},
        "phase": kept["phase"].map(PHASES),
        "denomination": denomination,
        "faith": ~denomination.isin(NO_FAITH),
        "selective": policy.eq(SELECTIVE),
    })
    counts = ["headcount", "fsm_eligible", "fsm_denominator",
              *[source_column(c) for c in group_codes()]]
    if "pupils_unclassified" in kept:
        counts.append("pupils_unclassified")
    for column in counts:
        out[column.removeprefix("pupils_")] = kept[column].astype("Float64").astype("Int32")
    if "unclassified" not in out:
        out["unclassified"] = pd.array([pd.NA] * len(out), dtype="Int32")
    out["easting"] = kept["easting"].astype(float)
    out["northing"] = kept["northing"].astype(float)
    return out.sort_values("urn", ignore_index=True)


@cache
def _embedded() -> pd.DataFrame:
    return pd.read_parquet(indicators_file(EMBEDDED_FILE))


def load() -> pd.DataFrame:
    """The embedded schools frame (DfE school census, January 2023, England)."""
    return _embedded().copy()


# --------------------------------------------------------------------------- user tables


def read(path: str | Path) -> pd.DataFrame:
    """A user's school census table (CSV, XLSX or Parquet) in the DfE columns, checked and
    placed; the first problem raises an InputError naming file, row and column."""
    return prepare(check(read_table(path), str(path)), embedded_places())


def is_school_table(columns) -> bool:
    """A school census table has a ``urn`` column (counts and indicator tables do not)."""
    return "urn" in {str(c).strip().lower() for c in columns}


def _numbers(column: pd.Series, path: str, name: str, *, missing_ok: bool) -> np.ndarray:
    text = column.astype(str).str.strip().str.replace(",", "", regex=False)
    missing = text.str.lower().isin(SUPPRESSED).to_numpy()
    numbers = pd.to_numeric(text.where(~missing, "nan"), errors="coerce").to_numpy(
        dtype=float, copy=True)
    bad = np.flatnonzero(np.isnan(numbers) & (~missing | (not missing_ok)))
    if len(bad):
        i = int(bad[0])
        what = ("is blank" if missing[i] else f"{column.iloc[i]!r} is not a number")
        raise InputError(path, i + FIRST_DATA_ROW, name, f"the value {what}")
    return numbers


def _whole(numbers: np.ndarray, column: pd.Series, path: str, name: str) -> None:
    wrong = np.flatnonzero((numbers < 0) | (numbers != np.round(numbers)))
    if len(wrong):
        i = int(wrong[0])
        raise InputError(path, i + FIRST_DATA_ROW, name,
                         f"{column.iloc[i]} is not a count (a whole number of pupils, 0 or more)")


def check(table: pd.DataFrame, path: str) -> pd.DataFrame:
    """A table read as text → the DfE form with numbers, or the first problem as InputError."""
    table = table.rename(columns={c: c.strip().lower() for c in table.columns})
    needed = [*REQUIRED, *[source_column(c) for c in group_codes()]]
    for column in needed:
        if column not in table.columns:
            raise InputError(path, 1, column, "missing column: a school census table needs "
                             + ", ".join(needed[:9]) + " and pupils_<group> for the 18 DfE "
                             "groups (see scorecard/groups.csv, dfe_pupil_18)")
    out = table[[c for c in table.columns if c in (*needed, *OPTIONAL)]].copy()
    phase = out["phase"].astype(str).str.strip()
    known = [*PHASES, *PHASES_LEFT_OUT]
    unknown = np.flatnonzero(~phase.isin(known).to_numpy())
    if len(unknown):
        i = int(unknown[0])
        raise InputError(path, i + FIRST_DATA_ROW, "phase",
                         f"{phase.iloc[i]!r} is not a DfE phase; use one of: " + ", ".join(known))
    used = phase.isin(list(PHASES)).to_numpy()
    urn = _numbers(out["urn"], path, "urn", missing_ok=False)
    _whole(urn, out["urn"], path, "urn")
    repeated = np.flatnonzero(pd.Series(urn).duplicated().to_numpy())
    if len(repeated):
        i = int(repeated[0])
        raise InputError(path, i + FIRST_DATA_ROW, "urn", f"URN {int(urn[i])} appears twice")
    out["urn"] = urn.astype(np.int64)
    out["la_code"] = _checked_la_codes(out["la_code"], path)
    for name in ("headcount", "fsm_eligible", "fsm_denominator",
                 *[source_column(c) for c in group_codes()],
                 *(["pupils_unclassified"] if "pupils_unclassified" in out else [])):
        numbers = _numbers(out[name], path, name, missing_ok=True)
        _whole(np.nan_to_num(numbers), out[name], path, name)
        if name == "headcount":
            blank = np.flatnonzero(used & np.isnan(numbers))
            if len(blank):
                raise InputError(path, int(blank[0]) + FIRST_DATA_ROW, name, "the value is blank")
        numbers[~used] = np.nan  # independent and nursery rows are not used
        out[name] = numbers
    for name, limit in (("easting", 700_000), ("northing", 1_300_000)):
        numbers = _numbers(out[name], path, name, missing_ok=True)
        wrong = np.flatnonzero((numbers < 0) | (numbers > limit))
        if len(wrong):
            i = int(wrong[0])
            raise InputError(path, i + FIRST_DATA_ROW, name,
                             f"{out[name].iloc[i]} is not a British National Grid coordinate "
                             f"(EPSG:27700 metres, 0 to {limit:,})")
        out[name] = numbers
    out["phase"] = phase
    # A name is user text: one that starts like a formula is neutralised (OWASP CSV injection).
    name = out["school_name"].astype(str).str.strip()
    out["school_name"] = name.where(~name.str.match(r"^[=+\-@\t\r]"), "'" + name)
    return out


def _checked_la_codes(codes: pd.Series, path: str) -> pd.Series:
    """Every la_code is a 2021 LA (district or unitary) or a county of the lookup."""
    known = set(embedded_places().upper_tier.index) | set(embedded_places().upper_tier)
    text = codes.astype(str).str.strip().str.upper()
    bad = np.flatnonzero(~text.isin(known).to_numpy())
    if len(bad):
        i = int(bad[0])
        raise InputError(path, i + FIRST_DATA_ROW, "la_code",
                         f"{codes.iloc[i]!r} is not a 2021 local authority or county code")
    return text
