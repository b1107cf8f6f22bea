"""Units, LAs, polygons and name lookup."""

import geopandas as gpd
import libpysal
import pandas as pd
import pytest
import shapely

from scorecard import geography
from scorecard.errors import InputError

UNIT_COUNTS = {(2011, "oa"): 181_408, (2011, "lsoa"): 34_753, (2011, "msoa"): 7_201,
               (2011, "ward"): 8_546, (2011, "la"): 348, (2021, "lsoa"): 35_672,
               (2021, "msoa"): 7_264, (2021, "ward"): 7_638, (2021, "la"): 331,
               (2021, "oa"): 188_880}


@pytest.mark.parametrize(("year", "level"), list(UNIT_COUNTS))
def test_every_unit_is_placed_in_an_la_of_its_vintage(year, level):
    units = geography.units(year, level)
    assert len(units) == UNIT_COUNTS[(year, level)]
    assert units["code"].is_unique
    assert set(units["la_code"]) <= set(geography.authorities(year)["code"])
    assert units["name"].notna().all()


def test_authorities_have_a_type_and_a_region():
    for year in geography.YEARS:
        las = geography.authorities(year)
        assert las["la_type"].notna().all() and las["region_name"].notna().all()
    las = geography.authorities(2021).set_index("code")
    assert las.loc["E08000032", "la_type"] == "Metropolitan district"
    assert las.loc["E09000030", "la_type"] == "London borough"
    assert las.loc["W06000015", "region_name"] == "Wales"


@pytest.mark.parametrize(("query", "year", "code"), [
    ("Bradford", 2021, "E08000032"), ("bradford", 2021, "E08000032"),
    ("E08000032", 2021, "E08000032"), ("e08000032", 2011, "E08000032"),
    ("BRISTOL", 2021, "E06000023"), ("City of Bristol", 2011, "E06000023"),
    ("Bristol, City of", 2011, "E06000023"), ("vale of glamorgan", 2011, "W06000014"),
    ("Tower Hamlets", 2011, "E09000030"), ("Northumberland", 2011, "E06000048"),
    ("Northumberland", 2021, "E06000057"), ("Dorset", 2021, "E06000059"),
    ("Brighton & Hove", 2021, "E06000043"), ("St Helens", 2021, "E08000013"),
])
def test_find_authority_by_code_or_name(query, year, code):
    assert geography.find_authority(query, year)["code"] == code


def test_misspelt_name_gets_did_you_mean():
    with pytest.raises(InputError, match="did you mean 'Bradford'"):
        geography.find_authority("Bradferd", 2021)


def test_code_of_the_other_vintage_says_which_year():
    with pytest.raises(InputError, match="try --year 2011"):
        geography.find_authority("E07000048", 2021)  # Christchurch, merged into BCP in 2019


@pytest.mark.parametrize(("level", "year", "count"), [("lsoa", 2021, 35_672),
                                                       ("lsoa", 2011, 34_753),
                                                       ("msoa", 2021, 7_264),
                                                       ("ward", 2021, 7_638), ("ward", 2011, 8_546),
                                                       ("la", 2011, 348),
                                                       ("la", 2021, 331)])
def test_polygons_are_valid_british_national_grid(level, year, count):
    shapes = geography.polygons(level, year)
    assert len(shapes) == count
    assert shapes.crs.to_epsg() == 27700
    assert shapely.is_valid(shapes.geometry.values).all()
    assert shapes["name"].notna().all()


def test_polygons_of_one_la_only():
    shapes = geography.polygons("lsoa", 2021, "E08000032")
    assert len(shapes) == len(geography.units(2021, "lsoa", "E08000032")) == 312
    assert set(shapes["la_code"]) == {"E08000032"}


def test_simplified_lsoas_keep_every_queen_neighbour_of_the_raw_boundaries(raw):
    ours = geography.polygons("lsoa", 2021).sort_values("code", ignore_index=True)
    source = gpd.read_parquet(raw / "boundaries" / "lsoa21_ew_bsc.parquet")
    source = source.sort_values("LSOA21CD", ignore_index=True)
    assert (ours["code"] == source["LSOA21CD"]).all()
    w_ours = libpysal.weights.Queen.from_dataframe(ours, use_index=False, silence_warnings=True)
    w_source = libpysal.weights.Queen.from_dataframe(source, use_index=False,
                                                     silence_warnings=True)
    assert {k: set(v) for k, v in w_ours.neighbors.items()} == {
        k: set(v) for k, v in w_source.neighbors.items()}


@pytest.mark.parametrize(("typed", "code"), [
    ("Hull", "E06000010"), ("Caerdydd", "W06000015"), ("Abertawe", "W06000011"),
    ("Ynys Môn", "W06000001"), ("ynys mon", "W06000001"), ("Bro Morgannwg", "W06000014"),
    ("Casnewydd", "W06000022"), ("Bradf", "E08000032"), ("Southend", "E06000033"),
    ("Newcastle upon Tyne", "E08000021"),
])
def test_names_as_people_type_them(typed, code):
    assert geography.find_authority(typed, 2021)["code"] == code


@pytest.mark.parametrize(("typed", "words"), [
    ("Newcastle", ["Newcastle upon Tyne (E08000021)", "Newcastle-under-Lyme (E07000195)"]),
    ("Kingston", ["Kingston upon Thames", "Kingston upon Hull"]),
    ("Kent", ["county council", "Maidstone", "Thanet", "scorecard compare"]),
    ("Lancashire", ["county council", "West Lancashire", "Preston"]),
    ("London", ["33 local authorities"]),
])
def test_ambiguous_names_counties_and_regions_are_explained(typed, words):
    with pytest.raises(InputError) as caught:
        geography.find_authority(typed, 2021)
    for word in words:
        assert word in str(caught.value)


def test_welsh_names_are_the_ons_lookups(raw):
    """Every Welsh LA has its Welsh name, as in the ONS lookup (one lost circumflex restored)."""
    table = pd.read_parquet(raw / "boundaries" / "wd11_cmwd11_lad11_ew_lu.parquet",
                            columns=["LAD11CD", "LAD11NMW"]).drop_duplicates()
    source = dict(zip(table["LAD11CD"], table["LAD11NMW"], strict=True))
    ours = geography.welsh_names()
    wales = geography.authorities(2021)
    assert set(ours) == set(wales[wales["code"].str.startswith("W")]["code"])
    for code, name in ours.items():
        assert name == source[code] or (source[code], name) == ("Ynys M-n", "Ynys Môn")


def test_list_piped_into_head_ends_quietly():
    import subprocess
    import sys

    done = subprocess.run(f"{sys.executable} -m scorecard.cli list | head -2", shell=True,
                          capture_output=True, text=True, timeout=120)
    assert done.stdout.count("\n") == 2 and done.stderr == ""
