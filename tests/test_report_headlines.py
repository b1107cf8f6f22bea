"""Headline findings: chosen from the page's results, in neutral words, figure by figure."""

import re

from scorecard.report.headlines import headline_findings, headline_rows

VALUE_WORDS = re.compile(r"\b(worse|better|alarming|good news|bad|poor|BAME)\b", re.I)


def _row(group, ratio, reliable, time="2021", suppressed=False, low=False, count=500,
         denominator=20_000, series_break=False, value=10.0):
    return {"ethnicity": group, "time": time, "ratio": ratio, "reliable": reliable,
            "suppressed": suppressed, "low_reliability": low, "count": count,
            "numerator": count, "denominator": denominator, "series_break": series_break,
            "unavailable": False, "value": value,
            "ratio_lower": ratio and ratio * 0.9, "ratio_upper": ratio and ratio * 1.1}


def _indicator(name, rows, sentence, kind="proportion", reference="White", **extra):
    rows = [*rows, _row(reference, None, False)]
    return {"name": name, "time": "2021", "kind": kind, "geography": "Testshire",
            "place": "Testshire", "reference": reference, "subjects": "people",
            "likely_to": "to be stopped", "unit": "per 1,000", "events": "", "crude": False,
            "group_note": "", "rows": rows, "sentences": [sentence, "second"], **extra}


def _context(domains):
    seg_row = {"group": "asian", "label": "Asian", "note": "",
               "reading": "very high", "expected": 0.05,
               "corrected": 0.63, "corrected_lower": 0.62, "corrected_upper": 0.64,
               "corrected_rank": "6th of 214", "flag": "",
               "cells": {"dissimilarity": {"value": 0.64, "rank": "6th of 214"}}}
    even = {"group": "mixed", "label": "Mixed", "note": "", "reading": "low", "expected": 0.08,
            "corrected": 0.18, "corrected_lower": 0.17, "corrected_upper": 0.19,
            "corrected_rank": "300th of 330", "flag": "",
            "cells": {"dissimilarity": {"value": 0.19, "rank": "300th of 330"}}}
    small = {"group": "black", "label": "Black", "note": "",
             "reading": "very high", "expected": 0.2,
             "corrected": 0.70, "corrected_lower": 0.6, "corrected_upper": 0.8,
             "corrected_rank": "not ranked",
             "flag": "not ranked: 437 Black residents, too few to rank",
             "cells": {"dissimilarity": {"value": 0.72, "rank": "not ranked"}}}
    missing = {"group": "other", "label": "Other", "note": "fewer than 2 populated units",
               "reading": "",
               "expected": None, "corrected": None, "flag": "", "cells": {}}
    return {
        "la": {"name": "Testborough"}, "year": 2021,
        "population": {"total": 12345, "broad_rows": [
            {"label": "White", "count": 9000, "percent": 72.9},
            {"label": "Asian", "count": 3345, "percent": 27.1}]},
        "segregation": {"unit_level": "LSOA", "rows": [seg_row, even, small, missing]},
        "domains": domains,
    }


def test_headlines_name_group_year_and_area_and_pick_the_widest_reliable_gap():
    stop = _indicator("Stop and search", [_row("Black", 4.2, True), _row("Asian", 9.0, False)],
                      "unused")
    health = _indicator("Not in good health", [_row("Mixed", 1.1, True)], "unused")
    unsure = _indicator("Small", [_row("Other", 20.0, True, low=True)], "In 2021, tiny.")
    domains = [{"heading": "Criminal justice", "indicators": [stop]},
               {"heading": "Health", "indicators": [health, unsure]},
               {"heading": "Support for the BME voluntary sector", "indicators": []}]
    lines = headline_findings(_context(domains))
    assert lines[0] == ("Testborough had 12,345 usual residents on census day 2021. By broad "
                        "ethnic group: White 72.9%, Asian 27.1%.")
    # Ranked and chosen by D corrected for small numbers; the small group too small to rank
    # (raw D 0.72, the highest) is not the headline, and the sentence says it is left out.
    assert lines[1].startswith("Of the groups large enough to rank (Black is not), each "
                               "compared with all other residents, Asian residents were the "
                               "most unevenly spread across the LSOAs of Testborough in 2021: "
                               "dissimilarity 0.64 (very high), 0.63 corrected for small "
                               "numbers (95% CI 0.62 to 0.64), 6th of 214 local authorities "
                               "where the group is large enough to rank by the corrected "
                               "value (1st = highest)")
    assert "about 0.05" in lines[1]
    assert not any("Black residents were the most" in line for line in lines)
    assert lines[2].startswith("Mixed residents were the most evenly spread: dissimilarity 0.19")
    # Widest reliable first (the unreliable 9.0 and the low-base 20.0 are not headlined).
    assert lines[3].startswith("In 2021, in Testshire, Black people were 4.2 times")
    assert lines[4].startswith("In 2021, in Testshire, Mixed people were 1.10 times")
    assert not any("tiny" in line for line in lines)
    assert "support for the BME (Black and minority ethnic) voluntary sector" in lines[-1]
    assert lines[-1].startswith("1 of the 3 race-equality domains has no figure here")
    assert not any(VALUE_WORDS.search(line) for line in lines)


def test_gaps_under_the_minimum_count_or_with_a_break_are_not_headlined():
    few = _indicator("Use of force", [_row("Asian", 0.06, True, count=28)], "unused")
    broken = _indicator("Force", [_row("Other", 25.6, True, series_break=True)], "unused")
    residents = _indicator("Searches", [_row("Black", 12.5, True, denominator=232)], "unused",
                           subjects="residents")
    crude = _indicator("Health", [_row("Mixed", 0.5, True)], "unused", crude=True)
    mean = _indicator("Attainment 8", [_row("Chinese", 1.6, True)], "unused", kind="mean")
    domains = [{"heading": "Criminal justice", "indicators": [few, broken, residents]},
               {"heading": "Health", "indicators": [crude]},
               {"heading": "Education", "indicators": [mean]}]
    assert headline_rows(domains) == []
    ok = _indicator("Searches", [_row("Black", 2.5, True, denominator=5_000)], "unused",
                    subjects="residents", events="searches")
    picked = headline_rows([{"heading": "Criminal justice", "indicators": [ok, few]}])
    assert [row["ethnicity"] for _, row in picked] == ["Black"]
    line = headline_findings(_context([{"heading": "x", "indicators": [ok]}]))[3]
    assert line.startswith("In 2021, in Testshire, there were 10.0 searches for every 1,000 "
                           "Black residents and 10.0 for every 1,000 White residents: the "
                           "Black rate was 2.5 times the White rate")
    assert "as likely" not in line


def test_no_gap_headlines_without_domains_or_reliable_gaps():
    assert len(headline_findings(_context(None))) == 3
    flat = _indicator("Flat", [_row("Black", 1.3, False)], "In 2021, no reliable difference.")
    lines = headline_findings(_context([{"heading": "Health", "indicators": [flat]}]))
    assert len(lines) == 3


def test_change_since_2011_is_one_sentence_by_reading():
    context = _context(None)
    context["change"] = {"shown": True, "caption": "on 1,234 units common to both censuses",
                         "by_group": {
        "asian": {"dissimilarity": {"reading": "fell"}},
        "mixed": {"dissimilarity": {"reading": "no reliable change"}},
        "white": {"dissimilarity": {"reading": "fell"}},
        "black": {"dissimilarity": {"reading": "rose"}}}}
    context["segregation"]["rows"] += [{"group": g, "label": g.title(), "note": "x",
                                        "cells": {}} for g in ("white", "black")]
    for row, group in zip(context["segregation"]["rows"], ("asian", "mixed", "other"),
                          strict=False):
        row["group"] = group
    lines = headline_findings(context)
    assert ("Between 2011 and 2021, on 1,234 units common to both censuses, dissimilarity "
            "fell for Asian and White residents, rose for Black residents and had no reliable "
            "change for Mixed residents (95% intervals of the change).") in lines
    context["change"] = {"shown": False}
    assert not any(line.startswith("Between 2011") for line in headline_findings(context))
