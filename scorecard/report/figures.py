"""Every figure of a page as a file for slides: SVG always, PNG when asked for.

The figures are taken from the finished page (so a section added later gets its downloads
too): each ``<figure>``'s inline SVGs become one SVG file (a grid of small maps becomes one
drawing, three panels a row), and the figure gets "Download SVG · PNG" links. PNGs are drawn
by resvg (``resvg-py``: one wheel with no system libraries, the lightest route from SVG to
PNG in Python; the ``png`` extra), at twice the print size on white.
"""

from __future__ import annotations

import re

from ..errors import InputError
from .svgkit import num

FIGURE = re.compile(r"(<figure\b[^>]*>)(.*?)(</figure>)", flags=re.S)
SVG = re.compile(r"<svg\b.*?</svg>", flags=re.S)
SIZE = re.compile(r'<svg\b[^>]*?\bwidth="([0-9.]+)pt"[^>]*?\bheight="([0-9.]+)pt"')
CAPTION = re.compile(r"<figcaption>\s*(.*?)</figcaption>", flags=re.S)
TAG = re.compile(r"<[^>]+>")
PER_ROW = 3
GAP = 12.0  # points between panels
PNG_ZOOM = 2.0  # twice the print size: sharp on a slide
FOLDER = "figures"


def _size(svg: str) -> tuple[float, float]:
    found = SIZE.search(svg)
    return (float(found.group(1)), float(found.group(2))) if found else (300.0, 200.0)


def combine(svgs: list[str]) -> str:
    """One SVG of several panels, :data:`PER_ROW` a row (nested <svg> elements)."""
    if len(svgs) == 1:
        return svgs[0]
    sizes = [_size(s) for s in svgs]
    width = max(w for w, _ in sizes)
    rows = [list(range(i, min(i + PER_ROW, len(svgs)))) for i in range(0, len(svgs), PER_ROW)]
    body, y = [], 0.0
    for row in rows:
        x = 0.0
        for i in row:
            w, h = sizes[i]
            # inside the outer drawing a user unit is a point: sizes without 'pt'
            panel = re.sub(r'\b(width|height)="([0-9.]+)pt"', r'\1="\2"', svgs[i], count=2)
            body.append(re.sub(r"^<svg\b", f'<svg x="{num(x)}" y="{num(y)}"', panel, count=1))
            x += w + GAP
        y += max(sizes[i][1] for i in row) + GAP
    total_width = max(sum(sizes[i][0] for i in row) + GAP * (len(row) - 1) for row in rows)
    total_width = max(total_width, width)
    height = y - GAP
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{num(total_width)}pt" '
            f'height="{num(height)}pt" viewBox="0 0 {num(total_width)} {num(height)}">'
            + "".join(body) + "</svg>")


def _name(index: int, caption: str) -> str:
    words = re.sub(r"[^a-z0-9]+", "-", caption.lower()).strip("-")
    return f"figure-{index:02d}" + (f"-{words[:40].rstrip('-')}" if words else "")


def figure_files(html: str, png: bool = False) -> tuple[str, dict[str, str]]:
    """The page with a download line in each figure, and the SVG text of each file name
    (``figures/<name>.svg``; a PNG of the same name is linked when ``png``)."""
    files: dict[str, str] = {}

    def replace(match: re.Match) -> str:
        start, inner, end = match.groups()
        svgs = SVG.findall(inner)
        if not svgs:
            return match.group(0)
        caption = CAPTION.search(inner)
        text = " ".join(TAG.sub("", caption.group(1)).split()) if caption else ""
        name = _name(len(files) + 1, re.sub(r"^Figure \d+\.\s*", "", text))
        files[name] = combine(svgs)
        links = f'<a href="{FOLDER}/{name}.svg" download>SVG</a>'
        if png:
            links += f' · <a href="{FOLDER}/{name}.png" download>PNG</a>'
        return f'{start}{inner}<p class="figure-downloads">Download for slides: {links}</p>{end}'

    return FIGURE.sub(replace, html), files


def check_png_engine() -> None:
    """Fail before anything is written when PNGs are asked for and resvg is missing."""
    try:
        import resvg_py  # noqa: F401
    except ImportError:
        raise InputError(None, None, None, "PNG figures need resvg: pip install "
                         "'scorecard[png]' (or leave png out of --format)") from None


def _in_pixels(svg: str) -> str:
    """resvg reads sizes in px only: the root's points as CSS pixels (4/3 px a point)."""
    return re.sub(r'\b(width|height)="([0-9.]+)pt"',
                  lambda m: f'{m.group(1)}="{float(m.group(2)) * 4 / 3:.1f}"', svg, count=2)


def png_bytes(svg: str) -> bytes:
    """A PNG of an SVG figure, twice its print size, on white."""
    import resvg_py

    return bytes(resvg_py.svg_to_bytes(svg_string=_in_pixels(svg), zoom=PNG_ZOOM,
                                       background="#ffffff"))
