"""Plain words generated from numbers: ordinals, readings of indices."""

from __future__ import annotations


def ordinal(n: int) -> str:
    """1 → '1st', 2 → '2nd', 11 → '11th', 23 → '23rd'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def reading_of_dissimilarity(value: float) -> str:
    """The rough reading used in the literature: ≥ 0.6 very high, 0.4–0.6 moderate, ≤ 0.3 low."""
    if value >= 0.6:
        return "very high"
    if value >= 0.4:
        return "moderate"
    if value > 0.3:
        return "low to moderate"
    return "low"
