"""Small SVG primitives shared by the maps and the charts: text, paths, measured widths.

Written by hand rather than through matplotlib: a page has a dozen maps and charts, and
matplotlib's SVG backend took about 0.3 s each (and was slow for WeasyPrint to parse).
Sizes are in points (1/72 inch), the SVG user unit, so text keeps its print size.
"""

from __future__ import annotations

from functools import cache, lru_cache
from html import escape

from matplotlib import font_manager

try:
    from matplotlib.ft2font import LoadFlags

    _NO_HINTING = LoadFlags.NO_HINTING
except ImportError:  # matplotlib < 3.10
    from matplotlib.ft2font import LOAD_NO_HINTING as _NO_HINTING

TEXT_COLOUR = "#1a1a1a"
FONT_FAMILY = "Arial, Helvetica, 'Liberation Sans', 'DejaVu Sans', sans-serif"
MEASURE_FONT = "DejaVu Sans"  # the widest of FONT_FAMILY: text measured with it fits in all
TEXT_SIZE = 9.0  # the report's smallest print size


def path_element(data: str, **attributes) -> str:
    """<path d=…> with attributes given as keywords (fill_opacity → fill-opacity)."""
    if not data:
        return ""
    return f'<path d="{data}"{attribute_text(attributes)}/>'


def attribute_text(attributes: dict) -> str:
    return "".join(f' {k.replace("_", "-")}="{v}"' for k, v in attributes.items())


def num(value: float) -> str:
    """A coordinate to 0.1 pt, without trailing zeros."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def text_element(x: float, y: float, text: str, *, size: float = TEXT_SIZE,
                 anchor: str = "start", bold: bool = False) -> str:
    weight = ' font-weight="bold"' if bold else ""
    anchor_attr = f' text-anchor="{anchor}"' if anchor != "start" else ""
    return (f'<text x="{num(x)}" y="{num(y)}" font-size="{num(size)}"{weight}'
            f'{anchor_attr}>{escape(text)}</text>')


@lru_cache(maxsize=8192)
def text_width(text: str, size: float = TEXT_SIZE) -> float:
    """Width in points of one line of text (measured in the widest font of the family)."""
    font = _font()
    font.set_size(size, 72)
    font.set_text(text, 0.0, flags=_NO_HINTING)
    return font.get_width_height()[0] / 64


@cache
def _font():
    return font_manager.get_font(font_manager.findfont(MEASURE_FONT))


def shorten(text: str, width: float, size: float = TEXT_SIZE) -> str:
    """``text`` cut with an ellipsis to fit ``width`` points (a label is never wider)."""
    if text_width(text[:400], size) <= width and len(text) <= 400:
        return text
    low, high = 0, min(len(text), 400)
    while low < high:  # the longest prefix that fits with its ellipsis
        middle = (low + high + 1) // 2
        if text_width(text[:middle].rstrip() + "…", size) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…"


def wrap(text: str, width: float, size: float = TEXT_SIZE) -> list[str]:
    """Lines of ``text`` no wider than ``width`` points (breaking at spaces)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}".strip()
            if line and text_width(candidate, size) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


def svg_document(width: float, height: float, body: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{num(width)}pt" '
            f'height="{num(height)}pt" viewBox="0 0 {num(width)} {num(height)}" '
            f'font-family="{FONT_FAMILY}" fill="{TEXT_COLOUR}" stroke-linejoin="round">'
            + "".join(body) + "</svg>")
