"""Charts as inline SVG text: horizontal bars, percentage axes from 0, direct labels."""

from __future__ import annotations

import io
import re

import matplotlib

matplotlib.use("Agg")  # rendering to files only; never a window
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

# Okabe–Ito, a palette readable with the common colour-vision deficiencies.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
             "#000000"]
BAR_COLOUR = OKABE_ITO[0]
TEXT_COLOUR = "#1a1a1a"
STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "svg.fonttype": "none",  # text stays text: searchable, selectable, small
    "axes.edgecolor": "#595959",
    "axes.labelcolor": TEXT_COLOUR,
    "xtick.color": "#595959",
    "ytick.color": TEXT_COLOUR,
    "svg.hashsalt": "scorecard",  # identical input gives identical SVG
}


def figure_to_svg(figure: Figure) -> str:
    """The figure as an SVG fragment (no XML prolog), ready to inline in HTML."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    text = buffer.getvalue()
    return _lighter(text[text.index("<svg"):])


_CLIP_REFERENCE = re.compile(r' clip-path="url\(#[^)]*\)"')
_CLIP_DEFINITION = re.compile(r"<clipPath .*?</clipPath>", flags=re.S)
_METADATA = re.compile(r"<metadata>.*?</metadata>", flags=re.S)
_LINE_BREAK = re.compile(r"\n\s*")


def _lighter(svg: str) -> str:
    """Drop matplotlib's clip paths (every chart sets its limits to hold all it draws), its
    metadata and indentation: the same picture, parsed noticeably faster by WeasyPrint."""
    svg = _METADATA.sub("", _CLIP_DEFINITION.sub("", _CLIP_REFERENCE.sub("", svg)))
    return _LINE_BREAK.sub("\n", svg)


def share_bars(labels: list[str], shares: list[float], *, title: str) -> str:
    """Horizontal bars of percentages (0–100 scale), largest first as given, labelled directly."""
    with plt.rc_context(STYLE):
        height = 0.9 + 0.28 * len(labels)
        figure, axes = plt.subplots(figsize=(7.0, height))
        positions = list(range(len(labels)))[::-1]
        axes.barh(positions, shares, color=BAR_COLOUR, height=0.7)
        axes.set_yticks(positions, labels)
        top = max(shares) if shares else 1.0
        axes.set_xlim(0, top * 1.18 + 0.5)
        for y, share in zip(positions, shares, strict=True):
            axes.text(share + top * 0.01, y, f"{share:.1f}%", va="center", fontsize=9,
                      color=TEXT_COLOUR)
        axes.set_xlabel("Percentage of usual residents")
        axes.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(decimals=0))
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        axes.tick_params(axis="y", length=0)
        axes.set_title(title, loc="left", fontsize=11, color=TEXT_COLOUR)
        return figure_to_svg(figure)


def interval_bars(labels: list[str], values: list[float], lowers: list[float | None],
                  uppers: list[float | None], *, highlight: str, unit: str, title: str) -> str:
    """Horizontal bars with 95% intervals drawn; the reference group's bar in a second colour.

    The axis starts at 0 and labels sit at the end of each bar.
    """
    with plt.rc_context(STYLE):
        figure, axes = plt.subplots(figsize=(7.0, 0.9 + 0.42 * len(labels)))
        positions = list(range(len(labels)))[::-1]
        colours = [OKABE_ITO[1] if label == highlight else BAR_COLOUR for label in labels]
        axes.barh(positions, values, color=colours, height=0.6)
        top = max([u for u in uppers if u is not None] + values + [1e-9])
        for y, value, low, high in zip(positions, values, lowers, uppers, strict=True):
            if low is not None and high is not None:
                axes.plot([low, high], [y, y], color=TEXT_COLOUR, linewidth=1.2)
                axes.plot([low, low], [y - 0.15, y + 0.15], color=TEXT_COLOUR, linewidth=1.2)
                axes.plot([high, high], [y - 0.15, y + 0.15], color=TEXT_COLOUR, linewidth=1.2)
            end = high if high is not None else value
            axes.text(end + top * 0.02, y, f"{value:,.1f}", va="center", fontsize=9,
                      color=TEXT_COLOUR)
        axes.set_yticks(positions, labels)
        axes.set_xlim(0, min(top * 1.2, 100) if unit == "percent" else top * 1.2)
        axes.set_xlabel(unit[:1].upper() + unit[1:])
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        axes.tick_params(axis="y", length=0)
        axes.set_title(title, loc="left", fontsize=11, color=TEXT_COLOUR)
        return figure_to_svg(figure)
