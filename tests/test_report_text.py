"""Generated sentences: neutral words, the reference group named, reliability respected."""

import re

from scorecard.report.text import gap_sentences, ordinal, ratio_text

INDICATOR = {"reference": "White", "subjects": "residents", "time": "2021",
             "kind": "proportion", "likely_to": "to be stopped and searched",
             "name": "Stop and searches per 1,000 residents"}


def row(group, ratio=None, low=None, high=None, reliable=False, value=1.0, **extra):
    return {"ethnicity": group, "ratio": ratio, "ratio_lower": low, "ratio_upper": high,
            "reliable": reliable, "value": value, "gap": None, "suppressed": False, **extra}


def test_largest_reliable_gap_in_the_style_of_ethnicity_facts_and_figures():
    rows = [row("White"), row("Black", 4.2, 3.9, 4.6, True), row("Asian", 1.3, 1.1, 1.5, True),
            row("Mixed", 6.0, 0.5, 20.0, False)]
    first, second = gap_sentences(rows, INDICATOR)
    assert first == ("In 2021, Black residents were 4.2 times as likely as White residents to "
                     "be stopped and searched (95% CI 3.9 to 4.6).")
    assert second == ("2 of the 3 groups compared with White residents had a reliable "
                      "difference in 2021.")


def test_no_reliable_difference_is_said_plainly():
    rows = [row("White"), row("Black", 1.1, 0.8, 1.5, False)]
    first, second = gap_sentences(rows, INDICATOR)
    assert first == ("In 2021, there was no reliable difference between any group and White "
                     "residents.")
    assert second.startswith("Black residents were the only group compared")


def test_small_denominators_are_not_headlined_when_another_group_is_reliable():
    rows = [row("White"), row("Chinese", 3.0, 1.2, 7.0, True, low_reliability=True),
            row("Asian", 1.2, 1.1, 1.3, True)]
    assert "Asian residents were 1.20 times" in gap_sentences(rows, INDICATOR)[0]


def test_suppressed_groups_are_not_compared():
    rows = [row("White"), row("Black", 2.0, 1.0, 4.0, True, suppressed=True)]
    rows[1]["suppressed"] = True
    assert "too small to publish" in gap_sentences(rows, INDICATOR)[0]


def test_no_value_words():
    rows = [row("White"), row("Black", 0.5, 0.4, 0.6, True)]
    text = " ".join(gap_sentences(rows, INDICATOR)).lower()
    assert "0.50 times as likely" in text
    for word in ("worse", "better", "alarming", "good news", "bame"):
        assert word not in text


def test_means_have_no_interval_and_say_so():
    indicator = {**INDICATOR, "kind": "mean", "subjects": "pupils",
                 "name": "Average Attainment 8 score per pupil"}
    rows = [{**row("White", value=47.9), "gap": None},
            {**row("Chinese", value=64.2), "gap": 16.3}]
    first, second = gap_sentences(rows, indicator)
    assert first == ("In 2021, the average Attainment 8 score per pupil was 64.2 for Chinese "
                     "pupils and 47.9 for White pupils.")
    assert "no interval" in second


def test_ordinals_and_ratio_decimals():
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th"]
    assert ratio_text(4.23) == "4.2" and ratio_text(0.643) == "0.64"
    assert ratio_text(1.96, like=2.4) == "2.0" and ratio_text(2.06, like=1.76) == "2.06"
    assert re.fullmatch(r"\d\.\d\d", ratio_text(1.5))


def test_suppressed_groups_are_counted_and_small_bases_said():
    rows = [row("White"), row("Mixed", 1.6, 1.1, 2.3, True, low_reliability=True),
            row("Black", 2.0, 1.0, 4.0, True, suppressed=True),
            row("Asian", 2.0, 1.0, 4.0, True, suppressed=True)]
    first, second = gap_sentences(rows, INDICATOR)
    assert first.endswith("(95% CI 1.10 to 2.30). The Mixed figure rests on fewer than 30 "
                          "residents.")
    assert second == ("Mixed residents were the only group compared with White residents in "
                      "this table; the figures for 2 other groups are too small to publish.")
