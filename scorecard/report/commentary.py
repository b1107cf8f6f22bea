"""The local voice: the council's and partners' commentary, read from a Markdown file.

The file's shape (documented with a filled example in examples/commentary.md):

- an optional ``# title`` line, for the author's own use (not printed);
- ``## Section`` headings naming where the words go: ``Whole scorecard``, ``Population``,
  ``Residential segregation``, ``Maps`` (or ``Neighbourhoods``), ``Schools`` or a
  race-equality domain (``Education``,
  ``Criminal justice`` … or its id, ``criminal_justice``);
- under each, one or more ``### Who`` headings: the organisation (and, after a comma, a
  role or date) the words are attributed to;
- under each of those, the text: paragraphs, lists, **bold**, *italic*, ``#### subheadings``
  (e.g. "Commitments", "Next steps") and links to https or mailto addresses.

Markdown is parsed by markdown-it-py (the CommonMark reference port that rich already
depends on) rather than by hand: a hand-written parser would be one more thing to get wrong
on user input. Raw HTML, images (which would make the page load from elsewhere) and links
to anything but https, http or mailto are refused with the file and line, before anything
is written; the renderer also runs with HTML off, so no tag from the file reaches the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt
from markupsafe import Markup

from ..errors import InputError
from ..indicators import DOMAINS

MAX_BYTES = 200_000
SECTIONS = {
    "summary": ("whole scorecard", "summary", "scorecard", "the whole scorecard"),
    "population": ("population", "population by ethnic group"),
    "segregation": ("residential segregation", "segregation"),
    "maps": ("maps", "maps of neighbourhoods", "neighbourhoods"),
    "schools": ("schools", "school segregation", "schools and neighbourhoods"),
    **{domain: (domain.replace("_", " "), heading.lower())
       for domain, heading in DOMAINS.items()},
}
SECTION_HELP = ("Whole scorecard, Population, Residential segregation, Maps, Schools, "
                + ", ".join(DOMAINS.values()))
LINK_SCHEMES = ("https://", "http://", "mailto:")


@dataclass(frozen=True)
class Note:
    """One attributed piece of commentary, rendered to safe HTML."""

    who: str
    html: str


def _parsers() -> tuple[MarkdownIt, MarkdownIt]:
    """One parser that sees raw HTML (to refuse it), one that renders with HTML off."""
    finder = MarkdownIt("commonmark", {"html": True})
    finder.validateLink = lambda url: True  # see every link, to refuse the unsafe ones aloud
    renderer = MarkdownIt("commonmark", {"html": False, "linkify": False})
    return finder, renderer


def _section_key(title: str) -> str | None:
    wanted = " ".join(title.lower().replace("_", " ").split())
    return next((key for key, names in SECTIONS.items() if wanted in names), None)


def _check_inline(token, path: str) -> None:
    line = token.map[0] + 1 if token.map else None
    for child in token.children or []:
        if child.type == "html_inline":
            _fail(path, line, f"raw HTML ({child.content.strip()[:30]!r}) is not allowed; "
                  "write Markdown")
        if child.type == "image":
            _fail(path, line, "images are not allowed (the page loads nothing from elsewhere);"
                  " put your logo in --logo")
        if child.type == "link_open":
            href = str(child.attrGet("href") or "")
            if not href.lower().startswith(LINK_SCHEMES):
                _fail(path, line, f"link {href!r}: only https, http and mailto links are "
                      "allowed")


def _fail(path: str, line: int | None, message: str):
    where = f"line {line}: " if line else ""
    raise InputError(path, None, None, where + message)


def _read(path: Path) -> str:
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise InputError(str(path), None, None, f"cannot read the commentary: "
                         f"{error.strerror}") from None
    if len(data) > MAX_BYTES:
        raise InputError(str(path), None, None, f"the commentary is {len(data):,} bytes; "
                         f"keep it under {MAX_BYTES:,}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        _fail(str(path), line, "not UTF-8 text; save the file as UTF-8")
    bad = re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text)
    if bad:
        _fail(str(path), text[:bad.start()].count("\n") + 1, "a control character; remove it")
    return text


def read_commentary(path: Path) -> dict[str, list[Note]]:
    """Section key → its attributed notes, from a commentary file; InputError if malformed."""
    text = _read(path)
    name = str(path)
    finder, renderer = _parsers()
    tokens = finder.parse(text)
    out: dict[str, list[Note]] = {}
    section: str | None = None
    who: str | None = None
    body: list = []
    titled = False
    seen: set[str] = set()

    def close(line: int | None) -> None:
        nonlocal body
        if who is None:
            return
        if not body:
            _fail(name, line, f"nothing written under '### {who}'")
        html = renderer.renderer.render(body, renderer.options, {})
        out.setdefault(section, []).append(Note(who, str(Markup(html))))
        body = []

    i = 0
    while i < len(tokens):
        token = tokens[i]
        line = token.map[0] + 1 if token.map else None
        if token.type == "html_block":
            _fail(name, line, "raw HTML is not allowed; write Markdown")
        if token.type == "inline":
            _check_inline(token, name)
        if token.type == "heading_open" and token.tag in ("h1", "h2", "h3"):
            title = tokens[i + 1].content.strip()
            _check_inline(tokens[i + 1], name)
            if token.tag == "h1":
                if titled or section is not None:
                    _fail(name, line, "only one '# title', at the top; use '## Section' for "
                          "a section")
                titled = True
            elif token.tag == "h2":
                close(line)
                key = _section_key(title)
                if key is None:
                    _fail(name, line, f"'## {title}' is not a section of the scorecard; use "
                          f"one of: {SECTION_HELP}")
                if key in seen:
                    _fail(name, line, f"section '## {title}' appears twice")
                seen.add(key)
                section, who = key, None
            else:
                if section is None:
                    _fail(name, line, f"'### {title}' comes before any '## Section' heading")
                close(line)
                if not title or len(title) > 200:
                    _fail(name, line, "'###' names who wrote the text, in under 200 "
                          "characters")
                who = title
            i += 3  # heading_open, inline, heading_close
            continue
        if who is None:
            where = ("before any '## Section' heading" if section is None
                     else f"under '## {section}' before any '### Who' heading naming its author")
            _fail(name, line, f"text {where}")
        body.append(token)
        i += 1
    close(None)
    if section is None:
        _fail(name, None, "no '## Section' heading: see examples/commentary.md")
    return out
