"""Choropleth maps in British National Grid: north up, scale bar, classed legend with units."""

from __future__ import annotations

import warnings

import geopandas as gpd
import mapclassify
import numpy as np
from matplotlib.patches import Patch

from .charts import STYLE, TEXT_COLOUR, figure_to_svg, plt

SEQUENTIAL = "YlGnBu"  # sequential, colour-blind safe (ColorBrewer)
CLASS_METHOD = "Fisher–Jenks natural breaks"
MAX_CLASSES = 5


def classify(values: np.ndarray) -> tuple[np.ndarray, list[tuple[float, float]]]:
    """Fisher–Jenks classes (at most five, fewer when there are fewer distinct values)."""
    k = int(min(MAX_CLASSES, len(np.unique(values))))
    if k < 2:
        return np.zeros(len(values), dtype=int), [(float(values.min()), float(values.max()))]
    with warnings.catch_warnings():
        # mapclassify warns on every call when the optional numba is absent; the pure-Python
        # path gives the same classes, so the warning only alarms users.
        warnings.filterwarnings("ignore", message="Numba not installed")
        scheme = mapclassify.FisherJenks(values, k=k)
    # Label each class by the smallest and largest value in it, so labels never overlap.
    bounds = [(float(values[scheme.yb == c].min()), float(values[scheme.yb == c].max()))
              for c in range(len(scheme.bins))]
    return scheme.yb, bounds


def _scale_bar(axes, extent_m: float) -> None:
    """A scale bar of a round length, bottom left, with its length in km."""
    nice = [0.5, 1, 2, 5, 10, 20, 50, 100]
    length_km = max([n for n in nice if n * 1000 <= extent_m / 4] or [nice[0]])
    x0, x1 = axes.get_xlim()
    y0, y1 = axes.get_ylim()
    x, y = x0 + (x1 - x0) * 0.04, y0 + (y1 - y0) * 0.04
    axes.plot([x, x + length_km * 1000], [y, y], color=TEXT_COLOUR, linewidth=2.5)
    axes.text(x + length_km * 500, y + (y1 - y0) * 0.015, f"{length_km:g} km", ha="center",
              va="bottom", fontsize=9, color=TEXT_COLOUR)


def _north_arrow(axes) -> None:
    axes.annotate("N", xy=(0.95, 0.95), xytext=(0.95, 0.84), xycoords="axes fraction",
                  ha="center", va="center", fontsize=10, color=TEXT_COLOUR,
                  arrowprops={"arrowstyle": "-|>", "color": TEXT_COLOUR})


def choropleth(shapes: gpd.GeoDataFrame, values: np.ndarray, *, title: str,
               legend_title: str, outline: gpd.GeoDataFrame | None = None,
               lines: gpd.GeoDataFrame | None = None) -> tuple[str, list[tuple[float, float]]]:
    """An SVG choropleth of ``values`` (percentages) over ``shapes``; returns SVG and classes."""
    classes, bounds = classify(values)
    colours = plt.get_cmap(SEQUENTIAL, max(len(bounds), 2) + 1)
    palette = [colours(i + 1) for i in range(len(bounds))]
    with plt.rc_context(STYLE):
        figure, axes = plt.subplots(figsize=(7.0, 6.2))
        shapes.plot(ax=axes, color=[palette[c] for c in classes], edgecolor="white",
                    linewidth=0.25)
        if lines is not None:
            lines.boundary.plot(ax=axes, color="#7a7a7a", linewidth=0.5)
        if outline is not None:
            outline.boundary.plot(ax=axes, color=TEXT_COLOUR, linewidth=1.2)
        axes.set_aspect("equal")
        axes.set_axis_off()
        minx, miny, maxx, maxy = shapes.total_bounds
        _scale_bar(axes, max(maxx - minx, maxy - miny))
        _north_arrow(axes)
        handles = [Patch(facecolor=palette[i], edgecolor="#595959", linewidth=0.4,
                         label=f"{low:.1f}%" if f"{low:.1f}" == f"{high:.1f}" else
                         f"{low:.1f}% to {high:.1f}%")
                   for i, (low, high) in enumerate(bounds)]
        axes.legend(handles=handles, title=legend_title, loc="upper left",
                    bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=9, title_fontsize=9)
        axes.set_title(title, loc="left", fontsize=11, color=TEXT_COLOUR)
        return figure_to_svg(figure), bounds
