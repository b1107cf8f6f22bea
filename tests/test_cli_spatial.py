"""``scorecard indices --spatial``: spatial indices on embedded or user polygons, and clear
errors (file, row, column; exit code 2; nothing written) for missing or mismatched geometry."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from shapely.geometry import Point, Polygon

from scorecard import api

LAS = ["E06000001", "E06000002"]  # Hartlepool and Middlesbrough: 57 + 90 LSOAs
GROUPS = "asian,black,mixed,white,other"


@pytest.fixture(scope="module")
def counts() -> pd.DataFrame:
    table = api.load_counts(2021, "lsoa")
    return table[table["la_code"].isin(LAS)].rename(columns={"code": "lsoa"}).reset_index(
        drop=True)


@pytest.fixture(scope="module")
def polygons():
    return pd.concat([api.load_boundaries("lsoa", 2021, la_code=la) for la in LAS],
                     ignore_index=True)


@pytest.fixture
def counts_file(tmp_path, counts):
    path = tmp_path / "counts.csv"
    counts.to_csv(path, index=False)
    return path


def _spatial(text: str) -> pd.DataFrame:
    table = pd.read_csv(io.StringIO(text))
    return table[table["index"].str.startswith("spatial_")].reset_index(drop=True)


def test_spatial_rows_on_embedded_polygons_equal_the_api(counts_file, counts, polygons,
                                                         run_cli):
    code, out, err = run_cli("indices", counts_file, "--unit", "lsoa", "--area", "la_code",
                             "--groups", GROUPS, "--spatial")
    assert code == 0, err
    rows = _spatial(out)
    assert len(rows) == 2 * 5 * len(LAS)  # two indices × five groups × two LAs
    expected = api.spatial_indices(counts, "black", polygons=polygons.rename(
        columns={"code": "lsoa"}), unit="lsoa")
    ours = rows[rows["group"] == "black"].set_index(["area_code", "index"])["value"]
    for row in expected.itertuples():
        assert ours.loc[(row.area_code, row.index)] == pytest.approx(row.value, abs=1e-12)
    assert set(rows["reference"]) == {"rest"}


def test_user_geopackage_gives_the_same_rows(tmp_path, counts_file, polygons, run_cli):
    embedded = run_cli("indices", counts_file, "--unit", "lsoa", "--area", "la_code",
                       "--groups", GROUPS, "--reference", "white", "--spatial")
    path = tmp_path / "lsoas.gpkg"
    polygons.rename(columns={"code": "lsoa"}).iloc[::-1].to_file(path)  # any row order
    own = run_cli("indices", counts_file, "--unit", "lsoa", "--area", "la_code", "--groups",
                  GROUPS, "--reference", "white", "--geometry", path)
    assert own[0] == 0 and embedded[0] == 0
    pd.testing.assert_frame_equal(_spatial(own[1]), _spatial(embedded[1]))
    assert set(_spatial(own[1])["reference"]) == {"white"}


def _write(frame, path):
    if path.suffix == ".gpkg":
        frame.to_file(path)
    else:
        frame.to_parquet(path)
    return path


@pytest.mark.parametrize("spoil, suffix, where, words", [
    (lambda p: p.iloc[1:], ".gpkg", ("counts.csv", "row 2", "'lsoa'"), "has no polygon in"),
    (lambda p: pd.concat([p, p.iloc[[3]]]), ".gpkg", ("lsoas.gpkg", "row 149", "'code'"),
     "appears again (first at row 5)"),
    (lambda p: p.assign(geometry=[Polygon() if i == 7 else g for i, g in
                                  enumerate(p.geometry)]), ".gpkg",
     ("lsoas.gpkg", "row 9", "'geometry'"), "has no geometry"),
    (lambda p: p.assign(geometry=[Point(0, 0) if i == 2 else g for i, g in
                                  enumerate(p.geometry)]), ".parquet",
     ("lsoas.parquet", "row 4", "'geometry'"), "is a Point, not a polygon"),
    (lambda p: p.to_crs(4326), ".parquet", ("lsoas.parquet", "'geometry'"),
     "longitude and latitude"),
    (lambda p: p.rename(columns={"code": "id"}), ".gpkg", ("lsoas.gpkg", "row 1", "'lsoa'"),
     "no column of unit codes"),
    (lambda p: pd.DataFrame(p.drop(columns="geometry")), ".parquet", ("lsoas.parquet",),
     "no geometry column"),
])
def test_bad_geometry_exits_2_and_writes_nothing(spoil, suffix, where, words, tmp_path,
                                                 counts_file, polygons, run_cli):
    path = _write(spoil(polygons), tmp_path / f"lsoas{suffix}")
    out = tmp_path / "indices.csv"
    code, stdout, err = run_cli("indices", counts_file, "--unit", "lsoa", "--area", "la_code",
                                "--groups", GROUPS, "--geometry", path, "--out", out)
    assert code == 2
    assert not out.exists() and stdout == ""
    assert len(err.strip().splitlines()) == 1
    for part in where:
        assert part in err
    assert words in err


@pytest.mark.parametrize("edit, where, words", [
    (lambda c: c.assign(lsoa="E00000001"), "row 2",
     "E00000001: there are no embedded polygons of 2021 output areas or 2011 output areas; "
     "give --geometry FILE"),
    (lambda c: c.assign(lsoa=c["lsoa"].where(c.index != 0, "Z99")), "row 2",
     "Z99 is not an LSOA, MSOA, ward or LA code"),
    (lambda c: c.assign(lsoa=c["lsoa"].where(c.index != 4, "E01000010")), "row 6",
     "E01000010 is not a 2021 LSOA like E01011949 in the first row"),
])
def test_units_without_embedded_polygons_exit_2(edit, where, words, tmp_path, counts,
                                               run_cli):
    path = tmp_path / "counts.csv"
    edit(counts).drop_duplicates("lsoa").to_csv(path, index=False)
    out = tmp_path / "indices.csv"
    code, _, err = run_cli("indices", path, "--unit", "lsoa", "--area", "la_code",
                           "--groups", GROUPS, "--spatial", "--out", out)
    assert code == 2 and not out.exists()
    assert f"counts.csv, {where}, column 'lsoa': {words}" in err


def test_geometry_file_must_exist_and_be_geometry(tmp_path, counts_file, run_cli):
    for name, words in (("missing.gpkg", "no such file"),
                        ("plain.csv", "use a GeoPackage (.gpkg) or GeoParquet")):
        if name.endswith(".csv"):
            (tmp_path / name).write_text("code\nE01011949\n")
        code, _, err = run_cli("indices", counts_file, "--unit", "lsoa", "--groups", GROUPS,
                               "--geometry", tmp_path / name)
        assert code == 2 and words in err and name in err
