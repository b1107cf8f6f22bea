"""Who publishes a scorecard: name, logo, contact, dates, address and local commentary.

All of it is optional; without it the page is the project's own. Everything is checked
before anything is written (bad input: one line, exit code 2). User text is escaped where it
is drawn (Jinja autoescape); the logo goes in as a data-URI ``<img>``, in which a browser
runs no script and loads nothing, and an SVG logo is refused if it holds a script, an event
handler, an external reference or a DTD (WeasyPrint, which draws it in the PDF, would
follow an external reference).
"""

from __future__ import annotations

import base64
import datetime as dt
import re
import struct
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from .commentary import Note, read_commentary

MAX_LOGO_BYTES = 500_000
MAX_LOGO_PIXELS = 4000  # each side of a PNG
MAX_TEXT = 200
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_FORBIDDEN = {"script", "foreignobject", "iframe", "embed", "object", "audio", "video",
                 "handler", "listener"}


@dataclass(frozen=True)
class Publication:
    """The publisher's details for the cover and footer; empty fields are left out."""

    publisher: str = ""
    logo: str = ""  # a data URI
    contact: str = ""
    published: str = ""  # as printed: '4 December 2026'
    next_update: str = ""
    address: str = ""
    commentary: dict[str, list[Note]] = field(default_factory=dict)

    @property
    def contact_href(self) -> str:
        if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", self.contact):
            return f"mailto:{self.contact}"
        return self.contact if self.contact.lower().startswith(("https://", "http://")) else ""

    def running_line(self) -> str:
        """The PDF footer's words about the publisher (empty without one)."""
        parts = [f"Published by {self.publisher}" if self.publisher else "",
                 self.published, self.address]
        return " · ".join(p for p in parts if p)


def _text(value: str | None, option: str) -> str:
    text = " ".join((value or "").split())
    if len(text) > MAX_TEXT:
        raise InputError(None, None, None, f"{option}: keep it under {MAX_TEXT} characters")
    return text


def _date(value: str | None) -> str:
    if not value:
        return ""
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(None, None, None, f"--published {value!r}: give a date as "
                         "YYYY-MM-DD, e.g. 2026-03-31") from None
    return f"{day.day} {day:%B %Y}"


def _address(value: str | None) -> str:
    text = _text(value, "--address")
    if text and not re.fullmatch(r"https?://[^\s<>\"']+", text):
        raise InputError(None, None, None, f"--address {text!r}: give the page's web "
                         "address, starting https:// or http://")
    return text


def _png_size(data: bytes, path: str) -> tuple[int, int]:
    if len(data) < 24 or data[12:16] != b"IHDR":
        raise InputError(path, None, None, "not a readable PNG (no IHDR header)")
    return struct.unpack(">II", data[16:24])


def _check_svg(data: bytes, path: str) -> None:
    text = data.decode("utf-8", errors="replace")
    if re.search(r"<!DOCTYPE|<!ENTITY", text, flags=re.I):
        raise InputError(path, None, None, "an SVG logo with a DOCTYPE or ENTITY is refused; "
                         "export it as plain SVG")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        raise InputError(path, error.position[0], None, f"not well-formed SVG: {error}") from None
    if root.tag.rsplit("}", 1)[-1] != "svg":
        raise InputError(path, None, None, "the file's root element is not <svg>")
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1].lower()
        if tag in SVG_FORBIDDEN:
            raise InputError(path, None, None, f"an SVG logo may not hold <{tag}>")
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1].lower()
            if local.startswith("on"):
                raise InputError(path, None, None, f"an SVG logo may not have event "
                                 f"handlers ({local}=)")
            if local == "href" and not value.strip().startswith("#"):
                raise InputError(path, None, None, f"an SVG logo may not refer outside "
                                 f"itself ({local}={value[:40]!r})")
            if "url(" in value and not re.fullmatch(r"[^()]*(url\(\s*#[^)]*\)[^()]*)+",
                                                    value):
                raise InputError(path, None, None, "an SVG logo may not load anything "
                                 f"(url() in {local})")
        if tag == "style" and re.search(r"@import|url\(\s*[^#\s]", element.text or ""):
            raise InputError(path, None, None, "an SVG logo's style may not load anything")


def read_logo(path: Path | None) -> str:
    """A PNG or SVG logo, checked, as a data URI ('' without one)."""
    if path is None:
        return ""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise InputError(name, None, None, f"cannot read the logo: {error.strerror}") from None
    if len(data) > MAX_LOGO_BYTES:
        raise InputError(name, None, None, f"the logo is {len(data):,} bytes; keep it under "
                         f"{MAX_LOGO_BYTES:,}")
    if data.startswith(PNG_SIGNATURE):
        width, height = _png_size(data, name)
        if not (0 < width <= MAX_LOGO_PIXELS and 0 < height <= MAX_LOGO_PIXELS):
            raise InputError(name, None, None, f"the logo is {width} × {height} pixels; keep "
                             f"each side under {MAX_LOGO_PIXELS}")
        mime = "image/png"
    elif Path(path).suffix.lower() == ".svg":
        _check_svg(data, name)
        mime = "image/svg+xml"
    else:
        raise InputError(name, None, None, "the logo must be a PNG or an SVG file")
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def read_publication(*, publisher: str | None = None, logo: Path | None = None,
                     contact: str | None = None, published: str | None = None,
                     next_update: str | None = None, address: str | None = None,
                     commentary: Path | None = None) -> Publication:
    """Check and gather the publisher's options (InputError on the first problem)."""
    return Publication(
        publisher=_text(publisher, "--publisher"), logo=read_logo(logo),
        contact=_text(contact, "--contact"), published=_date(published),
        next_update=_text(next_update, "--next-update"), address=_address(address),
        commentary=read_commentary(commentary) if commentary else {})
