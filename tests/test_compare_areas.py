"""User-defined areas and regions: validation with clear errors, and indices on the engine."""

import pandas as pd
import pytest

from scorecard import geography
from scorecard.compare import area_indices, custom_areas, region_counts
from scorecard.errors import InputError
from scorecard.resources import indicators_file


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


def test_lsoa_areas_sum_the_raw_counts(tmp_path):
    path = write(tmp_path, [f"{c},North" for c in BARNET_2021] + ["E01000001,City"])
    frame = custom_areas(path)
    raw = pd.read_parquet(indicators_file("census2021_lsoa_ethnic.parquet")).set_index("code")
    north = frame[frame["area_code"] == "North"]
    assert sorted(north["code"]) == BARNET_2021
    assert north["total"].sum() == raw.loc[BARNET_2021, "total"].sum()
    assert set(frame["year"]) == {2021} and set(frame["unit_level"]) == {"lsoa"}
    result = area_indices(frame)
    assert set(result["area_code"]) == {"North", "City"}
    city = result[(result["area_code"] == "City") & (result["index"] == "dissimilarity")]
    assert city["value"].isna().all() and city["note"].str.contains("fewer than").all()


def test_2011_areas_can_use_output_areas(tmp_path):
    path = write(tmp_path, ["E00000001,A", "E00000003,A", "E00000005,B", "E00000007,B"])
    frame = custom_areas(path)
    assert set(frame["year"]) == {2011} and set(frame["unit_level"]) == {"oa"}


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


def test_2011_wards_are_refused(tmp_path):
    ward = geography.units(2011, "ward")["code"].iloc[0]
    problem = error(write(tmp_path, [f"{ward},A"]), year=2011)
    assert "census merged wards" in problem.message


@pytest.mark.slow
def test_2021_wards_take_their_best_fit_lsoas(tmp_path):
    wards = geography.units(2021, "ward", la_code="E08000032")["code"].tolist()
    path = write(tmp_path, [f"{w},Bradford" for w in wards])
    frame = custom_areas(path)
    lsoas = geography.units(2021, "lsoa", la_code="E08000032")["code"]
    share = frame["code"].isin(set(lsoas)).mean()
    assert share > 0.99 and len(frame) >= 0.99 * len(lsoas)


def test_regions_cover_the_country():
    frame = region_counts(2021)
    assert frame["area_code"].nunique() == 10
    assert frame["area_code"].notna().all()
    raw = pd.read_parquet(indicators_file("census2021_lsoa_ethnic.parquet"))
    assert frame["total"].sum() == raw["total"].sum()
    result = area_indices(frame, area_level="region")
    assert set(result["area_level"]) == {"region"}
    assert result.loc[result["index"] == "dissimilarity", "value"].notna().all()
