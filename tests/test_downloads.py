"""data.xlsx and map.gpkg beside each scorecard, read back with openpyxl and geopandas."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
from openpyxl import load_workbook

from scorecard import census, geography, groups
from scorecard.report.context import National, scorecard_context
from scorecard.report.downloads import (
    GEOPACKAGE_NAME,
    MAPS_SHEET,
    WORKBOOK_NAME,
    workbook_bytes,
    write_downloads,
)

BRADFORD, EDEN = "E08000032", "E07000030"


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """Contexts and downloads of Bradford (2021) and Eden (2011)."""
    out = {}
    for year, code in ((2021, BRADFORD), (2011, EDEN)):
        context = scorecard_context(National(year), code)
        folder = tmp_path_factory.mktemp(f"{code}-{year}")
        write_downloads(folder, context)
        out[year] = (context, folder)
    return out


def _sheet_table(sheet) -> pd.DataFrame:
    """A data sheet as a frame: the header row is the one above the frozen pane's unit row."""
    first = sheet.freeze_panes  # e.g. "A6": data start here; headings two rows above
    start = int(first[1:])
    rows = list(sheet.iter_rows(min_row=start - 2, values_only=True))
    return pd.DataFrame(rows[2:], columns=rows[0])


def test_workbook_sheets_read_me_and_layout(written):
    context, folder = written[2021]
    book = load_workbook(folder / WORKBOOK_NAME)
    assert book.sheetnames[:4] == ["Read me", "Population", "Segregation", MAPS_SHEET]
    assert len(book.sheetnames) == 4 + 7  # one sheet per race-equality domain
    read_me = "\n".join(str(v) for row in book["Read me"].iter_rows(values_only=True)
                        for v in row if v is not None)
    assert "Open Government Licence v.3.0" in read_me and "Crown copyright" in read_me
    for symbol in ("[c]", "[u]", "[x]"):
        assert symbol in read_me
    for name in book.sheetnames[1:]:
        assert name in read_me
        sheet = book[name]
        assert sheet.freeze_panes is not None and int(sheet.freeze_panes[1:]) > 3
        assert sheet["A1"].value and sheet["A1"].font.bold  # a title above every table
        assert sheet.column_dimensions["A"].width >= 8
    two_thousand_eleven = load_workbook(written[2011][1] / WORKBOOK_NAME)
    assert two_thousand_eleven.sheetnames == ["Read me", "Population", "Segregation",
                                              MAPS_SHEET]


@pytest.mark.parametrize("year", [2021, 2011])
def test_population_sheet_equals_the_census_counts(written, year):
    context, folder = written[year]
    code = context["la"]["code"]
    table = _sheet_table(load_workbook(folder / WORKBOOK_NAME)["Population"])
    la = census.load(year, "la").frame.set_index("code").loc[code]
    detailed = table[table["Level"] == "group"].set_index("Group code")["Usual residents"]
    expected = la[census.load(year, "la").groups]
    assert detailed.to_dict() == {g: int(v) for g, v in expected.items()}
    total = table[table["Level"] == "all"]["Usual residents"].iloc[0]
    assert total == int(la["total"])
    broad = table[table["Level"] == "broad group"]["Usual residents"]
    assert broad.sum() == total and len(broad) == 5


def test_maps_sheet_holds_the_context_values_unrounded(written):
    context, folder = written[2021]
    table = _sheet_table(load_workbook(folder / WORKBOOK_NAME)[MAPS_SHEET])
    frame = context["maps"]["frame"]
    assert len(table) == len(frame)
    assert table["LSOA code"].tolist() == frame["code"].tolist()
    # unrounded: openpyxl writes 16 significant digits (Excel keeps 15)
    for heading, column in (("Asian, location quotient", "lq_asian"),
                            ("Black, % of residents", "share_black"),
                            ("Diversity (entropy)", "entropy")):
        np.testing.assert_allclose(table[heading].astype(float), frame[column], rtol=1e-15)
    assert (table["Usual residents"] == frame["residents"]).all()


def test_segregation_sheet_matches_the_page(written):
    context, folder = written[2021]
    table = _sheet_table(load_workbook(folder / WORKBOOK_NAME)["Segregation"])
    row = next(r for r in context["segregation"]["rows"] if r["group"] == "asian")
    d = table[(table["Group code"] == "asian") & (table["Index code"] == "dissimilarity")]
    assert d["Value"].iloc[0] == row["cells"]["dissimilarity"]["value"]
    assert d["Rank among LAs"].iloc[0] == row["cells"]["dissimilarity"]["rank"]


@pytest.mark.parametrize("year", [2021, 2011])
def test_geopackage_reads_back_one_row_per_lsoa(written, year):
    context, folder = written[year]
    code = context["la"]["code"]
    path = folder / GEOPACKAGE_NAME
    layers = [name for name, _ in pyogrio.list_layers(path)]
    assert layers == ["lsoa", "ward"]  # 2011: census merged wards
    units = gpd.read_file(path, layer="lsoa")
    assert units.crs.to_epsg() == 27700
    lsoas = census.load(year, "lsoa").frame
    assert sorted(units["code"]) == sorted(lsoas.loc[lsoas["la_code"] == code, "code"])
    assert (units["la_code"] == code).all()
    frame = context["maps"]["frame"]
    for column in ["residents", *(f"{p}_{g}" for p in ("count", "share", "lq")
                                  for g in groups.codes("broad5")), "entropy"]:
        np.testing.assert_array_equal(units[column].to_numpy(), frame[column].to_numpy())
    assert units.geometry.geom_equals_exact(frame.geometry.to_crs(27700), 1e-6).all()
    wards = gpd.read_file(path, layer="ward")
    assert wards.crs.to_epsg() == 27700
    assert sorted(wards["code"]) == sorted(geography.units(year, "ward", code)["code"])
    # Ward values are sums of the raw output-area counts.
    oa = census.load_as(year, "oa", "broad5").frame
    oa = oa[oa["la_code"] == code]
    assert int(wards["residents"].sum()) == int(oa["total"].sum())
    assert int(wards["count_black"].sum()) == int(oa["black"].sum())


def test_downloads_are_byte_identical_on_rerun(written, tmp_path):
    context, folder = written[2021]
    assert workbook_bytes(context) == (folder / WORKBOOK_NAME).read_bytes()
    write_downloads(tmp_path, context)
    assert (tmp_path / GEOPACKAGE_NAME).read_bytes() == (folder / GEOPACKAGE_NAME).read_bytes()
