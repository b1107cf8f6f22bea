"""Headline findings: chosen from the page's results, in neutral words, figure by figure."""

import re

from scorecard.report.headlines import headline_findings

VALUE_WORDS = re.compile(r"\b(worse|better|alarming|good news|bad|poor|BAME)\b", re.I)


def _row(group, ratio, reliable, time="2021", suppressed=False, low=False):
    return {"ethnicity": group, "time": time, "ratio": ratio, "reliable": reliable,
            "suppressed": suppressed, "low_reliability": low}


def _indicator(name, rows, sentence, kind="proportion"):
    return {"name": name, "time": "2021", "kind": kind, "geography": "Testshire",
            "rows": rows, "sentences": [sentence, "second"]}


def _context(domains):
    seg_row = {"label": "Asian", "note": "", "reading": "very high", "expected": 0.05,
               "cells": {"dissimilarity": {"value": 0.64, "rank": "6th of 330"}}}
    even = {"label": "Mixed", "note": "", "reading": "low", "expected": 0.08,
            "cells": {"dissimilarity": {"value": 0.19, "rank": "300th of 330"}}}
    missing = {"label": "Other", "note": "fewer than 2 populated units", "reading": "",
               "expected": None, "cells": {}}
    return {
        "la": {"name": "Testborough"}, "year": 2021,
        "population": {"total": 12345, "broad_rows": [
            {"label": "White", "count": 9000, "percent": 72.9},
            {"label": "Asian", "count": 3345, "percent": 27.1}]},
        "segregation": {"unit_level": "LSOA", "rows": [seg_row, even, missing]},
        "domains": domains,
    }


def test_headlines_name_group_year_and_area_and_pick_the_widest_reliable_gap():
    stop = _indicator("Stop and search", [_row("Black", 4.2, True), _row("Asian", 9.0, False)],
                      "In 2021, Black people were 4.2 times as likely as White people to be "
                      "stopped (95% CI 3.9 to 4.6).")
    health = _indicator("Not in good health", [_row("Mixed", 1.1, True)],
                        "In 2021, Mixed people were 1.10 times as likely …")
    unsure = _indicator("Small", [_row("Other", 20.0, True, low=True)], "In 2021, tiny.")
    domains = [{"heading": "Criminal justice", "indicators": [stop]},
               {"heading": "Health", "indicators": [health, unsure]},
               {"heading": "Support for the BME voluntary sector", "indicators": []}]
    lines = headline_findings(_context(domains))
    assert lines[0] == ("Testborough had 12,345 usual residents on census day 2021. By broad "
                        "ethnic group: White 72.9%, Asian 27.1%.")
    assert "Asian residents were the most unevenly spread across the LSOAs of Testborough in "\
           "2021: dissimilarity 0.64 (very high), 6th of 330" in lines[1]
    assert "about 0.05" in lines[1]
    assert lines[2].startswith("Mixed residents were the most evenly spread: dissimilarity 0.19")
    # Widest reliable first (the unreliable 9.0 and the low-base 20.0 are not headlined).
    assert lines[3].startswith("In 2021, in Testshire, Black people were 4.2 times")
    assert lines[4].startswith("In 2021, in Testshire, Mixed people were 1.10 times")
    assert not any("tiny" in line for line in lines)
    assert "support for the BME voluntary sector" in lines[-1]
    assert lines[-1].startswith("1 of the 3 race-equality domains has no figure here")
    assert not any(VALUE_WORDS.search(line) for line in lines)


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
