"""A4 PDF from the same HTML as the page, through WeasyPrint and the shared print CSS."""

from __future__ import annotations

import logging
import re

from ..errors import InputError

PRINT_OMITTED = re.compile(r"<!-- pdf:omit.*?<!-- /pdf:omit -->", flags=re.S)
PANGO_HINT = ("WeasyPrint cannot load Pango; install it (Debian/Ubuntu: apt-get install "
              "libpango-1.0-0 libpangoft2-1.0-0) or build with --format html")


def _weasyprint():
    try:
        import weasyprint
    except OSError as error:  # the Python package is there but the C libraries are not
        raise InputError(None, None, None, f"{PANGO_HINT} ({error})") from None
    # WeasyPrint logs every CSS property it ignores (screen-only rules); they are expected.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    return weasyprint


def check_pdf_engine() -> None:
    """Fail early, before anything is written, when PDFs are asked for and cannot be made."""
    _weasyprint()


def html_to_pdf(html: str) -> bytes:
    """Render self-contained HTML (inline CSS and SVG) to PDF bytes; fonts are embedded."""
    weasyprint = _weasyprint()
    # Parts the print CSS would hide anyway (long tables that are in the downloads) are cut
    # before WeasyPrint parses and styles them: about a second on a large LA.
    html = PRINT_OMITTED.sub("", html)
    return weasyprint.HTML(string=html, base_url=".").write_pdf()
