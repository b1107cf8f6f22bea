"""The comparison's figures as inline SVG: slope charts of change and a map of the areas.

Each compared area keeps one Okabe–Ito colour in every figure; labels are written in dark
text beside a coloured mark (orange or sky-blue text would fail contrast on white).
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import geopandas as gpd
import matplotlib
import numpy as np

matplotlib.use("Agg")  # rendering to files only; never a window
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from ..report.charts import LINE_COLOURS, TEXT_COLOUR, spread_labels  # noqa: E402

AREA_COLOURS = LINE_COLOURS
STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "svg.fonttype": "none",  # text stays text: searchable, selectable, small
    "axes.edgecolor": "#595959",
    "axes.labelcolor": TEXT_COLOUR,
    "xtick.color": "#595959",
    "ytick.color": TEXT_COLOUR,
    "svg.hashsalt": "scorecard",  # identical input gives identical SVG
    "text.parse_math": False,  # names are data: "$x$" is drawn as typed, never as mathtext
}
OTHER_FILL = "#e4e4e4"
SIMPLIFY_M = 800  # national map: generalise LA outlines further (metres), for a small SVG


@contextmanager
def drawing() -> Iterator[None]:
    """The figures' style, and no warning for a glyph DejaVu Sans lacks (a custom area
    named in any script): the SVG keeps text as text (svg.fonttype none), so the reader's
    fonts draw it and matplotlib's missing glyph only affects its own measuring."""
    with plt.rc_context(STYLE), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from",
                                category=UserWarning)
        yield


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


def compact_svg(svg: str) -> str:
    """Path coordinates rounded to 0.1 pt (far below what a screen or printer shows)."""
    def rounded(number: re.Match) -> str:
        return f"{float(number.group(0)):.1f}"

    return re.sub(r' d="[^"]*"', lambda m: re.sub(r"-?\d+\.\d{2,}", rounded, m.group(0)), svg)


def _scale_bar(axes, extent_m: float) -> None:
    """A scale bar of a round length, bottom left, with its length in km."""
    length_km = max([n for n in (1, 2, 5, 10, 20, 50, 100, 200) if n * 1000 <= extent_m / 5]
                    or [1])
    x0, x1 = axes.get_xlim()
    y0, y1 = axes.get_ylim()
    x, y = x0 + (x1 - x0) * 0.03, y0 + (y1 - y0) * 0.03
    axes.plot([x, x + length_km * 1000], [y, y], color=TEXT_COLOUR, linewidth=2.5)
    axes.text(x + length_km * 500, y + (y1 - y0) * 0.012, f"{length_km:g} km", ha="center",
              va="bottom", fontsize=9, color=TEXT_COLOUR)


def _north_arrow(axes, x: float = 0.06, y: float = 0.93) -> None:
    axes.annotate("N", xy=(x, y), xytext=(x, y - 0.09), xycoords="axes fraction",
                  ha="center", va="center", fontsize=10, color=TEXT_COLOUR,
                  arrowprops={"arrowstyle": "-|>", "color": TEXT_COLOUR})


def slope_panels(panels: list[dict], names: list[str], *, years: tuple[int, int],
                 y_label: str, title: str, columns: int = 3, width: float = 7.2) -> str:
    """Small multiples of slope charts, one panel per entry of ``panels``.

    ``panels``: dicts with ``title`` and ``values`` (one (before, after) pair per name, NaN
    when missing). One line per area in its colour, labelled at the right with its name and
    value; a shared y axis from 0.
    """
    rows = int(np.ceil(len(panels) / columns))
    top = max([v for p in panels for pair in p["values"] for v in pair if np.isfinite(v)]
              + [0.1])
    ceiling = min(1.0, np.ceil(top * 10 + 0.5) / 10)
    with drawing():
        figure, axes_grid = plt.subplots(rows, columns, figsize=(width, 2.55 * rows + 0.5),
                                         squeeze=False)
        for k, axes in enumerate(axes_grid.ravel()):
            if k >= len(panels):
                axes.set_visible(False)
                continue
            panel = panels[k]
            ends = []
            for i, (before, after) in enumerate(panel["values"]):
                colour = AREA_COLOURS[i % len(AREA_COLOURS)]
                style = "-" if i < len(AREA_COLOURS) else "--"
                axes.plot([0, 1], [before, after], color=colour, linewidth=2, linestyle=style,
                          marker="o", markersize=4)
                if np.isfinite(after):
                    ends.append((i, after))
            if ends:
                positions = spread_labels([e[1] for e in ends], gap=ceiling * 0.085)
                for (i, value), y in zip(ends, positions, strict=True):
                    axes.annotate(f"{names[i]} {value:.2f}", xy=(1, value), xytext=(1.08, y),
                                  textcoords="data", va="center", ha="left", fontsize=8,
                                  color=TEXT_COLOUR,
                                  arrowprops={"arrowstyle": "-", "color": "#9a9a9a",
                                              "linewidth": 0.5, "shrinkA": 0, "shrinkB": 2})
            axes.set_xlim(-0.12, 2.25)
            axes.set_ylim(0, ceiling)
            axes.set_xticks([0, 1], [str(years[0]), str(years[1])])
            axes.set_title(panel["title"], loc="left", fontsize=9.5, color=TEXT_COLOUR)
            for side in ("top", "right"):
                axes.spines[side].set_visible(False)
            axes.spines["bottom"].set_bounds(0, 1)
            axes.tick_params(labelsize=8.5)
            if k % columns == 0:
                axes.set_ylabel(y_label, fontsize=9)
        figure.suptitle(title, x=0.01, ha="left", fontsize=11, color=TEXT_COLOUR)
        figure.tight_layout()
        return figure_to_svg(figure)


def areas_map(las: gpd.GeoDataFrame, highlights: list[tuple[str, gpd.GeoSeries]], *,
              title: str) -> str:
    """England and Wales LAs in grey; each highlighted area (name, geometry) in its colour,
    named in a column at the right with a leader line to the area."""
    shapes = las.copy()
    shapes["geometry"] = shapes.geometry.simplify(SIMPLIFY_M)
    with drawing():
        figure, axes = plt.subplots(figsize=(6.4, 7.2))
        shapes.plot(ax=axes, color=OTHER_FILL, edgecolor="white", linewidth=0.3)
        points = [geometry.representative_point() for _, geometry in highlights]
        by_size = sorted(range(len(highlights)), key=lambda i: -highlights[i][1].area)
        for i in by_size:  # largest first, so that an LA stays visible on its region
            colour = AREA_COLOURS[i % len(AREA_COLOURS)]
            area = gpd.GeoSeries(highlights[i][1], crs=las.crs).simplify(SIMPLIFY_M / 2)
            area.plot(ax=axes, color=colour, edgecolor=colour, linewidth=2.0)
        for point in points:
            axes.plot(point.x, point.y, marker="o", markersize=3.5, color=TEXT_COLOUR)
        minx, miny, maxx, maxy = shapes.total_bounds
        column_x = maxx + (maxx - minx) * 0.04
        label_y = spread_labels([p.y for p in points], gap=(maxy - miny) * 0.045)
        for i, ((name, _), point, y) in enumerate(zip(highlights, points, label_y,
                                                      strict=True)):
            colour = AREA_COLOURS[i % len(AREA_COLOURS)]
            axes.plot([point.x, column_x], [point.y, y], color="#6b6b6b", linewidth=0.6)
            axes.plot(column_x, y, marker="s", markersize=8, color=colour)
            axes.text(column_x + (maxx - minx) * 0.03, y, name, va="center", ha="left",
                      fontsize=9, color=TEXT_COLOUR)
        axes.set_xlim(minx - 5_000, maxx + (maxx - minx) * 0.42)
        axes.set_ylim(miny - 5_000, maxy + 5_000)
        axes.set_aspect("equal")
        axes.set_axis_off()
        _scale_bar(axes, max(maxx - minx, maxy - miny))
        _north_arrow(axes)
        axes.set_title(title, loc="left", fontsize=11, color=TEXT_COLOUR)
        return compact_svg(figure_to_svg(figure))
