"""Context beside the scorecard's sections that is not a gap between groups, and what the
page says about how fresh its figures are: English proficiency (TS029) beside the
population, the period of every figure and a "data as of" line."""

from __future__ import annotations

import pandas as pd

from ..integration import english_for
from .domains import rank_text

CENSUS_DAY = {2011: "27 March 2011", 2021: "21 March 2021"}


def english_section(la_code: str, la_name: str, year: int,
                    found: dict | None = None) -> dict | None:
    """Residents aged 3+ who cannot speak English well or at all: sentences, and the rows
    data.csv adds. None for a 2011 scorecard (TS029 is a 2021 table). ``found``: the
    figures when they are not one LA's row (a county's districts summed)."""
    if found is None:
        found = english_for(la_code) if year == 2021 else None
    if found is None:
        return None
    value, national = found["value"], found["national_value"]
    rank = rank_text(found["rank"], found["n_ranked"])
    sentences = [
        f"In {found['time']}, {found['numerator']:,} of the {found['denominator']:,} residents "
        f"of {la_name} aged 3 and over ({value:.1f}%) could not speak English well or at all, "
        f"against {national:.1f}% in {found['national_name']}"
        + (f"; the share in {la_name} was the {rank} local authorities of England and Wales."
           if rank else "."),
        "The census table of English proficiency (TS029) is not published by ethnic group, "
        "so this is context for the whole population, not a gap between groups.",
    ]
    rows = [{"section": "context", "measure": "english_not_well_or_at_all", "group": "all",
             "unit_level": "la", "value": value, "rank": found["rank"], "n_units": 1,
             "time": found["time"], "numerator": found["numerator"],
             "denominator": found["denominator"],
             "note": f"percent of residents aged 3 and over; {found['national_name']} "
                     f"{national}"}]
    return {**found, "sentences": sentences, "data_rows": rows}


def figure_periods(year: int, gaps_table: pd.DataFrame, english: dict | None) -> list[str]:
    """The period of every figure on the page, one line per source of figures."""
    lines = [f"Population, segregation and maps: Census {year} (census day, "
             f"{CENSUS_DAY[year]})"]
    if english:
        lines.append(f"English proficiency: Census {english['time']} (census day, "
                     f"{CENSUS_DAY[2021]})")
    shown = gaps_table[gaps_table["value"].notna()] if not gaps_table.empty else gaps_table
    for (domain_name, name), part in (shown.groupby(["domain_name", "name"], sort=False)
                                      if len(shown) else []):
        periods = sorted(part["time"].astype(str).unique())
        lines.append(f"{domain_name}, {name[:1].lower() + name[1:]}: {', '.join(periods)}")
    return lines


def data_as_of(year: int, gaps_table: pd.DataFrame) -> str:
    """One line: census day, and the latest period of any other figure on the page."""
    text = f"Data as of: Census {year} figures are for census day, {CENSUS_DAY[year]}"
    shown = gaps_table[gaps_table["value"].notna()] if not gaps_table.empty else gaps_table
    if len(shown):
        latest = shown.loc[shown["time"].astype(str).map(_period_end).idxmax()]
        text += (f"; the latest other figure is for {latest['time']}: "
                 f"{latest['name'][:1].lower() + latest['name'][1:]}")
    return text + (". The sources section at the end names every table with its period and "
                   "origin.")


def _period_end(period: str) -> int:
    """'2021' → 2021, '2024/25' → 2025: the year a period ends in, for ordering."""
    start, _, end = period.partition("/")
    return int(start) + (1 if end else 0) if start.isdigit() else 0
