"""Plain words and numbers for change: values to 2 decimal places, changes to 3, signed,
with a true minus sign; "rose", "fell" or "no reliable change" from the engine's direction."""

from __future__ import annotations

import math

import pandas as pd

from . import text
from .text import MINUS, ordinal

READING = {"higher": "rose", "lower": "fell", "no reliable change": "no reliable change"}


def finite(value) -> bool:
    """True for a real number (not None, NaN, NA or infinite)."""
    return value is not None and not pd.isna(value) and math.isfinite(float(value))


def number(value, dp: int = 2) -> str:
    """0.64, −0.03; blank when there is no value (:func:`text.number` otherwise)."""
    return text.number(float(value), dp) if finite(value) else ""


def signed(value, dp: int = 3) -> str:
    """+0.016, −0.031; 0.000 without a sign."""
    if not finite(value):
        return ""
    text = f"{float(value):+,.{dp}f}"
    return text.replace("-", MINUS) if float(text) != 0 else text.lstrip("+-")


def between(lower, upper, dp: int = 3) -> str:
    """'−0.034 to −0.028' (an interval), blank without both ends."""
    if not (finite(lower) and finite(upper)):
        return ""
    return f"{signed(lower, dp)} to {signed(upper, dp)}"


def rank_text(rank, n) -> str:
    """'6th of 330', blank without a rank."""
    return f"{ordinal(int(rank))} of {int(n)}" if finite(rank) and finite(n) else ""


NOT_RANKED = "not ranked"


def rank_or_reason(rank, n, flag: str = "") -> str:
    """'15th of 141' (n: the areas ranked); 'not ranked' where ``flag`` says why a group is
    too small to rank; blank without a rank."""
    return NOT_RANKED if flag else rank_text(rank, n)


def percentile_text(value) -> str:
    return f"{float(value):.0f}" if finite(value) else ""


def group_words(group: str, labels: dict[str, str]) -> str:
    """'Asian residents', …, 'Residents of Other ethnic groups' (a broad group's plain name)."""
    return "Residents of Other ethnic groups" if group == "other" else f"{labels[group]} residents"
