"""Link checker for a built site: no broken internal link, no request outside the site.

Every HTML page is parsed; each reference is sorted into one of two kinds:

* **resources** the browser fetches by itself (``src``, stylesheets, ``<use href>``,
  ``url(…)`` in styles and SVG attributes, ``@import``): they must be inside the site (or
  ``data:`` URIs). One pointing outside the site is an *external request*, always an error.
* **navigation** a reader chooses to follow (``<a href>``, ``<form action>``): inside the
  site it must resolve to a file (never a bare folder, which ``file://`` cannot open) and,
  with a ``#fragment``, to an element with that id. Links to other websites are allowed --
  following one is the reader's choice, not a request the page makes -- and are listed
  (the site's only ones are the Open Government Licence and its own attribution).

Scripts (``.js`` files and inline ``<script>``) must not open connections: ``fetch(``,
``XMLHttpRequest``, ``WebSocket``, ``EventSource``, ``sendBeacon``, ``importScripts`` and
dynamic ``import(`` are errors. Usable from tests and from ``scorecard site --check``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

RESOURCE_ATTRIBUTES = {"src", "srcset", "poster", "data", "background", "href:link",
                       "href:use", "href:image", "href:feimage", "href:script",
                       "xlink:href:use", "xlink:href:image", "xlink:href:feimage",
                       "xlink:href:script"}
NAVIGATION_ATTRIBUTES = {"href:a", "href:area", "action:form", "xlink:href:a", "formaction"}
URL_IN_CSS = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""", re.I)
CONNECTIONS = re.compile(r"\bfetch\s*\(|XMLHttpRequest|\bWebSocket\b|\bEventSource\b|"
                         r"sendBeacon|importScripts|\bimport\s*\(")
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    kind: str  # broken link, external request, folder link, missing anchor, connection
    target: str
    detail: str = ""

    def __str__(self) -> str:
        extra = f" ({self.detail})" if self.detail else ""
        return f"{self.file}, line {self.line}: {self.kind} {self.target!r}{extra}"


@dataclass
class Report:
    """The checker's findings over one site folder."""

    root: Path
    pages: int = 0
    references: int = 0
    problems: list[Problem] = field(default_factory=list)
    external_links: dict[str, int] = field(default_factory=dict)  # URL → times linked
    duplicate_ids: dict[str, list[str]] = field(default_factory=dict)  # page → repeated ids

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class _Reference:
    line: int
    value: str
    resource: bool


class _Page(HTMLParser):
    """Collects a page's ids and its references (with line numbers)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: dict[str, int] = {}  # id → how many elements carry it
        self.references: list[_Reference] = []
        self.scripts: list[tuple[int, str]] = []
        self._in: str | None = None
        self._script_json = False

    def handle_starttag(self, tag, attrs):
        self._tag(tag, attrs)
        if tag in ("script", "style"):
            kind = dict(attrs).get("type", "") or ""
            self._in = tag
            self._script_json = tag == "script" and "json" in kind

    def handle_startendtag(self, tag, attrs):
        self._tag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        line = self.getpos()[0]
        if self._in == "style":
            self._css(line, data)
        elif self._in == "script" and not self._script_json:
            self.scripts.append((line, data))

    def _css(self, line: int, text: str) -> None:
        for match in URL_IN_CSS.finditer(text):
            self.references.append(_Reference(line, match.group(2) or match.group(4) or "",
                                              True))

    def _tag(self, tag: str, attrs) -> None:
        line = self.getpos()[0]
        tag = tag.lower()
        for name, value in attrs:
            if value is None:
                continue
            name = name.lower()
            if name == "id" or (name == "name" and tag == "a"):
                self.ids[value] = self.ids.get(value, 0) + 1
            if name.startswith("xmlns"):
                continue
            if "url(" in value.lower():
                self._css(line, value)
            if name == "srcset":
                for part in value.split(","):
                    if part.strip():
                        self.references.append(_Reference(line, part.split()[0], True))
                continue
            key = f"{name}:{tag}"
            if name in RESOURCE_ATTRIBUTES or key in RESOURCE_ATTRIBUTES:
                self.references.append(_Reference(line, value, True))
            elif key in NAVIGATION_ATTRIBUTES or name in NAVIGATION_ATTRIBUTES:
                self.references.append(_Reference(line, value, False))


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8", errors="replace"))
    page.close()
    return page


def check_site(root: Path) -> Report:
    """Check every HTML, CSS and JS file under ``root`` (hidden files and folders skipped)."""
    root = Path(root).resolve()
    report = Report(root)
    files = [p for p in sorted(root.rglob("*"))
             if p.is_file() and not any(part.startswith(".")
                                        for part in p.relative_to(root).parts)]
    parsed: dict[Path, _Page] = {}

    def page_of(path: Path) -> _Page:
        if path not in parsed:
            parsed[path] = _parse(path)
        return parsed[path]

    for path in files:
        shown = path.relative_to(root).as_posix()
        suffix = path.suffix.lower()
        if suffix == ".js":
            _connections(report, shown, [(1, path.read_text(encoding="utf-8"))])
        elif suffix == ".css":
            text = path.read_text(encoding="utf-8")
            for match in URL_IN_CSS.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                _check(report, root, path, shown, _Reference(
                    line, match.group(2) or match.group(4) or "", True), page_of)
        elif suffix in (".html", ".htm"):
            report.pages += 1
            page = page_of(path)
            repeated = sorted(i for i, n in page.ids.items() if n > 1)
            if repeated:
                # Invalid HTML, but not a broken link: matplotlib's inline SVGs repeat ids
                # whose elements are identical (ids are hashes of their content), so any
                # of them serves. Listed for the caller to judge.
                report.duplicate_ids[shown] = repeated
            _connections(report, shown, page.scripts)
            for reference in page.references:
                _check(report, root, path, shown, reference, page_of)
    return report


def _connections(report: Report, shown: str, scripts: list[tuple[int, str]]) -> None:
    for first_line, text in scripts:
        for match in CONNECTIONS.finditer(text):
            line = first_line + text.count("\n", 0, match.start())
            report.problems.append(Problem(shown, line, "connection", match.group(0).strip(),
                                           "scripts must not open network connections"))


def _check(report: Report, root: Path, path: Path, shown: str, ref: _Reference,
           page_of) -> None:
    value = ref.value.strip()
    report.references += 1
    if not value or value.startswith("data:"):
        return
    parts = urlsplit(value)
    if value.startswith("//") or (SCHEME.match(value) and parts.scheme.lower() not in (
            "mailto", "tel")):
        if ref.resource:
            report.problems.append(Problem(shown, ref.line, "external request", value,
                                           "the page would fetch it from outside the site"))
        elif parts.scheme.lower() in ("http", "https"):
            report.external_links[value] = report.external_links.get(value, 0) + 1
        else:
            report.problems.append(Problem(shown, ref.line, "unsupported link", value))
        return
    if SCHEME.match(value):  # mailto:, tel:
        return
    target = path if not parts.path else (path.parent / unquote(parts.path)).resolve()
    if not target.is_relative_to(root):
        report.problems.append(Problem(shown, ref.line, "broken link", value,
                                       "points outside the site folder"))
        return
    if target.is_dir():
        report.problems.append(Problem(shown, ref.line, "folder link", value,
                                       "file:// cannot open a folder; link its index.html"))
        return
    if not target.is_file():
        report.problems.append(Problem(shown, ref.line, "broken link", value, "no such file"))
        return
    is_page = target.suffix.lower() in (".html", ".htm")
    if parts.fragment and is_page and not page_of(target).ids.get(unquote(parts.fragment)):
        report.problems.append(Problem(
            shown, ref.line, "missing anchor", value,
            f"no id {parts.fragment!r} in {target.relative_to(root).as_posix()}"))
