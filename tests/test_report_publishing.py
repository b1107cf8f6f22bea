"""The scorecard as a council publishes it: at a glance first, its own downloads linked at the
top, the publisher's name, logo, dates and commentary, and bad publishing input refused."""

from __future__ import annotations

import base64
import re
import struct
import zlib
from pathlib import Path

import pytest

from scorecard.errors import InputError
from scorecard.report.commentary import read_commentary
from scorecard.report.publication import read_logo, read_publication

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "commentary.md"


def _png(width: int, height: int) -> bytes:
    """A tiny valid PNG, made by hand (one grey row repeated)."""
    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0,
                                                             0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


# ------------------------------------------------------------------ commentary


def test_the_example_commentary_reads_into_sections_with_authors():
    notes = read_commentary(EXAMPLE)
    assert set(notes) == {"summary", "segregation", "schools", "education", "criminal_justice"}
    assert [n.who for n in notes["criminal_justice"]] == [
        "Example Police Force, Equality Lead", "Example Community Scrutiny Panel"]
    summary = notes["summary"][0].html
    assert "<strong>example</strong>" in summary and "<h4>Commitments</h4>" in summary
    assert '<a href="https://example.org/response">' in notes["summary"][1].html


@pytest.mark.parametrize(("text", "line", "words"), [
    ("## Education\n### Council\nHello <script>alert(1)</script>\n", 3, "raw HTML"),
    ("## Education\n### Council\n<div>block</div>\n", 3, "raw HTML"),
    ("## Education\n### Council\n![x](https://example.org/x.png)\n", 3, "images"),
    ("## Education\n### Council\n[x](javascript:alert(1))\n", 3, "only https"),
    ("## Schooling\n### Council\ntext\n", 1, "not a section"),
    ("## Whole scorecard\n### A\nt\n\n## Maps\n### B\nt\n## Scools\n### C\nt\n", 8,
     "not a section"),
    ("Some text first\n## Education\n", 1, "before any"),
    ("## Education\nno author\n", 2, "before any '### Who'"),
    ("### Council\ntext\n", 1, "before any '## Section'"),
    ("## Education\n### Council\ntext\n## education\n### B\nt\n", 4, "appears twice"),
    ("## Education\n### Council\n### Partner\ntext\n", 3, "nothing written"),
])
def test_bad_commentary_names_file_and_line(tmp_path, text, line, words):
    path = tmp_path / "c.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_commentary(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: line {line}: "), message
    assert words in message


def test_commentary_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "c.md"
    path.write_bytes(b"## Education\n### Council\ncaf\xe9\n")
    with pytest.raises(InputError, match="line 3: not UTF-8"):
        read_commentary(path)


# ------------------------------------------------------------------ logo and details


def test_png_logo_becomes_a_data_uri_and_oversized_ones_are_refused(tmp_path):
    good = tmp_path / "logo.png"
    good.write_bytes(_png(40, 20))
    uri = read_logo(good)
    assert uri.startswith("data:image/png;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]) == good.read_bytes()
    huge = tmp_path / "huge.png"
    huge.write_bytes(_png(5000, 1))
    with pytest.raises(InputError, match="5000 × 1 pixels"):
        read_logo(huge)
    fake = tmp_path / "fake.png"
    fake.write_bytes(b"GIF89a....")
    with pytest.raises(InputError, match="PNG or an SVG"):
        read_logo(fake)


@pytest.mark.parametrize(("svg", "words"), [
    ('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "<script>"),
    ('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "event handlers"),
    ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
     '<image x:href="https://example.org/a.png"/></svg>', "refer outside"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(https://e.org/x)"/></svg>',
     "url()"),
    ('<!DOCTYPE svg [<!ENTITY a "b">]><svg xmlns="http://www.w3.org/2000/svg"/>', "DOCTYPE"),
    ('<html/>', "not <svg>"),
])
def test_unsafe_svg_logos_are_refused(tmp_path, svg, words):
    path = tmp_path / "logo.svg"
    path.write_text(svg, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_logo(path)
    assert words in str(caught.value)


def test_safe_svg_logo_with_internal_references_is_kept(tmp_path):
    path = tmp_path / "logo.svg"
    path.write_text('<svg xmlns="http://www.w3.org/2000/svg"><defs><linearGradient id="g"/>'
                    '</defs><rect fill="url(#g)" width="10" height="10"/></svg>',
                    encoding="utf-8")
    assert read_logo(path).startswith("data:image/svg+xml;base64,")


@pytest.mark.parametrize(("options", "words"), [
    ({"published": "31/03/2026"}, "YYYY-MM-DD"),
    ({"address": "javascript:alert(1)"}, "https://"),
    ({"publisher": "x" * 300}, "under 200"),
])
def test_bad_publishing_details_are_refused(options, words):
    with pytest.raises(InputError, match=re.escape(words)):
        read_publication(**options)


# ------------------------------------------------------------------ the built page


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    from scorecard.cli import main

    out = tmp_path_factory.mktemp("published")
    logo = out / "logo.png"
    logo.write_bytes(_png(30, 10))
    args = ["build", "Rutland", "--out", str(out), "--format", "html", "--commentary",
            str(EXAMPLE), "--publisher", "Example <b>Council</b>", "--logo", str(logo),
            "--contact", "equality@example.org", "--published", "2026-03-31",
            "--next-update", "March 2027", "--quiet"]
    assert main(args) == 0
    return (out / "2021" / "E06000017-rutland" / "index.html").read_text(encoding="utf-8")


def test_page_opens_with_downloads_and_the_glance_before_the_sections(published):
    top = published.index('class="downloads"')
    glance = published.index('id="glance"')
    assert top < glance < published.index('id="population"') < published.index('id="methods"')
    head = published[top:glance]
    assert 'href="data.csv"' in head and 'href="data.xlsx"' in head
    # no command line on a public page
    assert "scorecard build" not in published and "--indicators" not in published
    # the licence is with the sources (each section's, and at the end), not on the cover
    assert published.index("Open Government Licence") > published.index('id="population"')
    assert "Open Government Licence" in published[published.index('id="sources"'):]


def test_publisher_details_and_commentary_are_shown_escaped_and_attributed(published):
    assert "Example &lt;b&gt;Council&lt;/b&gt;" in published
    assert "<b>Council</b>" not in published
    assert 'src="data:image/png;base64,' in published
    assert "Published 31 March 2026." in published and "Next update: March 2027." in published
    assert 'href="mailto:equality@example.org"' in published
    asides = re.findall(r'<aside class="commentary".*?</aside>', published, flags=re.S)
    assert len(asides) == 5  # summary, segregation, schools, education, criminal justice
    assert "— Example Police Force, Equality Lead" in published
    # the education response sits in the education domain, beside its figures
    education = published.index('id="domain-education"')
    assert education < published.index("Example Borough Council, Children&#39;s Services") < \
        published.index('id="domain-employment"')
    # the schools response sits in the schools section
    schools = published.index('id="schools"')
    assert schools < published.index("Example Borough Council, School Admissions") < \
        published.index('id="equality"')


def test_build_prints_every_file_it_wrote(tmp_path, run_cli):
    code, out, _ = run_cli("build", "Isles of Scilly", "--out", tmp_path, "--format",
                           "html,pdf", "--jobs", "1")
    assert code == 0
    folder = tmp_path / "2021" / "E06000053-isles-of-scilly"
    names = {Path(line).name for line in out.splitlines() if line.startswith(str(folder))}
    assert names == {"index.html", "scorecard.pdf", "data.csv", "data.xlsx", "map.gpkg",
                     "figures"}
    html = (folder / "index.html").read_text(encoding="utf-8")
    assert 'href="scorecard.pdf"' in html.split('id="glance"')[0]
    # One LSOA but nine output areas: the indices are over the output areas.
    assert "No value for any group" not in html and "has no segregation index" not in html
    assert "Table 3." in html


def test_an_authority_of_one_unit_has_one_no_value_line():
    from scorecard.report.render import _environment

    rows = [{"group": g, "label": g.title(), "note": "one unit", "cells": {}}
            for g in ("asian", "black", "mixed", "white", "other")]
    html = _environment().get_template("_segregation.html.j2").render(
        segregation={"rows": rows, "index_labels": {"dissimilarity": "D"}, "n_units": 1,
                     "unit_level": "output area", "units_phrase": "1 output area",
                     "draws": 199, "small_group": 1000, "small_expected": 0.1, "source": "",
                     "white_british_note": "", "no_value": "one unit",
                     "all_groups": "Asian, Black, Mixed, White and Other"},
        change={"shown": False, "message": "Change since 2011 is not shown", "by_group": {}},
        la={"name": "Somewhere"}, year=2021)
    assert html.count("No value for any group") == 1 and "No value: one unit" not in html
    assert "Table 3." not in html and "has no segregation index" in html


def test_commentary_for_many_authorities_is_refused(tmp_path, run_cli):
    code, _, err = run_cli("build", "Rutland", "Bradford", "--out", tmp_path,
                           "--commentary", EXAMPLE)
    assert code == 2 and "one authority" in err
    assert not any(tmp_path.iterdir())


def test_every_figure_is_a_file_for_slides_and_grids_become_one_drawing():
    from scorecard.report.figures import combine, figure_files

    panel = ('<svg xmlns="http://www.w3.org/2000/svg" width="100pt" height="50pt" '
             'viewBox="0 0 100 50"><rect width="10" height="10"/></svg>')
    html = ("<p>x</p><figure><div role=\"img\" aria-label=\"a\">" + panel + panel + panel
            + panel + "</div><figcaption>Figure 4. Share of residents</figcaption></figure>"
            "<figure><table></table></figure>")
    page, files = figure_files(html, png=True)
    assert list(files) == ["figure-01-share-of-residents"]
    assert 'href="figures/figure-01-share-of-residents.svg" download' in page
    assert 'href="figures/figure-01-share-of-residents.png" download' in page
    assert page.count("Download for slides") == 1  # the figure without a drawing has none
    drawing = files["figure-01-share-of-residents"]
    # four panels, three a row: two rows, 3 × 100 + 2 gaps wide
    assert 'width="324pt" height="112pt"' in drawing
    assert drawing.count('<svg x="') == 4 and 'x="224" y="0"' in drawing
    assert 'width="100" height="50"' in drawing  # panels in the outer drawing's points
    assert combine([panel]) == panel


def test_png_figures_are_drawn_by_resvg(tmp_path):
    pytest.importorskip("resvg_py", reason="the png extra (resvg-py) is not installed")
    from scorecard.report.figures import png_bytes

    png = png_bytes('<svg xmlns="http://www.w3.org/2000/svg" width="30pt" height="15pt" '
                    'viewBox="0 0 30 15"><rect width="30" height="15" fill="#000"/></svg>')
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (80, 40)  # 30 pt = 40 px, twice over


@pytest.mark.slow
def test_a_one_lsoa_authority_has_no_chart_across_scales():
    from scorecard.report.context import National
    from scorecard.report.scales_section import scales_section

    scales = scales_section(National(2021), "E06000053")  # Isles of Scilly: one LSOA
    assert scales["chart"] == "" and "output areas" in scales["not_drawn"]
    empty = [r["scale"] for r in scales["rows"] if r["empty"]]
    # one unit each (the ONS ward lookup gives the islands one ward code); 9 OAs have values
    assert empty == ["LSOAs", "MSOAs", "Wards"]


def test_a_reference_group_alone_gets_no_chart():
    from scorecard.report.domains import _chart

    row = {"time": "2021", "value": 17.2, "lower": 15.0, "upper": 19.0, "suppressed": False,
           "unavailable": False, "ethnicity": "White British"}
    indicator = {"time": "2021", "reference": "White British", "unit": "percent",
                 "name": "Households renting", "place": "Isles of Scilly", "subjects": ""}
    assert _chart([row], indicator) == ("", "")
    svg, _ = _chart([row, {**row, "ethnicity": "Other", "value": 30.0}], indicator)
    assert svg.startswith("<svg")
