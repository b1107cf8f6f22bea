"""The site's national downloads: tidy CSV of all results, wide tables, GeoPackage, GeoJSON.

Values are unrounded. The GeoPackage keeps British National Grid (EPSG:27700); GeoJSON is
in WGS 84 longitude/latitude as RFC 7946 requires, to 6 decimal places (about 0.1 m). The
OGL attribution travels in each file that has room for it (GeoPackage description and
metadata, a GeoJSON "attribution" member) and in README.txt beside the CSV files, which stay
plain tables so that any tool reads them.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd

from .. import geography
from ..io import staged_folder, write_csv
from ..report.downloads import CENSUS_DAY, fix_gpkg_dates
from .data import SiteData, attribution
from .schools import write_school_tables

README = """\
National downloads of the race equality scorecards site, Census {year}
=====================================================================

{attribution}
Licence: Open Government Licence v3.0,
https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/

Files (values unrounded; codes are ONS GSS codes of {year} boundaries):
{files}

Columns
- results.csv: one row per area x measure x group (x period). section says what the row
  is: population (usual residents by ethnic group), segregation (indices over {unit}s
  within each local authority, with rank among local authorities, 1 = highest),
  race_equality:<domain> (rates by ethnic group with 95% intervals, gap in percentage
  points and ratio to the reference group; "reliable" is true when the ratio's interval
  excludes 1). An empty value has a note saying why.
- local_authorities.*: residents, share_<group> (% of residents), d_/isolation_/exposure_/
  theil_h_<group> (segregation indices of the group vs all others), d_rank_<group>,
  ss_* (stop and search rate ratio, Black vs White, police.uk records, with 95% interval);
  own_* and social_* (households owning their home, or renting from a social landlord:
  the group's share ÷ the White British share, by the ethnic group of the household
  reference person, Census 2021 RM134, with 95% interval).
- lsoas.* and msoas.*: residents, share_<group>, lq_<group> (location quotient: share in
  the area / share in its local authority), entropy (local diversity, natural log),
  entropy_ratio (entropy / the local authority's), mutual_local (local segregation,
  sums to the LA's mutual information index M when weighted by residents),
  ward_code/ward_name (the ward the area's centre point lies in; a label, not a count).
- wards.*: the same as LSOAs for wards ({ward_name}s), whose counts are exact sums of
  output areas.
- school_results.csv (2021 site): tidy school segregation of every LA district (area_level
  la), county (county) and England (country): phase (primary, secondary, special_ap, or
  residents for D across output areas, unit_level oa), schools (all, no_faith, no_selective,
  no_faith_no_selective), index, group, value, rank (1 = highest among LAs), n_units;
  index dissimilarity_ratio is D across schools / D across output areas. Source:
  DfE school census, January 2023 (Contains public sector information licensed under the
  Open Government Licence v3.0).
- schools.csv (2021 site): one row per state-funded school; share_/nearby_/segregated_
  white_british and fsm (the ten nearest schools of the same phase), share_/lsoa_/around_
  <broad group> (pupils; residents of its LSOA; residents of the nearest LSOAs holding as many
  people as it has pupils: LSOAs, as the data hold no output-area centres).
"""

DESCRIPTIONS = {
    "results.csv": "Tidy table of every result on the site: residents by ethnic group, "
                   "segregation indices of every local authority, race-equality measures of "
                   "every area",
    "local_authorities.csv": "One row per local authority: residents, shares, indices, ranks "
                             "and stop-and-search ratio",
    "lsoas.csv": "One row per LSOA: residents, shares, location quotients, local entropy",
    "msoas.csv": "One row per MSOA: the same as LSOAs",
    "gpkg": "GeoPackage (British National Grid) with layers local_authorities, lsoas, msoas, "
            "wards and their values",
    "local_authorities.geojson": "Local authorities with their values (GeoJSON, WGS 84)",
    "lsoas.geojson": "LSOAs with their values (GeoJSON, WGS 84)",
    "msoas.geojson": "MSOAs with their values (GeoJSON, WGS 84)",
    "wards.csv": "One row per ward: the same as LSOAs (exact sums of output areas)",
    "wards.geojson": "Wards with their values (GeoJSON, WGS 84)",
    "README.txt": "What each file holds, its columns, the licence and attribution",
    "school_results.csv": "School segregation of every LA district, county and England "
                          "(DfE school census, January 2023): indices across schools by phase "
                          "and set of schools, shares of schools \u201csegregated\u201d by the "
                          "ten-nearest-schools test, D across schools over D across output "
                          "areas (all residents)",
    "schools.csv": "One row per state-funded school in England: its LA and LSOA, pupils, "
                   "shares of White British pupils and pupils eligible for free school meals "
                   "beside its ten nearest schools', its classification, and broad groups "
                   "beside its LSOA's and the nearest LSOAs' residents",
}


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns every GIS driver takes: nullable integers and flags become floats."""
    out = frame.copy()
    for column in out.columns.drop("geometry", errors="ignore"):
        if str(out[column].dtype) in ("Int64", "boolean") or column.endswith("_reliable"):
            out[column] = out[column].astype("float64")
    return out


def _layers(data: SiteData) -> dict[str, gpd.GeoDataFrame]:
    layers = {"local_authorities": data.la_shapes}
    names = {"lsoa": "lsoas", "msoa": "msoas", "ward": "wards"}
    for level in data.levels:
        shapes = data.unit_shapes[level][["code", "geometry"]]
        layers[names[level]] = shapes.merge(data.unit_values(level), on="code")
    return {name: gpd.GeoDataFrame(_plain(frame), geometry="geometry", crs="EPSG:27700")
            for name, frame in layers.items()}


def write_downloads(data: SiteData, folder: Path) -> list[dict]:
    """Write the national downloads into ``folder`` (replaced whole); list what was written."""
    year = data.year
    credit = attribution(year)
    gpkg = f"scorecard-{year}.gpkg"
    with staged_folder(folder) as staging:
        write_csv(data.results(), staging / "results.csv")
        if data.year == 2021:  # the school census is matched to 2021 LAs
            write_school_tables(staging, data.national.schools.summary,
                                data.national.schools.schools)
        layers = _layers(data)
        for name, layer in layers.items():
            write_csv(layer.drop(columns="geometry"), staging / f"{name}.csv")
            layer.to_file(staging / gpkg, layer=name, driver="GPKG", engine="pyogrio",
                          layer_options={"DESCRIPTION": credit},
                          dataset_metadata={"attribution": credit, "licence": "OGL-UK-3.0"})
            layer.to_file(staging / f"{name}.geojson", driver="GeoJSON", engine="pyogrio",
                          layer_options={
                              "RFC7946": "YES", "COORDINATE_PRECISION": "6",
                              "WRITE_NAME": "YES",
                              "FOREIGN_MEMBERS_COLLECTION": json.dumps(
                                  {"attribution": credit, "licence": "OGL-UK-3.0"},
                                  ensure_ascii=False)})
        fix_gpkg_dates(staging / gpkg, CENSUS_DAY[year])  # same bytes on every rebuild
        written = sorted(p.name for p in staging.iterdir())
        listing = "\n".join(f"- {name}" for name in [*written, "README.txt"])
        unit = "LSOA" if "lsoa" in data.levels else "unit"
        (staging / "README.txt").write_text(
            README.format(year=year, attribution=credit, files=listing, unit=unit,
                          ward_name=geography.WARD_NAMES[year]),
            encoding="utf-8")
    found = []
    for path in sorted(Path(folder).iterdir()):
        key = "gpkg" if path.suffix == ".gpkg" else path.name
        found.append({"name": path.name, "path": path, "size": path.stat().st_size,
                      "label": DESCRIPTIONS.get(key, path.name)})
    order = ["README.txt", "results.csv", "local_authorities.csv", "lsoas.csv", "msoas.csv",
             "wards.csv", gpkg]
    found.sort(key=lambda f: (order.index(f["name"]) if f["name"] in order else len(order),
                              f["name"]))
    return found
