"""Choropleth maps as light inline SVG: British National Grid, north up, scale bar, legend.

The SVG is written here directly, not through matplotlib: an LA's page carries a dozen maps
and a build of all 331 LAs has about a second per LA, which matplotlib's figure, layout and
text machinery spends on two maps. Writing the few primitives a map needs (one compound
``<path>`` per class, a few lines, rectangles and text) takes milliseconds, keeps every
coordinate at 0.1 pt in relative form, and leaves out what WeasyPrint would parse for nothing
(ids, clip paths, metadata, global styles). Font metrics still come from matplotlib.

The geometry every map of one LA shares is prepared once (:func:`basemap`); classes come from
:mod:`.map_classes` (national breaks), :func:`classify` (mapclassify's Jenks–Caspall,
for the site's layers) or the fixed location-quotient breaks (:func:`lq_classes`).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import cache

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .. import geography
from .svgkit import TEXT_COLOUR, TEXT_SIZE, text_width
from .svgkit import num as _num
from .svgkit import path_element as _path
from .svgkit import svg_document as _svg
from .svgkit import text_element as _text
from .svgkit import wrap as _wrap

CLASS_METHOD = "Jenks–Caspall natural breaks (mapclassify)"
MAX_CLASSES = 5
# ColorBrewer schemes (colour-blind safe), by number of classes; the lightest colour of the
# next larger scheme is dropped so that no class looks like the white page.
_BREWER = {
    "YlGnBu": {7: ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"),
               3: ("#edf8b1", "#7fcdbb", "#2c7fb8"),
               4: ("#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"),
               5: ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"),
               6: ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494")},
    "BuPu": {3: ("#e0ecf4", "#9ebcda", "#8856a7"),
             4: ("#edf8fb", "#b3cde3", "#8c96c6", "#88419d"),
             5: ("#edf8fb", "#b3cde3", "#8c96c6", "#8856a7", "#810f7c"),
             6: ("#edf8fb", "#bfd3e6", "#9ebcda", "#8c96c6", "#8856a7", "#810f7c")},
}
SHARE_PALETTE = "YlGnBu"  # sequential: shares of residents
DIVERSITY_PALETTE = "BuPu"  # sequential: local entropy
# Location quotients: fixed classes symmetric around 1 on a ratio scale (×/÷ 1.25, 2, 4), so
# "twice the LA's share" and "half of it" sit the same distance from the neutral middle class;
# PuOr (ColorBrewer, diverging), its white middle made light grey to stand off the page.
LQ_BREAKS = (0.25, 0.5, 0.8, 1.25, 2.0, 4.0)
LQ_LABELS = ("under 0.25", "0.25 to 0.5", "0.5 to 0.8", "0.8 to 1.25", "1.25 to 2", "2 to 4",
             "4 or more")
LQ_COLOURS = ("#b35806", "#f1a340", "#fee0b6", "#e3e3e3", "#d8daeb", "#998ec3", "#542788")
LQ_METHOD = ("seven fixed classes symmetric around 1 on a ratio scale (each class includes "
             "its lower limit; 0.8 to 1.25 is about the LA's own share)")
NO_DATA_COLOUR = "#bdbdbd"
OUTLINE_COLOUR = "#1a1a1a"
WARD_COLOUR = "#666666"
ACCENT = "#0b4f8a"

# Sizes in points (1/72 inch, the SVG user unit here).
PANEL_WIDTH = 151.0  # three small multiples across an A4 page at print size
PANEL_MAX_HEIGHT = 180.0
FULL_WIDTH = 454.0
FULL_MAX_HEIGHT = 350.0
LOCATOR_WIDTH = 108.0
LOCATOR_TOLERANCE = 4000.0  # metres: about 0.7 pt on the locator
TITLE_SIZE = 9.5
MAX_WARD_LABELS = 40  # more wards than this cannot be named legibly on one page-wide map
# Boundaries are simplified (Visvalingam–Whyatt, shared edges kept shared) to about this many
# points at the map's size: below what shows, and it halves the weight of long coasts.
SIMPLIFY_POINTS = {False: 1.0, True: 0.5}  # small multiple, page-wide map


# --------------------------------------------------------------------------- classes


def mapclassify_module():
    """mapclassify, imported without numba: with numba it compiles its Fisher–Jenks kernel
    on import (seconds per process); Jenks–Caspall, used here, is plain numpy either way."""
    if "mapclassify" not in sys.modules and "numba" not in sys.modules:
        sys.modules["numba"] = None  # type: ignore[assignment]  # an ImportError for it
        try:
            import mapclassify
        finally:
            del sys.modules["numba"]
    import mapclassify

    return mapclassify


def classify(values: np.ndarray) -> tuple[np.ndarray, list[tuple[float, float]]]:
    """Jenks–Caspall natural-breaks classes by mapclassify (at most five, fewer when there
    are fewer distinct values).

    Returns each value's class and each class's (smallest, largest) value, so labels never
    overlap and no class is empty.
    """
    values = np.asarray(values, dtype=float)
    k = int(min(MAX_CLASSES, len(np.unique(values))))
    if k < 2:
        return np.zeros(len(values), dtype=int), [(float(values.min()), float(values.max()))]
    raw = mapclassify_module().JenksCaspall(values, k=k).yb
    used = np.unique(raw)
    classes = np.searchsorted(used, raw)
    bounds = [(float(values[classes == c].min()), float(values[classes == c].max()))
              for c in range(len(used))]
    return classes, bounds


def lq_classes(values: np.ndarray) -> np.ndarray:
    """Class of each location quotient among :data:`LQ_BREAKS` (−1 when missing)."""
    values = np.asarray(values, dtype=float)
    return np.where(np.isnan(values), -1, np.digitize(np.nan_to_num(values), LQ_BREAKS))


def sequential(name: str, k: int) -> list[str]:
    """``k`` colours of a ColorBrewer sequential scheme, light to dark."""
    if k <= 1:
        return [_BREWER[name][3][1]]
    schemes = _BREWER[name]
    return list(schemes[k + 1][1:]) if k + 1 in schemes else list(schemes[min(k, 5)][-k:])


def range_labels(bounds: list[tuple[float, float]], decimals: int = 1,
                 unit: str = "") -> list[str]:
    """'12.3% to 45.6%' per class ('12.3%' when a class holds one value), with as many
    decimals (up to ``decimals`` + 2) as it takes for neighbouring classes to read apart."""
    for places in range(decimals, decimals + 3):
        shown = [(f"{low:.{places}f}", f"{high:.{places}f}") for low, high in bounds]
        edges = [x for (a, b), (low, high) in zip(shown, bounds, strict=True)
                 for x in ((a,) if low == high else (a, b))]
        if len(set(edges)) == len(edges):  # every limit reads differently
            break
    return [f"{a}{unit}" if a == b else f"{a}{unit} to {b}{unit}" for a, b in shown]


# --------------------------------------------------------------------------- geometry


@dataclass(frozen=True)
class Basemap:
    """What every map of one LA at one size shares: unit polygons simplified for that size,
    unit edges, ward lines, the LA outline."""

    units: np.ndarray  # shapely polygons, one per unit (metres, EPSG:27700)
    edges: shapely.Geometry | None  # unit boundaries, each shared edge once (full size only)
    outline: shapely.Geometry  # the LA: union of its units
    ward_lines: shapely.Geometry | None  # ward boundaries inside the LA (not along its edge)
    wards: gpd.GeoDataFrame | None  # ward polygons as given, for placing names
    bounds: tuple[float, float, float, float]
    full: bool  # page-wide map (else a small multiple)
    coverage: bool  # the units tile the LA cleanly (coverage operations apply)
    clipped: bool = False  # a small far-off part (an island) is left outside the frame

    def class_shape(self, classes: np.ndarray, c: int) -> shapely.Geometry | None:
        """The units in class ``c`` merged, so only the class's own edges are drawn (units
        that do not tile cleanly are drawn as they are: no slow general union per class)."""
        chosen = self.units[classes == c]
        if len(chosen) == 0:
            return None
        if self.coverage:
            try:
                return shapely.coverage_union_all(chosen)
            except shapely.errors.GEOSException:
                pass
        return shapely.geometrycollections(chosen)


def union(geoms: np.ndarray) -> shapely.Geometry:
    """The union of polygons that tile an area: the fast coverage union, or the general one
    where the generalised boundaries do not quite meet (a few LAs' LSOAs)."""
    try:
        return shapely.coverage_union_all(geoms)
    except shapely.errors.GEOSException:
        return shapely.union_all(geoms)


def _metres_per_point(bounds: tuple[float, float, float, float], full: bool) -> float:
    minx, miny, maxx, maxy = bounds
    pad = 0.02 * max(maxx - minx, maxy - miny)
    width, height = (FULL_WIDTH, FULL_MAX_HEIGHT) if full else (PANEL_WIDTH, PANEL_MAX_HEIGHT)
    return max((maxx - minx + 2 * pad) / width, (maxy - miny + 2 * pad) / height)


def basemap(shapes: gpd.GeoDataFrame, wards: gpd.GeoDataFrame | None = None, *,
            full: bool = False) -> Basemap:
    """Prepare an LA's unit polygons (and wards) once for all its maps of one size.

    Boundaries are simplified to :data:`SIMPLIFY_POINTS` at that size.
    """
    geoms = shapes.geometry.to_numpy()
    bounds, clipped = main_bounds(geoms)
    if clipped:  # only what the frame shows: keeps every coordinate within the SVG's range
        minx, miny, maxx, maxy = bounds
        pad = 0.05 * max(maxx - minx, maxy - miny)
        geoms = shapely.clip_by_rect(geoms, minx - pad, miny - pad, maxx + pad, maxy + pad)
        keep = ~shapely.is_empty(geoms)
        geoms = geoms[keep]
        shapes = shapes[keep]
    tolerance = SIMPLIFY_POINTS[full] * _metres_per_point(bounds, full)
    try:
        outline = shapely.coverage_union_all(geoms)
        geoms = shapely.coverage_simplify(geoms, tolerance)
        outline = shapely.coverage_union_all(geoms)
        coverage = True
    except shapely.errors.GEOSException:
        geoms = shapely.simplify(geoms, tolerance)
        outline = shapely.union_all(geoms)
        coverage = False
    edges = shapely.line_merge(shapely.union_all(shapely.boundary(geoms))) if full else None
    ward_lines = None
    if wards is not None and len(wards):
        # Wards are generalised apart from LSOAs: drop their lines near the LA edge, where
        # they would double the outline.
        minx, miny, maxx, maxy = bounds
        inside = shapely.buffer(outline, -0.004 * max(maxx - minx, maxy - miny))
        lines = shapely.line_merge(shapely.union_all(shapely.boundary(wards.geometry.to_numpy())))
        ward_lines = shapely.simplify(shapely.intersection(lines, inside), tolerance)
    return Basemap(geoms, edges, outline, ward_lines, wards, bounds, full, coverage, clipped)


FAR_SHARE = 0.02  # a part under 2% of the LA's area …
FAR_GROWTH = 1.3  # … that makes the frame 30% larger or more is left out of it


def main_bounds(geoms: np.ndarray) -> tuple[tuple[float, float, float, float], bool]:
    """The frame of an LA's map: its whole extent, or, when small detached parts far off
    (Cardiff's Flat Holm in the Bristol Channel) would blow the frame up, the extent of the
    rest; returns the bounds and whether anything was left out."""
    whole = tuple(shapely.total_bounds(geoms))
    parts = shapely.get_parts(union(geoms))  # the LA's separate pieces of land
    if len(parts) < 2:
        return whole, False
    areas = shapely.area(parts)
    largest = parts[np.argmax(areas)]
    near = shapely.dwithin(parts, largest, 0.05 * np.sqrt(areas.max()))
    main = near | (areas >= FAR_SHARE * areas.sum())
    if main.all():
        return whole, False
    kept = tuple(shapely.total_bounds(parts[main]))
    # grow the kept frame with parts that touch or nearly touch it (neighbouring units)
    for _ in range(3):
        box = shapely.box(*kept)
        close = main | shapely.dwithin(parts, box, 0.02 * max(kept[2] - kept[0],
                                                              kept[3] - kept[1]))
        kept = tuple(shapely.total_bounds(parts[close]))
        main = close

    def size(b):
        return (b[2] - b[0]) * (b[3] - b[1])

    if main.all() or size(whole) < FAR_GROWTH * size(kept):
        return whole, False
    return kept, True


# --------------------------------------------------------------------------- SVG writing


@cache
def _numbers(limit: int = 30000) -> tuple[np.ndarray, np.ndarray]:
    """Shortest SVG text of every tenth from −limit to +limit: as a first number, and as a
    second one (with the space it needs unless it starts with a minus sign)."""
    tenths = np.arange(-limit, limit + 1)
    whole, part = np.divmod(np.abs(tenths), 10)
    text = [("-" if t < 0 else "") + (f"{w}" if p == 0 else f"{w or ''}.{p}")
            for t, w, p in zip(tenths.tolist(), whole.tolist(), part.tolist(), strict=True)]
    first = np.array(text, dtype=object)
    second = np.array([s if s.startswith("-") else " " + s for s in text], dtype=object)
    return first, second


@dataclass(frozen=True)
class _Frame:
    """From British National Grid metres to SVG points: x right, y down, north up."""

    x0: float
    y0: float
    left: float
    top: float
    scale: float  # points per metre

    def tenths(self, coords: np.ndarray) -> np.ndarray:
        x = (self.left + (coords[:, 0] - self.x0) * self.scale) * 10
        y = (self.top + (self.y0 - coords[:, 1]) * self.scale) * 10
        return np.rint(np.column_stack([x, y])).astype(np.int64)


def _path_data(geometry, frame: _Frame, closed: bool) -> str:
    """SVG path data of polygons' rings (``closed``) or of lines, relative, to 0.1 pt.

    Every segment keeps its command letter ('l'): WeasyPrint parses a path one letter at a
    time, and a long implicit run costs it quadratic time.
    """
    if geometry is None or shapely.is_empty(geometry):
        return ""
    parts = shapely.get_parts(np.atleast_1d(geometry))
    if closed:
        parts = parts[shapely.get_type_id(parts) == 3]
        # Exteriors anticlockwise, holes clockwise: one path fills right under nonzero.
        parts = shapely.get_rings(shapely.orient_polygons(parts))
    else:
        parts = parts[np.isin(shapely.get_type_id(parts), (1, 2))]
    if len(parts) == 0:
        return ""
    coords, owner = shapely.get_coordinates(parts, return_index=True)
    points = frame.tenths(coords)
    start = np.r_[True, owner[1:] != owner[:-1]]
    end = np.r_[start[1:], True]
    if closed:  # the closing vertex repeats the first: 'z' draws that edge
        keep = ~end
        points, start, end = points[keep], start[keep], np.r_[start[keep][1:], True]
    step = np.diff(points, axis=0, prepend=points[:1])
    moved = start | (step != 0).any(axis=1)
    first, second = _numbers()
    limit = (len(first) - 1) // 2
    if np.abs(points).max() > limit:
        raise ValueError("map coordinates beyond the SVG number table")
    absolute = "M" + first[points[:, 0] + limit] + second[points[:, 1] + limit]
    relative = first[step[:, 0] + limit] + second[step[:, 1] + limit]
    pieces = np.where(start, absolute, "l" + relative)
    if not closed:  # a line ends where it stops, so the next one can start with a short move
        pieces[1:] = np.where(start[1:], "m" + relative[1:], pieces[1:])
    if closed:
        pieces = np.where(end, pieces + "z", pieces)
    return "".join(pieces[moved | end].tolist())


# --------------------------------------------------------------------------- map parts


def _map_frame(base: Basemap, width: float, max_height: float, top: float
               ) -> tuple[_Frame, float, float]:
    """The frame that fits the LA (with a 2% margin) into ``width`` × at most ``max_height``,
    centred across ``width``."""
    minx, miny, maxx, maxy = base.bounds
    pad = 0.02 * max(maxx - minx, maxy - miny)
    dx, dy = maxx - minx + 2 * pad, maxy - miny + 2 * pad
    scale = min(width / dx, max_height / dy)
    left = (width - dx * scale) / 2
    return _Frame(minx - pad, maxy + pad, left, top, scale), dx * scale, dy * scale


def _scale_and_north(frame: _Frame, map_width: float, y: float) -> list[str]:
    """A scale bar of a round length at the left under the map; a north arrow at the right."""
    nice = [0.5, 1, 2, 5, 10, 20, 50, 100, 200]
    metres = map_width / frame.scale
    km = max([n for n in nice if n * 1000 <= metres / 4] or [nice[0]])
    length = km * 1000 * frame.scale
    left = frame.left
    right = left + map_width - 4
    return [
        f'<path d="M{_num(left)} {_num(y)}h{_num(length)}" stroke="{TEXT_COLOUR}" '
        'stroke-width="2" fill="none"/>',
        _text(left + length + 4, y + 3.2, f"{km:g} km"),
        f'<path d="M{_num(right)} {_num(y + 5)}v-9" stroke="{TEXT_COLOUR}" stroke-width=".8"/>',
        f'<path d="M{_num(right)} {_num(y - 7)}l-2.6 5h5.2z" stroke="none"/>',
        _text(right - 5, y + 4, "N", anchor="end"),
    ]


def _legend(colours: list[str], labels: list[str], title: str, *, x: float, y: float,
            width: float, columns: int = 1, missing: bool = False) -> tuple[list[str], float]:
    """Swatches with labels under a title; returns the SVG pieces and the height used."""
    if missing:
        colours, labels = [*colours, NO_DATA_COLOUR], [*labels, "no value"]
    body = []
    line = TEXT_SIZE * 1.25
    for i, text in enumerate(_wrap(title, width)):
        body.append(_text(x, y + TEXT_SIZE + i * line, text))
    top = y + (i + 1) * line + 3
    rows = -(-len(labels) // columns)
    column_width = width / columns
    for k, (colour, label) in enumerate(zip(colours, labels, strict=True)):
        col, row = divmod(k, rows)
        sx, sy = x + col * column_width, top + row * line
        body.append(f'<rect x="{_num(sx)}" y="{_num(sy)}" width="13" height="9" '
                    f'fill="{colour}" stroke="#595959" stroke-width=".4"/>')
        body.append(_text(sx + 17, sy + 8, label))
    return body, top + rows * line - y


def _label_options(name: str) -> list[list[str]]:
    """A name on one line, then on two lines broken at the space nearest its middle."""
    spaces = [i for i, ch in enumerate(name) if ch == " "]
    if not spaces:
        return [[name]]
    cut = min(spaces, key=lambda i: max(i, len(name) - i - 1))
    return [[name], [name[:cut], name[cut + 1:]]]


def _ward_labels(base: Basemap, frame: _Frame,
                 size: float = TEXT_SIZE) -> tuple[list[str], list[str]]:
    """Ward names at each ward's most inland point, where the name (on one line or two) fits
    inside the ward and clear of the names already placed; largest wards first."""
    wards = base.wards
    if wards is None or len(wards) > MAX_WARD_LABELS:
        return [], []
    geoms = wards.geometry.to_numpy()
    centres = shapely.get_point(shapely.maximum_inscribed_circle(geoms), 0)
    order = np.argsort(-shapely.area(geoms), kind="stable")
    metres = 1 / frame.scale
    line = size * 1.1
    body, placed, boxes = [], [], []
    for i in order:
        name = str(wards["name"].iloc[i])
        x, y = shapely.get_x(centres[i]), shapely.get_y(centres[i])
        for lines in _label_options(name):
            w = max(text_width(t, size) for t in lines) + 3
            h = line * len(lines) + 2
            box = shapely.box(x - w * metres / 2, y - h * metres / 2, x + w * metres / 2,
                              y + h * metres / 2)
            inside = shapely.area(shapely.intersection(box, geoms[i])) / shapely.area(box)
            if inside >= 0.9 and not any(box.intersects(b) for b in boxes):
                (px, py), = frame.tenths(np.array([[x, y]])) / 10
                body.append(f'<rect x="{_num(px - w / 2)}" y="{_num(py - h / 2)}" '
                            f'width="{_num(w)}" height="{_num(h)}" fill="#ffffff" '
                            'fill-opacity=".8"/>')
                for k, text in enumerate(lines):
                    baseline = py - h / 2 + 1 + line * k + size * 0.82
                    body.append(_text(px, baseline, text, size=size, anchor="middle"))
                boxes.append(box)
                placed.append(name)
                break
    return body, placed


def _layers(base: Basemap, frame: _Frame, classes: np.ndarray,
            colours: list[str]) -> list[str]:
    body = []
    for c in range(-1, len(colours)):
        colour = NO_DATA_COLOUR if c < 0 else colours[c]
        # A hairline in the fill's own colour hides the seams between neighbouring classes.
        body.append(_path(_path_data(base.class_shape(classes, c), frame, closed=True),
                          fill=colour, stroke=colour, stroke_width=".25"))
    if base.edges is not None:
        body.append(_path(_path_data(base.edges, frame, closed=False), fill="none",
                          stroke="#ffffff", stroke_width=".35"))
    body.append(_path(_path_data(base.ward_lines, frame, closed=False), fill="none",
                      stroke=WARD_COLOUR, stroke_width=".6" if base.full else ".45"))
    body.append(_path(_path_data(shapely.boundary(base.outline), frame, closed=False),
                      fill="none", stroke=OUTLINE_COLOUR, stroke_width=".8" if base.full else ".6"))
    return body


def choropleth(base: Basemap, classes: np.ndarray, colours: list[str], labels: list[str], *,
               title: str, legend_title: str, ward_labels: bool = False,
               legend_columns: int = 1) -> tuple[str, list[str]]:
    """One map of ``classes`` (−1 = no value) in ``colours``; returns the SVG and the wards
    named on it. Small multiples (a basemap with ``full=False``) sit three across an A4 page
    at print size; they leave out unit edges (too fine to see) and show each class as one
    region."""
    full = base.full
    width, max_height = (FULL_WIDTH, FULL_MAX_HEIGHT) if full else (PANEL_WIDTH,
                                                                    PANEL_MAX_HEIGHT)
    title_lines = _wrap(title, width, TITLE_SIZE) if title else []
    top = len(title_lines) * TITLE_SIZE * 1.25 + (4 if title else 2)
    frame, map_width, map_height = _map_frame(base, width, max_height, top)
    body = [_text(0, TITLE_SIZE + i * TITLE_SIZE * 1.25, t, size=TITLE_SIZE, bold=True)
            for i, t in enumerate(title_lines)]
    body += _layers(base, frame, classes, colours)
    named: list[str] = []
    if ward_labels:
        labels_svg, named = _ward_labels(base, frame)
        body += labels_svg
    bottom = top + map_height
    body += _scale_and_north(frame, map_width, bottom + 9)
    height = bottom + 18
    if labels:
        legend, used = _legend(colours, labels, legend_title, x=0, y=height + 2,
                               width=width, columns=legend_columns,
                               missing=bool((classes < 0).any()))
        body += legend
        height += used + 4
    return _svg(width, height, body), named


def legend_panel(colours: list[str], labels: list[str], title: str, note: str = "") -> str:
    """A legend on its own, for a grid of maps that share one set of classes."""
    body, used = _legend(colours, labels, title, x=0, y=0, width=PANEL_WIDTH)
    height = used
    for i, text in enumerate(_wrap(note, PANEL_WIDTH) if note else []):
        body.append(_text(0, used + 6 + TEXT_SIZE + i * TEXT_SIZE * 1.25, text))
        height = used + 6 + (i + 1) * TEXT_SIZE * 1.25
    return _svg(PANEL_WIDTH, height + 3, body)


# --------------------------------------------------------------------------- locator


@cache
def _locator_base(year: int) -> tuple[shapely.Geometry, shapely.Geometry]:
    """England and Wales simplified for a small map: the land, and the boundaries of its
    regions (and Wales) for bearings; every LA's edge would be a grey mesh at this size."""
    las = geography.polygons("la", year)
    regions = geography.authorities(year).set_index("code")["region_code"]
    geoms = shapely.coverage_simplify(las.geometry.to_numpy(), LOCATOR_TOLERANCE)
    land = union(geoms)
    region_of = regions.reindex(las["code"]).to_numpy()
    region_shapes = [union(geoms[region_of == r]) for r in pd.unique(region_of)]
    edges = shapely.union_all(shapely.boundary(region_shapes))
    inland = shapely.line_merge(shapely.difference(edges, shapely.boundary(land)))
    return land, inland


def locator(year: int, outline: shapely.Geometry) -> str:
    """England and Wales in light grey with its regions' boundaries, and this LA
    (``outline``) highlighted;
    a ring marks an LA too small to see at this scale."""
    land, edges = _locator_base(year)
    minx, miny, maxx, maxy = shapely.bounds(land)
    scale = LOCATOR_WIDTH / (maxx - minx)
    frame = _Frame(minx, maxy, 0.0, 0.0, scale)
    height = (maxy - miny) * scale
    simple = shapely.simplify(outline, LOCATOR_TOLERANCE / 6)
    body = [_path(_path_data(land, frame, closed=True), fill="#d9d9d9"),
            _path(_path_data(edges, frame, closed=False), fill="none", stroke="#ffffff",
                  stroke_width=".3"),
            _path(_path_data(simple, frame, closed=True), fill=ACCENT, stroke=ACCENT,
                  stroke_width=".4")]
    lx0, ly0, lx1, ly1 = shapely.bounds(outline)
    if max(lx1 - lx0, ly1 - ly0) * scale < 5:
        (cx, cy), = frame.tenths(shapely.get_coordinates(shapely.centroid(outline))) / 10
        body.append(f'<circle cx="{_num(cx)}" cy="{_num(cy)}" r="5" fill="none" '
                    f'stroke="{ACCENT}" stroke-width="1.2"/>')
    return _svg(LOCATOR_WIDTH, height, body)
