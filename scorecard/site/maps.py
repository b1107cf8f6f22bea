"""Explorable maps: inline SVG of the areas plus the JSON the page's script reads.

The SVG is drawn shaded by the default layer, so the map reads without JavaScript; the
script (static/site.js) recolours it from the classes in the JSON when another layer or
level is chosen, shows a tooltip of every value on hover or tap, and pans and zooms by
changing the viewBox. No tiles, no request: the geometry and values are in the page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from markupsafe import Markup, escape

from .layers import (
    NO_VALUE,
    NOT_AVAILABLE,
    NOT_RANKED,
    NOT_RANKED_LEGEND,
    PALETTES,
    SUPPRESSED,
    Layer,
    classes,
)
from .svg import Frame

HATCH = {NO_VALUE: "hatch-none", SUPPRESSED: "hatch-suppressed",
         NOT_AVAILABLE: "hatch-missing", NOT_RANKED: "hatch-unranked"}
PLAIN_FILL = "#e4e9ef"  # areas shown without values (wards)


@dataclass
class Level:
    """One set of areas of a map (e.g. LSOAs) with its values for every layer."""

    level: str
    label: str  # "LSOAs"
    frame: pd.DataFrame  # code, name, geometry and one column per layer
    layers: list[Layer]
    info: list[str]  # one line under each area's name in the tooltip
    note: str = ""  # said in the legend (e.g. why wards have no values)
    tip: str = ""  # said in every tooltip of the level
    links: list[str | None] | None = None
    texts: dict[str, list[str]] = field(default_factory=dict)  # layer id → display text
    suppressed: dict[str, np.ndarray] = field(default_factory=dict)
    unavailable: dict[str, np.ndarray] = field(default_factory=dict)  # [x]: not in the source
    missing_notes: dict[str, str] = field(default_factory=dict)  # layer id → why [x]
    unranked: dict[str, np.ndarray] = field(default_factory=dict)  # groups too small to rank

    def payload(self) -> dict:
        out = {"label": self.label, "codes": self.frame["code"].tolist(),
               "names": self.frame["name"].fillna(self.frame["code"]).tolist(),
               "info": self.info, "note": self.note, "tip": self.tip, "layers": {}}
        if self.links is not None:
            out["links"] = self.links
        for layer in self.layers:
            values = self.frame[layer.column].to_numpy(dtype=float)
            codes, legend, method = classes(layer, values, self.suppressed.get(layer.id),
                                            self.unavailable.get(layer.id),
                                            self.unranked.get(layer.id))
            texts = self.texts.get(layer.id) or [layer.text(v) for v in values]
            out["layers"][layer.id] = {"c": codes, "t": texts, "legend": legend,
                                       "method": method,
                                       "missing": self.missing_notes.get(layer.id, "")}
        return out


def _fill(code: str, layer: Layer | None) -> str:
    if layer is None:
        return PLAIN_FILL
    if code in HATCH:
        return f"url(#{HATCH[code]})"
    return PALETTES[layer.kind][int(code)]


def _units_svg(level: Level, frame: Frame, codes: str | None, layer: Layer | None,
               shown: bool) -> str:
    parts = [f'<g class="units{"" if shown else " off"}" data-level="{level.level}">']
    for i, geometry in enumerate(level.frame.geometry):
        fill = _fill(codes[i], layer) if codes is not None else PLAIN_FILL
        path = f'<path data-i="{i}" d="{frame.path(geometry)}" fill="{fill}"/>'
        href = level.links[i] if level.links is not None else None
        parts.append(f'<a href="{escape(href)}" aria-label="{escape(level.frame["name"].iloc[i])}">'
                     f"{path}</a>" if href else path)
    parts.append("</g>")
    return "".join(parts)


def _legend(level: Level, payload: dict, layer: Layer | None) -> dict:
    """The legend as first drawn (the script redraws it on every change)."""
    if layer is None or layer.id not in payload["layers"]:
        return {"title": "", "items": [], "method": "", "note": level.note}
    entry = payload["layers"][layer.id]
    items = [{"colour": colour, "label": label}
             for colour, label in zip(PALETTES[layer.kind], entry["legend"], strict=True)
             if label]
    return {"title": layer.label, "items": items,
            "none": NO_VALUE in entry["c"], "suppressed": SUPPRESSED in entry["c"],
            "missing": entry["missing"] if NOT_AVAILABLE in entry["c"] else "",
            "unranked": NOT_RANKED_LEGEND if NOT_RANKED in entry["c"] else "",
            "method": entry["method"], "note": level.note}


def place_labels(places: list[tuple[float, float, str]], frame: Frame,
                 size: float = 110.0) -> str:
    """Names at points (metres, EPSG:27700) over a map, white-haloed, ignored by the pointer
    and by screen readers (the map's description and table carry the names)."""
    texts = []
    for x, y, name in places:
        px, py = (x - frame.minx) / frame.step, (frame.maxy - y) / frame.step
        texts.append(f'<circle cx="{px:.0f}" cy="{py:.0f}" r="{size / 5:.0f}"/>'
                     f'<text x="{px + size / 3:.0f}" y="{py + size / 3:.0f}">{escape(name)}</text>')
    if not texts:
        return ""
    return (f'<g class="place-labels" aria-hidden="true" pointer-events="none" '
            f'font-size="{size:.0f}" font-family="Arial, Helvetica, sans-serif" fill="#1a1a1a" '
            f'stroke="#ffffff" stroke-width="{size / 6:.0f}" paint-order="stroke" '
            f'stroke-linejoin="round">' + "".join(texts) + "</g>")


def build_map(map_id: str, levels: list[Level], frame: Frame, *, default_layer: str,
              outline: str = "", overlay: str = "", title: str, description: str,
              labels: str = "") -> dict:
    """The template context of one map: SVG markup, JSON payload and the first legend."""
    layers = {layer.id: layer for level in levels for layer in level.layers}
    payloads = {level.level: level.payload() for level in levels}
    first = levels[0]
    layer = layers.get(default_layer)
    groups = []
    for k, level in enumerate(levels):
        entry = payloads[level.level]["layers"].get(default_layer)
        groups.append(_units_svg(level, frame, entry["c"] if entry else None,
                                 layer if entry else None, shown=k == 0))
    overlay_svg = (f'<g class="overlay"><path d="{overlay}"/></g>' if overlay else "")
    outline_svg = f'<path class="outline" d="{outline}"/>' if outline else ""
    svg = (f'<svg class="map-svg" id="{map_id}-svg" viewBox="{frame.view_box}" '
           f'preserveAspectRatio="xMidYMid meet" tabindex="0" '
           f'aria-labelledby="{map_id}-title {map_id}-desc">'
           f'<title id="{map_id}-title">{escape(title)}</title>'
           f'<desc id="{map_id}-desc">{escape(description)}</desc>'
           '<defs>'
           '<pattern id="hatch-none" width="6" height="6" patternUnits="userSpaceOnUse" '
           'patternTransform="rotate(45)"><rect width="6" height="6" fill="#f2f2f2"/>'
           '<line x1="0" y1="0" x2="0" y2="6" stroke="#8c8c8c" stroke-width="1.5"/></pattern>'
           '<pattern id="hatch-suppressed" width="6" height="6" patternUnits="userSpaceOnUse" '
           'patternTransform="rotate(-45)"><rect width="6" height="6" fill="#ffffff"/>'
           '<line x1="0" y1="0" x2="0" y2="6" stroke="#595959" stroke-width="1"/></pattern>'
           '<pattern id="hatch-missing" width="6" height="6" patternUnits="userSpaceOnUse">'
           '<rect width="6" height="6" fill="#ffffff"/><path d="M0 0L6 6M6 0L0 6" '
           'stroke="#7a5c00" stroke-width="0.8"/></pattern>'
           '<pattern id="hatch-unranked" width="5" height="5" patternUnits="userSpaceOnUse">'
           '<rect width="5" height="5" fill="#f7f7f7"/><circle cx="2.5" cy="2.5" r="1" '
           'fill="#6b6b6b"/></pattern>'
           '</defs>'
           + "".join(groups) + overlay_svg + outline_svg
           + '<path class="highlight" d=""/>' + labels + '</svg>')
    data = {"layers": [layer.meta() for layer in layers.values()], "levels": payloads,
            "default_layer": default_layer, "default_level": first.level,
            "metres_per_unit": frame.step}
    select = {}
    for item in layers.values():
        select.setdefault(item.group, []).append(item)
    return {"id": map_id, "svg": Markup(svg), "json": Markup(script_json(data)),
            "select": select, "default_layer": default_layer,
            "levels": [{"level": level.level, "label": level.label} for level in levels],
            "legend": _legend(first, payloads[first.level], layer),
            "has_overlay": bool(overlay)}


def script_json(data) -> str:
    """JSON safe inside <script type="application/json"> (no '</script>' can end it)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
