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
- indicators/ind_*.parquet: race-equality observations, and context_*.parquet: context
  tables not by ethnic group (scripts/build_indicators.py);
- indicators/sources.csv: where every embedded table came from (scripts/build_sources.py).
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
import numpy as np
import pandas as pd
import shapely

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from build_indicators import area_lookup, build_indicators  # noqa: E402
from build_sources import build_sources  # noqa: E402

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


def write_table(frame: pd.DataFrame, path: Path, row_group_size: int = ROW_GROUP_SIZE) -> None:
    frame.to_parquet(path, compression="zstd", index=False, row_group_size=row_group_size)


def write_lookup(frame: pd.DataFrame, path: Path) -> None:
    """A national lookup read whole: one row group, so each dictionary is stored once."""
    frame.to_parquet(path, compression="zstd", compression_level=19, index=False,
                     row_group_size=len(frame))


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
    oa21 = pd.read_parquet(b / "oa21_lsoa21_msoa21_lad22_ew_lu.parquet")
    wd22 = pd.read_parquet(b / "oa21_wd22_lad22_ew_lu.parquet")

    def units(frame, code, name, level, year, la):
        out = frame[[code, name, la]].drop_duplicates()
        out.columns = ["code", "name", "la_code"]
        out.insert(2, "level", level)
        out.insert(3, "year", year)
        check(out["code"].is_unique, f"{level} {year}: a unit lies in two LAs")
        return out

    oa_units = oa[["OA11CD", "LAD11CD"]].rename(columns={"OA11CD": "code", "LAD11CD": "la_code"})
    oa_units = oa_units.assign(name=oa_units["code"], level="oa", year=2011)
    oa21_units = oa21[["OA21CD", "LAD22CD"]].rename(columns={"OA21CD": "code",
                                                             "LAD22CD": "la_code"})
    oa21_units = oa21_units.assign(name=oa21_units["code"], level="oa", year=2021)
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
            oa21_units,
            units(lsoa21, "LSOA21CD", "LSOA21NM", "lsoa", 2021, "LAD22CD"),
            units(lsoa21, "MSOA21CD", "MSOA21NM", "msoa", 2021, "LAD22CD"),
            units(wd22, "WD22CD", "WD22NM", "ward", 2021, "LAD22CD"),
            la21,
        ],
        ignore_index=True,
    )[["code", "name", "level", "year", "la_code", "region_code", "region_name"]]
    expected = {("oa", 2011): 181_408, ("lsoa", 2011): 34_753, ("msoa", 2011): 7_201,
                ("ward", 2011): 8_546, ("la", 2011): 348, ("lsoa", 2021): 35_672,
                ("msoa", 2021): 7_264, ("ward", 2021): 7_638, ("la", 2021): 331,
                ("oa", 2021): 188_880}
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


# ------------------------------------------- output areas of 2021, wards from output areas


def _dictionary(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Parent-code columns as sorted categoricals: stored once per code (Parquet dictionary)."""
    out = frame.copy()
    for column in columns:
        out[column] = pd.Categorical(out[column], categories=sorted(out[column].unique()))
    return out


def build_oa_2021(src: Path, units: pd.DataFrame, out: Path) -> None:
    """TS021 five broad groups for every 2021 output area (counts recovered from ONS shares)."""
    oa = pd.read_parquet(src / "census2021" / "ts021_ethnic_group_5_oa.parquet")
    check(len(oa) == 188_880 and oa["OA21CD"].is_unique, "OA 2021 rows")
    counts = _with_total(oa.rename(columns={"OA21CD": "code"}), oa["total"], "broad5")
    known = set(units.loc[(units.level == "oa") & (units.year == 2021), "code"])
    check(set(counts["code"]) == known, "2021 OA codes ≠ units")
    counts[groups.codes("broad5") + ["total"]] = counts[
        groups.codes("broad5") + ["total"]].astype("int32")
    write_lookup(counts.sort_values("code", ignore_index=True),
                 out / "census2021_oa_ethnic.parquet")


def build_oa_lookups(src: Path, units: pd.DataFrame, out: Path) -> None:
    """Every output area with the units it nests in, and the 2011 OA's 2021 OA (best fit).

    lookup_oa11.parquet: OA11CD, LSOA11CD, MSOA11CD, CMWD11CD (census merged ward, through the
    OA's best-fit 2011 ward), OA21CD (ONS best fit; splits not listed).
    lookup_oa21.parquet: OA21CD, LSOA21CD, MSOA21CD, WD22CD (May 2022 ward).
    """
    b = src / "boundaries"
    oa11 = pd.read_parquet(b / "oa11_lsoa11_msoa11_lad11_ew_lu.parquet")
    ward11 = pd.read_parquet(b / "oa11_wd11_lad11_ew_lu.parquet")
    best = ward11.sort_values(["OA11CD", "PERCENTAGE_BF", "WD11CD"],
                              ascending=[True, False, True]).drop_duplicates("OA11CD")
    cmwd = pd.read_parquet(b / "wd11_cmwd11_lad11_ew_lu.parquet")[["WD11CD", "CMWD11CD"]]
    oa_to_oa = pd.read_parquet(b / "oa11_oa21_lad22_ew_lu.parquet")[["OA11CD", "OA21CD"]]
    check(oa_to_oa["OA11CD"].is_unique and len(oa_to_oa) == 181_408, "OA11→OA21 rows")
    table = (oa11[["OA11CD", "LSOA11CD", "MSOA11CD"]]
             .merge(best[["OA11CD", "WD11CD"]], on="OA11CD", how="left", validate="1:1")
             .merge(cmwd, on="WD11CD", how="left", validate="m:1")
             .merge(oa_to_oa, on="OA11CD", how="left", validate="1:1"))
    check(not table.isna().any().any(), "OA11 lookup: an OA without ward or 2021 OA")
    wards11 = set(units.loc[(units.level == "ward") & (units.year == 2011), "code"])
    check(set(table["CMWD11CD"]) == wards11, "OA11 → census merged ward codes ≠ units")
    table = table.drop(columns="WD11CD").sort_values("OA11CD", ignore_index=True)
    write_lookup(_dictionary(table, ["LSOA11CD", "MSOA11CD", "CMWD11CD"]),
                out / "lookup_oa11.parquet")

    oa21 = pd.read_parquet(b / "oa21_lsoa21_msoa21_lad22_ew_lu.parquet")
    wd22 = pd.read_parquet(b / "oa21_wd22_lad22_ew_lu.parquet")
    table = oa21[["OA21CD", "LSOA21CD", "MSOA21CD"]].merge(
        wd22[["OA21CD", "WD22CD"]], on="OA21CD", how="left", validate="1:1")
    check(not table.isna().any().any(), "OA21 lookup: an OA without a May 2022 ward")
    check(set(oa_to_oa["OA21CD"]) <= set(table["OA21CD"]), "OA11→OA21: unknown 2021 OA")
    write_lookup(_dictionary(table.sort_values("OA21CD", ignore_index=True),
                            ["LSOA21CD", "MSOA21CD", "WD22CD"]), out / "lookup_oa21.parquet")


def build_ward_polygons(src: Path, units: pd.DataFrame, out: Path) -> None:
    """May 2022 wards (2021) and 2011 census merged wards as polygons, coded as the units.

    The OA → May 2022 ward lookup gives the City of London and the Isles of Scilly one ward
    each, coded as the LA, and splits Hunmanby & Sherburn (E05014284) between Ryedale
    (E05R14284) and Scarborough (E05S14284); their polygons are dissolved or recoded the same
    way, each polygon placed by the LA holding its inside point.
    """
    b = src / "boundaries"
    wards = gpd.read_parquet(b / "wd22_ew_bsc.parquet").set_crs(BNG, allow_override=True)
    las = gpd.read_parquet(b / "lad21_ew_buc.parquet").set_crs(BNG, allow_override=True)
    points = wards.geometry.representative_point()
    tree = shapely.STRtree(las.geometry.to_numpy())
    _, nearest = tree.query_nearest(points.to_numpy(), all_matches=False)
    located = las["LAD21CD"].to_numpy()[nearest]
    la = wards["LAD22CD"].fillna(pd.Series(located, index=wards.index))
    code = wards["WD22CD"].copy()
    # BUC LA outlines are 500 m generalised: a City of London ward's inside point can fall in
    # a neighbouring borough, and every parentless ward in London is a City ward.
    parentless = wards["LAD22CD"].isna()
    la[parentless & la.str.startswith("E09")] = "E09000001"
    whole_la = parentless & la.isin(["E09000001", "E06000053"])
    check(int(whole_la.sum()) == 30, "25 City of London and 5 Isles of Scilly wards")
    code[whole_la] = la[whole_la]
    split = wards["WD22CD"] == "E05014284"
    check(set(la[split]) == {"E07000167", "E07000168"}, "Hunmanby & Sherburn parts")
    code[split] = np.where(la[split] == "E07000167", "E05R14284", "E05S14284")
    shapes = gpd.GeoDataFrame({"code": code.to_numpy()}, geometry=wards.geometry.to_numpy(),
                              crs=BNG).dissolve("code", sort=True).reset_index()
    known = units[(units.level == "ward") & (units.year == 2021)][["code", "la_code"]]
    check(set(shapes["code"]) == set(known["code"]), "May 2022 ward polygons ≠ ward units")
    shapes = shapes.merge(known, on="code").sort_values(["la_code", "code"], ignore_index=True)
    write_polygons(gpd.GeoDataFrame(shapes[["code", "la_code", "geometry"]],
                                    geometry="geometry", crs=BNG),
                   out / "ward_2021.parquet", SIMPLIFY_TOLERANCE_M)

    merged = gpd.read_parquet(b / "cmwd11_ew_generalised.parquet").rename(
        columns={"CMWD11CD": "code"})[["code", "geometry"]]
    known = units[(units.level == "ward") & (units.year == 2011)][["code", "la_code"]]
    check(set(merged["code"]) == set(known["code"]), "census merged ward polygons ≠ units")
    merged = merged.merge(known, on="code").sort_values(["la_code", "code"], ignore_index=True)
    # Dissolved from OAs and simplified one by one upstream: not a clean coverage, so each
    # polygon is simplified on its own (topology kept) rather than as a coverage.
    merged["geometry"] = shapely.simplify(merged.geometry.to_numpy(), SIMPLIFY_TOLERANCE_M,
                                          preserve_topology=True)
    write_polygons(gpd.GeoDataFrame(merged[["code", "la_code", "geometry"]],
                                    geometry="geometry", crs=BNG),
                   out / "ward_2011.parquet", 0.0)


def build_dec2021_ward_codes(src: Path, out: Path) -> None:
    """The December 2021 ward codes and names, so that a user's table of them is recognised
    and answered with what to use instead (wards here are the May 2022 wards)."""
    wd21 = pd.read_parquet(src / "boundaries" / "wd21_lad21_ew_lu.parquet")
    table = wd21[["WD21CD", "WD21NM", "LAD21CD"]].rename(
        columns={"WD21CD": "code", "WD21NM": "name", "LAD21CD": "la_code"})
    check(table["code"].is_unique and len(table) == 7_878, "December 2021 wards")
    write_table(table.sort_values("code", ignore_index=True), out / "wards_dec2021.parquet")
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


def build_national_inference(out: Path) -> None:
    """Expected and bias-corrected D and H with 95% intervals for every LA of both censuses,
    over the embedded output areas (default draws and seed), keyed by what they depend on, so
    that a scorecard build reads them instead of drawing them again."""
    from scorecard import census
    from scorecard.segregation.battery import inference_key, national_inference

    parts = []
    for year in (2011, 2021):
        counts = census.load(year, "oa")
        table = national_inference(counts)
        table.insert(0, "key", inference_key(counts))
        parts.append(table)
    write_table(pd.concat(parts, ignore_index=True), out / "national_inference.parquet")


def build_common_unit_counts(out: Path) -> None:
    """Both censuses' broad-group counts on the units common to them (from the embedded
    output-area tables and lookups), so a one-LA build reads its rows."""
    from scorecard import census
    from scorecard.change.since2011 import EMBEDDED_COUNTS, stored_common_unit_counts

    table = stored_common_unit_counts()
    residents = {year: int(census.load_as(year, "oa", "broad5").frame["total"].sum())
                 for year in (2011, 2021)}
    summed = table.drop(columns=["code", "la_code", "crosses_la"]).groupby("year").sum()
    check(summed.sum(axis=1).to_dict() == residents,
          "common units: every resident of both censuses counted once")
    write_lookup(table, out / EMBEDDED_COUNTS)


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
    build_oa_2021(src, units, indicators)
    build_oa_lookups(src, units, boundaries)
    build_ward_polygons(src, units, boundaries)
    build_dec2021_ward_codes(src, boundaries)
    build_schools(src, boundaries, indicators)
    build_national_inference(indicators)
    build_common_unit_counts(indicators)
    build_sources(REPO)  # last: it lists every table written above
    for folder in (boundaries, indicators):
        size = sum(p.stat().st_size for p in folder.glob("*.parquet"))
        print(f"{folder.name}/: {size / 1e6:.1f} MB")
    print("units:", units.groupby(["year", "level"]).size().to_dict())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
