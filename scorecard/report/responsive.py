"""Pages that reflow on a phone: each table scrolls in its own focusable, named box."""

from __future__ import annotations

import re

TABLE = re.compile(r"<table\b.*?</table>", flags=re.S)
CAPTION = re.compile(r"<caption>(.*?)</caption>", flags=re.S)
TAG = re.compile(r"<[^>]+>")


def _scrolling(match: re.Match) -> str:
    """A table in its own horizontally scrolling box, focusable (tabindex=0) so that a
    keyboard can scroll it, named after its caption (WCAG 1.4.10 reflow at 320 CSS px)."""
    table = match.group(0)
    caption = CAPTION.search(table)
    name = " ".join(TAG.sub("", caption.group(1)).split()) if caption else "Table"
    label = name.replace('"', "&quot;")
    return (f'<div class="table-scroll" tabindex="0" role="region" aria-label="{label}">'
            f"{table}</div>")


def scrolling_tables(html: str) -> str:
    """Every table of a page wrapped by :func:`_scrolling` (done on the page, so sections
    added later get it too). Tables already inside a scroll box are left as they are."""
    return TABLE.sub(_scrolling, html)
