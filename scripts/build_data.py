"""Build the embedded national data in boundaries/ and indicators/ from ../shared/data.

Run by hand when the shared tables change; its output is committed:

    python scripts/build_data.py [--source ../shared/data]

What it does (SOURCES.md in each folder says the same for readers):
- boundaries/units.parquet: every unit (OA, LSOA, MSOA, census-merged ward / ward, LA) of
  2011 and 2021 with its name and the code of the LA it lies in for its vintage;
- boundaries/<level>_<year>.parquet: GeoParquet polygons in EPSG:27700, simplified as a
  coverage (shared edges stay shared), coordinates rounded to 1 m, sorted by LA so a
  scorecard reads only its LA's row groups;
- indicators/census<year>_<level>_ethnic.parquet: ethnic-group counts, one column per group
  code of scorecard/groups.csv plus ``total``;
- indicators/ind_*.parquet: race-equality observations (scripts/build_indicators.py);
- indicators/schools_spc_2022_23.parquet: every state-funded school in England (DfE school
  census, January 2023) with pupils by ethnic group and free school meals, placed in its
  2021 LA district and LSOA by its point (build_schools).
Every step checks what the shared README promises and stops with a message if it does not hold.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from build_indicators import area_lookup, build_indicators  # noqa: E402

from scorecard import groups  # noqa: E402
from scorecard.geography import normalise_name  # noqa: E402
from scorecard.schools import data as school_data  # noqa: E402

BNG = "EPSG:27700"
SIMPLIFY_TOLERANCE_M = 20.0
ROW_GROUP_SIZE = 2_000

# 2011 output-area / LSOA columns (MLID package names) → group codes of ons2011_oa
MLID_COLUMNS = {
    "WhiteBrit": "white_british",
    "Irish": "white_irish",
    "WhiteGypsyTraveller_derived": "white_gypsy_traveller",
    "OtherWhite": "white_other",
    "Mixed": "mixed",
    "Indian": "asian_indian",
    "Pakistani": "asian_pakistani",
    "Bangladeshi": "asian_bangladeshi",
    "Chinese": "asian_chinese",
    "OtherAsian": "asian_other",
    "BlkAfrican": "black_african",
    "BlkCaribbean": "black_caribbean",
    "OtherBlk": "black_other",
    "Arab": "other_arab",
    "Other": "other_any",
}


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SystemExit(f"build_data: check failed: {message}")


def columns_by_label(frame: pd.DataFrame, classification: str, clean) -> dict[str, str]:
    """Source column → group code, matching the source's label (after ``clean``) to groups.csv."""
    by_label = {label: code for code, label in groups.labels(classification).items()}
    found = {c: by_label[clean(c)] for c in frame.columns if clean(c) in by_label}
    check(len(found) == len(by_label), f"{classification}: matched {len(found)} of {len(by_label)}")
    return found


def write_table(frame: pd.DataFrame, path: Path) -> None:
    frame.to_parquet(path, compression="zstd", index=False, row_group_size=ROW_GROUP_SIZE)


def write_polygons(frame: gpd.GeoDataFrame, path: Path, tolerance: float) -> None:
    """Simplify as a coverage (neighbours keep their shared edge), round to 1 m, save."""
    frame = frame.set_crs(BNG, allow_override=True)
    geometry = frame.geometry.simplify_coverage(tolerance) if tolerance else frame.geometry
    geometry = shapely.set_precision(geometry.values, 1.0)
    geometry = shapely.make_valid(geometry, method="structure", keep_collapsed=False)
    check(bool(shapely.is_valid(geometry).all()), f"{path.name}: invalid geometry")
    check(not bool(shapely.is_empty(geometry).any()), f"{path.name}: empty geometry")
    out = gpd.GeoDataFrame(frame.drop(columns="geometry"), geometry=geometry, crs=BNG)
    out.to_parquet(path, compression="zstd", index=False, row_group_size=ROW_GROUP_SIZE)


# --------------------------------------------------------------------------- units


def build_units(src: Path) -> pd.DataFrame:
    b = src / "boundaries"
    oa = pd.read_parquet(b / "oa11_lsoa11_msoa11_lad11_ew_lu.parquet")
    lad11 = gpd.read_parquet(b / "lad11_ew_dissolved_from_lsoa11_bsc.parquet")
    rgn11 = pd.read_parquet(b / "lad11_rgn11_ew_lu.parquet")
    lad21 = gpd.read_parquet(b / "lad21_ew_buc.parquet")
    rgn21 = pd.read_parquet(b / "lad21_rgn21_en_lu.parquet")
    lsoa21 = pd.read_parquet(b / "lsoa21_msoa21_lad22_ew_lu.parquet")
    cmwd = pd.read_parquet(b / "wd11_cmwd11_lad11_ew_lu.parquet")
    wd21 = pd.read_parquet(b / "wd21_lad21_ew_lu.parquet")

    def units(frame, code, name, level, year, la):
        out = frame[[code, name, la]].drop_duplicates()
        out.columns = ["code", "name", "la_code"]
        out.insert(2, "level", level)
        out.insert(3, "year", year)
        check(out["code"].is_unique, f"{level} {year}: a unit lies in two LAs")
        return out

    oa_units = oa[["OA11CD", "LAD11CD"]].rename(columns={"OA11CD": "code", "LAD11CD": "la_code"})
    oa_units = oa_units.assign(name=oa_units["code"], level="oa", year=2011)
    la11 = lad11[["LAD11CD", "LAD11NM"]].merge(rgn11[["LAD11CD", "RGN11CD", "RGN11NM"]])
    check(len(la11) == 348, "LAD 2011 region lookup")
    la11 = la11.rename(columns={"LAD11CD": "code", "LAD11NM": "name", "RGN11CD": "region_code",
                                "RGN11NM": "region_name"})
    la11 = la11.assign(la_code=la11["code"], level="la", year=2011)
    la21 = lad21[["LAD21CD", "LAD21NM"]].merge(rgn21[["LAD21CD", "RGN21CD", "RGN21NM"]], how="left")
    wales = la21["LAD21CD"].str.startswith("W")
    la21.loc[wales, ["RGN21CD", "RGN21NM"]] = ["W92000004", "Wales"]
    check(la21["RGN21CD"].notna().all() and len(la21) == 331, "LAD 2021 region lookup")
    la21 = la21.rename(columns={"LAD21CD": "code", "LAD21NM": "name", "RGN21CD": "region_code",
                                "RGN21NM": "region_name"})
    la21 = la21.assign(la_code=la21["code"], level="la", year=2021)

    table = pd.concat(
        [
            oa_units,
            units(oa, "LSOA11CD", "LSOA11NM", "lsoa", 2011, "LAD11CD"),
            units(oa, "MSOA11CD", "MSOA11NM", "msoa", 2011, "LAD11CD"),
            units(cmwd, "CMWD11CD", "CMWD11NM", "ward", 2011, "LAD11CD"),
            la11,
            units(lsoa21, "LSOA21CD", "LSOA21NM", "lsoa", 2021, "LAD22CD"),
            units(lsoa21, "MSOA21CD", "MSOA21NM", "msoa", 2021, "LAD22CD"),
            units(wd21, "WD21CD", "WD21NM", "ward", 2021, "LAD21CD"),
            la21,
        ],
        ignore_index=True,
    )[["code", "name", "level", "year", "la_code", "region_code", "region_name"]]
    expected = {("oa", 2011): 181_408, ("lsoa", 2011): 34_753, ("msoa", 2011): 7_201,
                ("ward", 2011): 8_546, ("la", 2011): 348, ("lsoa", 2021): 35_672,
                ("msoa", 2021): 7_264, ("ward", 2021): 7_878, ("la", 2021): 331}
    counted = table.groupby(["level", "year"]).size().to_dict()
    check(counted == expected, f"unit counts {counted}")
    for year in (2011, 2021):
        las = set(table.loc[(table.level == "la") & (table.year == year), "code"])
        check(set(table.loc[table.year == year, "la_code"]) == las, f"{year}: unknown parent LA")
    table["year"] = table["year"].astype("int16")
    return table.sort_values(["year", "level", "la_code", "code"], ignore_index=True)


# --------------------------------------------------------------------------- polygons


def build_polygons(src: Path, units: pd.DataFrame, out: Path) -> None:
    b = src / "boundaries"
    specs = [  # file, code column, level, year, simplification tolerance (m)
        ("lad11_ew_dissolved_from_lsoa11_bsc.parquet", "LAD11CD", "la", 2011, 50.0),
        ("lad21_ew_buc.parquet", "LAD21CD", "la", 2021, 0.0),  # BUC is already 500 m
        ("lsoa11_ew_bsc.parquet", "LSOA11CD", "lsoa", 2011, SIMPLIFY_TOLERANCE_M),
        ("lsoa21_ew_bsc.parquet", "LSOA21CD", "lsoa", 2021, SIMPLIFY_TOLERANCE_M),
        ("msoa11_ew_bsc.parquet", "MSOA11CD", "msoa", 2011, SIMPLIFY_TOLERANCE_M),
        ("msoa21_ew_bsc.parquet", "MSOA21CD", "msoa", 2021, SIMPLIFY_TOLERANCE_M),
        ("wd21_ew_bsc.parquet", "WD21CD", "ward", 2021, SIMPLIFY_TOLERANCE_M),
    ]
    for name, code, level, year, tolerance in specs:
        shapes = gpd.read_parquet(b / name)[[code, "geometry"]].rename(columns={code: "code"})
        known = units[(units.level == level) & (units.year == year)][["code", "la_code"]]
        check(set(shapes["code"]) == set(known["code"]), f"{name}: codes differ from units")
        shapes = shapes.merge(known, on="code").sort_values(["la_code", "code"], ignore_index=True)
        shapes = gpd.GeoDataFrame(shapes[["code", "la_code", "geometry"]], geometry="geometry")
        write_polygons(shapes, out / f"{level}_{year}.parquet", tolerance)


# --------------------------------------------------------------------------- census counts


def _with_total(frame: pd.DataFrame, total: pd.Series, classification: str) -> pd.DataFrame:
    ordered = frame[["code", *groups.codes(classification)]].copy()
    ordered["total"] = total.to_numpy()
    check(bool((ordered[groups.codes(classification)].sum(axis=1) == ordered["total"]).all()),
          f"{classification}: groups do not add up to the total")
    return ordered


def build_census_2011(src: Path, units: pd.DataFrame, out: Path) -> None:
    c = src / "census2011"
    oa = pd.read_parquet(c / "ethnic_group_oa_2011.parquet")
    check(len(oa) == 181_408 and int(oa["Persons"].sum()) == 56_075_912, "OA 2011 rows/total")
    counts = oa.rename(columns={"OA": "code", **MLID_COLUMNS})
    counts = _with_total(counts, oa["Persons"], "ons2011_oa")
    # The OA table names its LA by name only; keep that name as published (the census loader
    # resolves it to a LAD11 code and the tests prove every OA lands in one LA).
    counts.insert(1, "la_name", oa["LAD"].astype("category"))
    counts[groups.codes("ons2011_oa") + ["total"]] = counts[
        groups.codes("ons2011_oa") + ["total"]].astype("int32")
    write_table(counts, out / "census2011_oa_ethnic.parquet")

    lsoa = pd.read_parquet(c / "ethnic_group_lsoa_2011.parquet")
    lsoa_counts = _with_total(lsoa.rename(columns={"LSOA": "code", **MLID_COLUMNS}),
                              lsoa["Persons"], "ons2011_oa")
    oa_summed = counts.drop(columns=["code", "la_name"]).groupby(oa["LSOA"].to_numpy()).sum()
    check(oa_summed.sort_index().equals(
        lsoa_counts.set_index("code").sort_index().astype("int32")), "OA sums ≠ LSOA table")
    write_table(lsoa_counts.astype({c: "int32" for c in lsoa_counts.columns[1:]}),
                out / "census2011_lsoa_ethnic.parquet")

    la = pd.read_parquet(c / "ethnic_group_la_2011_qs201ew.parquet")
    crosswalk = pd.read_parquet(c / "lad_2011_crosswalk.parquet")
    la = la.merge(crosswalk[["LAD16CD", "LAD11CD"]], left_on="geography code", right_on="LAD16CD")
    check(len(la) == 348, "QS201EW: every LAD16 code maps to one LAD11 code")

    def clean(column: str) -> str:
        return column.removeprefix("Ethnic Group: ").removesuffix("; measures: Value")

    la_counts = la.rename(columns=columns_by_label(la, "ons2011_18", clean))
    la_counts = la_counts.rename(columns={"LAD11CD": "code"})
    la_counts = _with_total(la_counts, la["Ethnic Group: All categories: Ethnic group; measures: "
                                          "Value"], "ons2011_18")
    las = set(units.loc[(units.level == "la") & (units.year == 2011), "code"])
    check(set(la_counts["code"]) == las, "QS201EW LAD11 codes ≠ 2011 LAs")
    write_table(la_counts.sort_values("code", ignore_index=True),
                out / "census2011_la_ethnic.parquet")


def build_census_2021(src: Path, units: pd.DataFrame, out: Path) -> None:
    c = src / "census2021"
    total_label = "Total: All usual residents"
    la = pd.read_parquet(c / "ts021_ethnic_group_19_lad.parquet")
    la_counts = la.rename(columns={**columns_by_label(la, "ons2021_19", str), "LAD22CD": "code"})
    write_table(_with_total(la_counts, la[total_label], "ons2021_19"),
                out / "census2021_la_ethnic.parquet")

    lsoa = pd.read_parquet(c / "ts021_ethnic_group_5_lsoa.parquet")
    broad_labels = {
        "Asian, Asian British or Asian Welsh": "asian",
        "Black, Black British, Black Welsh, Caribbean or African": "black",
        "Mixed or Multiple ethnic groups": "mixed",
        "White": "white",
        "Other ethnic group": "other",
    }
    lsoa_counts = lsoa.rename(columns={**broad_labels, "LSOA21CD": "code"})
    write_table(_with_total(lsoa_counts, lsoa[total_label], "broad5"),
                out / "census2021_lsoa_ethnic.parquet")

    msoa = pd.read_parquet(c / "ts022_ethnic_group_broad_msoa.parquet")
    msoa_counts = msoa.rename(columns={**columns_by_label(msoa, "ts022_broad6", str),
                                       "MSOA21CD": "code"})
    write_table(_with_total(msoa_counts, msoa[total_label], "ts022_broad6"),
                out / "census2021_msoa_ethnic.parquet")
    for level, table in (("la", la_counts), ("lsoa", lsoa_counts), ("msoa", msoa_counts)):
        known = set(units.loc[(units.level == level) & (units.year == 2021), "code"])
        check(set(table["code"]) == known, f"2021 {level} codes ≠ units")


# ------------------------------------------------------------------ lookups across vintages


def build_compare_lookups(src: Path, units: pd.DataFrame, out: Path) -> None:
    """ONS lookups across vintages, code columns only: LSOA11→LSOA21 (with CHGIND),
    LAD11→LAD22 and LSOA21→MSOA21."""
    b = src / "boundaries"
    lsoa = pd.read_parquet(b / "lsoa11_lsoa21_lad22_ew_lu.parquet")
    lsoa = lsoa[["LSOA11CD", "LSOA21CD", "CHGIND", "LAD22CD"]].astype(str)
    check(len(lsoa) == 35_795 and not lsoa.duplicated(["LSOA11CD", "LSOA21CD"]).any(),
          "LSOA11→LSOA21 lookup rows")
    check(set(lsoa["CHGIND"]) == {"U", "S", "M", "X"}, "CHGIND values")
    for year, column in ((2011, "LSOA11CD"), (2021, "LSOA21CD")):
        known = set(units.loc[(units.level == "lsoa") & (units.year == year), "code"])
        check(set(lsoa[column]) == known, f"LSOA lookup {column} ≠ {year} LSOAs")
    write_table(lsoa.sort_values(["LSOA11CD", "LSOA21CD"], ignore_index=True),
                out / "lookup_lsoa11_lsoa21.parquet")

    lad = pd.read_parquet(b / "lad11_lad22_ew_lu.parquet")
    lad = lad[["LAD11CD", "LAD22CD", "n_lsoa11", "share_of_lad11_lsoa11", "change"]]
    lad = lad.astype({"LAD11CD": str, "LAD22CD": str, "change": str, "n_lsoa11": "int32",
                      "share_of_lad11_lsoa11": "float64"})
    las = {year: set(units.loc[(units.level == "la") & (units.year == year), "code"])
           for year in (2011, 2021)}
    check(set(lad["LAD11CD"]) == las[2011] and set(lad["LAD22CD"]) == las[2021],
          "LAD11→LAD22 lookup codes")
    write_table(lad.sort_values(["LAD11CD", "LAD22CD"], ignore_index=True),
                out / "lookup_lad11_lad22.parquet")

    msoa = pd.read_parquet(b / "lsoa21_msoa21_lad22_ew_lu.parquet")
    msoa = msoa[["LSOA21CD", "MSOA21CD"]].astype(str)
    known = set(units.loc[(units.level == "msoa") & (units.year == 2021), "code"])
    check(msoa["LSOA21CD"].is_unique and set(msoa["MSOA21CD"]) == known, "LSOA21→MSOA21")
    write_table(msoa.sort_values("LSOA21CD", ignore_index=True),
                out / "lookup_lsoa21_msoa21.parquet")


# --------------------------------------------------------------------------- schools


def build_schools(src: Path, boundaries: Path, out: Path) -> None:
    """The DfE school census (January 2023): state-funded schools, the columns the school
    engines use, each placed in its 2021 LA district and LSOA by its point (the embedded
    LSOA polygons, so that a user's own table is placed the same way at run time)."""
    raw = pd.read_parquet(src / "schools" / "spc_school_level_2022_23.parquet")
    check(len(raw) == 24_442 and raw["urn"].is_unique, "schools: 24,442 unique URNs")
    check(int(raw["headcount"].sum()) == 9_073_829, "schools: total headcount")
    lsoas = gpd.read_parquet(boundaries / "lsoa_2021.parquet")[["code", "la_code", "geometry"]]
    places = school_data.Places(lsoas, school_data.upper_tier_of(area_lookup(src)))
    schools = school_data.prepare(raw, places)
    check(len(schools) == 21_651, f"schools: {len(schools)} state-funded schools kept")
    las = set(units_of_2021(boundaries))
    check(set(schools["district_code"]) - {""} <= las, "schools: districts are 2021 LAs")
    point = schools["placement"].eq("point").mean()
    check(point > 0.99, f"schools: only {point:.1%} placed by their point")
    write_table(schools, out / school_data.EMBEDDED_FILE)
    print("schools placed:", schools["placement"].value_counts().to_dict())


def units_of_2021(boundaries: Path) -> list[str]:
    units = pd.read_parquet(boundaries / "units.parquet")
    return units.loc[(units.level == "la") & (units.year == 2021), "code"].tolist()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=REPO.parent / "shared" / "data")
    args = parser.parse_args(argv)
    src = args.source.resolve()
    boundaries, indicators = REPO / "boundaries", REPO / "indicators"
    boundaries.mkdir(exist_ok=True)
    indicators.mkdir(exist_ok=True)

    units = build_units(src)
    # Names normalised as the CLI matches them must be unique within a vintage.
    for year, names in units[units.level == "la"].groupby("year")["name"]:
        check(names.map(normalise_name).is_unique, f"{year}: two LAs share a normalised name")
    write_table(units, boundaries / "units.parquet")
    build_polygons(src, units, boundaries)
    build_census_2011(src, units, indicators)
    build_census_2021(src, units, indicators)
    build_indicators(src, indicators)
    build_compare_lookups(src, units, boundaries)
    build_schools(src, boundaries, indicators)
    for folder in (boundaries, indicators):
        size = sum(p.stat().st_size for p in folder.glob("*.parquet"))
        print(f"{folder.name}/: {size / 1e6:.1f} MB")
    print("units:", units.groupby(["year", "level"]).size().to_dict())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
