"""A4 PDF from the same HTML as the page, through WeasyPrint and the shared print CSS."""

from __future__ import annotations

import base64
import contextlib
import ctypes
import logging
import re
from concurrent.futures import Future

from ..errors import InputError
from ..processes import new_pool, stop_pool

INLINE_SVG = re.compile(r"<svg\b.*?</svg>", flags=re.S)
PANGO_HINT = ("WeasyPrint cannot load Pango; install it (Debian/Ubuntu: apt-get install "
              "libpango-1.0-0 libpangoft2-1.0-0) or build with --format html")
# The names WeasyPrint itself tries when it opens Pango (weasyprint/text/ffi.py).
PANGO_LIBRARIES = (("libpango-1.0.so.0", "pango-1.0-0", "pango-1.0", "libpango-1.0-0",
                    "libpango-1.0.dylib"),
                   ("libpangoft2-1.0.so.0", "pangoft2-1.0-0", "pangoft2-1.0",
                    "libpangoft2-1.0-0", "libpangoft2-1.0.dylib"))


def _weasyprint():
    try:
        import weasyprint
    except OSError as error:  # the Python package is there but the C libraries are not
        raise InputError(None, None, None, f"{PANGO_HINT} ({error})") from None
    # WeasyPrint logs every CSS property it ignores (screen-only rules); they are expected.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    return weasyprint


def _loads(names: tuple[str, ...]) -> bool:
    for name in names:
        try:
            ctypes.CDLL(name)
            return True
        except OSError:
            continue
    return False


def check_pdf_engine() -> None:
    """Fail early, before anything is written, when PDFs are asked for and cannot be made.

    Loading the Pango libraries answers in a millisecond; only when that fails is WeasyPrint
    imported (most of a second) to give its own reason or to find them where it looks."""
    if not all(_loads(names) for names in PANGO_LIBRARIES):
        _weasyprint()


def _svg_as_image(match: re.Match) -> str:
    data = base64.b64encode(match.group(0).encode("utf-8")).decode("ascii")
    return f'<img class="svg" alt="" src="data:image/svg+xml;base64,{data}">'


def svg_as_images(html: str) -> str:
    """Inline SVG figures as data-URI images: WeasyPrint then parses them with its own SVG
    reader instead of running every path and label through the HTML parser and the CSS
    cascade (about a tenth of a scorecard's PDF time). The figures' labels stay on the
    wrapper (role="img", aria-label), so the image itself is decorative."""
    return INLINE_SVG.sub(_svg_as_image, html)


def html_to_pdf(html: str) -> bytes:
    """Render self-contained HTML (inline CSS and SVG) to PDF bytes; fonts are embedded.

    No base URL: links to the files beside the page (data.csv …) stay relative to the
    report's folder, as a PDF reader resolves them, so the PDF is the same bytes wherever it
    is built and names no folder of the machine that built it."""
    weasyprint = _weasyprint()
    html = svg_as_images(html)
    return weasyprint.HTML(string=html, base_url=None).write_pdf()


def _warm_up() -> None:
    with contextlib.suppress(InputError):  # render() raises it again, for its LA
        _weasyprint()


class PdfProcess:
    """WeasyPrint in a second process, so that a single scorecard uses both CPUs: it imports
    WeasyPrint while this process loads the national results, and lays out the PDF while
    this one writes the HTML and the downloads. Use as a context manager."""

    def __init__(self) -> None:
        self._pool = new_pool(1)  # the process exits if this one is killed
        self._pool.submit(_warm_up)  # starts the process and its import now

    def render(self, html: str) -> Future:
        """A future of :func:`html_to_pdf`'s bytes."""
        return self._pool.submit(html_to_pdf, html)

    def __enter__(self) -> PdfProcess:
        return self

    def __exit__(self, kind, error, trace) -> None:
        # On an error or a signal the PDF in progress is not waited for.
        stop_pool(self._pool, kill=kind is not None)
