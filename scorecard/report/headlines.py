"""Headline findings: a few plain sentences picked from the results already on the page.

Nothing is computed here beyond choosing which figures to lead with: the most uneven group,
the widest reliable gaps, and the domains with no figure. Words follow the report
conventions: neutral ("higher", "as likely as"), with group, year and geography beside
every figure.
"""

from __future__ import annotations

import math

from ..segregation.battery import RANKED_AMONG
from .text import join_names, number, widest_sentence

MAX_GAPS = 3


def _population(context: dict) -> str:
    la, year = context["la"]["name"], context["year"]
    broad = sorted(context["population"]["broad_rows"], key=lambda r: -r["count"])
    parts = ", ".join(f"{r['label']} {r['percent']:.1f}%" for r in broad)
    return (f"{la} had {context['population']['total']:,} usual residents on census day "
            f"{year}. By broad ethnic group: {parts}.")


def _segregation(context: dict) -> list[str]:
    """The most and least uneven groups by D corrected for small numbers, among the groups
    large enough to rank; groups too small to rank are left out (their D rests on chance as
    much as on where people live)."""
    segregation = context["segregation"]
    rows = [r for r in segregation["rows"] if not r["note"] and r["corrected"] is not None
            and not r["flag"]]
    if not rows:
        return []
    la, year, level = context["la"]["name"], context["year"], segregation["unit_level"]
    most = max(rows, key=lambda r: r["corrected"])
    left_out = [r["label"] for r in segregation["rows"] if r.get("flag") and not r["note"]]
    among = (f"Of the groups large enough to rank ({join_names(left_out)} "
             f"{'is' if len(left_out) == 1 else 'are'} not), each compared with all other "
             "residents" if left_out else "Of the groups compared with all other residents")
    sentence = (f"{among}, {most['label']} residents "
                f"were the most unevenly spread across the {level}s of {la} in {year}: "
                f"dissimilarity {number(most['cells']['dissimilarity']['value'], 2)} "
                f"({most['reading']}), {number(most['corrected'], 2)} corrected for small "
                f"numbers (95% CI {number(most['corrected_lower'], 2)} to "
                f"{number(most['corrected_upper'], 2)})"
                + (f", {most['corrected_rank']} {RANKED_AMONG} by the corrected value "
                   "(1st = highest)" if most["corrected_rank"] else "")
                + f"; at random it would be about {number(most['expected'], 2)}")
    sentences = [sentence + "."]
    least = min(rows, key=lambda r: r["corrected"])
    if least is not most:
        sentences.append(f"{least['label']} residents were the most evenly spread: "
                         f"dissimilarity {number(least['cells']['dissimilarity']['value'], 2)} "
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
    return [f"Between 2011 and 2021, {change['caption']}, dissimilarity "
            f"{join_names(parts)} (95% intervals of the change)."]


HEADLINE_MIN_COUNT = 30  # people or events behind each of the two compared figures
HEADLINE_MIN_RESIDENTS = 1_000  # residents of each group behind a rate per resident


def headline_ready(row: dict, ref: dict | None, indicator: dict) -> bool:
    """Whether a gap may be a headline: reliable and shown; both groups' counts at least
    :data:`HEADLINE_MIN_COUNT` (and, for rates per resident, at least
    :data:`HEADLINE_MIN_RESIDENTS` residents); no break in either group's series; not a
    crude rate; nothing missing from the source."""
    if ref is None or indicator["kind"] == "mean" or indicator.get("crude"):
        return False
    residents = (indicator.get("subjects") == "residents")
    for r in (row, ref):
        if (r["suppressed"] or r.get("unavailable") or r.get("series_break")
                or r.get("low_reliability") or (r.get("count") or 0) < HEADLINE_MIN_COUNT
                or (residents and (r.get("denominator") or 0) < HEADLINE_MIN_RESIDENTS)):
            return False
    return bool(row["reliable"] and row["ratio"])


def headline_rows(domains: list[dict] | None) -> list[tuple[dict, dict]]:
    """The (indicator, row) pairs the headlines lead with: in each indicator's latest
    period, the widest gap that is :func:`headline_ready`; the :data:`MAX_GAPS` widest."""
    if not domains:
        return []
    picks = []
    for indicator in (i for d in domains for i in d["indicators"]):
        latest = indicator["latest_rows"] if "latest_rows" in indicator else [
            r for r in indicator["rows"] if r["time"] == indicator["time"]]
        ref = next((r for r in latest if r["ethnicity"] == indicator["reference"]), None)
        ready = [r for r in latest if r is not ref and headline_ready(r, ref, indicator)]
        if ready:
            widest = max(ready, key=lambda r: abs(math.log(r["ratio"])))
            picks.append((abs(math.log(widest["ratio"])), indicator, widest))
    picks.sort(key=lambda p: -p[0])
    return [(indicator, row) for width, indicator, row in picks[:MAX_GAPS] if width > 0]


def _gaps(domains: list[dict] | None) -> list[str]:
    sentences = []
    for indicator, row in headline_rows(domains):
        ref = next(r for r in indicator["rows"] if r["time"] == indicator["time"]
                   and r["ethnicity"] == indicator["reference"])
        sentence = widest_sentence(row, ref, indicator)
        if indicator.get("group_note"):
            sentence = f"{sentence[:-1]}; {indicator['group_note']}."
        sentences.append(_placed(sentence, indicator))
    return sentences


def _placed(sentence: str, indicator: dict) -> str:
    """'In 2021, X …' → 'In 2021, in the West Yorkshire Police area, X …': the area beside
    the figure."""
    where = indicator.get("place") or indicator["geography"]
    opening = f"In {indicator['time']}, "
    if not sentence.startswith(opening):
        return f"{where[:1].upper()}{where[1:]}: {sentence}"
    rest = sentence[len(opening):]
    return f"{opening}in {where}, {rest}"


def _empty_domains(domains: list[dict] | None) -> list[str]:
    if not domains:
        return []
    empty = [d["heading"][:1].lower() + d["heading"][1:] for d in domains
             if not d["indicators"]]
    empty = [name.replace("BME", "BME (Black and minority ethnic)") for name in empty]
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
