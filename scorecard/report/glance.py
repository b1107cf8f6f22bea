"""The scorecard "at a glance": a few key figures and a grid of where the reliable gaps are.

Read in ten seconds, above the fold and on page 2 of the PDF: each key figure carries its
interval, what it is compared with and which way it points; the grid has a row per
race-equality indicator (grouped by domain) and a column per ethnic group, each cell the
ratio to the reference group where the gap is reliable. Nothing is computed here: the
figures are picked from the sections' context, as the headline findings are.
"""

from __future__ import annotations

from ..segregation.battery import RANKED_AMONG
from .headlines import headline_rows
from .text import join_names, ratio_text

MAX_GAP_FIGURES = 3
BROAD_ORDER = ("Asian", "Black", "Mixed", "White", "Other")


def _segregation_figures(context: dict) -> list[dict]:
    """The D of the most unevenly spread group large enough to rank (by the corrected value;
    by raw D where no group is), and its change since 2011 where shown."""
    rows = [r for r in context["segregation"]["rows"] if not r["note"]]
    if not rows:
        return []
    la, year = context["la"]["name"], context["year"]
    level = context["segregation"]["unit_level"]
    ranked = [r for r in rows if not r["flag"] and r["corrected"] is not None]
    most = (max(ranked, key=lambda r: r["corrected"]) if ranked else
            max(rows, key=lambda r: r["cells"]["dissimilarity"]["value"]))
    d = most["cells"]["dissimilarity"]
    figures = [{
        "label": f"Dissimilarity of {most['label']} residents from all others",
        "value": f"{d['value']:.2f}",
        "interval": (f"95% interval {most['lower']:.2f} to {most['upper']:.2f}"
                     if most["lower"] is not None else ""),
        "comparator": "; ".join(part for part in (
            f"{d['rank']} {RANKED_AMONG} by D corrected for small numbers"
            if d["rank"] and not most["flag"] else "",
            most["flag"] or "",
            f"about {most['expected']:.2f} at random"
            if most["expected"] is not None and not most["flag"] else "") if part),
        "direction": most["reading"],
        "where": f"{level}s of {la}, {year}",
        "href": "#segregation",
    }]
    change = (context.get("change") or {}).get("by_group", {}).get(most["group"], {})
    cell = change.get("dissimilarity")
    if cell and cell.get("change"):
        figures.append({
            "label": f"Change in that dissimilarity since 2011 ({most['label']})",
            "value": cell["change"],
            "interval": f"95% interval {cell['interval']}" if cell["interval"] else "",
            "comparator": f"{cell['from']} in 2011, {cell['to']} in 2021",
            "direction": cell["reading"],
            "where": f"units common to both censuses in {la}",
            "href": "#change-since-2011",
        })
    return figures


def _gap_figures(domains: list[dict] | None) -> list[dict]:
    """The widest gaps of the latest periods that could lead the headlines (the same rule:
    minimum counts, a stable series, no crude rate, nothing missing), as ratios with their
    intervals."""
    if not domains:
        return []
    domain_of = {id(i): d for d in domains for i in d["indicators"]}
    figures = []
    for indicator, row in headline_rows(domains)[:MAX_GAP_FIGURES]:
        section = domain_of[id(indicator)]
        reference = next((r for r in indicator["latest_rows"]
                          if r["ethnicity"] == indicator["reference"]), None)
        ratio = ratio_text(row["ratio"])
        figures.append({
            "label": f"{indicator['name']}: {row['ethnicity']} compared with "
                     f"{indicator['reference']}",
            "value": f"{ratio}×",
            "interval": f"95% interval {ratio_text(row['ratio_lower'], row['ratio'])} to "
                        f"{ratio_text(row['ratio_upper'], row['ratio'])}",
            "comparator": (f"{row['text']['value']} against {reference['text']['value']} "
                           f"({indicator['unit']})" if reference else indicator["unit"]),
            "direction": "higher" if row["ratio"] > 1 else "lower",
            "where": f"{indicator['geography']}, {indicator['time']}",
            "href": f"#domain-{section['domain']}",
        })
    return figures


def key_figures(context: dict) -> list[dict]:
    """Four to six figures to lead the page with, each with interval, comparator, direction."""
    return [*_segregation_figures(context), *_gap_figures(context["domains"])]


def _column_order(names: set[str]) -> list[str]:
    broad = [g for g in BROAD_ORDER if g in names]
    return broad + sorted(names - set(broad))


def _cell(row: dict, reference: str) -> dict:
    if row["ethnicity"] == reference:
        return {"text": "reference", "kind": "reference", "words": ""}
    if row["suppressed"] or row["value"] is None:
        return {"text": "[c]" if row["suppressed"] else "", "kind": "none", "words": ""}
    if row["reliable"] and row["ratio"] and not row["low_reliability"]:
        higher = row["ratio"] > 1
        return {"text": f"{ratio_text(row['ratio'])}×", "kind": "higher" if higher else "lower",
                "words": "higher" if higher else "lower"}
    return {"text": "–", "kind": "same", "words": "no reliable difference"}


def gap_grid(domains: list[dict] | None) -> dict | None:
    """Rows of indicators (latest period) × columns of ethnic groups: where gaps are reliable.

    Averages published without a spread (no interval, so no reliable gap) and domains
    without a figure are named under the grid instead of filling it with empty rows.
    """
    if domains is None:
        return None
    rows, without_interval, empty = [], [], []
    for section in domains:
        if not section["indicators"]:
            empty.append(section["heading"][:1].lower() + section["heading"][1:])
        for indicator in section["indicators"]:
            if indicator["kind"] == "mean":
                without_interval.append(indicator["name"])
                continue
            cells = {r["ethnicity"]: _cell(r, indicator["reference"])
                     for r in indicator["latest_rows"]}
            rows.append({"domain": section["heading"], "domain_id": section["domain"],
                         "name": indicator["name"], "time": indicator["time"],
                         "geography": indicator["geography"], "cells": cells})
    # A column for each group that two or more indicators have; a group only one indicator
    # has (a detailed group of one source) is named in that indicator's row instead.
    seen = [g for r in rows for g in r["cells"]]
    shared = {g for g in seen if seen.count(g) > 1} if len(rows) > 1 else set(seen)
    columns = _column_order(shared)
    for row in rows:
        row["others"] = [{"group": g, **c} for g, c in row["cells"].items()
                         if g not in shared and c["text"]]
    blocks: list[dict] = []
    for row in rows:
        if not blocks or blocks[-1]["domain"] != row["domain"]:
            blocks.append({"domain": row["domain"], "domain_id": row["domain_id"], "rows": []})
        blocks[-1]["rows"].append(row)
    notes = []
    if without_interval:
        notes.append(f"Not in the grid, for want of an interval: {join_names(without_interval)}.")
    if empty:
        notes.append(f"No figure here for {join_names(empty)}: no public table by ethnic group "
                     "and local authority is built in.")
    return {"columns": columns, "blocks": blocks, "notes": notes,
            "n_reliable": sum(c["kind"] in ("higher", "lower") for r in rows
                              for c in r["cells"].values())}
