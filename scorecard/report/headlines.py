"""Headline findings: a few plain sentences picked from the results already on the page.

Nothing is computed here beyond choosing which figures to lead with: the most uneven group,
the widest reliable gaps, and the domains with no figure. Words follow the report
conventions: neutral ("higher", "as likely as"), with group, year and geography beside
every figure.
"""

from __future__ import annotations

import math

from .text import join_names

MAX_GAPS = 3


def _population(context: dict) -> str:
    la, year = context["la"]["name"], context["year"]
    broad = sorted(context["population"]["broad_rows"], key=lambda r: -r["count"])
    parts = ", ".join(f"{r['label']} {r['percent']:.1f}%" for r in broad)
    return (f"{la} had {context['population']['total']:,} usual residents on census day "
            f"{year}. By broad ethnic group: {parts}.")


def _segregation(context: dict) -> list[str]:
    segregation = context["segregation"]
    rows = [r for r in segregation["rows"] if not r["note"]]
    if not rows:
        return []
    la, year, level = context["la"]["name"], context["year"], segregation["unit_level"]
    most = max(rows, key=lambda r: r["cells"]["dissimilarity"]["value"])
    d = most["cells"]["dissimilarity"]
    sentence = (f"Of the groups compared with all other residents, {most['label']} residents "
                f"were the most unevenly spread across the {level}s of {la} in {year}: "
                f"dissimilarity {d['value']:.2f} ({most['reading']}), "
                f"{d['rank']} among local authorities (1st = highest)")
    if most["expected"] is not None:
        sentence += f"; at random it would be about {most['expected']:.2f}"
    sentences = [sentence + "."]
    least = min(rows, key=lambda r: r["cells"]["dissimilarity"]["value"])
    if least is not most:
        sentences.append(f"{least['label']} residents were the most evenly spread: "
                         f"dissimilarity {least['cells']['dissimilarity']['value']:.2f} "
                         f"({least['reading']}).")
    return sentences


def _change(context: dict) -> list[str]:
    """Which groups' dissimilarity rose, fell or had no reliable change since 2011."""
    change = context.get("change") or {}
    if not change.get("shown"):
        return []
    labels = {row["group"]: row["label"] for row in context["segregation"]["rows"]}
    by_reading: dict[str, list[str]] = {}
    for group, cells in change["by_group"].items():
        reading = cells.get("dissimilarity", {}).get("reading")
        if reading:
            by_reading.setdefault(reading, []).append(labels.get(group, group))
    parts = [f"{verb} for {join_names(by_reading[verb])} residents"
             for verb in ("fell", "rose") if by_reading.get(verb)]
    if by_reading.get("no reliable change"):
        parts.append(f"had no reliable change for {join_names(by_reading['no reliable change'])} "
                     "residents")
    if not parts:
        return []
    return [f"Between 2011 and 2021, on the same {change['unit_level']}s, dissimilarity "
            f"{join_names(parts)} (95% intervals of the change)."]


def widest_reliable_log_ratio(indicator: dict) -> float:
    """How far the indicator's widest reliable ratio (latest period) is from 1, on a log scale."""
    latest = [r for r in indicator["rows"] if r["time"] == indicator["time"] and r["reliable"]
              and not r["suppressed"] and r["ratio"] and not r["low_reliability"]]
    return max((abs(math.log(r["ratio"])) for r in latest), default=0.0)


def _gaps(domains: list[dict] | None) -> list[str]:
    if not domains:
        return []
    candidates = [(widest_reliable_log_ratio(i), i) for d in domains for i in d["indicators"]
                  if i["kind"] != "mean"]
    widest = sorted((c for c in candidates if c[0] > 0), key=lambda c: -c[0])[:MAX_GAPS]
    return [_placed(i["sentences"][0], i) for _, i in widest]


def _placed(sentence: str, indicator: dict) -> str:
    """'In 2021, X …' → 'In 2021, in West Yorkshire, X …': the area beside the figure."""
    opening = f"In {indicator['time']}, "
    if not sentence.startswith(opening):
        return f"{indicator['geography']}: {sentence}"
    rest = sentence[len(opening):]
    return f"{opening}in {indicator['geography']}, {rest}"


def _empty_domains(domains: list[dict] | None) -> list[str]:
    if not domains:
        return []
    empty = [d["heading"][:1].lower() + d["heading"][1:] for d in domains
             if not d["indicators"]]
    if not empty:
        return []
    names = join_names(empty)
    verb = "has" if len(empty) == 1 else "have"
    return [f"{len(empty)} of the {len(domains)} race-equality domains {verb} no figure here, "
            f"for want of a public table by ethnic group and local authority: {names}. "
            "Local tables can be added."]


def headline_findings(context: dict) -> list[str]:
    """The page's headline findings, in reading order."""
    return [_population(context), *_segregation(context), *_change(context),
            *_gaps(context["domains"]), *_empty_domains(context["domains"])]
