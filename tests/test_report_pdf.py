"""The PDF scorecard: A4, cover, contents whose page numbers are right, text and fonts."""

import re

import pytest
from pypdf import PdfReader

from scorecard import census

A4_POINTS = (595.28, 841.89)


@pytest.fixture(scope="module")
def rutland(tmp_path_factory):
    from scorecard.cli import main

    out = tmp_path_factory.mktemp("reports")
    assert main(["build", "Rutland", "--format", "html,pdf", "--out", str(out), "--quiet"]) == 0
    return out / "2021" / "E06000017-rutland"


@pytest.fixture(scope="module")
def pages(rutland):
    reader = PdfReader(rutland / "scorecard.pdf")
    return reader, [page.extract_text() for page in reader.pages]


def test_pdf_is_a4_with_a_cover_and_page_numbers(pages):
    reader, texts = pages
    assert 6 <= len(texts) <= 60
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (width, height) == pytest.approx(A4_POINTS, abs=0.5)
    assert "Rutland" in texts[0] and "Race equality scorecard" in texts[0]
    assert "Page" not in texts[0]  # the cover has no footer
    for number, text in enumerate(texts[1:], start=2):
        assert f"Page {number} of {len(texts)}" in text


def test_contents_page_numbers_point_at_their_sections(pages):
    _, texts = pages
    contents = next(t for t in texts if "Contents" in t)
    entries = re.findall(r"^(\d\. [A-Z][^.\n]+?)[ .]*(\d+)$", contents, flags=re.M)
    assert len(entries) == 6, contents
    for title, page in entries:
        lines = [line.strip() for line in texts[int(page) - 1].splitlines()]
        assert title.strip() in lines, (title, page)


def test_pdf_text_is_extractable_and_holds_the_real_numbers(pages):
    _, texts = pages
    whole = "\n".join(texts)
    la = census.load(2021, "la").frame.set_index("code").loc["E06000017"]
    assert f"{int(la['total']):,}" in whole
    assert "Headline findings" in whole and "Open Government Licence" in whole
    assert "Dissimilarity" in whole


def test_every_font_is_embedded(pages):
    reader, _ = pages
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts") or [font]
            for part in descendants:
                descriptor = part.get_object().get("/FontDescriptor")
                if descriptor is not None:
                    descriptor = descriptor.get_object()
                    fonts[descriptor["/FontName"]] = any(
                        key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts and all(fonts.values()), fonts
