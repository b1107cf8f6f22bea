"""Plain words generated from numbers: ordinals, readings of indices."""

from __future__ import annotations

import math


def ordinal(n: int) -> str:
    """1 → '1st', 2 → '2nd', 11 → '11th', 23 → '23rd'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def join_names(names) -> str:
    """'A', 'A and B', 'A, B and C'."""
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def reading_of_dissimilarity(value: float) -> str:
    """The rough reading used in the literature: ≥ 0.6 very high, 0.4–0.6 moderate, ≤ 0.3 low."""
    if value >= 0.6:
        return "very high"
    if value >= 0.4:
        return "moderate"
    if value > 0.3:
        return "low to moderate"
    return "low"


def ratio_text(ratio: float, like: float | None = None) -> str:
    """Ratios to one decimal place from 2 upwards, to two below (0.64, 1.35, 4.2); interval
    bounds take the decimals of their estimate (``like``)."""
    return f"{ratio:.1f}" if (ratio if like is None else like) >= 2 else f"{ratio:.2f}"


# How a group reads after "whose reference person is": most labels read as they are.
PREDICATES = {"Mixed": "of Mixed or Multiple ethnic groups", "Other": "of another ethnic group"}


def who(group: str, indicator: dict) -> str:
    """The people (or households) of a group as a sentence names them: 'Black residents',
    or, where the catalogue gives a phrase, 'households whose reference person is Black'."""
    phrase = indicator.get("who") or ""
    if "{group}" in phrase:
        return phrase.format(group=PREDICATES.get(group, group))
    return f"{group} {indicator.get('subjects') or 'people'}"


def _groups(n: int) -> str:
    return f"{n} group" if n == 1 else f"{n} groups"


def _ratio_with_interval(row: dict) -> tuple[str, str]:
    estimate = row["ratio"]
    return (ratio_text(estimate), f"(95% CI {ratio_text(row['ratio_lower'], estimate)} to "
                                  f"{ratio_text(row['ratio_upper'], estimate)})")


def gap_sentences(rows: list[dict], indicator: dict) -> list[str]:
    """Two plain sentences about one indicator's latest period, in the neutral style of
    Ethnicity Facts and Figures: the largest reliable gap, then how many groups differ."""
    reference = indicator["reference"]
    subjects = indicator["subjects"] or "people"
    time = indicator["time"]
    if not reference:
        shown = [r for r in rows if r["value"] is not None and not r["suppressed"]]
        listing = join_names([f"{r['ethnicity']} {r['value']:,.1f}" for r in shown])
        return [f"In {time}: {listing} ({indicator['unit']})." if shown else
                f"In {time}, no figure can be published.",
                "This indicator has no reference group, so no gap between groups is "
                "computed."]
    ref_who = who(reference, indicator)
    compared = [r for r in rows if r["ethnicity"] != reference and not r["suppressed"]
                and r["value"] is not None]
    if indicator["kind"] == "mean":
        ref = next((r for r in rows if r["ethnicity"] == reference), None)
        if ref is None or not compared:
            return [f"In {time}, no comparison with {ref_who} can be made."]
        widest = max(compared, key=lambda r: abs(r["gap"]))
        what = indicator["name"][:1].lower() + indicator["name"][1:]
        return [f"In {time}, the {what} was {widest['value']:,.1f} for "
                f"{who(widest['ethnicity'], indicator)} and {ref['value']:,.1f} for "
                f"{ref_who}.",
                "The source gives averages without a spread, so no interval can be given and "
                "no difference can be called reliable."]
    if not compared:
        return [f"In {time}, no group could be compared with {ref_who}: the "
                "figures are too small to publish (counts under 10 are suppressed)."]
    reliable = [r for r in compared if r["reliable"]]
    hidden = sum(1 for r in rows if r["ethnicity"] != reference and r["suppressed"])
    too_small = (f"; the figures for {_groups(hidden).replace('group', 'other group')} are "
                 "too small to publish." if hidden else ".")
    count = (f"{len(reliable)} of the {_groups(len(compared))} compared with {ref_who} "
             f"had a reliable difference in {time}{too_small}"
             if len(compared) > 1 else
             f"{who(compared[0]['ethnicity'], indicator)} were the only group compared with "
             f"{ref_who} in this table{too_small}")
    if not reliable:
        return [f"In {time}, there was no reliable difference between any group and "
                f"{ref_who}.", count]
    # Headline the widest reliable gap, preferring groups with a denominator of 30 or more.
    sturdy = [r for r in reliable if not r.get("low_reliability")] or reliable
    widest = max(sturdy, key=lambda r: abs(math.log(r["ratio"])))
    ratio, interval = _ratio_with_interval(widest)
    small = (f" The {widest['ethnicity']} figure rests on fewer than 30 {subjects}."
             if widest.get("low_reliability") else "")
    widest_who = who(widest["ethnicity"], indicator)
    if not indicator["likely_to"]:
        return [f"In {time}, the figure for {widest_who} was {ratio} times "
                f"the figure for {ref_who} {interval}.{small}", count]
    return [f"In {time}, {widest_who} were {ratio} times as likely as "
            f"{ref_who} {indicator['likely_to']} {interval}.{small}", count]
