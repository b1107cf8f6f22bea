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
from ..indicators import DOMAINS
from . import charts
from .text import gap_sentences, ordinal

# Public pages name no commands: how to add a table is in the README and in the
# workbook's "Read me" sheet (downloads.py).
TEMPLATE_HINT = ("A council or partner holding such a table can add it to this scorecard "
                 "(see the workbook's \"Read me\" sheet).")


def _number(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _row(measure: dict, shown: dict) -> dict:
    """One group's figures: numbers for sentences and charts, text for the table."""
    suppressed = shown["value"] == gaps.SUPPRESSED
    rank = measure.get("rank")
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
        "reliable": bool(measure["reliable"]),
        "suppressed": bool(suppressed),
        "low_reliability": str(shown["value"]).endswith(gaps.LOW_RELIABILITY),
        "text": {c: shown[c] for c in ("numerator", "denominator", "value", "lower", "upper",
                                       "gap_pp", "gap_lower", "gap_upper", "ratio",
                                       "ratio_lower", "ratio_upper")},
        "rank": "" if rank is None or pd.isna(rank) else
        f"{ordinal(int(rank))} of {int(measure['n_ranked'])}",
        "national": _number(measure.get("national_value")),
        "note": measure["note"] or "",
    }


def _with_ci(value: str, lower: str, upper: str) -> str:
    """'12.2 (11.4 to 13.0)' as published; a suppressed value stands alone."""
    if not value or value == gaps.SUPPRESSED or not lower:
        return value
    return f"{value} ({lower} to {upper})"


def _table_cells(row: dict, reference: str) -> dict:
    """The table's text for one row, shared by the page's and the print table."""
    text = row["text"]
    suppressed = gaps.SUPPRESSED in (text["ratio"], text["gap_pp"])
    if row["ethnicity"] == reference:
        verdict = "reference"
    elif suppressed:
        verdict = ""
    elif row["reliable"]:
        verdict = "yes"
    else:
        verdict = "no reliable difference" if text["gap_pp"] else ""
    interval = (gaps.SUPPRESSED if text["lower"] == gaps.SUPPRESSED else
                f"{text['lower']} to {text['upper']}" if text["lower"] else "")
    return {
        "interval": interval,
        "value_ci": _with_ci(text["value"], text["lower"], text["upper"]),
        "gap": _with_ci(text["gap_pp"], text["gap_lower"], text["gap_upper"]),
        "ratio": _with_ci(text["ratio"], text["ratio_lower"], text["ratio_upper"]),
        "verdict": verdict,
        "national": "" if row["national"] is None else f"{row['national']:,.1f}",
    }


def _chart(rows: list[dict], indicator: dict) -> tuple[str, str]:
    latest = [r for r in rows if r["time"] == indicator["time"] and r["value"] is not None
              and not r["suppressed"]]
    if not latest:
        return "", ""
    svg = charts.interval_bars(
        [r["ethnicity"] for r in latest], [r["value"] for r in latest],
        [r["lower"] for r in latest], [r["upper"] for r in latest],
        highlight=indicator["reference"], unit=indicator["unit"],
        title=None)  # the indicator's heading, right above, names it and its period
    parts = "; ".join(f"{r['ethnicity']} {r['value']:,.1f}" for r in latest)
    alt = (f"Bar chart of {indicator['name'].lower()} by ethnic group, {indicator['time']}, "
           f"{indicator['unit']}, with 95% intervals: {parts}. The reference group, "
           f"{indicator['reference']}, is drawn in orange. The table below gives every value.")
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
        "area_note": first["area_note"], "geography": first["geography_name"],
        "national_name": first.get("national_name", ""),
    }
    rows = [_row(m, s) for m, s in zip(records, shown, strict=True)]
    for row in rows:
        row["cells"] = _table_cells(row, indicator["reference"])
    indicator["rows"] = rows
    indicator["chart"], indicator["chart_alt"] = _chart(rows, indicator)
    latest = [r for r in rows if r["time"] == indicator["time"]]
    indicator["latest_rows"] = latest
    indicator["earlier_times"] = times[:-1]
    indicator["sentences"] = gap_sentences(latest, indicator)
    indicator["has_intervals"] = any(r["lower"] is not None for r in rows)
    return indicator


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
            "indicators": indicators,
            "missing": [{"name": m["name"], "note": m["note"], "supply": m["user_supply"]}
                        for _, m in missing.iterrows()],
            "hint": TEMPLATE_HINT,
        })
    return sections


def figure_count(sections: list[dict]) -> int:
    return sum(1 for s in sections for i in s["indicators"] if i["chart"])


def is_finite(value) -> bool:
    return value is not None and math.isfinite(value)
