"""User-defined areas and regions: validation with clear errors, and indices on the engine."""

import pandas as pd
import pytest

from scorecard import geography
from scorecard.compare import area_indices, custom_areas, region_counts
from scorecard.errors import InputError
from scorecard.resources import boundaries_file, indicators_file


def write(tmp_path, rows, header="code,area"):
    path = tmp_path / "areas.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def error(path, year=None) -> InputError:
    with pytest.raises(InputError) as caught:
        custom_areas(path, year)
    return caught.value


BARNET_2021 = ["E01033916", "E01033921", "E01033922"]  # new in 2021
CAMDEN = ["E01000852", "E01000854"]  # 2011 only (merged into E01035711)


def test_lsoa_areas_are_their_output_areas_with_the_raw_counts(tmp_path):
    path = write(tmp_path, [f"{c},North" for c in BARNET_2021] + ["E01000001,City"])
    frame = custom_areas(path)
    raw = pd.read_parquet(indicators_file("census2021_oa_ethnic.parquet")).set_index("code")
    lookup = pd.read_parquet(boundaries_file("lookup_oa21.parquet"))
    wanted = sorted(lookup.loc[lookup["LSOA21CD"].astype(str).isin(BARNET_2021), "OA21CD"])
    north = frame[frame["area_code"] == "North"]
    assert sorted(north["code"]) == wanted and len(wanted) > len(BARNET_2021)
    assert sorted(north["listed"].unique()) == BARNET_2021
    assert north["total"].sum() == raw.loc[wanted, "total"].sum()
    assert set(frame["year"]) == {2021} and set(frame["unit_level"]) == {"oa"}
    result = area_indices(frame)
    assert set(result["area_code"]) == {"North", "City"}
    city = result[(result["area_code"] == "City") & (result["index"] == "dissimilarity")]
    assert city["value"].notna().all()  # one LSOA, but several output areas


def test_2011_areas_can_use_output_areas(tmp_path):
    path = write(tmp_path, ["E00000001,A", "E00000003,A", "E00000005,B", "E00000007,B"])
    frame = custom_areas(path, 2011)
    assert set(frame["year"]) == {2011} and set(frame["unit_level"]) == {"oa"}
    # Unchanged output areas kept their codes in 2021: without a year, 2021 is taken.
    assert set(custom_areas(path)["year"]) == {2021}


@pytest.mark.parametrize(("rows", "header", "row", "column", "words"), [
    (["E01000001,A", "E0100000X,B"], "code,area", 3, "code", "is not an output area"),
    (["E01000001,A", "E01000002,B", "E01000001,C"], "code,area", 4, "code", "appears again"),
    (["E01000001,A", "E01000002,"], "code,area", 3, "area", "area name is blank"),
    (["E01000001,A", ",B"], "code,area", 3, "code", "code is blank"),
    ([f"{BARNET_2021[0]},A", f"{CAMDEN[0]},B"], "code,area", 3, "code", "mixed vintages"),
    (["E01000001,A", "E02000001,B"], "code,area", 3, "code", "one level per table"),
    (["E01000001,A"], "code,place", 1, "area", "missing column"),
    (["E01000001,A,1"], "code,area,extra", 1, "extra", "unknown column"),
    (["E09000001,A"], "code,area", 2, "code", "not local authoritys"),
])
def test_bad_inputs_name_file_row_and_column(tmp_path, rows, header, row, column, words):
    problem = error(write(tmp_path, rows, header))
    assert problem.path.endswith("areas.csv")
    assert (problem.row, problem.column) == (row, column)
    assert words in problem.message


def test_a_2021_code_with_year_2011_is_a_mixed_vintage(tmp_path):
    problem = error(write(tmp_path, [f"{BARNET_2021[0]},A"]), year=2011)
    assert "mixed vintages" in problem.message and problem.row == 2


def test_2011_census_merged_wards_are_their_output_areas(tmp_path):
    wards = geography.units(2011, "ward", la_code="E08000032")["code"].tolist()
    frame = custom_areas(write(tmp_path, [f"{w},Bradford" for w in wards]), year=2011)
    oas = geography.units(2011, "oa", la_code="E08000032")["code"]
    assert sorted(frame["code"]) == sorted(oas)


def test_2021_wards_are_exactly_their_output_areas(tmp_path):
    wards = geography.units(2021, "ward", la_code="E08000032")["code"].tolist()
    frame = custom_areas(write(tmp_path, [f"{w},Bradford" for w in wards]))
    oas = geography.units(2021, "oa", la_code="E08000032")["code"]
    assert sorted(frame["code"]) == sorted(oas) and set(frame["listed"]) == set(wards)


def test_a_redrawn_december_2021_ward_is_named_with_what_to_use(tmp_path):
    problem = error(write(tmp_path, ["E05000026,A"]))  # Abbey, Barking and Dagenham
    assert (problem.row, problem.column) == (2, "code")
    assert "December 2021 ward (Abbey, E09000002)" in problem.message
    assert "May 2022 ward codes" in problem.message


def test_regions_cover_the_country():
    frame = region_counts(2021)
    assert frame["area_code"].nunique() == 10
    assert frame["area_code"].notna().all()
    raw = pd.read_parquet(indicators_file("census2021_lsoa_ethnic.parquet"))
    assert frame["total"].sum() == raw["total"].sum()
    result = area_indices(frame, area_level="region")
    assert set(result["area_level"]) == {"region"}
    assert result.loc[result["index"] == "dissimilarity", "value"].notna().all()
