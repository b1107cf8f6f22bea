"""Plain sentences about school results, in the house style: the measure, the group compared,
the phase, the place and the date beside every figure; a school's intake is described, not
the school; "segregated" only as the published measure's own term, in quotation marks."""

from __future__ import annotations

import math

import pandas as pd

from ..report.text import ordinal
from .data import PERIOD
from .results import NEIGHBOURHOOD_WORDS

ENGLAND = "E92000001"
# The Challenge, SchoolDash and iCoCo Foundation (2017), for 2016: shares of schools whose
# White British share differs from their ten nearest schools' by their test.
PUBLISHED_2016 = {"primary": 0.26, "secondary": 0.406}
MEASURE_NAME = ("the measure of The Challenge, SchoolDash and the iCoCo Foundation "
                "(ten nearest schools of the same phase)")
GROUP_WORDS = {"white_british": "White British pupils", "fsm": "pupils eligible for free "
               "school meals", "asian": "Asian pupils", "black": "Black pupils",
               "mixed": "Mixed pupils", "white": "White pupils", "other": "pupils of Other "
               "ethnic groups"}


class Figures:
    """A summary's rows by (area, phase, index, group, set of schools), looked up in a dict:
    a page asks for a hundred figures, and filtering the frame each time costs seconds."""

    def __init__(self, summary: pd.DataFrame):
        self.rows = {(r["area_code"], r["phase"], r["index"], r["group"], r["schools"]): r
                     for r in summary.to_dict("records")}
        self.frame = summary

    def get(self, area: str, phase: str, index: str, group: str, schools: str = "all"):
        return self.rows.get((area, phase, index, group, schools))


def value_of(figures: Figures | pd.DataFrame, area: str, phase: str, index: str, group: str,
             schools: str = "all") -> dict | None:
    """The summary row of one figure (a dict), or None."""
    if isinstance(figures, pd.DataFrame):
        figures = Figures(figures)
    return figures.get(area, phase, index, group, schools)


def present(value) -> bool:
    return value is not None and value is not pd.NA and not (
        isinstance(value, float) and math.isnan(value))


def percent(share: float) -> str:
    return f"{100 * share:.1f}%"


def share_sentence(summary: Figures, area: str, name: str, phase: str,
                   group: str = "white_british") -> str:
    """The share of an area's schools classified 'segregated', with England's and 2016's."""
    row = value_of(summary, area, phase, "share_segregated", group)
    if row is None or not present(row["value"]):
        return f"No {phase} school in {name} could be compared with its nearest schools."
    higher = value_of(summary, area, phase, "share_segregated_higher", group)
    lower = value_of(summary, area, phase, "share_segregated_lower", group)
    n = int(row["n_units"])
    count = round(row["value"] * n)
    text = (f"In {name}, {percent(row['value'])} of {phase} schools ({count:,} of {n:,}) had "
            f"a share of {GROUP_WORDS[group]} more than 15 percentage points above or below "
            f"that of their ten nearest {phase} schools, or under half or over twice it "
            f"(either group), in January 2023: \"segregated\" in {MEASURE_NAME}")
    if higher is not None and lower is not None and present(higher["value"]):
        text += (f"; {percent(higher['value'])} with a higher share and "
                 f"{percent(lower['value'])} with a lower one")
    england = value_of(summary, ENGLAND, phase, "share_segregated", group)
    if area != ENGLAND and england is not None and present(england["value"]):
        text += f". England: {percent(england['value'])}"
    if group == "white_british":
        text += f"; published for 2016: {percent(PUBLISHED_2016[phase])}"
    return text + "."


def dissimilarity_sentence(summary: Figures, area: str, name: str, phase: str,
                           group: str = "white_british") -> str:
    row = value_of(summary, area, phase, "dissimilarity", group)
    if row is None or not present(row["value"]):
        reason = "" if row is None else f" ({row['note']})"
        return f"No dissimilarity across {phase} schools in {name}{reason}."
    text = (f"Across the {int(row['n_units']):,} {phase} schools of {name} ({PERIOD}), the "
            f"dissimilarity (D) of {GROUP_WORDS[group]} against all other pupils was "
            f"{row['value']:.2f}")
    if present(row.get("expected")):
        text += f" (expected at random {row['expected']:.2f}"
        corrected = value_of(summary, area, phase, "dissimilarity_bias_corrected", group)
        if corrected is not None and present(corrected["value"]):
            text += (f"; corrected for small numbers {corrected['value']:.2f}, 95% interval "
                     f"{corrected['lower']:.2f} to {corrected['upper']:.2f}")
        text += ")"
    if present(row.get("rank")):
        level = "LA districts" if row["area_level"] == "la" else "counties"
        text += (f"; {ordinal(int(row['rank']))} highest of {int(row['n_ranked'])} "
                 f"{level} with a value")
    return text + "."


def ratio_sentence(summary: Figures, area: str, name: str, phase: str,
                   group: str = "white") -> str | None:
    ratio = value_of(summary, area, phase, "dissimilarity_ratio", group)
    school = value_of(summary, area, phase, "dissimilarity", group)
    residents = value_of(summary, area, "residents", "dissimilarity", group, schools="")
    if ratio is None or not present(ratio["value"]) or school is None or residents is None:
        return None
    units = neighbourhood_words(residents)
    shown = round(float(ratio["value"]), 2)  # the words follow the figure printed
    way, than = (("more unevenly", "than") if shown > 1.05 else
                 ("less unevenly", "than") if shown < 0.95 else
                 ("about as unevenly", "as"))
    return (f"{GROUP_WORDS[group].capitalize()} and all others: D {school['value']:.2f} across "
            f"{phase} schools ({PERIOD}) and {residents['value']:.2f} across {units} (all usual "
            f"residents, Census 2021); pupils were spread {way} across {phase} schools {than} "
            f"residents across {units} (ratio {ratio['value']:.2f}, D across {phase} schools "
            f"÷ D across {units}).")


def neighbourhood_words(row: dict | None) -> str:
    """The units of a D-across-neighbourhoods row in words ("output areas")."""
    level = "" if row is None else str(row.get("unit_level") or "")
    return NEIGHBOURHOOD_WORDS.get(level, "neighbourhoods")


def key_figures(summary: pd.DataFrame, code: str | None) -> list[str]:
    """The lines ``scorecard schools`` prints: an LA's figures, or England's and the LAs
    with the highest shares."""
    if code is None:
        return national_lines(summary)
    named = summary[(summary["area_code"] == code) & summary["area_name"].notna()]
    name = str(named["area_name"].iloc[0]) if len(named) else code
    first = summary[summary["area_code"] == code]
    if len(first) == 1 and not present(first.iloc[0]["value"]):
        return [str(first.iloc[0]["note"])]
    summary = Figures(summary)
    lines = []
    for phase in ("primary", "secondary"):
        lines.append(f"{phase.capitalize()} schools")
        for sentence in (dissimilarity_sentence(summary, code, name, phase),
                         share_sentence(summary, code, name, phase),
                         dissimilarity_sentence(summary, code, name, phase, "fsm"),
                         share_sentence(summary, code, name, phase, "fsm"),
                         ratio_sentence(summary, code, name, phase)):
            if sentence:
                lines.append(f"  {sentence}")
    return lines


def top_areas(summary: pd.DataFrame, phase: str, n: int = 5, minimum: int = 10,
              group: str = "white_british") -> pd.DataFrame:
    """The LA districts with the highest shares of 'segregated' schools (at least
    ``minimum`` schools compared)."""
    rows = summary[(summary["area_level"] == "la") & (summary["phase"] == phase)
                   & (summary["index"] == "share_segregated") & (summary["group"] == group)
                   & (summary["n_units"] >= minimum)]
    return rows.sort_values(["value", "area_code"], ascending=[False, True]).head(n)


def national_lines(summary: pd.DataFrame) -> list[str]:
    lines = []
    figures = Figures(summary[summary["area_code"] == ENGLAND])
    for phase in ("primary", "secondary"):
        lines.append(share_sentence(figures, ENGLAND, "England", phase))
        top = top_areas(summary, phase)
        lines.append(f"  Highest shares of {phase} schools (LA districts with 10 or more "
                     "compared): " + "; ".join(
                         f"{r.area_name} {percent(r.value)} ({int(r.n_units)})"
                         for r in top.itertuples()))
    return lines
