"""The scorecard's change since 2011 for one LA, checked against independent paths through
the engine: the national index_change, areas given as output areas, the battery and
segregation.inference."""

import numpy as np
import pandas as pd
import pytest

from scorecard import census, geography, groups
from scorecard.change import common_unit_counts, frames_for
from scorecard.change.since2011 import GROUPS_NOTE
from scorecard.compare import index_change, scorecard_change
from scorecard.report.change_section import INDICES, change_section
from scorecard.report.context import National
from scorecard.report.render import _environment
from scorecard.segregation import inference, scorecard_indices
from scorecard.segregation.inference import DEFAULT_SEED

TOWER_HAMLETS = "E09000030"
KEYS = ["index", "group"]


@pytest.fixture(scope="module")
def ours() -> pd.DataFrame:
    return scorecard_change(TOWER_HAMLETS)


@pytest.fixture(scope="module")
def national_values() -> pd.DataFrame:
    """Every LA's change through the national harmonisation, without intervals (seconds)."""
    return index_change(inference=False)


def test_values_match_index_change_for_that_la(ours, national_values):
    theirs = national_values[national_values["area_code"] == TOWER_HAMLETS]
    joined = ours.merge(theirs, on=KEYS, suffixes=("", "_national"))
    assert len(joined) == len(ours) == len(theirs) == 5 * 4 + 2
    for column in ("value_from", "value_to", "change", "n_units_from", "n_units_to"):
        assert np.allclose(joined[column], joined[f"{column}_national"], rtol=0, atol=1e-12,
                           equal_nan=True), column
    assert (ours["classification"] == "broad5").all() and (ours["unit_level"] == "common").all()
    assert ours["note"].str.contains(GROUPS_NOTE, regex=False).all()


def test_the_2021_values_are_the_battery_on_the_las_common_units(ours):
    """The 2021 side equals the scorecard battery's indices on the LA's common units."""
    after = common_unit_counts()[1]
    counts = census.Counts(after[after["la_code"] == TOWER_HAMLETS].reset_index(drop=True),
                           "broad5", 2021, "common", "test")
    table = scorecard_indices(counts).set_index(KEYS)["value"]
    mine = ours.set_index(KEYS)
    for index in INDICES:
        for group in groups.codes("broad5"):
            assert mine.loc[(index, group), "value_to"] == pytest.approx(
                table.loc[(index, group)], abs=1e-12)


def test_an_la_given_as_its_output_areas_has_the_same_units():
    """frames_for (areas as sets of 2021 OAs, as comparisons give them) finds the LA's own
    common units: for an LA every unit lies inside it."""
    oas = geography.units(2021, "oa", TOWER_HAMLETS)[["code"]].assign(area=TOWER_HAMLETS)
    before, after = frames_for(oas)
    own_before, own_after = common_unit_counts()
    own = own_after[own_after["la_code"] == TOWER_HAMLETS]
    assert sorted(after["code"]) == sorted(own["code"])
    assert int(before["total"].sum()) == int(
        own_before.loc[own_before["la_code"] == TOWER_HAMLETS, "total"].sum())


def test_year_intervals_are_those_of_segregation_inference(ours):
    """Each year's interval: the same draws as the inference engine's with seed + year."""
    codes = groups.codes("broad5")
    frame = common_unit_counts()[1]
    frame = frame[frame["la_code"] == TOWER_HAMLETS]
    theirs = inference(frame, area="la_code", groups=codes, draws=199,
                       seed=DEFAULT_SEED + 2021, workers=1)
    theirs = theirs[theirs["index"] == "dissimilarity"].set_index("group")
    mine = ours[ours["index"] == "dissimilarity"].set_index("group")
    for group in codes:
        assert mine.loc[group, "lower_to"] == pytest.approx(theirs.loc[group, "lower"])
        assert mine.loc[group, "upper_to"] == pytest.approx(theirs.loc[group, "upper"])


def test_change_interval_is_about_the_two_years_spreads_combined(ours):
    """Two independent censuses: the change's spread ≈ √(spread₁² + spread₂²)."""
    rows = ours[ours["index"].isin(["dissimilarity", "theil_h"])]
    assert ((rows["change_lower"] <= rows["change"]) & (rows["change"] <= rows["change_upper"])
            ).all()
    combined = np.hypot(rows["upper_from"] - rows["lower_from"],
                        rows["upper_to"] - rows["lower_to"])
    ratio = (rows["change_upper"] - rows["change_lower"]) / combined
    assert ratio.between(0.7, 1.3).all(), ratio.tolist()
    reading = np.where(rows["change_lower"] > 0, "higher",
                       np.where(rows["change_upper"] < 0, "lower", "no reliable change"))
    assert (rows["direction"] == reading).all()


def test_seeded_so_reruns_agree(ours):
    again = scorecard_change(TOWER_HAMLETS)
    pd.testing.assert_frame_equal(ours, again)


@pytest.mark.slow
def test_intervals_agree_with_the_all_la_bootstrap():
    """index_change bootstraps every LA in one run (other random streams): the same LA's
    intervals must agree up to Monte Carlo error."""
    draws = 99
    national = index_change(draws=draws)
    theirs = national[national["area_code"] == TOWER_HAMLETS].set_index(KEYS)
    mine = scorecard_change(TOWER_HAMLETS, draws=draws).set_index(KEYS).loc[theirs.index]
    width = (mine["change_upper"] - mine["change_lower"]) / (
        theirs["change_upper"] - theirs["change_lower"])
    assert 0.85 < float(np.nanmedian(width)) < 1.15
    assert width.dropna().between(0.6, 1.6).all()


# ----------------------------------------------------------------------------- the section


@pytest.fixture(scope="module")
def section() -> dict:
    return change_section(National(2021), TOWER_HAMLETS)


def test_section_has_every_table_2_figure(section, ours):
    assert section["shown"]
    assert set(section["by_group"]) == set(groups.codes("broad5"))
    for group, cells in section["by_group"].items():
        assert set(cells) == set(INDICES)
        row = ours[(ours["group"] == group) & (ours["index"] == "dissimilarity")].iloc[0]
        assert cells["dissimilarity"]["reading"] == {
            "higher": "rose", "lower": "fell"}.get(row["direction"], "no reliable change")
    assert sum(len(b["rows"]) for b in section["blocks"]) == 20
    assert section["chart"].startswith("<svg") and "Dissimilarity" in section["chart"]
    assert "Tower Hamlets" in section["chart_alt"] and "2011" in section["chart_alt"]
    measures = {r["measure"] for r in section["data_rows"]}
    assert "dissimilarity:change_since_2011" in measures
    assert len(section["data_rows"]) == 20 * 4


def test_template_shows_change_beside_each_figure_with_chart_and_table(section):
    from scorecard.report.context import _segregation

    national = National(2021)
    html = _environment().get_template("_segregation.html.j2").render(
        segregation=_segregation(national, TOWER_HAMLETS), change=section,
        la={"name": "Tower Hamlets"}, year=2021)
    assert html.count('<span class="rank">since 2011:') == 20
    assert 'role="img" aria-label="Slope chart' in html
    assert "Change since 2011: segregation indices" in html  # the table behind the chart


def test_2011_scorecards_show_a_pointer_not_a_change():
    section = change_section(National(2011), "E09000030")
    assert not section["shown"] and "2021 scorecard" in section["message"]
    html = _environment().get_template("_segregation.html.j2").render(
        segregation={"rows": [], "index_labels": {}, "n_units": 0, "unit_level": "output area",
                     "units_phrase": "0 output areas", "draws": 199, "small_group": 1000,
                     "small_expected": 0.1, "source": "", "white_british_note": "",
                     "no_value": ""},
        change=section, la={"name": "Tower Hamlets"}, year=2011)
    assert "since 2011:" not in html and "2021 scorecard" in html
