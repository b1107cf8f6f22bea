"""Map layers of the site: what each one shades, its classes, colours and display text.

Colours are ColorBrewer schemes marked colour-blind safe: sequential for shares and indices,
diverging (PuOr) for location quotients around 1. Classes are Jenks–Caspall natural breaks
(mapclassify), except location quotients, whose classes are fixed around 1 so
that every map reads the same way. Each feature's class is worked out here, once, and sent to
the page as one character ("0"–"4", "n" no value, "s" suppressed), so the page never
classifies numbers itself.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from ..report.maps import CLASS_METHOD, classify
from ..report.text import ratio_text

PALETTES = {
    "share": ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"],  # YlGnBu
    "index": ["#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f"],  # Purples
    "entropy": ["#edf8fb", "#b2e2e2", "#66c2a4", "#2ca25f", "#006d2c"],  # BuGn
    "ratio": ["#ffffd4", "#fed98e", "#fe9929", "#d95f0e", "#993404"],  # YlOrBr
    "lq": ["#e66101", "#fdb863", "#f7f7f7", "#b2abd2", "#5e3c99"],  # PuOr, diverging
}
LQ_BREAKS = [0.5, 0.8, 1.25, 2.0]
LQ_LEGEND = ["under 0.5", "0.5 to 0.8", "0.8 to 1.25 (close to the area's share)",
             "1.25 to 2", "2 or more"]
LQ_METHOD = "fixed classes around 1 (the group's share of the whole local authority)"
DECIMALS = {"share": 1, "index": 2, "entropy": 2, "lq": 2, "ratio": 2}
NO_VALUE, SUPPRESSED, NOT_AVAILABLE, NOT_RANKED = "n", "s", "x", "r"
NOT_RANKED_LEGEND = "Not ranked: too few residents of the group to rank"


@dataclass(frozen=True)
class Layer:
    """One way to shade a map: a column of a table and how to show it."""

    id: str
    column: str
    kind: str  # share | index | entropy | lq | ratio
    group: str  # heading in the layer list and the tooltip, e.g. "Share of residents"
    short: str  # the layer within its group, e.g. "Asian"
    label: str  # a full title, e.g. "Asian residents as a share of all residents"
    unit: str  # legend title

    def text(self, value: float) -> str:
        """A value as printed on the page (percent to 1 dp, indices to 2, ratios 1–2)."""
        if value is None or not np.isfinite(value):
            return "no value"
        if self.kind == "share":
            return f"{value:.1f}%"
        if self.kind == "ratio":
            return ratio_text(value)
        return f"{value:.{DECIMALS[self.kind]}f}"

    def meta(self) -> dict:
        return {**asdict(self), "colours": PALETTES[self.kind]}


def share_layers(labels: dict[str, str]) -> list[Layer]:
    return [Layer(f"share_{g}", f"share_{g}", "share", "Share of residents", label,
                  f"{label} residents as a share of all residents", "% of residents")
            for g, label in labels.items()]


def lq_layers(labels: dict[str, str]) -> list[Layer]:
    return [Layer(f"lq_{g}", f"lq_{g}", "lq", "Location quotient", label,
                  f"Location quotient of {label} residents (share here ÷ share in the "
                  "local authority)", "Location quotient")
            for g, label in labels.items()]


ENTROPY = Layer("entropy", "entropy", "entropy", "Diversity", "Local entropy",
                "Local entropy: how mixed the groups are in the area (0 = one group only)",
                "Entropy (natural log)")


def dissimilarity_layers(labels: dict[str, str], units: str = "LSOAs") -> list[Layer]:
    """D of each group, corrected for small numbers (the value LAs are ranked on)."""
    return [Layer(f"d_{g}", f"d_{g}", "index", "Dissimilarity index (D)", label,
                  f"Dissimilarity of {label} residents from all others, over {units}, "
                  "corrected for small numbers",
                  "Dissimilarity corrected for small numbers (0 to 1)")
            for g, label in labels.items()]


def classes(layer: Layer, values: np.ndarray, suppressed: np.ndarray | None = None,
            unavailable: np.ndarray | None = None,
            unranked: np.ndarray | None = None) -> tuple[str, list[str], str]:
    """Each value's class as one character, the legend labels and the class method.
    Suppressed values (``[c]``, a count under 10), values the source lacks (``[x]``) and
    values of a group too small to rank are neither classed nor shaded: missing is not
    small, and a value resting on chance is not shaded beside ranked ones."""
    values = np.asarray(values, dtype=float)
    valid = np.isfinite(values)
    codes = np.full(len(values), NO_VALUE, dtype="<U1")
    if suppressed is not None:
        valid &= ~suppressed
        codes[suppressed] = SUPPRESSED
    if unavailable is not None:
        valid &= ~unavailable
        codes[unavailable] = NOT_AVAILABLE
    if unranked is not None:
        unranked = unranked & valid
        valid &= ~unranked
        codes[unranked] = NOT_RANKED
    if layer.kind == "lq":
        codes[valid] = np.digitize(values[valid], LQ_BREAKS).astype(str)
        return "".join(codes), list(LQ_LEGEND), LQ_METHOD
    if not valid.any():
        return "".join(codes), [], CLASS_METHOD
    found, bounds = classify(values[valid])
    # With fewer than five classes, spread them over the palette's range.
    spread = np.linspace(0, len(PALETTES[layer.kind]) - 1, len(bounds)).round().astype(int)
    codes[valid] = spread[found].astype(str)
    legend = [""] * len(PALETTES[layer.kind])
    for k, (low, high) in enumerate(bounds):
        a, b = layer.text(low), layer.text(high)
        legend[spread[k]] = a if a == b else f"{a} to {b}"
    return "".join(codes), legend, CLASS_METHOD
