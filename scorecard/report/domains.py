"""The seven race-equality domains of a scorecard, from the gaps engine's tidy table.

Per domain: each indicator with a figure gets a chart of its latest period (values with 95%
intervals), a table of every period in published form (rounded, small counts suppressed),
two generated sentences, its source, year and caveats. A domain without figures says so
and names the table a user could supply.
"""

from __future__ import annotations

import math

import pandas as pd

from .. import gaps
from ..indicators import DOMAIN_NOTES, DOMAINS, place
from . import charts
from .text import gap_sentences, number, ordinal

# Public pages name no commands: how to add a table is in the README and in the
# workbook's "Read me" sheet (downloads.py).
TEMPLATE_HINT = ("A council or partner holding such a table can add it to this scorecard "
                 "(see the workbook's \"Read me\" sheet).")


def _text(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else value


def _number(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _row(measure: dict, shown: dict) -> dict:
    """One group's figures: numbers for sentences and charts, text for the table."""
    flag = measure.get("flag") or ""
    suppressed = shown["value"] == gaps.SUPPRESSED
    unavailable = shown["value"] == gaps.NOT_AVAILABLE
    rank = measure.get("rank")
    hidden = suppressed or unavailable  # a figure not shown has no rank either
    return {
        "ethnicity": measure["ethnicity"],
        "time": str(measure["time"]),
        "value": _number(measure["value"]),
        "lower": _number(measure["lower"]),
        "upper": _number(measure["upper"]),
        "gap": _number(measure["gap_pp"]),
        "ratio": _number(measure["ratio"]),
        "ratio_lower": _number(measure["ratio_lower"]),
        "ratio_upper": _number(measure["ratio_upper"]),
        "numerator": _number(measure["numerator"]),
        "denominator": _number(measure["denominator"]),
        "count": _number(measure["denominator"] if measure.get("kind") in ("mean", "value")
                         else measure["numerator"]),
        "reliable": bool(measure["reliable"]),
        "suppressed": bool(suppressed),
        "unavailable": bool(unavailable),
        "unavailable_reason": measure.get("unavailable") or "",
        "break": "break" in flag.split("; "),
        "low_reliability": "denominator<30" in flag.split("; "),
        "text": {c: shown[c] for c in ("numerator", "denominator", "value", "lower", "upper",
                                       "gap_pp", "gap_lower", "gap_upper", "ratio",
                                       "ratio_lower", "ratio_upper")},
        "rank": "" if hidden else rank_text(rank, measure.get("n_ranked")),
        "national": _number(measure.get("national_value")),
        "note": measure["note"] or "",
    }


def rank_text(rank, n_ranked) -> str:
    """'12th highest of 331'; nothing when fewer than two areas were ranked (a user's
    table of one LA ranks it '1st of 1', which says nothing)."""
    if rank is None or pd.isna(rank) or n_ranked is None or pd.isna(n_ranked) or n_ranked < 2:
        return ""
    return f"{ordinal(int(rank))} highest of {int(n_ranked)}"


def source_line(source: str, period: str) -> str:
    """'Source: X, 2021.' with no empty part and no dangling comma."""
    parts = [str(p).strip().rstrip(".") for p in (source, period) if p and str(p).strip()]
    return f"Source: {', '.join(parts)}." if parts else ""


def sentence(text: str) -> str:
    """A note as a sentence: stripped, with a full stop at the end."""
    text = (text or "").strip()
    return text if not text or text.endswith((".", "!", "?")) else text + "."


def unit_text(unit: str, subjects: str) -> str:
    """The unit with who is counted: 'percent of households', 'per 1,000 residents'."""
    if not subjects:
        return unit
    if unit == "percent":
        return f"percent of {subjects}"
    if unit.startswith("per "):
        return f"{unit} {subjects}"
    return unit


def _with_ci(value: str, lower: str, upper: str) -> str:
    """'12.2 (11.4 to 13.0)' as published; a suppressed or missing value stands alone."""
    if not value or value in (gaps.SUPPRESSED, gaps.NOT_AVAILABLE) or not lower:
        return value
    return f"{value} ({lower} to {upper})"


def _table_cells(row: dict, reference: str) -> dict:
    """The table's text for one row, shared by the page's and the print table."""
    text = row["text"]
    hidden = bool({gaps.SUPPRESSED, gaps.NOT_AVAILABLE} & {text["ratio"], text["gap_pp"]})
    if row["ethnicity"] == reference:
        verdict = "reference"
    elif hidden:
        verdict = ""
    elif row["reliable"]:
        verdict = "yes"
    else:
        verdict = "no reliable difference" if text["gap_pp"] else ""
    interval = (text["lower"] if text["lower"] in (gaps.SUPPRESSED, gaps.NOT_AVAILABLE) else
                f"{text['lower']} to {text['upper']}" if text["lower"] else "")
    return {
        "interval": interval,
        "value_ci": _with_ci(text["value"], text["lower"], text["upper"]),
        "gap": _with_ci(text["gap_pp"], text["gap_lower"], text["gap_upper"]),
        "ratio": _with_ci(text["ratio"], text["ratio_lower"], text["ratio_upper"]),
        "verdict": verdict,
        "national": "" if row["national"] is None else number(row["national"], 1),
    }


def _chart(rows: list[dict], indicator: dict) -> tuple[str, str]:
    latest = [r for r in rows if r["time"] == indicator["time"] and r["value"] is not None
              and not r["suppressed"] and not r["unavailable"]]
    if len(latest) < 2:  # one bar (the reference group alone) compares nothing: the table
        return "", ""    # gives its value
    svg = charts.interval_bars(
        [r["ethnicity"] for r in latest], [r["value"] for r in latest],
        [r["lower"] for r in latest], [r["upper"] for r in latest],
        highlight=indicator["reference"], unit=indicator["unit"],
        title=None)  # the indicator's heading, right above, names it and its period
    parts = "; ".join(f"{r['ethnicity']} {number(r['value'], 1)}" for r in latest)
    alt = (f"Bar chart of {indicator['name'].lower()} by ethnic group, {indicator['place']}, "
           f"{indicator['time']}, {unit_text(indicator['unit'], indicator['subjects'])}, with "
           f"95% intervals: {parts}. The reference group, {indicator['reference']}, is drawn "
           "in orange. The table below gives every value.")
    return svg, alt


def _indicator(part: pd.DataFrame, records: list[dict], shown: list[dict]) -> dict:
    """One indicator's context from its rows (``part``, and the same rows as ``records``
    and in published text form as ``shown``)."""
    first = part.iloc[0]
    times = sorted(part["time"].astype(str).unique())
    indicator = {
        "id": first["measure"], "name": first["name"], "source": first["source"],
        "year": first["year"], "caveats": first["caveats"], "unit": first["unit"],
        "reference": first["reference"], "kind": first["kind"], "time": times[-1],
        "subjects": first["subjects"], "likely_to": first["likely_to"],
        "who": first.get("who", ""),
        "area_note": first["area_note"], "geography": first["geography_name"],
        "place": place(first["geography_name"], first["geography_level"]),
        "national_name": _text(first.get("national_name")),
        "events": first.get("events", ""), "crude": first.get("crude", "") == "yes",
        "group_note": first.get("group_note", ""),
        "rank_heading": rank_heading(first),
    }
    rows = [_row(m, s) for m, s in zip(records, shown, strict=True)]
    broken = {r["ethnicity"] for r in rows if r["break"]}
    for row in rows:
        row["cells"] = _table_cells(row, indicator["reference"])
        row["series_break"] = row["ethnicity"] in broken  # a break in any period
    indicator["rows"] = rows
    indicator["chart"], indicator["chart_alt"] = _chart(rows, indicator)
    latest = [r for r in rows if r["time"] == indicator["time"]]
    indicator["latest_rows"] = latest
    indicator["earlier_times"] = times[:-1]
    indicator["sentences"] = gap_sentences(latest, indicator)
    indicator["unavailable"] = sorted({r["unavailable_reason"] for r in rows
                                       if r["unavailable_reason"]})
    indicator["has_intervals"] = any(r["lower"] is not None for r in rows)
    indicator["has_national"] = any(r["national"] is not None for r in rows)
    indicator["has_gaps"] = bool(indicator["reference"])
    indicator["caveats"] = sentence(indicator["caveats"])
    indicator["has_rank"] = any(r["rank"] for r in rows)
    indicator["source_line"] = source_line(first["source"], first["year"])
    indicator["unit_text"] = unit_text(first["unit"], first["subjects"])
    indicator["periods"] = ", ".join(times)
    return indicator


WHAT_IS_RANKED = {"percent": "share", "points": "average"}


def rank_heading(first: pd.Series) -> str:
    """The direction of the rank column from the catalogue's unit: '1st = highest share'.
    Ranks always run from the highest value, whatever the catalogue's ``higher_is`` says
    is favourable: the page names the direction, never a judgement of it."""
    return f"1st = highest {WHAT_IS_RANKED.get(first['unit'], 'rate')}"


def domain_sections(table: pd.DataFrame) -> list[dict]:
    """Context for the seven domain sections from :func:`scorecard.indicators.gaps_for`."""
    sections = []
    table = table.reset_index(drop=True)
    # Rows as dicts once for the LA (pandas' to_dict is slow per call on a wide table).
    records = table.to_dict("records")
    shown = gaps.published(table).to_dict("records")
    for domain, heading in DOMAINS.items():
        part = table[table["domain"] == domain]
        with_value = part[part["value"].notna()]
        missing = part[part["value"].isna()].drop_duplicates("measure")
        indicators = [_indicator(rows, [records[i] for i in rows.index],
                                 [shown[i] for i in rows.index])
                      for _, rows in with_value.groupby("measure", sort=False)]
        sections.append({
            "domain": domain,
            "heading": heading,
            "heading_note": DOMAIN_NOTES.get(domain, ""),
            "reference": _domain_reference(part),
            "indicators": indicators,
            "missing": [{"name": m["name"], "note": m["note"], "supply": m["user_supply"]}
                        for _, m in missing.iterrows()],
            "hint": TEMPLATE_HINT,
        })
    return sections


def _domain_reference(part: pd.DataFrame) -> str:
    """The one reference group of a domain's figures ('' when none or more than one)."""
    found = sorted({r for r in part.loc[part["value"].notna(), "reference"].dropna() if r})
    return found[0] if len(found) == 1 else ""


def figure_count(sections: list[dict]) -> int:
    return sum(1 for s in sections for i in s["indicators"] if i["chart"])


def is_finite(value) -> bool:
    return value is not None and math.isfinite(value)
