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


def test_figures_are_drawn_in_the_pdf(pages):
    """Charts and maps reach the PDF as images (the SVG-as-image step): the pages with maps
    and charts carry their labels as text and have XObjects or drawing operators."""
    _, texts = pages
    whole = "\n".join(texts)
    assert "km" in whole and "N" in whole  # the maps' scale bars and north arrows
    assert "Asian" in whole and "White" in whole


def test_print_version_keeps_the_latest_period_and_says_where_the_rest_is():
    from scorecard.report.context import National, scorecard_context
    from scorecard.report.render import render_html

    context = scorecard_context(National(2021), "E08000032")  # Bradford: several periods
    screen, printed = render_html(context), render_html(context, "print")
    force = next(i for s in context["domains"] for i in s["indicators"]
                 if len({r["time"] for r in i["rows"]}) > 2)
    block = printed[printed.index(f'<h4>{force["name"]}'):]
    block = block[:block.index("</article>")]
    # a charted indicator's table is left to the downloads on paper, and the note says so
    assert "<table" not in block and "is in data.xlsx (sheet" in block
    assert "Earlier periods (" + ", ".join(force["earlier_times"]) in block
    for earlier in force["earlier_times"]:  # every period stays in the page's own table
        assert f"<tr><td>{earlier}</td>" in screen
    assert screen.count("<table") > printed.count("<table")  # Table 5 (LSOAs) is not printed
    assert "maps-print-note" in printed
    # the change table and Table 1's 19 rows are left to the downloads on paper
    assert "Change since 2011: segregation indices" in screen
    assert "Change since 2011: segregation indices" not in printed
    assert 'section "segregation_change"' in printed
    assert "Other Asian" in screen.split('id="population"')[1].split("</table>")[0]
    assert "groups' counts: data.csv" in printed


def test_svg_figures_become_data_images_that_decode_to_the_same_svg():
    import base64

    from scorecard.report.pdf import svg_as_images

    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10pt"><text>£ é</text></svg>'
    html = f"<figure><div role='img' aria-label='x'>{svg}</div></figure><p>{svg}</p>"
    out = svg_as_images(html)
    assert "<svg" not in out
    images = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', out)
    assert [base64.b64decode(i).decode("utf-8") for i in images] == [svg, svg]


def test_pdf_engine_check_does_not_import_weasyprint():
    import subprocess
    import sys

    code = ("import sys; from scorecard.report.pdf import check_pdf_engine; "
            "check_pdf_engine(); print('weasyprint' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"
