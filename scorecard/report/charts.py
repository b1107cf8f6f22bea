"""Charts as inline SVG text, drawn by hand (see svgkit): horizontal bars with percentage
axes from 0, direct labels and intervals, and slope charts. No matplotlib here: importing it
costs every build process half a second (the comparisons' figures use it, in compare)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

import numpy as np

from . import svgkit

# Okabe–Ito, a palette readable with the common colour-vision deficiencies.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
             "#000000"]
BAR_COLOUR = OKABE_ITO[0]
# Okabe–Ito without the yellow (too light for lines) until the eighth line.
LINE_COLOURS = [OKABE_ITO[i] for i in (0, 5, 2, 3, 1, 4, 7, 6)]
TEXT_COLOUR = "#1a1a1a"


# ----------------------------------------------------------------- horizontal bar charts
# Drawn as SVG by hand (see svgkit): the same look as before at a tenth of the time.

CHART_WIDTH = 504.0  # points: 7 inches, the text width of an A4 page
ROW = 20.0
SHARE_CHART_WIDTH = 380.0  # the population chart (see share_bars)
SHARE_ROW = 15.0
BAR = 12.0
TITLE_SIZE = 10.5
AXIS_COLOUR = "#595959"
VALUE_ROOM = 48.0  # right of the longest bar or interval, for its label
MAX_LABEL_SHARE = 0.4  # of the chart's width: longer group labels are shortened ("…")


def nice_ticks(top: float, most: int = 7) -> list[float]:
    """Round tick values from 0 past ``top`` (steps of 1, 2, 2.5 or 5 × 10^k)."""
    top = max(top, 1e-9)
    magnitude = 10 ** math.floor(math.log10(top))
    step = next(m * magnitude for m in (0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10)
                if top / (m * magnitude) <= most - 1)
    count = math.ceil(top / step - 1e-9)
    return [round(i * step, 10) for i in range(count + 1)]


def _tick_text(value: float, step: float, percent: bool) -> str:
    decimals = 0 if step >= 1 else len(f"{step:g}".split(".")[1])
    return f"{value:,.{decimals}f}" + ("%" if percent else "")


def bar_chart(labels: list[str], values: list[float], *, title: str | None, axis_label: str,
              value_labels: list[str], colours: list[str] | None = None,
              lowers: list[float | None] | None = None,
              uppers: list[float | None] | None = None, percent: bool = False,
              cap: float | None = None, width: float = CHART_WIDTH,
              row: float = ROW) -> str:
    """Horizontal bars from 0 with optional 95% intervals and a label at each bar's end;
    ``title=None`` leaves the title to the page (a heading right above the chart)."""
    n = len(labels)
    lowers = lowers or [None] * n
    uppers = uppers or [None] * n
    colours = colours or [BAR_COLOUR] * n
    reach = [max(v, u if u is not None else v) for v, u in zip(values, uppers, strict=True)]
    ticks = nice_ticks(max(reach + [1e-9]) * 1.02)
    if cap is not None and ticks[-1] > cap:
        ticks = [t for t in ticks if t <= cap]
    x_max = ticks[-1]
    room = width * MAX_LABEL_SHARE
    labels = [svgkit.shorten(label, room) for label in labels]
    left = max(svgkit.text_width(label) for label in labels) + 10 if labels else 10
    plot = width - left - VALUE_ROOM
    top = 24.0 if title else 4.0
    axis_y = top + n * row + 4

    def x(value: float) -> float:
        return left + plot * min(max(value, 0.0), x_max) / x_max

    body = [svgkit.text_element(0, 12, title, size=TITLE_SIZE)] if title else []
    for i, (label, value, low, high) in enumerate(zip(labels, values, lowers, uppers,
                                                      strict=True)):
        middle = top + i * row + row / 2
        body.append(svgkit.text_element(left - 6, middle + 3.2, label, anchor="end"))
        body.append(f'<rect x="{svgkit.num(left)}" y="{svgkit.num(middle - BAR / 2)}" '
                    f'width="{svgkit.num(x(value) - left)}" height="{svgkit.num(BAR)}" '
                    f'fill="{colours[i]}"/>')
        if low is not None and high is not None:
            ends = f"M{svgkit.num(x(low))} {svgkit.num(middle - 4)}v8M{svgkit.num(x(high))} " \
                   f"{svgkit.num(middle - 4)}v8"
            body.append(svgkit.path_element(
                f"M{svgkit.num(x(low))} {svgkit.num(middle)}H{svgkit.num(x(high))}{ends}",
                stroke=TEXT_COLOUR, stroke_width="1.1", fill="none"))
        end = x(max(value, high if high is not None else value))
        body.append(svgkit.text_element(end + 4, middle + 3.2, value_labels[i]))
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1
    body.append(svgkit.path_element(f"M{svgkit.num(left)} {svgkit.num(axis_y)}"
                                    f"H{svgkit.num(x(x_max))}", stroke=AXIS_COLOUR,
                                    stroke_width="0.8", fill="none"))
    body.append(svgkit.path_element(f"M{svgkit.num(left)} {svgkit.num(top)}"
                                    f"V{svgkit.num(axis_y)}", stroke=AXIS_COLOUR,
                                    stroke_width="0.8", fill="none"))
    for tick in ticks:
        body.append(svgkit.path_element(f"M{svgkit.num(x(tick))} {svgkit.num(axis_y)}v3",
                                        stroke=AXIS_COLOUR, stroke_width="0.8", fill="none"))
        body.append(svgkit.text_element(x(tick), axis_y + 13, _tick_text(tick, step, percent),
                                        anchor="middle"))
    body.append(svgkit.text_element(left + plot / 2, axis_y + 27, axis_label, anchor="middle"))
    return svgkit.svg_document(width, axis_y + 32, body)


def share_bars(labels: list[str], shares: list[float], *, title: str) -> str:
    """Horizontal bars of percentages (0–100 scale), largest first as given, labelled directly.

    Narrower than the other charts and with closer rows (19 groups): its 9 pt text then stays
    legible when a phone scales it to the screen, and the population section fits one page."""
    return bar_chart(labels, shares, title=title, axis_label="Percentage of usual residents",
                     value_labels=[f"{share:.1f}%" for share in shares], percent=True,
                     cap=100, width=SHARE_CHART_WIDTH, row=SHARE_ROW)


def interval_bars(labels: list[str], values: list[float], lowers: list[float | None],
                  uppers: list[float | None], *, highlight: str, unit: str,
                  title: str | None) -> str:
    """Horizontal bars with 95% intervals drawn; the reference group's bar in a second colour.

    The axis starts at 0 and labels sit at the end of each bar (after its interval).
    """
    colours = [OKABE_ITO[1] if label == highlight else BAR_COLOUR for label in labels]
    return bar_chart(labels, values, title=title, axis_label=unit[:1].upper() + unit[1:],
                     value_labels=[f"{value:,.1f}" for value in values], colours=colours,
                     lowers=lowers, uppers=uppers, cap=100 if unit == "percent" else None)


def spread_labels(y: Sequence[float], gap: float) -> np.ndarray:
    """Label positions near ``y`` but at least ``gap`` apart, in the same order."""
    y = np.asarray(y, dtype=float)
    order = np.argsort(y, kind="stable")
    placed = y[order].copy()
    for _ in range(50):  # push apart, then recentre each cluster on its points
        moved = False
        for i in range(1, len(placed)):
            if placed[i] - placed[i - 1] < gap - 1e-12:
                middle = (placed[i] + placed[i - 1]) / 2
                placed[i - 1], placed[i] = middle - gap / 2, middle + gap / 2
                moved = True
        if not moved:
            break
    out = np.empty_like(placed)
    out[order] = placed
    return out


def slope_chart(names: list[str], values: list[tuple[float, float]], *, years: tuple[int, int],
                y_label: str, title: str, width: float = 330.0) -> str:
    """One slope chart: a line per name from its first to its second value, on an axis from
    0, each labelled at the right with its name and latest value (labels kept apart)."""
    finite = [v for pair in values for v in pair if math.isfinite(v)]
    ceiling = min(1.0, math.ceil(max(finite + [0.1]) * 10 + 0.5) / 10)
    ticks = nice_ticks(ceiling, most=6)
    ceiling = ticks[-1]
    top, bottom = 26.0, 170.0
    left = svgkit.text_width(f"{ticks[-1]:.1f}") + 26
    x0, x1 = left + 12, left + 92

    def y(value: float) -> float:
        return bottom - (bottom - top) * value / ceiling

    body = [svgkit.text_element(0, 12, title, size=TITLE_SIZE)]
    axis = {"stroke": AXIS_COLOUR, "stroke_width": "0.8", "fill": "none"}
    body.append(svgkit.path_element(f"M{svgkit.num(left)} {svgkit.num(top)}"
                                    f"V{svgkit.num(bottom)}H{svgkit.num(x1 + 8)}", **axis))
    for tick in ticks:
        body.append(svgkit.path_element(f"M{svgkit.num(left - 3)} {svgkit.num(y(tick))}h3",
                                        **axis))
        body.append(svgkit.text_element(left - 5, y(tick) + 3, f"{tick:.1f}", anchor="end"))
    for x, year in ((x0, years[0]), (x1, years[1])):
        body.append(svgkit.text_element(x, bottom + 13, str(year), anchor="middle"))
    middle = (top + bottom) / 2
    body.append(f'<text transform="translate(10 {svgkit.num(middle)}) rotate(-90)" '
                f'font-size="{svgkit.num(svgkit.TEXT_SIZE)}" text-anchor="middle">'
                f'{escape(y_label)}</text>')
    ends = [(i, after) for i, (_, after) in enumerate(values) if math.isfinite(after)]
    label_y = spread_labels([y(v) for _, v in ends], gap=11.0)
    for i, (before, after) in enumerate(values):
        colour = LINE_COLOURS[i % len(LINE_COLOURS)]
        points = [(x, y(v)) for x, v in ((x0, before), (x1, after)) if math.isfinite(v)]
        if len(points) == 2:
            body.append(svgkit.path_element(
                f"M{svgkit.num(points[0][0])} {svgkit.num(points[0][1])}"
                f"L{svgkit.num(points[1][0])} {svgkit.num(points[1][1])}",
                stroke=colour, stroke_width="2", fill="none"))
        body += [f'<circle cx="{svgkit.num(px)}" cy="{svgkit.num(py)}" r="2.6" '
                 f'fill="{colour}"/>' for px, py in points]
    for (i, after), ly in zip(ends, label_y, strict=True):
        body.append(svgkit.path_element(
            f"M{svgkit.num(x1 + 3)} {svgkit.num(y(after))}L{svgkit.num(x1 + 14)} "
            f"{svgkit.num(ly)}", stroke="#9a9a9a", stroke_width="0.5", fill="none"))
        value = f" {after:.2f}"
        name = svgkit.shorten(names[i], max(width - x1 - 17 - svgkit.text_width(value), 40.0))
        body.append(svgkit.text_element(x1 + 17, ly + 3, name + value))
    return svgkit.svg_document(width, bottom + 20, body)


def line_chart(names: list[str], series: list[list[float]], x_labels: list[str], *,
               y_label: str, title: str, width: float = 360.0) -> str:
    """Lines of values at a few ordered positions (e.g. scales), axis from 0, each line
    labelled at the right with its name and last value (labels kept apart)."""
    finite = [v for values in series for v in values if math.isfinite(v)]
    ceiling = min(1.0, math.ceil(max(finite + [0.1]) * 10 + 0.5) / 10)
    ticks = nice_ticks(ceiling, most=6)
    ceiling = ticks[-1]
    top, bottom = 26.0, 170.0
    left = svgkit.text_width(f"{ticks[-1]:.1f}") + 26
    step = 60.0
    xs = [left + 18 + step * i for i in range(len(x_labels))]

    def y(value: float) -> float:
        return bottom - (bottom - top) * value / ceiling

    body = [svgkit.text_element(0, 12, title, size=TITLE_SIZE)]
    axis = {"stroke": AXIS_COLOUR, "stroke_width": "0.8", "fill": "none"}
    body.append(svgkit.path_element(f"M{svgkit.num(left)} {svgkit.num(top)}"
                                    f"V{svgkit.num(bottom)}H{svgkit.num(xs[-1] + 8)}", **axis))
    for tick in ticks:
        body.append(svgkit.path_element(f"M{svgkit.num(left - 3)} {svgkit.num(y(tick))}h3",
                                        **axis))
        body.append(svgkit.text_element(left - 5, y(tick) + 3, f"{tick:.1f}", anchor="end"))
    for x, label in zip(xs, x_labels, strict=True):
        body.append(svgkit.text_element(x, bottom + 13, label, anchor="middle"))
    middle = (top + bottom) / 2
    body.append(f'<text transform="translate(10 {svgkit.num(middle)}) rotate(-90)" '
                f'font-size="{svgkit.num(svgkit.TEXT_SIZE)}" text-anchor="middle">'
                f'{escape(y_label)}</text>')
    ends = [(i, values[-1]) for i, values in enumerate(series) if math.isfinite(values[-1])]
    label_y = spread_labels([y(v) for _, v in ends], gap=11.0)
    for i, values in enumerate(series):
        colour = LINE_COLOURS[i % len(LINE_COLOURS)]
        points = [(x, y(v)) for x, v in zip(xs, values, strict=True) if math.isfinite(v)]
        if len(points) > 1:
            body.append(svgkit.path_element(
                "M" + "L".join(f"{svgkit.num(px)} {svgkit.num(py)}" for px, py in points),
                stroke=colour, stroke_width="2", fill="none"))
        body += [f'<circle cx="{svgkit.num(px)}" cy="{svgkit.num(py)}" r="2.4" '
                 f'fill="{colour}"/>' for px, py in points]
    for (i, last), ly in zip(ends, label_y, strict=True):
        body.append(svgkit.path_element(
            f"M{svgkit.num(xs[-1] + 3)} {svgkit.num(y(last))}L{svgkit.num(xs[-1] + 14)} "
            f"{svgkit.num(ly)}", stroke="#9a9a9a", stroke_width="0.5", fill="none"))
        body.append(svgkit.text_element(xs[-1] + 17, ly + 3, f"{names[i]} {last:.2f}"))
    return svgkit.svg_document(width, bottom + 20, body)
