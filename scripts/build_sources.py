"""Write indicators/sources.csv: one row per embedded table, where it came from.

Run by scripts/build_data.py after the tables are written (or by hand):

    python scripts/build_sources.py

The rows below restate the shared data's READMEs (publisher, table, period, geography,
licence, the public copy and commit each file came from); the script adds each file's
row count from the file itself and stops if an embedded Parquet file has no row here or a
row names a file that does not exist. ``scorecard sources`` prints the table.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

import pyarrow.parquet as pq

REPO = Path(__file__).resolve().parents[1]
COLUMNS = ["file", "publisher", "table", "title", "period", "geography", "licence",
           "came_from", "rows"]
OGL = "Open Government Licence v3.0"
ONS_GEO = "ONS Open Geography Portal"
GEOGRAPHR = "GitHub humaniverse/geographr"
DEMOGRAPHR = "GitHub humaniverse/demographr, commit d0417101e5ca (2025-02-27)"

SOURCES = [  # file, publisher, table id, title, period, geography, came from
    ("boundaries/units.parquet", ONS_GEO, "OA11/LSOA11/MSOA11/LAD11, ward, LSOA21/MSOA21/"
     "LAD22 lookups", "Every census unit with its name and LA", "2011 and 2021 vintages",
     "OA, LSOA, MSOA, ward, LA; England and Wales",
     "GitHub martinjc/UK-GeoJSON 88339000fc87, humaniverse/geographr, "
     "jtrim-ons/ons-lookups e01854390e5a"),
    ("boundaries/la_2011.parquet", ONS_GEO, "LSOA (Dec 2011) BSC, dissolved",
     "Local authority districts 2011", "2011", "348 LAs",
     f"{GEOGRAPHR} data/boundaries_lsoa11.rda 5693d0c9222f"),
    ("boundaries/la_2021.parquet", ONS_GEO, "LAD (Dec 2021) UK BUC",
     "Local authority districts December 2021 (= 2022)", "2021", "331 LAs",
     f"{GEOGRAPHR} data/boundaries_ltla21.rda cf822d02988a"),
    ("boundaries/lsoa_2011.parquet", ONS_GEO, "LSOA (Dec 2011) BSC EW V3",
     "Lower layer super output areas 2011", "2011", "34,753 LSOAs",
     f"{GEOGRAPHR} data/boundaries_lsoa11.rda 5693d0c9222f"),
    ("boundaries/lsoa_2021.parquet", ONS_GEO, "LSOA (Dec 2021) BSC V4",
     "Lower layer super output areas 2021", "2021", "35,672 LSOAs",
     f"{GEOGRAPHR} data/boundaries_lsoa21.rda 500a3a48f3cd"),
    ("boundaries/msoa_2011.parquet", ONS_GEO, "MSOA (Dec 2011) BSC EW V3",
     "Middle layer super output areas 2011", "2011", "7,201 MSOAs",
     f"{GEOGRAPHR} data/boundaries_msoa11.rda ff9c1439d938"),
    ("boundaries/msoa_2021.parquet", ONS_GEO, "MSOA (Dec 2021) BSC V2",
     "Middle layer super output areas 2021", "2021", "7,264 MSOAs",
     f"{GEOGRAPHR} data/boundaries_msoa21.rda 897a731f8098"),
    ("boundaries/ward_2021.parquet", ONS_GEO, "Wards (May 2022) UK BSC",
     "Electoral wards May 2022 (the 2022 elections' wards)", "2022", "7,638 wards",
     f"{GEOGRAPHR} data/boundaries_wards22.rda"),
    ("boundaries/ward_2011.parquet", ONS_GEO, "OA (Dec 2011) generalised, dissolved",
     "Census merged wards 2011", "2011", "8,546 census merged wards",
     "built in the shared data from the ONS 2011 output-area polygons"),
    ("boundaries/wards_dec2021.parquet", ONS_GEO, "WD21_LAD21_EW_LU",
     "Ward codes December 2021 (codes only, to answer users' older codes)", "2021",
     "7,878 wards", f"{GEOGRAPHR} data/lookup_wards21_ltla21.rda"),
    ("boundaries/lookup_oa11.parquet", ONS_GEO, "OA11_LSOA11_MSOA11_LAD11; OA11_WD11; "
     "OA11_OA21_LAD22 (best fit)", "OA 2011 to LSOA, MSOA, census merged ward and OA 2021",
     "2011 to 2021", "181,408 output areas", "ONS lookups copied in the shared data"),
    ("boundaries/lookup_oa21.parquet", ONS_GEO, "OA21_LSOA21_MSOA21_LAD22; OA21_WD22_LAD22",
     "OA 2021 to LSOA, MSOA and ward (May 2022)", "2021 and 2022", "188,880 output areas",
     "ONS lookups copied in the shared data"),
    ("boundaries/lookup_lsoa11_lsoa21.parquet", ONS_GEO, "LSOA11_LSOA21_LAD22_EW_LU",
     "LSOA (2011) to LSOA (2021) to LAD (2022) lookup, exact fit", "2011 to 2021",
     "LSOAs", f"{GEOGRAPHR} data/lookup_lsoa11_lsoa21_ltla22.rda 0470ab979ec5"),
    ("boundaries/lookup_lad11_lad22.parquet", ONS_GEO, "derived from the OA11 and "
     "LSOA11-LSOA21-LAD22 lookups", "LAD 2011 to LAD 2022", "2011 to 2022", "LAs",
     "built in the shared data from the two ONS lookups"),
    ("boundaries/lookup_lsoa21_msoa21.parquet", ONS_GEO, "derived (ONS naming rule)",
     "LSOA 2021 to MSOA 2021", "2021", "LSOAs", "built in the shared data"),
    ("indicators/census2011_oa_ethnic.parquet", "ONS", "KS201EW",
     "Ethnic group (2011 Census)", "Census day 27 March 2011", "181,408 output areas",
     "GitHub profrichharris/MLID data/ethnicities.rda 9acf64c228ed"),
    ("indicators/census2011_lsoa_ethnic.parquet", "ONS", "KS201EW",
     "Ethnic group (2011 Census)", "Census day 27 March 2011", "34,753 LSOAs",
     "GitHub profrichharris/MLID data/aggdata.rda 9acf64c228ed"),
    ("indicators/census2011_la_ethnic.parquet", "ONS", "QS201EW",
     "Ethnic group (2011 Census, 18 groups)", "Census day 27 March 2011", "348 LAs",
     "GitHub Resistance-Lab/resistancelab_data la-ethnic-groups.csv 625e720132cc "
     "(Nomis download)"),
    ("indicators/census2021_la_ethnic.parquet", "ONS", "TS021",
     "Ethnic group (Census 2021, 19 groups)", "Census day 21 March 2021", "331 LAs",
     f"{DEMOGRAPHR}, data/ethnicity21_ltla21.rda"),
    ("indicators/census2021_oa_ethnic.parquet", "ONS", "TS021",
     "Ethnic group (Census 2021), 5 broad groups", "Census day 21 March 2021",
     "188,880 output areas", "GitHub ONSvisual/dot-density-data (counts recovered from "
     "the published shares)"),
    ("indicators/census2021_lsoa_ethnic.parquet", "ONS", "TS021",
     "Ethnic group (Census 2021, 5 broad groups)", "Census day 21 March 2021",
     "35,672 LSOAs", "GitHub PsychedPhalanx/LSOAs-England-and-Wales 9c3b229934a8 "
     "(Nomis export)"),
    ("indicators/census2021_msoa_ethnic.parquet", "ONS", "TS022",
     "Ethnic group, detailed, high-level groups (Census 2021)", "Census day 21 March 2021",
     "7,264 MSOAs", f"{DEMOGRAPHR}, data/ethnicity21_msoa21.rda"),
    ("indicators/ind_area_lookup.parquet", "ONS; DfE", "LAD22_CSP22_PFA22_EW_LU; KS4 LA "
     "names", "LA to upper-tier LA to police force area", "December 2022", "331 LAs",
     "GitHub BlackThrive/ExtractSS data/LAD_CSP_PFA_lookup_2022.rds 6fc61bbe25b5"),
    ("indicators/ind_stop_search_lad.parquet", "police.uk (Home Office forces); ONS",
     "police.uk stops-street, aggregated by ExtractSS; TS021",
     "Stop and search, Black and White residents", "calendar years 2019, 2020, 2021",
     "331 LAs", "GitHub BlackThrive/ExtractSS summarised_stops_2019-2021.csv "
     "47869ed972f4"),
    ("indicators/ind_stop_search_pfa.parquet", "Home Office; ONS",
     "Stop and search open data tables (mar21-mar25); TS021",
     "Stop and search by self-defined ethnic group", "financial years 2020/21 to 2024/25",
     "43 police force areas", "GitHub M2LabOrg/unjust-analysis force_by_ethnicity.csv "
     "5657777b4e58"),
    ("indicators/ind_use_of_force_pfa.parquet", "Home Office; ONS",
     "Police use of force statistics (HOSB 33/19, 37/20); TS021",
     "Use-of-force tactics by perceived ethnicity", "financial years 2018/19 and 2019/20",
     "43 police force areas", "GitHub Resistance-Lab/resistancelab_data "
     "cleaned_data/use-of-force 625e720132cc"),
    ("indicators/ind_ks4_utla.parquet", "Department for Education",
     "Key stage 4 performance 2019 (revised), LA characteristics",
     "GCSE results by major ethnic group", "academic year 2018/19",
     "150 upper-tier LAs; England",
     "GitHub dfe-analytical-services/SEND-AP-Inclusion-Dashboard b215e61ee771"),
    ("indicators/ind_health_lad.parquet", "ONS", "RM043 (Nomis NM_2143_1)",
     "General health by ethnic group (Census 2021)", "Census day 21 March 2021", "331 LAs",
     "GitHub tompickup23/ukdemographics census-health-ethnic.json 9d662ff44323 "
     "(Nomis API, transcribed and checked)"),
    ("indicators/ind_housing_lad.parquet", "ONS", "RM134 (Nomis NM_2234_1)",
     "Tenure by ethnic group of the household reference person (Census 2021)",
     "Census day 21 March 2021", "331 LAs; households",
     "GitHub tompickup23/ukdemographics census-tenure-ethnic.json a4d011171f92 "
     "(Nomis download, transcribed and checked)"),
    ("indicators/schools_spc_2022_23.parquet", "Department for Education; OS",
     "Schools, pupils and their characteristics 2022/23, school level; Code-Point Open",
     "State-funded schools with pupils by ethnic group and free school meals",
     "School census January 2023", "21,651 schools in England, placed in 2021 LAs and LSOAs",
     "the shared data's copy (see its schools README)"),
    ("indicators/national_inference.parquet", "scorecard (computed)",
     "national_inference()", "Expected and bias-corrected D and H with 95% intervals, every LA",
     "Census 2011 and 2021", "348 and 331 LAs over output areas",
     "computed by scripts/build_data.py from the embedded output-area counts (199 draws, "
     "default seed)"),
    ("indicators/common_unit_counts.parquet", "scorecard (computed)",
     "common_unit_counts()", "Broad-group counts of both censuses on units common to them",
     "Census 2011 and 2021", "179,930 units of 2011 and 2021 output areas",
     "computed by scripts/build_data.py from the embedded output-area counts and lookups"),
    ("indicators/context_english_lad.parquet", "ONS", "TS029",
     "Proficiency in English (Census 2021), residents aged 3 and over",
     "Census day 21 March 2021", "331 LAs (summed from MSOAs)",
     f"{DEMOGRAPHR}, data/proficiency21_msoa21.rda"),
]


def sources_table(repo: Path = REPO) -> str:
    """The CSV text of sources.csv for the tables under ``repo`` (checked first)."""
    listed = {row[0] for row in SOURCES}
    present = {f"{folder}/{p.name}" for folder in ("boundaries", "indicators")
               for p in (repo / folder).glob("*.parquet")}
    if present - listed:
        raise SystemExit(f"build_sources: no source row for {sorted(present - listed)}")
    if listed - present:
        raise SystemExit(f"build_sources: not built: {sorted(listed - present)}")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for file, publisher, table, title, period, geography, came_from in SOURCES:
        rows = pq.ParquetFile(repo / file).metadata.num_rows
        writer.writerow([file, publisher, table, title, period, geography, OGL, came_from,
                         rows])
    return out.getvalue()


def build_sources(repo: Path = REPO) -> None:
    (repo / "indicators" / "sources.csv").write_text(sources_table(repo), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, default=REPO)
    build_sources(parser.parse_args(argv).repo)
    return 0


if __name__ == "__main__":
    sys.exit(main())
