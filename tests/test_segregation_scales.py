"""Indices at every scale from output areas, and the split of H between and within wards."""

import warnings

import numpy as np
import pandas as pd
import pytest

from scorecard import census, geography, groups
from scorecard.segregation.scales import between_wards, scale_indices

seg = pytest.importorskip("segregation")
from segregation.singlegroup.dissim import _dissim  # noqa: E402

LAS = ["E08000032", "E09000030", "E06000053", "W06000015"]


def _oa_frame(year):
    oa = census.load_as(year, "oa", "broad5").frame
    lookup = geography.oa_lookup(year).set_index("code")[["lsoa", "msoa", "ward"]]
    frame = oa.join(lookup, on="code")
    return frame[frame["la_code"].isin(LAS)]


def test_hand_made_scales_and_an_exact_split_between_wards():
    oa = pd.DataFrame({"code": ["a", "b", "c", "d"], "la_code": "L", "lsoa": ["p", "p", "q", "q"],
                       "msoa": "m", "ward": ["w1", "w1", "w2", "w2"],
                       "x": [10, 0, 5, 5], "y": [0, 10, 5, 5]})
    table = scale_indices(oa, ["x", "y"], ["x"], scales=("oa", "ward"))
    d = table[table["index"] == "dissimilarity"].set_index("unit_level")["value"]
    assert d["oa"] == pytest.approx(0.5 * (0.5 + 0.5 + 0 + 0))  # ½ Σ|x/X − y/Y|
    assert d["ward"] == pytest.approx(0.0)  # each ward is half and half
    split = between_wards(oa, ["x", "y"]).set_index("index")
    assert split.loc["mutual_information_m", "between"] == pytest.approx(0.0, abs=1e-12)
    assert split.loc["mutual_information_m", "share_between"] == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("year", [2011, 2021])
def test_every_scale_equals_pysal_on_the_summed_units(year):
    frame = _oa_frame(year)
    codes = groups.codes("broad5")
    table = scale_indices(frame, codes, codes)
    for level in ("lsoa", "msoa", "ward"):
        units = census.from_output_areas(year, level).frame
        for la, part in units[units["la_code"].isin(LAS)].groupby("la_code"):
            ours = table[(table["unit_level"] == level) & (table["area_code"] == la)
                         & (table["index"] == "dissimilarity")].set_index("group")
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                for g in codes:
                    if ours.loc[g, "note"]:
                        continue
                    assert ours.loc[g, "value"] == pytest.approx(
                        _dissim(part, g, "total")[0], abs=1e-9), (year, level, la, g)


def test_between_plus_within_is_the_output_area_value():
    frame = _oa_frame(2021)
    split = between_wards(frame, groups.codes("broad5"))
    table = scale_indices(frame, groups.codes("broad5"), [], scales=("oa", "ward"))
    for index in ("mutual_information_m", "multigroup_theil_h"):
        rows = split[split["index"] == index].set_index("area_code")
        assert np.allclose(rows["between"] + rows["within"], rows["total"])
        at = table[table["index"] == index].pivot(index="area_code", columns="unit_level",
                                                  values="value")
        # The OA-level value is the total; the ward-level value is the between part.
        assert np.allclose(at.loc[rows.index, "oa"], rows["total"])
        wards = at.loc[rows.index, "ward"]
        # The Isles of Scilly is one ward: no ward-level value (a note), nothing between.
        assert wards.isna().sum() == 1 and abs(rows.loc["E06000053", "between"]) < 1e-12
        assert np.allclose(wards.dropna(), rows.loc[wards.dropna().index, "between"])


def test_scorecard_section_has_four_scales_a_chart_and_the_ward_sentence():
    from scorecard.report.context import National
    from scorecard.report.scales_section import scales_section

    section = scales_section(National(2021), "E08000032")  # Bradford
    assert [r["scale"] for r in section["rows"]] == ["Output areas", "LSOAs", "MSOAs", "Wards"]
    assert [r["n_units"] for r in section["rows"]][1:] == [312, 63, 30]
    assert section["chart"].startswith("<svg") and "Output areas" in section["chart"]
    assert "lies between the 30 wards" in section["sentence"]
    assert "most of it lies between wards" in section["sentence"]
    measures = {r["measure"] for r in section["data_rows"]}
    assert {"dissimilarity", "multigroup_theil_h", "multigroup_theil_h:between_wards"} <= measures
