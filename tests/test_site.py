"""`scorecard site`: a real site for a few LAs, its links, its downloads, and the pieces.

One site is built per test run (module fixture) for an urban and a rural LA, with a
comparison report placed in the folder first so that the site links it, then updated with a
third LA to check that a rerun keeps what an earlier run built.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import Polygon, shape

from scorecard import census, geography
from scorecard.errors import InputError
from scorecard.site import build_site, check_site
from scorecard.site.layers import ENTROPY, classes, lq_layers, share_layers
from scorecard.site.pages import OGL_URL
from scorecard.site.svg import Frame

TOWER_HAMLETS, WEST_DEVON, LEICESTER = "E09000030", "E07000047", "E06000016"
OGL_TEXT = "Source: Office for National Statistics licensed under the Open Government Licence"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    compare = out / "compare" / "tower-hamlets-and-leicester"
    compare.mkdir(parents=True)
    (compare / "index.html").write_text(
        "<!DOCTYPE html><html><head><title>Tower Hamlets and Leicester, 2011 to 2021</title>"
        f"</head><body><p>{TOWER_HAMLETS} {LEICESTER}</p></body></html>", encoding="utf-8")
    first = build_site(out, authorities=["Tower Hamlets", "west devon"], quiet=True, jobs=2)
    second = build_site(out, authorities=[LEICESTER], quiet=True, jobs=1)
    return out, first, second


def _la_dir(out, code):
    (folder,) = (out / "la").glob(f"{code}-*")
    return folder


def _map_data(page: str, map_id: str) -> dict:
    match = re.search(rf'<script type="application/json" id="{map_id}-data">(.*?)</script>',
                      page, flags=re.S)
    return json.loads(match.group(1))


# -- the built site ----------------------------------------------------------------------


def test_site_has_every_page_and_keeps_earlier_authorities(site):
    out, first, second = site
    assert not first.failed and not second.failed
    assert first.las == sorted([TOWER_HAMLETS, WEST_DEVON])
    assert second.las == sorted([TOWER_HAMLETS, WEST_DEVON, LEICESTER])  # rerun adds
    for name in ("index.html", "methods.html", "data.html", "comparisons.html",
                 "assets/site.css", "assets/site.js", "downloads/results.csv"):
        assert (out / name).is_file(), name
    for code in second.las:
        page = _la_dir(out, code) / "index.html"
        assert page.is_file()
        (scorecard,) = (out / "2021").glob(f"{code}-*")
        assert (scorecard / "index.html").is_file() and (scorecard / "data.csv").is_file()


def test_link_checker_finds_no_broken_link_and_no_external_request(site):
    out, _, _ = site
    report = check_site(out)
    assert report.ok, "\n".join(map(str, report.problems[:20]))
    assert report.pages >= 3 + 3 + 3 + 1  # site pages, LA pages, scorecards, comparison
    assert report.references > 100
    # The only link outside the site is the licence (a reader's click, not a request).
    assert set(report.external_links) == {OGL_URL}
    # Our own pages are valid HTML as far as ids go (scorecards embed matplotlib SVGs).
    assert not [page for page in report.duplicate_ids if not page.startswith("2021/")]


def test_every_page_carries_the_attribution_and_loads_nothing_from_outside(site):
    out, _, _ = site
    for page in [out / "index.html", out / "methods.html", out / "data.html",
                 _la_dir(out, WEST_DEVON) / "index.html"]:
        html = page.read_text(encoding="utf-8")
        assert OGL_TEXT in html
        assert "database right 2021" in html
        # No fetch of local JSON: data is inline, so file:// works.
        assert "fetch(" not in html
        for attribute in re.findall(r'(?:src|href)="(https?:[^"]*)"', html):
            assert attribute == OGL_URL
    assert "fetch(" not in (out / "assets" / "site.js").read_text(encoding="utf-8")


def test_home_page_links_built_authorities_and_lists_all(site):
    out, _, _ = site
    html = (out / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr data-search="', html)
    assert len(rows) == 331
    search = json.loads(re.search(r'id="la-index">(.*?)</script>', html, re.S).group(1))
    linked = {code: href for code, _, href in search if href}
    assert set(linked) == {TOWER_HAMLETS, WEST_DEVON, LEICESTER}
    assert all(href.startswith("la/") and href.endswith("/index.html") for href in linked.values())
    national = _map_data(html, "national-map")
    level = national["levels"]["la"]
    assert len(level["codes"]) == 331
    assert html.count('<path data-i="') == 331
    for entry in level["layers"].values():
        assert len(entry["c"]) == 331 and len(entry["t"]) == 331
        assert set(entry["c"]) <= set("01234nsxr")
    # a group too small to rank is dotted, not shaded beside the ranked: Scilly's 6 Asian
    scilly = level["codes"].index("E06000053")
    d_asian = level["layers"]["d_asian"]
    assert d_asian["c"][scilly] == "r" and "not ranked: 6 Asian residents" in d_asian["t"][scilly]
    assert "Not ranked: too few residents of the group to rank" in html
    assert "Tower Hamlets and Leicester, 2011 to 2021" in html  # comparison linked
    # ranks and the stop-and-search interval are columns, not hover-only
    header = re.search(r"<thead>.*?</thead>", html, re.S).group(0)
    assert header.count(">Rank</button>") == 5 and "95% interval" in header
    first = re.search(r'<tr data-search=".*?</tr>', html, re.S).group(0)
    assert re.search(r">\d+(st|nd|rd|th)</td>", first)
    # a national "what we found", and places named on the national map
    found = re.search(r'<section id="found".*?</section>', html, re.S).group(0)
    assert found.count("<li>") >= 5 and "highest in" in found
    assert ">Birmingham</text>" in html and ">Cardiff</text>" in html
    # Greater Manchester's incomplete police.uk records are [x] on the map, not [c] or a value
    ss = level["layers"]["ss_ratio"]
    manchester = [i for i, code in enumerate(level["codes"])
                  if code in {f"E080000{n:02d}" for n in range(1, 11)}]
    assert len(manchester) == 10 and {ss["c"][i] for i in manchester} == {"x"}
    assert ss["missing"].startswith("Greater Manchester Police records")
    assert all(ss["t"][i].startswith("[x] not available") for i in manchester)
    # The league table is first ordered by corrected D, highest first, raw D beside it; the
    # LAs where the group is too small to rank come after the ranked (no data-v)
    first_column = re.findall(r'<tr data-search="[^"]*">.*?<td class="num" data-v="\d+">.*?'
                              r'<td class="num" data-v="([^"]*)"', html, re.S)
    values = [float(v) for v in first_column if v]
    assert len(values) > 250 and values == sorted(values, reverse=True)
    assert first_column.index("") == len(values) and not any(first_column[len(values):])
    assert 'aria-sort="descending"' in html and "corrected" in html


def test_la_page_map_has_every_lsoa_with_values_and_links_the_scorecard(site):
    out, _, _ = site
    page = (_la_dir(out, TOWER_HAMLETS) / "index.html").read_text(encoding="utf-8")
    data = _map_data(page, "la-map")
    lsoas = geography.units(2021, "lsoa", TOWER_HAMLETS)["code"]
    assert sorted(data["levels"]["lsoa"]["codes"]) == sorted(lsoas)
    wards = geography.units(2021, "ward", TOWER_HAMLETS)["code"]
    assert sorted(data["levels"]["ward"]["codes"]) == sorted(wards)
    # May 2022 wards carry values: exact sums of output areas.
    assert set(data["levels"]["ward"]["layers"]) == set(data["levels"]["lsoa"]["layers"])
    for layer in [*share_layers({"asian": "Asian"}), *lq_layers({"black": "Black"}), ENTROPY]:
        entry = data["levels"]["lsoa"]["layers"][layer.id]
        assert len(entry["c"]) == len(lsoas)
    # The location quotient shown for one LSOA, against its own count / the LA's share.
    counts = census.load(2021, "lsoa").for_authority(TOWER_HAMLETS).frame.set_index("code")
    i = 7
    code = data["levels"]["lsoa"]["codes"][i]
    expected = (counts.loc[code, "black"] / counts.loc[code, "total"]) / (
        counts["black"].sum() / counts["total"].sum())
    assert data["levels"]["lsoa"]["layers"]["lq_black"]["t"][i] == f"{expected:.2f}"
    assert 'href="../../2021/E09000030-tower-hamlets/index.html"' in page
    assert 'href="../../2021/E09000030-tower-hamlets/data.csv"' in page
    assert "Tower Hamlets and Leicester" in page  # the comparison that includes it
    areas = pd.read_csv(_la_dir(out, TOWER_HAMLETS) / "areas.csv")
    assert set(areas["level"]) == {"lsoa", "msoa", "ward"}


# -- downloads ---------------------------------------------------------------------------


def test_results_csv_holds_indices_of_every_la_matching_pysal(site):
    from segregation.singlegroup import Dissim

    out, _, _ = site
    results = pd.read_csv(out / "downloads" / "results.csv", dtype={"time": str})
    d = results[(results["section"] == "segregation") & (results["measure"] == "dissimilarity")]
    assert d["area_code"].nunique() == 331
    assert set(results["section"]) >= {"population", "segregation",
                                       "race_equality:criminal_justice"}
    lsoas = census.load(2021, "oa").for_authority(LEICESTER).frame  # the headline units
    pysal = Dissim(lsoas.assign(rest=lsoas["total"] - lsoas["asian"]), group_pop_var="asian",
                   total_pop_var="total").statistic
    ours = d[(d["area_code"] == LEICESTER) & (d["group"] == "asian")]["value"].item()
    assert ours == pytest.approx(pysal, abs=1e-9)


def test_geopackage_and_geojson_have_every_area_and_the_attribution(site):
    out, _, _ = site
    downloads = out / "downloads"
    (gpkg,) = downloads.glob("*.gpkg")
    expected = {"local_authorities": 331, "lsoas": 35672, "msoas": 7264, "wards": 7638}
    assert set(pyogrio.list_layers(gpkg)[:, 0]) == set(expected)
    for name, rows in expected.items():
        info = pyogrio.read_info(gpkg, layer=name)
        assert info["features"] == rows
        assert "27700" in info["crs"]
    las = pyogrio.read_dataframe(gpkg, layer="local_authorities", read_geometry=False)
    assert {"d_asian", "share_black", "ss_ratio"} <= set(las.columns)
    collection = json.loads((downloads / "local_authorities.geojson").read_text("utf-8"))
    assert collection["attribution"].startswith(OGL_TEXT)
    assert len(collection["features"]) == 331
    west, south, east, north = shape(collection["features"][0]["geometry"]).bounds
    assert -7 < west < east < 2 and 49 < south < north < 56  # WGS 84, as RFC 7946 requires
    assert OGL_TEXT in (downloads / "README.txt").read_text("utf-8")
    data_page = (out / "data.html").read_text("utf-8")
    assert "lsoas.geojson" in data_page and " MB" in data_page  # sizes are given


# -- bad input writes nothing --------------------------------------------------------------


def test_unknown_authority_is_an_input_error_and_writes_nothing(tmp_path, run_cli):
    out = tmp_path / "site"
    code, _, err = run_cli("site", "--authorities", "Bradfrod", "--out", out)
    assert code == 2
    assert "did you mean 'Bradford'" in err and err.count("\n") == 1
    assert not out.exists()


def test_refuses_a_folder_that_is_not_a_site(tmp_path):
    (tmp_path / "index.html").write_text("someone's page", encoding="utf-8")
    with pytest.raises(InputError, match="not a scorecard site"):
        build_site(tmp_path, authorities=["Rutland"], quiet=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html"]


def test_refuses_a_site_of_another_year(tmp_path):
    (tmp_path / ".scorecard-site").write_text('{"year": 2011}', encoding="utf-8")
    with pytest.raises(InputError, match="holds the 2011 site"):
        build_site(tmp_path, authorities=["Rutland"], year=2021, quiet=True)


# -- the pieces ------------------------------------------------------------------------------


def test_svg_path_of_a_square_with_a_hole_is_north_up_and_relative():
    frame = Frame(minx=0, maxy=100, width=100, height=100, step=1)
    square = Polygon([(0, 0), (100, 0), (100, 100), (0, 100)],
                     [[(40, 40), (60, 40), (60, 60), (40, 60)]])
    # y is flipped (north up): (0, 0) in metres is the bottom-left, SVG (0, 100).
    assert frame.path(square) == "M0 100l100 0 0-100-100 0zM40 60l20 0 0-20-20 0z"
    coarse = Frame(minx=0, maxy=100, width=1, height=1, step=100)
    assert coarse.path(Polygon([(0, 0), (10, 0), (10, 10)])) == ""  # collapses: dropped


def test_location_quotient_classes_are_fixed_around_one():
    (layer,) = lq_layers({"asian": "Asian"})
    codes, legend, method = classes(layer, np.array([0.1, 0.5, 0.9, 1.0, 1.3, 2.0, 7, np.nan]))
    assert codes == "0122344n"
    assert legend[2].startswith("0.8 to 1.25")
    assert "around 1" in method


def test_share_classes_spread_over_the_palette_and_mark_suppressed():
    (layer,) = share_layers({"asian": "Asian"})
    values = np.array([1.0, 1.0, 1.0, 50.0, 50.0, 50.0, 90.0, np.nan])
    hidden = np.array([False] * 6 + [True, False])
    codes, legend, method = classes(layer, values, hidden)
    # Two distinct values: two classes, drawn with the palette's lightest and darkest.
    assert codes == "000444sn"
    assert legend == ["1.0%", "", "", "", "50.0%"]
    assert method == "Jenks–Caspall natural breaks (mapclassify)"


def test_link_checker_reports_each_kind_of_problem(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "index.html").write_text('<p id="here">x</p>', encoding="utf-8")
    (tmp_path / "app.js").write_text("var x = 1;\nfetch('data.json');\n", encoding="utf-8")
    (tmp_path / "index.html").write_text("""<!DOCTYPE html><html><head>
<link rel="stylesheet" href="https://cdn.example.org/x.css">
<style>body { background: url(//example.org/bg.png); }</style>
<script src="app.js"></script></head><body>
<a href="sub/index.html#here">fine</a> <a href="#top" id="top">fine</a>
<a href="https://example.org/">a link out: allowed, listed</a>
<a href="missing.html">broken</a> <a href="sub/">folder</a>
<a href="sub/index.html#nowhere">anchor</a> <a href="../outside.html">outside</a>
<img src="http://example.org/x.png" alt="">
<svg><rect fill="url(#nopattern)"/><use href="#top"/></svg>
<script>new XMLHttpRequest();</script>
</body></html>""", encoding="utf-8")
    report = check_site(tmp_path)
    found = sorted((p.kind, p.target) for p in report.problems)
    assert found == sorted([
        ("external request", "https://cdn.example.org/x.css"),
        ("external request", "//example.org/bg.png"),
        ("external request", "http://example.org/x.png"),
        ("broken link", "missing.html"),
        ("folder link", "sub/"),
        ("missing anchor", "sub/index.html#nowhere"),
        ("broken link", "../outside.html"),
        ("missing anchor", "#nopattern"),
        ("connection", "fetch("),
        ("connection", "XMLHttpRequest"),
    ])
    assert report.external_links == {"https://example.org/": 1}
    assert all(str(p).startswith(("index.html, line", "app.js, line")) for p in report.problems)


def test_comparisons_written_to_reports_are_copied_into_the_site(tmp_path):
    from scorecard.site.build import copy_comparisons

    source = tmp_path / "reports" / "compare" / "bradford-leeds"
    source.mkdir(parents=True)
    (source / "index.html").write_text("<title>Bradford and Leeds</title> E08000032")
    (source / "data.csv").write_text("a\n1\n")
    site = tmp_path / "site"
    assert copy_comparisons(tmp_path / "reports", site) == ["bradford-leeds"]
    assert (site / "compare" / "bradford-leeds" / "data.csv").read_text() == "a\n1\n"
    assert copy_comparisons(tmp_path / "nowhere", site) == []


def test_results_csv_has_every_scale_of_every_la(site):
    out, _, _ = site
    results = pd.read_csv(out / "downloads" / "results.csv", dtype={"time": str},
                          low_memory=False)
    scales = results[results["section"] == "segregation_by_scale"]
    assert set(scales["unit_level"]) == {"oa", "lsoa", "msoa", "ward"}
    assert scales["area_code"].nunique() == 331
    wards = pd.read_csv(out / "downloads" / "wards.csv")
    assert len(wards) == 7638 and int(wards["residents"].sum()) == int(
        census.load(2021, "oa").frame["total"].sum())
