"""Plain words generated from numbers: ordinals, readings of indices."""

from __future__ import annotations

import math


def ordinal(n: int) -> str:
    """1 → '1st', 2 → '2nd', 11 → '11th', 23 → '23rd'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


MINUS = "\u2212"  # the true minus sign: one sign for negative numbers on every page


def number(value: float, decimals: int = 1, thousands: bool = True) -> str:
    """A number as printed on a page: fixed decimals, thousands separators, a true minus
    sign (U+2212) rather than a hyphen; a value that rounds to zero has no sign."""
    text = f"{value:,.{decimals}f}" if thousands else f"{value:.{decimals}f}"
    if text.startswith("-"):
        text = text[1:] if not text.strip("-0.,") else MINUS + text[1:]
    return text


def minus(text: str) -> str:
    """Text with a leading hyphen-minus of a number replaced by the true minus sign."""
    return MINUS + text[1:] if text[:1] == "-" and text[1:2].isdigit() else text


def authority_kind(la_type: str, region: str) -> str:
    """'Metropolitan district in Yorkshire and The Humber'; a type that names its region
    already is not repeated ('London borough', 'Unitary authority in Wales', never 'Welsh
    unitary authority in Wales')."""
    if la_type.startswith("Welsh "):
        rest = la_type[len("Welsh "):]
        return f"{rest[:1].upper()}{rest[1:]} in {region}"
    if region and region.split()[0] in la_type.split():
        return la_type
    return f"{la_type} in {region}" if region else la_type


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


def plural(n: int, noun: str, plural_form: str | None = None) -> str:
    """'1 LSOA', '3 LSOAs', '1 group'."""
    return f"{n:,} {noun if n == 1 else plural_form or noun + 's'}"


def _groups(n: int) -> str:
    return plural(n, "group")


def _ratio_with_interval(row: dict) -> tuple[str, str]:
    estimate = row["ratio"]
    return (ratio_text(estimate), f"(95% CI {ratio_text(row['ratio_lower'], estimate)} to "
                                  f"{ratio_text(row['ratio_upper'], estimate)})")


def per_phrase(unit: str) -> str:
    """'per 1,000' → 'for every 1,000'."""
    return unit.replace("per ", "for every ", 1) if unit.startswith("per ") else unit


def how_many_differ(reliable: int, compared: int) -> str:
    """'None of the 3 groups', '1 of the 3 groups', 'All 3 groups'."""
    if reliable == 0:
        return f"None of the {_groups(compared)}" if compared > 2 else (
            "Neither of the 2 groups" if compared == 2 else "No group")
    if reliable == compared and compared > 1:
        return f"All {_groups(compared)}"
    return f"{reliable} of the {_groups(compared)}"


def _count_sentence(compared, reliable, indicator, too_small) -> str:
    ref_who = who(indicator["reference"], indicator)
    if len(compared) == 1:
        first = who(compared[0]["ethnicity"], indicator)
        return (f"{first[:1].upper()}{first[1:]} were the only group compared "
                f"with {ref_who} in this table{too_small}")
    return (f"{how_many_differ(len(reliable), len(compared))} compared with {ref_who} "
            f"had a reliable difference in {indicator['time']}{too_small}")


def widest_sentence(widest: dict, ref: dict | None, indicator: dict) -> str:
    """The widest gap in words: events as events per residents (stop and search counts
    searches, not people), otherwise as 'times as likely'."""
    reference, time = indicator["reference"], indicator["time"]
    ref_who, widest_who = who(reference, indicator), who(widest["ethnicity"], indicator)
    ratio, interval = _ratio_with_interval(widest)
    if indicator.get("events") and ref is not None and ref["value"] is not None:
        per = per_phrase(indicator["unit"])
        return (f"In {time}, there were {number(widest['value'], 1)} {indicator['events']} "
                f"{per} {widest_who} and {number(ref['value'], 1)} {per} "
                f"{ref_who}: the {widest['ethnicity']} rate was {ratio} times the "
                f"{reference} rate {interval}.")
    if not indicator["likely_to"]:
        return (f"In {time}, the figure for {widest_who} was {ratio} times "
                f"the figure for {ref_who} {interval}.")
    return (f"In {time}, {widest_who} were {ratio} times as likely as "
            f"{ref_who} {indicator['likely_to']} {interval}.")


def sturdy(row: dict) -> bool:
    """A gap that can lead a sentence: reliable, shown, on 30 or more people, and in a
    series without a break."""
    return (row["reliable"] and not row.get("low_reliability") and not row.get("series_break")
            and not row.get("unavailable"))


def gap_sentences(rows: list[dict], indicator: dict) -> list[str]:
    """Plain sentences about one indicator's latest period, in the neutral style of
    Ethnicity Facts and Figures: the largest reliable gap, then how many groups differ,
    then what a crude rate or a break in the series means for the reading."""
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
    ref = next((r for r in rows if r["ethnicity"] == reference), None)
    missing = [r for r in rows if r.get("unavailable")]
    if missing and len(missing) == len(rows):
        return [f"In {time}, no figure is shown ([x]): the source's records are incomplete, "
                "as the note below says; these are missing figures, not small ones."]
    compared = [r for r in rows if r["ethnicity"] != reference and not r["suppressed"]
                and not r.get("unavailable") and r["value"] is not None]
    crude = [CRUDE_SENTENCE] if indicator.get("crude") else []
    if indicator["kind"] == "mean":
        if ref is None or ref["suppressed"] or not compared:
            return [f"In {time}, no comparison with {ref_who} can be made: the "
                    "averages rest on too few people to publish (under 10)." if ref is not None
                    else f"In {time}, no comparison with {ref_who} can be made."]
        widest = max(compared, key=lambda r: abs(r["gap"]))
        what = indicator["name"][:1].lower() + indicator["name"][1:]
        return [f"In {time}, the {what} was {number(widest['value'], 1)} for "
                f"{who(widest['ethnicity'], indicator)} and {number(ref['value'], 1)} for "
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
    count = _count_sentence(compared, reliable, indicator, too_small)
    if not reliable:
        return [f"In {time}, there was no reliable difference between any group and "
                f"{ref_who}.", count, *crude]
    # Lead with the widest sturdy gap: 30 or more people, no break in the series.
    ratios = [r for r in reliable if (r.get("ratio") or 0) > 0] or reliable
    widest = max([r for r in ratios if sturdy(r)] or ratios,
                 key=lambda r: abs(math.log(r["ratio"])) if (r.get("ratio") or 0) > 0 else 0)
    sentences = [widest_sentence(widest, ref, indicator), count]
    if widest.get("low_reliability"):
        sentences[0] += f" The {widest['ethnicity']} figure rests on fewer than 30 {subjects}."
    if widest.get("series_break"):
        sentences.append(f"The {widest['ethnicity']} series has a break (marked [b] in the "
                         "table): its count changed far beyond what chance allows from one "
                         "period to the next, which usually means a change in recording.")
    return sentences + crude


CRUDE_SENTENCE = ("These are crude rates, not age-standardised: they show how common the "
                  "outcome is in each group as it is, but groups with younger age profiles "
                  "have lower rates partly because they are younger, so a gap can reflect age "
                  "as much as ethnicity.")
