"""School segregation: indices across schools against PySAL, the ten-nearest classification
against a brute-force check, hand-made tables with answers worked out by hand."""

from __future__ import annotations

import warnings
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from scorecard import schools
from scorecard.schools import data, indices, nearest, neighbourhoods

seg = pytest.importorskip("segregation")
from segregation.singlegroup.dissim import _dissim  # noqa: E402
from segregation.singlegroup.entropy import _entropy  # noqa: E402
from segregation.singlegroup.interaction import _interaction  # noqa: E402

TOLERANCE = 1e-9
REAL_LAS = ["E08000032", "E09000030", "E07000030"]  # Bradford, Tower Hamlets, Eden


@pytest.fixture(scope="module")
def results() -> schools.SchoolResults:
    return schools.national()


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return data.load()


# --------------------------------------------------------------------------- PySAL


def _pysal(units: pd.DataFrame, group: str, by: list[str]) -> pd.DataFrame:
    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for (area, phase), part in units.groupby(by, sort=True):
            for name, function in (("dissimilarity", _dissim), ("theil_h", _entropy),
                                   ("exposure", _interaction)):
                rows.append((area, phase, name, function(part, group, "total")[0]))
    return pd.DataFrame(rows, columns=["area_code", "phase", "index", "pysal"])


@pytest.mark.slow
@pytest.mark.parametrize("group", ["white_british", "fsm", "black"])
def test_between_school_indices_equal_pysal_for_every_la_and_phase(results, frame, group):
    """Schools as units, each LA district apart as PySAL's users pass it: D, H and exposure
    (xPy) to 1e-9 for every LA and phase, all schools of the phase."""
    pupils = indices.pupil_counts(frame)
    if group == "fsm":
        units = pd.DataFrame({"fsm": pupils["fsm"], "total": pupils["fsm"] + pupils["not_fsm"]})
        known = pupils["fsm_known"]
    else:
        units = pd.DataFrame({group: pupils[group], "total": pupils["pupils"]})
        known = pupils["ethnicity_known"]
    units[["area_code", "phase"]] = frame[["district_code", "phase"]]
    units = units[known & (units["area_code"] != "")]
    theirs = _pysal(units, group, ["area_code", "phase"])
    s = results.summary
    ours = s[(s["area_level"] == "la") & (s["schools"] == "all") & (s["group"] == group)
             & s["index"].isin(["dissimilarity", "theil_h", "exposure"])]
    both = ours.merge(theirs, on=["area_code", "phase", "index"], how="outer", validate="1:1")
    assert both["value"].notna().sum() > 2_000
    defined = both["note"] == ""
    gap = (both.loc[defined, "value"] - both.loc[defined, "pysal"]).abs()
    assert gap.max() < TOLERANCE, both.loc[defined].loc[gap.idxmax()]
    assert both.loc[~defined, "value"].isna().all()
    # every LA district with schools of a phase is there, as a value or as a note
    assert set(both["area_code"]) == set(units["area_code"])


def test_gorard_index_by_hand():
    """Two schools of 10: all FSM pupils in one. GS = ½(|10/10 − 10/20| + |0 − 10/20|) = 0.5,
    and D = 1 with P = ½, so D (1 − P) = 0.5 too; a third, even school changes both."""
    frame = pd.DataFrame({"area": ["a", "a", "b", "b", "b"], "fsm": [10, 0, 10, 0, 5],
                          "not_fsm": [0, 10, 0, 10, 5]})
    units = indices.Units.of(frame, "area", ["fsm", "not_fsm"])
    gs = indices.gorard_index(units, "fsm")
    assert gs[0] == pytest.approx(0.5, abs=1e-15)
    # b: G = 15, T = 30: ½(|10/15 − 10/30| + |0 − 10/30| + |5/15 − 10/30|) = 1/3
    assert gs[1] == pytest.approx(1 / 3, abs=1e-15)


def test_faith_and_selective_sets_leave_those_schools_out(results, frame):
    s = results.summary
    d = s[(s["index"] == "dissimilarity") & (s["group"] == "white_british")
          & (s["area_level"] == "la") & (s["phase"] == "secondary")].set_index(
              ["area_code", "schools"])
    la = "E06000035"  # Medway: grammar schools
    mine = frame[(frame["district_code"] == la) & (frame["phase"] == "secondary")]
    assert d.loc[(la, "all"), "n_units"] == len(mine)
    assert d.loc[(la, "no_selective"), "n_units"] == len(mine) - mine["selective"].sum() > 0
    assert d.loc[(la, "no_faith"), "n_units"] == len(mine) - mine["faith"].sum()
    assert d.loc[(la, "no_faith"), "value"] != d.loc[(la, "all"), "value"]


def test_ranks_go_from_the_highest_value(results):
    s = results.summary
    d = s[(s["index"] == "dissimilarity") & (s["group"] == "white_british")
          & (s["area_level"] == "la") & (s["phase"] == "primary") & (s["schools"] == "all")]
    top = d.sort_values("value", ascending=False).iloc[0]
    assert top["rank"] == 1 and top["n_ranked"] == d["value"].notna().sum()


# --------------------------------------------------------------------------- nearest


def _brute_nearest(x, y, k=10):
    """Plain numpy: every pairwise squared distance, sorted by (distance, index)."""
    d2 = (x[:, None] - x[None, :]) ** 2 + (y[:, None] - y[None, :]) ** 2
    np.fill_diagonal(d2, np.inf)
    order = np.lexsort((np.broadcast_to(np.arange(len(x)), d2.shape), d2), axis=1)
    return order[:, :k]


def _published_test(a, b, c, d) -> str:
    """The published rule, exactly, in fractions: share s = a/b, nearby n = c/d."""
    if b == 0 or d == 0:
        return ""
    s, n = Fraction(a, b), Fraction(c, d)
    gap = Fraction(15, 100)
    if s - n > gap or s > 2 * n or (1 - s) < (1 - n) / 2:
        return "higher"
    if n - s > gap or s < n / 2 or (1 - s) > 2 * (1 - n):
        return "lower"
    return ""


def test_toy_map_by_hand():
    """Eleven schools of 100 pupils on a line 1 km apart: each school's ten nearest are all
    the others. School 0 has 90 White British pupils, school 10 has 20, the rest 50.

    School 0: nearby (20 + 9 × 50) / 1000 = 47%: 43 points above → higher.
    School 10: nearby (90 + 450) / 1000 = 54%: 34 points below → lower.
    School 5: nearby (90 + 20 + 8 × 50) / 1000 = 51%: 1 point → not.
    """
    x = np.arange(11) * 1000.0
    y = np.zeros(11)
    neighbours = nearest.nearest(x, y)
    for i in range(11):
        assert sorted(neighbours[i]) == [j for j in range(11) if j != i]
    members = np.array([90] + [50] * 9 + [20])
    pupils = np.full(11, 100)
    c, d = nearest.nearby_counts(members, pupils, neighbours)
    assert (c[0], d[0]) == (470, 1000) and (c[10], d[10]) == (540, 1000)
    labels = nearest.classify(members, pupils, c, d)
    assert labels[0] == "higher" and labels[10] == "lower" and labels[5] == ""


@pytest.mark.parametrize(("a", "b", "c", "d", "expected"), [
    (65, 100, 50, 100, ""),  # exactly 15 points above: not more than 15
    (66, 100, 50, 100, "higher"),
    (20, 100, 10, 100, ""),  # exactly twice: not more than twice
    (21, 100, 10, 100, "higher"),  # over twice, only 11 points
    (95, 100, 90, 100, ""),  # others 5% vs 10%: exactly half
    (96, 100, 90, 100, "higher"),  # others 4% vs 10%: under half of the other group's share
    (4, 100, 10, 100, "lower"),
    (0, 100, 0, 100, ""),
    (3, 100, 0, 100, "higher"),  # more than twice a nearby share of none
    (0, 0, 5, 10, ""),
])
def test_classification_thresholds(a, b, c, d, expected):
    assert nearest.classify(np.array([a]), np.array([b]), np.array([c]),
                            np.array([d]))[0] == expected
    assert _published_test(a, b, c, d) == expected


def test_ties_are_broken_by_the_lower_index():
    x = np.array([0.0, 1, -1, 0, 0, 2, 3, 4, 5, 6, 7, 8])
    y = np.array([0.0, 0, 0, 1, -1, 0, 0, 0, 0, 0, 0, 0])
    np.testing.assert_array_equal(nearest.nearest(x, y, k=3)[0], [1, 2, 3])


@pytest.mark.parametrize("la", REAL_LAS)
@pytest.mark.parametrize("phase", ["primary", "secondary"])
def test_classification_on_real_las_equals_brute_force(results, frame, la, phase):
    """Every school of the LA against every school of the phase in England (borders are
    crossed), with plain numpy distances and the rule in exact fractions."""
    pupils = indices.pupil_counts(frame)
    located = frame["easting"].notna() & frame["northing"].notna()
    pool = np.flatnonzero(((frame["phase"] == phase) & located & pupils["ethnicity_known"]
                           ).to_numpy())
    x, y = frame["easting"].to_numpy()[pool], frame["northing"].to_numpy()[pool]
    mine = np.flatnonzero(frame["district_code"].to_numpy()[pool] == la)
    assert len(mine) >= 5
    d2 = (x[mine, None] - x[None, :]) ** 2 + (y[mine, None] - y[None, :]) ** 2
    d2[np.arange(len(mine)), mine] = np.inf
    order = np.lexsort((np.broadcast_to(np.arange(len(pool)), d2.shape), d2), axis=1)[:, :10]
    wb = pupils["white_british"].to_numpy()[pool].astype(int)
    total = pupils["pupils"].to_numpy()[pool].astype(int)
    table = results.schools.set_index("urn")
    urns = frame["urn"].to_numpy()[pool]
    for row, neighbours in zip(mine, order, strict=True):
        c, d = int(wb[neighbours].sum()), int(total[neighbours].sum())
        ours = table.loc[urns[row]]
        assert ours["nearby_white_british"] == pytest.approx(c / d, abs=1e-15)
        assert ours["segregated_white_british"] == _published_test(int(wb[row]),
                                                                   int(total[row]), c, d)


def test_brute_force_neighbours_on_random_points():
    rng = np.random.default_rng(7)
    x = rng.integers(0, 2000, 400).astype(float)  # integer grid: many exact ties
    y = rng.integers(0, 2000, 400).astype(float)
    np.testing.assert_array_equal(nearest.nearest(x, y), _brute_nearest(x, y))


def test_national_shares_are_shares_of_compared_schools(results):
    s = results.summary
    england = s[(s["area_code"] == "E92000001") & (s["index"] == "share_segregated")
                & (s["group"] == "white_british")].set_index("phase")
    for phase in ("primary", "secondary"):
        classified = results.schools[(results.schools["phase"] == phase)
                                     & results.schools["nearby_white_british"].notna()]
        assert england.loc[phase, "n_units"] == len(classified)
        share = (classified["segregated_white_british"] != "").mean()
        assert england.loc[phase, "value"] == pytest.approx(share, abs=1e-15)
    assert 0.2 < england.loc["primary", "value"] < 0.45
    assert 0.3 < england.loc["secondary", "value"] < 0.5


# --------------------------------------------------------------------------- neighbourhoods


def test_nearest_areas_until_they_hold_the_pupils():
    """Areas 1, 2 and 3 km east of a school with 100, 200 and 300 residents."""
    areas = pd.DataFrame({"code": ["a", "b", "c"], "x": [1000.0, 2000, 3000], "y": [0.0] * 3,
                          "g": [10, 20, 300], "h": [90, 180, 0], "total": [100, 200, 300]})
    out = neighbourhoods.around(np.zeros(4), np.zeros(4), np.array([50, 250, 300, 9000]),
                                areas, ["g", "h"])
    assert out["n_areas"].tolist() == [1, 2, 2, 3]
    assert out["radius_m"].tolist() == [1000, 2000, 2000, 3000]
    assert out["g"].tolist() == [10, 30, 30, 330]
    assert out["total"].tolist() == [100, 300, 300, 600]


def test_schools_against_their_own_lsoa(results):
    """The Aldgate School (URN 100000) lies in LSOA E01000005 of the City of London."""
    row = results.schools.set_index("urn").loc[100000]
    assert (row["district_code"], row["lsoa_code"]) == ("E09000001", "E01000005")
    lsoa = schools.small_areas().set_index("code").loc["E01000005"]
    assert row["lsoa_white"] == pytest.approx(lsoa["white"] / lsoa["total"])


def _raw_output_areas(raw) -> pd.DataFrame:
    """The published 2021 output-area table, read straight from the raw public file."""
    table = pd.read_parquet(raw / "census2021" / "ts021_ethnic_group_5_oa.parquet")
    return table.rename(columns={"OA21CD": "code", "LAD22CD": "la_code"})


@pytest.mark.parametrize("la", REAL_LAS)
def test_d_across_neighbourhoods_is_pysal_over_the_las_output_areas(results, raw, la):
    """D across neighbourhoods is D over the LA's 2021 output areas (the units of the
    residential headline indices), checked against PySAL on the raw ONS table; the ratio is
    D across schools over it, for every broad group and phase."""
    areas = _raw_output_areas(raw)
    mine = areas[areas["la_code"] == la]
    s = results.summary.set_index(["area_code", "phase", "schools", "index", "group"])
    for group in ("asian", "black", "mixed", "white", "other"):
        units = pd.DataFrame({group: mine[group], "total": mine["total"]})
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = _dissim(units, group, "total")[0]
        row = s.loc[(la, "residents", "", "dissimilarity", group)]
        assert row["unit_level"] == "oa" and row["n_units"] == len(mine)
        assert row["value"] == pytest.approx(expected, abs=TOLERANCE)
        for phase in ("primary", "secondary"):
            school = s.loc[(la, phase, "all", "dissimilarity", group), "value"]
            ratio = s.loc[(la, phase, "all", "dissimilarity_ratio", group)]
            assert ratio["unit_level"] == "school / oa"
            assert "output areas" in ratio["reference"]
            assert ratio["value"] == pytest.approx(school / expected, rel=1e-9)


def _hand_dissimilarity(units: pd.DataFrame, by: str, group: str) -> pd.Series:
    """D of a group against the rest per area, by the textbook formula."""
    rest = units["total"] - units[group]
    a = units[group] / units.groupby(by)[group].transform("sum")
    b = rest / rest.groupby(units[by]).transform("sum")
    return (a - b).abs().groupby(units[by]).sum() / 2


def test_what_methods_say_of_unit_sizes_and_ratios(results, raw):
    """The methods give the median sizes of schools and output areas and say the median
    primary ratio is below 1 over output areas and would be above 1 over LSOAs."""
    areas = _raw_output_areas(raw)
    assert areas["total"].median() == 306
    pupils = results.schools.groupby("phase")["pupils"].median()
    assert (pupils["primary"], pupils["secondary"]) == (230, 1015)
    lsoas = areas.groupby(["LSOA21CD", "la_code"], as_index=False)[
        ["asian", "black", "mixed", "white", "other", "total"]].sum()
    assert 1550 <= lsoas["total"].median() <= 1650
    s = results.summary
    primary = s[(s["index"] == "dissimilarity") & (s["phase"] == "primary")
                & (s["schools"] == "all") & (s["area_level"] == "la")].set_index(
        ["group", "area_code"])["value"]
    for group in ("asian", "black", "mixed", "white", "other"):
        school = primary.loc[group]
        over_oas = school / _hand_dissimilarity(areas, "la_code", group).reindex(school.index)
        over_lsoas = school / _hand_dissimilarity(lsoas, "la_code", group).reindex(school.index)
        assert over_oas.median() < 1 < over_lsoas.median(), group
        # merging output areas into LSOAs never raises D
        assert (over_lsoas.dropna() >= over_oas.dropna() - 1e-12).all()


def test_ratio_sentence_names_output_areas(results):
    from scorecard.schools import text

    figures = text.Figures(results.summary[results.summary["area_code"] == "E08000032"])
    sentence = text.ratio_sentence(figures, "E08000032", "Bradford", "primary", "asian")
    assert "across output areas" in sentence and "LSOA" not in sentence
    d = figures.get("E08000032", "residents", "dissimilarity", "asian", "")["value"]
    assert f"{d:.2f} across output areas (all usual residents, Census 2021)" in sentence


# --------------------------------------------------------------------------- places, Wales


def test_county_schools_are_placed_in_a_district_of_their_county(frame):
    tier = data.embedded_places().upper_tier
    county = frame[frame["la_code"].str.startswith("E10") & (frame["district_code"] != "")]
    assert (tier.reindex(county["district_code"]).to_numpy() == county["la_code"]).all()
    assert len(county) > 8_000


def test_a_welsh_authority_names_the_welsh_source():
    summary, table, note = schools.report_tables("W06000015")
    assert table.empty and "PLASC" in note and "StatsWales" in note
    assert summary["value"].isna().all() and "Pupil Level Annual School Census" in \
        summary["note"].iloc[0]


def test_results_focused_on_one_la_equal_the_full_ones_there(results):
    focused = schools.national(focus=["E06000035"])
    key = ["area_code", "area_level", "phase", "schools", "index", "group"]
    full = results.summary[results.summary["area_code"].isin(["E06000035", "E92000001"])]
    mine = focused.summary[focused.summary["area_code"].isin(["E06000035", "E92000001"])]
    both = full.merge(mine, on=key, suffixes=("", "_focused"), validate="1:1")
    assert len(both) == len(full) == len(mine)
    np.testing.assert_array_equal(both["value"], both["value_focused"])
    ranked = both["schools"] == "all"
    np.testing.assert_array_equal(both.loc[ranked, "rank"].astype(float),
                                  both.loc[ranked, "rank_focused"].astype(float))
    assert both.loc[~ranked, "rank_focused"].isna().all()
    here = focused.schools["district_code"] == "E06000035"
    located = focused.schools["easting"].notna()
    assert focused.schools.loc[here & located, "around_white"].notna().all()
    assert focused.schools.loc[~here & (focused.schools["la_code"] != "E06000035"),
                               "around_white"].isna().all()


@pytest.mark.parametrize(("ratio", "words"), [
    (1.06, "more unevenly across primary schools than"),
    (1.05, "about as unevenly across primary schools as"),
    (0.9496, "about as unevenly across primary"),
    (0.9449, "less unevenly across primary schools than")])
def test_ratio_words_follow_the_printed_ratio(ratio, words):
    from scorecard.schools import text

    rows = pd.DataFrame([
        {"area_code": "X", "phase": "primary", "index": "dissimilarity_ratio", "group": "white",
         "schools": "all", "value": ratio, "unit_level": "school / oa"},
        {"area_code": "X", "phase": "primary", "index": "dissimilarity", "group": "white",
         "schools": "all", "value": 0.5, "unit_level": "school"},
        {"area_code": "X", "phase": "residents", "index": "dissimilarity", "group": "white",
         "schools": "", "value": 0.5 / ratio, "unit_level": "oa"}])
    sentence = text.ratio_sentence(text.Figures(rows), "X", "Place", "primary")
    assert words in sentence and f"(ratio {ratio:.2f}," in sentence
    assert "residents across output areas" in sentence
