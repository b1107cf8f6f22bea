"""The public API: its surface, its documented examples, and its answers against oracles.

Every public function's numpydoc example runs here as a doctest on the embedded data (the
README's ``pytest`` runs them in CI); the surface must equal what the API reference page
lists; spatial indices are checked against PySAL, intervals against statsmodels, and the
index functions against tables whose answers are worked out by hand.
"""

from __future__ import annotations

import doctest
import math
import re
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import scorecard
from scorecard import api
from scorecard.errors import InputError

REPO = Path(__file__).resolve().parents[1]
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def _documented_names() -> list[str]:
    """The names the API reference page lists under ``members:``."""
    page = (REPO / "docs" / "api.md").read_text()
    block = re.search(r"members:\n((?:\s+- \w+\n)+)", page)
    assert block, "docs/api.md lists no members"
    return re.findall(r"- (\w+)", block.group(1))


def test_public_surface_is_what_the_reference_lists():
    assert _documented_names() == api.__all__
    assert all(callable(getattr(api, name)) for name in api.__all__)


def test_package_reexports_the_api_lazily():
    assert set(scorecard._API) == set(api.__all__)
    assert scorecard.api is api
    assert scorecard.dissimilarity is api.dissimilarity
    with pytest.raises(AttributeError):
        scorecard.no_such_function  # noqa: B018
    # A fresh interpreter: importing the package loads neither pandas nor the API.
    code = ("import sys, scorecard; assert scorecard.__version__; "
            "print('pandas' in sys.modules, 'scorecard.api' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.split() == ["False", "False"]


@pytest.mark.parametrize("name", api.__all__)
def test_docstring_is_numpydoc_with_an_example(name):
    text = getattr(api, name).__doc__
    for section in ("Parameters\n    ----------", "Returns\n    -------",
                    "Examples\n    --------"):
        assert section in text, f"{name}: no {section.split()[0]} section"
    assert ">>> from scorecard import api" in text


@pytest.mark.parametrize("name", api.__all__)
def test_docstring_example_runs(name):
    """The numpydoc example of each public function, run as a doctest."""
    tests = doctest.DocTestFinder().find(getattr(api, name), name, globs={})
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    for test in tests:
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.attempted > 0
    assert result.failed == 0


# ------------------------------------------------------------------ hand-made tables
# Two areas. North: u1 (10 a, 0 b), u2 (0 a, 10 b), u3 (10 a, 10 b).
# South: u4 and u5, each 10 a and 30 b. Answers below are worked out by hand.

def _hand_table() -> pd.DataFrame:
    return pd.DataFrame({"unit": ["u1", "u2", "u3", "u4", "u5"],
                         "area": ["north", "north", "north", "south", "south"],
                         "a": [10, 0, 10, 10, 10], "b": [0, 10, 10, 30, 30]})


def _value(table: pd.DataFrame, area: str, index: str, group: str | None = None) -> float:
    rows = table[(table["area_code"] == area) & (table["index"] == index)]
    if group is not None:
        rows = rows[rows["group"] == group]
    assert len(rows) == 1
    return float(rows["value"].iloc[0])


def test_two_group_indices_on_a_hand_made_table():
    table = api.two_group_indices(_hand_table(), "a", reference="b", unit="unit",
                                  area="area")
    assert list(table.columns) == api.RESULT_COLUMNS
    # North: D = ½ (|10/20 − 0| + |0 − 10/20| + 0) = 0.5; xPx = ½·1 + ½·½ = 0.75; xPy = 0.25.
    assert _value(table, "north", "dissimilarity") == pytest.approx(0.5, abs=1e-15)
    assert _value(table, "north", "isolation") == pytest.approx(0.75, abs=1e-15)
    assert _value(table, "north", "exposure") == pytest.approx(0.25, abs=1e-15)
    # H = 1 − Σ t_i E_i / (T E): E = ln 2, E_3 = ln 2, t_3 / T = ½ → H = ½.
    assert _value(table, "north", "theil_h") == pytest.approx(0.5, abs=1e-15)
    # South: both units have the area's mix: no segregation.
    assert _value(table, "south", "dissimilarity") == pytest.approx(0.0, abs=1e-15)
    assert api.dissimilarity(_hand_table(), "a", unit="unit", area="area")[
        "value"].tolist() == pytest.approx([0.5, 0.0], abs=1e-15)


def test_multigroup_and_decomposition_on_a_hand_made_table():
    frame = _hand_table()
    ln = math.log
    m_north = 0.5 * ln(2)  # (10/40) ln 2 twice, u3 adds 0
    entropy_all = -(ln(1 / 3) / 3 + 2 / 3 * ln(2 / 3))  # the whole table is ⅓ a, ⅔ b
    between = (1 / 6) * ln(1.125) + (1 / 6) * ln(0.75) + 0.5 * ln(1.125)
    total = between + m_north / 3  # north holds ⅓ of the people, south has M = 0
    multi = api.multigroup_indices(frame, unit="unit", area="area")
    assert _value(multi, "north", "mutual_information_m") == pytest.approx(m_north, abs=1e-15)
    assert _value(multi, "north", "multigroup_diversity") == pytest.approx(ln(2), abs=1e-15)
    parts = api.decompose(frame, unit="unit", area="area").set_index(
        ["index", "group", "component", "area_code"]).sort_index()["value"]
    m = parts.loc["mutual_information_m", "all"]
    assert m.loc[("total", "all")] == pytest.approx(total, abs=1e-14)
    assert m.loc[("between", "all")] == pytest.approx(between, abs=1e-14)
    assert m.loc[("within", "all")] == pytest.approx(m_north / 3, abs=1e-14)
    h = parts.loc["multigroup_theil_h", "all"]
    assert h.loc[("total", "all")] == pytest.approx(total / entropy_all, abs=1e-14)
    assert h.loc[("between", "all")] == pytest.approx(between / entropy_all, abs=1e-14)
    assert h.loc[("within", "all")] == pytest.approx(m_north / 3 / entropy_all, abs=1e-14)
    # R's mutual_within: p_w and ent_ratio = E_w / E (north ln 2, south H(¼)).
    areas = api.decompose(frame, unit="unit", area="area")
    areas = areas[areas["component"] == "area"].set_index(["index", "area_code"])
    p_w = areas.loc["mutual_information_m", "weight"]
    ent_ratio = areas.loc["multigroup_theil_h", "weight"] / p_w
    south_entropy = -(0.25 * ln(0.25) + 0.75 * ln(0.75))
    assert p_w.tolist() == pytest.approx([1 / 3, 2 / 3], abs=1e-15)
    assert ent_ratio.tolist() == pytest.approx([ln(2) / entropy_all,
                                                south_entropy / entropy_all], abs=1e-14)
    local = api.local_measures(frame, unit="unit", area="area")
    assert local["mutual_local"].tolist() == pytest.approx([ln(2), ln(2), 0, 0, 0], abs=1e-15)
    assert local["unit_share"].tolist() == pytest.approx([0.25, 0.25, 0.5, 0.5, 0.5])


def test_wide_counts_sums_repeated_rows_and_fills_zeros():
    long = pd.DataFrame({"school": ["s1", "s1", "s2", "s1"], "race": ["a", "b", "a", "a"],
                         "n": [3, 4, 5, 2], "district": ["d", "d", "e", "d"]})
    wide = api.wide_counts(long, unit="school", group="race", count="n", area="district")
    assert wide.to_dict("list") == {"school": ["s1", "s2"], "district": ["d", "e"],
                                    "a": [5, 5], "b": [4, 0]}
    long.loc[2, "district"] = "d"
    long.loc[3, "district"] = "e"
    with pytest.raises(InputError, match="more than one area"):
        api.wide_counts(long, unit="school", group="race", count="n", area="district")


def test_bad_tables_raise_input_errors_naming_the_column():
    frame = _hand_table()
    with pytest.raises(InputError, match="no column 'c'"):
        api.dissimilarity(frame, "a", unit="unit", area="area", groups=["a", "c"])
    repeated = pd.concat([frame, frame.iloc[[0]]], ignore_index=True)
    with pytest.raises(InputError, match="row 7.*appears twice"):
        api.dissimilarity(repeated, "a", unit="unit", area="area")
    with pytest.raises(InputError, match="no embedded 2011 counts at MSOA level"):
        api.load_counts(2011, "msoa")
    with pytest.raises(InputError, match="no embedded lookup"):
        api.load_lookup("oa_to_nowhere")


def test_indices_reports_undefined_areas_with_a_note():
    frame = _hand_table()
    frame.loc[frame["area"] == "south", "a"] = 0
    table = api.dissimilarity(frame, "a", unit="unit", area="area").set_index("area_code")
    assert np.isnan(table.loc["south", "value"])
    assert table.loc["south", "note"] == "no a residents"


# ------------------------------------------------------------------------- spatial


@pytest.fixture(scope="module")
def bradford_and_leeds():
    counts = api.load_counts(2021, "lsoa")
    frame = counts[counts["la_code"].isin(["E08000032", "E08000035"])].reset_index(drop=True)
    polygons = pd.concat([api.load_boundaries("lsoa", 2021, la_code=la)
                          for la in ("E08000035", "E08000032")], ignore_index=True)
    return frame, polygons


def test_spatial_indices_equal_pysal(bradford_and_leeds):
    seg = pytest.importorskip("segregation")
    frame, polygons = bradford_and_leeds
    ours = api.spatial_indices(frame, "black", polygons=polygons).set_index(
        ["area_code", "index"])["value"]
    located = polygons.merge(frame, on=["code", "la_code"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for la, units in located.groupby("la_code"):
            units = units.reset_index(drop=True)
            sd = seg.singlegroup.SpatialDissim(units, "black", "total").statistic
            sp = seg.singlegroup.SpatialProximity(units, "black", "total").statistic
            assert ours.loc[(la, "spatial_dissimilarity")] == pytest.approx(sd, abs=1e-12)
            assert ours.loc[(la, "spatial_proximity")] == pytest.approx(sp, abs=1e-12)


def test_spatial_dissimilarity_from_weights_equals_from_polygons(bradford_and_leeds):
    frame, polygons = bradford_and_leeds
    expected = api.spatial_indices(frame, "asian", polygons=polygons,
                                   indices=["spatial_dissimilarity"])
    weights = api.contiguity_weights(polygons)  # ids are codes, in the polygons' order
    from_wsp = api.spatial_indices(frame, "asian", weights=weights)
    pd.testing.assert_frame_equal(from_wsp, expected)
    # A matrix in the frame's row order, with links across the two LAs added: dropped.
    position = pd.Index(polygons["code"]).get_indexer(frame["code"])
    matrix = weights.sparse.tocsr()[position][:, position].tolil()
    matrix[0, len(frame) - 1] = matrix[len(frame) - 1, 0] = 1
    from_matrix = api.spatial_indices(frame, "asian", weights=matrix.tocsr())
    pd.testing.assert_frame_equal(from_matrix, expected)


def test_spatial_indices_errors(bradford_and_leeds):
    frame, polygons = bradford_and_leeds
    with pytest.raises(InputError, match=r"row \d+, column 'code': unit 'E01\d+' has no polygon"):
        api.spatial_indices(frame, "black", polygons=polygons.iloc[5:])
    with pytest.raises(InputError, match="longitude and latitude"):
        api.spatial_indices(frame, "black", polygons=polygons.to_crs(4326))
    with pytest.raises(InputError, match="polygons or weights"):
        api.spatial_indices(frame, "black")
    with pytest.raises(InputError, match="spatial proximity needs polygons"):
        api.spatial_indices(frame, "black", weights=api.contiguity_weights(polygons),
                            indices=["spatial_proximity"])


# ------------------------------------------------------------------------ intervals


def test_intervals_equal_statsmodels_and_scipy():
    from scipy import stats
    from statsmodels.stats.proportion import proportion_confint

    x, n = np.array([0, 3, 29, 954]), np.array([6, 97, 97, 2813])
    wilson = api.wilson_interval(x, n)
    low, high = proportion_confint(x, n, alpha=0.05, method="wilson")
    assert wilson["lower"].to_numpy() == pytest.approx(low, abs=1e-12)
    assert wilson["upper"].to_numpy() == pytest.approx(high, abs=1e-12)
    narrow = api.wilson_interval(x, n, level=0.9)
    low90, _ = proportion_confint(x, n, alpha=0.1, method="wilson")
    assert narrow["lower"].to_numpy() == pytest.approx(low90, abs=1e-12)
    poisson = api.poisson_interval(7, 1000)
    assert poisson.loc[0, "lower"] == pytest.approx(stats.chi2.ppf(0.025, 14) / 2 / 1000)
    assert poisson.loc[0, "upper"] == pytest.approx(stats.chi2.ppf(0.975, 16) / 2 / 1000)
    # Katz: exp(± z √(1/x1 − 1/n1 + 1/x2 − 1/n2)) around the ratio.
    katz = api.katz_interval(20, 100, 10, 100).iloc[0]
    half = 1.959963984540054 * math.sqrt(1 / 20 - 1 / 100 + 1 / 10 - 1 / 100)
    assert katz.tolist() == pytest.approx([2.0, 2 * math.exp(-half), 2 * math.exp(half)])
    # Newcombe's worked example 1998, method 10: 56/70 − 48/80 = 0.2 (0.0524, 0.3339).
    gap = api.newcombe_interval(56, 70, 48, 80).iloc[0]
    assert gap.round(4).tolist() == [0.2, 0.0524, 0.3339]


# ---------------------------------------------------------------- change on common units


@pytest.fixture(scope="module")
def on_units():
    units = api.common_units()
    before = api.on_common_units(api.load_counts(2011, "oa", classification="broad5"), units,
                                 year=2011)
    after = api.on_common_units(api.load_counts(2021, "oa"), units, year=2021)
    return units, before, after


def _d_by_hand(frame: pd.DataFrame, group: str) -> float:
    """½ Σ |x_i/X − y_i/Y| with y all other residents, from the columns alone."""
    x = frame[group].astype(float)
    y = frame[["asian", "black", "mixed", "white", "other"]].sum(axis=1) - x
    return 0.5 * float((x / x.sum() - y / y.sum()).abs().sum())


def test_common_units_hold_the_same_people_in_both_years(on_units):
    units, before, after = on_units
    # Each census's OAs all lie in exactly one unit, and every unit has OAs in both years.
    assert not units.duplicated(["year", "code"]).any()
    per_year = units.groupby("common_unit")["year"].nunique()
    assert (per_year == 2).all()
    assert set(units.loc[units.year == 2011, "code"]) == set(
        api.load_counts(2011, "oa")["code"])
    # Sums by hand: each unit's 2011 count is the sum of its 2011 OAs.
    oa = api.load_counts(2011, "oa", classification="broad5")
    unit_of = units[units.year == 2011].set_index("code")["common_unit"]
    by_hand = oa.groupby(oa["code"].map(unit_of))["black"].sum()
    assert before.set_index("code")["black"].equals(by_hand.rename_axis("code"))
    assert before["code"].tolist() == after["code"].tolist()
    # The same units from the lookups given explicitly as from the embedded default.
    explicit = api.common_units(api.load_lookup("oa11_oa21"), api.load_lookup("oa21_lsoa21"),
                                api.load_lookup("lsoa11_lsoa21"))
    pd.testing.assert_frame_equal(explicit, units)


def test_index_change_equals_d_by_hand_on_common_units(on_units):
    _, before, after = on_units
    bradford = [t[t.la_code == "E08000032"] for t in (before, after)]
    change = api.index_change(*bradford, inference=False).set_index(["index", "group"])
    for group in ("asian", "black"):
        row = change.loc[("dissimilarity", group)]
        assert row["value_from"] == pytest.approx(_d_by_hand(bradford[0], group), abs=1e-12)
        assert row["value_to"] == pytest.approx(_d_by_hand(bradford[1], group), abs=1e-12)
        assert row["change"] == pytest.approx(row["value_to"] - row["value_from"], abs=1e-15)
    assert list(api.index_change(*bradford, inference=False).columns) == api.CHANGE_COLUMNS


def test_change_since_2011_is_index_change_on_the_embedded_units(on_units):
    _, before, after = on_units
    ours = api.index_change(before, after, inference=False).set_index(
        ["area_code", "index", "group"])
    embedded = api.change_since_2011(inference=False).set_index(
        ["area_code", "index", "group"])
    assert embedded["change"].reindex(ours.index).to_numpy() == pytest.approx(
        ours["change"].to_numpy(), abs=1e-12, nan_ok=True)
    assert set(embedded["area_name"]) >= {"Bradford", "Newham"}


def test_index_change_refuses_different_units(on_units):
    _, before, after = on_units
    with pytest.raises(InputError, match="not in the second table"):
        api.index_change(before, after.iloc[1:], inference=False)
    with pytest.raises(InputError, match="has no common unit in 2011"):
        api.on_common_units(api.load_counts(2021, "oa"), api.common_units(), year=2011)


# ----------------------------------------------------------------------- schools


@pytest.fixture(scope="module")
def schools():
    return api.load_schools("white_british2", phase=["primary", "secondary"])


def test_school_segregation_equals_pysal_and_gorard_by_hand(schools):
    seg = pytest.importorskip("segregation")
    table = api.school_segregation(schools, "white_british").set_index(
        ["area_code", "phase", "index"])["value"]
    fsm = api.school_segregation(schools, "fsm", reference="not_fsm").set_index(
        ["area_code", "phase", "index"])["value"]
    for la in ("E08000032", "E09000025", "E06000053"):
        for phase in ("primary", "secondary"):
            mine = schools[(schools.district_code == la) & (schools.phase == phase)]
            mine = mine.dropna(subset=["white_british", "not_white_british"]).astype(
                {"white_british": float, "not_white_british": float, "fsm": float,
                 "not_fsm": float})
            if len(mine) < 2:
                assert (la, phase, "dissimilarity") not in table.dropna().index
                continue
            frame = mine.assign(total=mine.white_british + mine.not_white_british)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                d = seg.singlegroup.Dissim(frame, "white_british", "total").statistic
            assert table[(la, phase, "dissimilarity")] == pytest.approx(d, abs=1e-12)
            g, t = frame.white_british, frame.total
            gorard = 0.5 * (g / g.sum() - t / t.sum()).abs().sum()
            assert table[(la, phase, "gorard_segregation")] == pytest.approx(gorard, abs=1e-12)
            counted = mine.dropna(subset=["fsm"])
            f, t = counted.fsm, counted.fsm + counted.not_fsm
            gorard = 0.5 * (f / f.sum() - t / t.sum()).abs().sum()
            assert fsm[(la, phase, "gorard_segregation")] == pytest.approx(gorard, abs=1e-12)


def test_school_results_equal_the_schools_engine(schools):
    from scorecard.schools import national

    engine = national()
    summary = engine.summary[(engine.summary.area_level == "la")
                             & (engine.summary.schools == "all")
                             & engine.summary.phase.isin(["primary", "secondary"])]
    ours = api.school_segregation(schools, "white_british", indices=["dissimilarity"])
    key = ["area_code", "phase"]
    theirs = summary[(summary["index"] == "dissimilarity")
                     & (summary.group == "white_british")].set_index(key)["value"]
    mine = ours.set_index(key)["value"]
    assert mine.reindex(theirs.index).to_numpy() == pytest.approx(theirs.to_numpy(),
                                                                  abs=1e-12, nan_ok=True)
    per_school = engine.schools.set_index("urn")
    for group, reference, column in (("white_british", None, "segregated_white_british"),
                                     ("fsm", "not_fsm", "segregated_fsm")):
        labels = api.segregated_schools(schools, group, reference=reference).set_index("urn")
        assert labels["segregated"].equals(per_school[column].reindex(labels.index))


def test_segregated_schools_by_brute_force(schools):
    """Secondary schools: every distance computed, shares as floats, the rule as worded."""
    table = api.segregated_schools(schools, "white_british").set_index("urn")
    mine = schools[(schools.phase == "secondary") & schools.easting.notna()
                   & schools.white_british.notna()]
    a = mine.white_british.to_numpy(float)
    b = a + mine.not_white_british.to_numpy(float)
    mine, a, b = mine[b > 0], a[b > 0], b[b > 0]
    xy = mine[["easting", "northing"]].to_numpy()
    d2 = ((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=-1)
    np.fill_diagonal(d2, np.inf)
    index = np.broadcast_to(np.arange(len(xy)), d2.shape)
    near = np.lexsort((index, d2), axis=-1)[:, :10]  # nearest ten, ties by position
    share, nearby = a / b, a[near].sum(axis=1) / b[near].sum(axis=1)
    higher = ((share - nearby > 0.15) | (share > 2 * nearby)
              | (1 - share < (1 - nearby) / 2))
    lower = ((nearby - share > 0.15) | (share < nearby / 2)
             | (1 - share > 2 * (1 - nearby)))
    expected = np.select([higher, lower], ["higher", "lower"], "")
    got = table.loc[mine.urn, "segregated"].to_numpy()
    assert table.loc[mine.urn, "nearby_share"].to_numpy() == pytest.approx(nearby, abs=1e-12)
    # Floats may misread a share exactly on a threshold; whole numbers do not.
    edge = np.isclose(np.abs(share - nearby), 0.15) | np.isclose(share, 2 * nearby) | \
        np.isclose(2 * share, nearby)
    assert (got[~edge] == expected[~edge]).all()
    assert (got != "").sum() > 1000


def test_load_schools_and_school_errors(schools):
    every = api.load_schools()
    assert every["white_british"].isna().sum() == 9  # uncounted schools stay, empty
    assert set(every.phase) == {"primary", "secondary", "special_ap"}
    assert not schools.phase.isin(["special_ap"]).any()
    with pytest.raises(InputError, match="no phase 'nursery'"):
        api.load_schools(phase="nursery")
    with pytest.raises(InputError, match="cannot be summed into"):
        api.load_schools("census_2021_19")
    with pytest.raises(InputError, match="unknown school index"):
        api.school_segregation(schools, "white_british", indices=["entropy"])
