"""The maps section on real data: location quotients, diversity, classes, and light SVG."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest
import shapely

from scorecard import census, groups
from scorecard.report import maps
from scorecard.report.context import ATTRIBUTION, National
from scorecard.report.neighbourhoods import maps_section
from scorecard.report.render import _environment

BRADFORD, EDEN, TOWER_HAMLETS, BIRMINGHAM = "E08000032", "E07000030", "E09000030", "E08000025"
BROAD = groups.codes("broad5")


@pytest.fixture(scope="module")
def nationals():
    return {2011: National(2011), 2021: National(2021)}


@pytest.fixture(scope="module")
def sections(nationals):
    return {(year, code): maps_section(nationals[year], code)
            for year, code in ((2021, BRADFORD), (2021, EDEN), (2011, EDEN))}


def _independent_counts(year: int, la_code: str) -> pd.DataFrame:
    """Broad-group counts per LSOA of the LA, summed with pandas from the raw census table."""
    counts = census.load(year, "lsoa")
    to_broad = groups.mapping(counts.classification, "broad5")
    frame = counts.frame[counts.frame["la_code"] == la_code].set_index("code")[counts.groups]
    return frame.T.groupby(pd.Series(to_broad)).sum().T[BROAD]


@pytest.mark.parametrize("key", [(2021, BRADFORD), (2021, EDEN), (2011, EDEN)])
def test_lq_is_lsoa_share_over_la_share(sections, key):
    year, la_code = key
    counts = _independent_counts(year, la_code)
    lsoa_share = counts.div(counts.sum(axis=1), axis=0)
    la_share = counts.sum() / counts.to_numpy().sum()
    expected = lsoa_share / la_share
    frame = sections[key]["frame"].set_index("code")
    assert sorted(frame.index) == sorted(counts.index)  # one row per LSOA of the LA
    for g in BROAD:
        np.testing.assert_allclose(frame.loc[counts.index, f"lq_{g}"], expected[g], rtol=1e-12)
        np.testing.assert_allclose(frame.loc[counts.index, f"share_{g}"], 100 * lsoa_share[g],
                                   rtol=1e-12)


@pytest.mark.parametrize("key", [(2021, BRADFORD), (2021, EDEN), (2011, EDEN)])
def test_population_weighted_lq_averages_to_one(sections, key):
    frame = sections[key]["frame"]
    weights = frame["residents"].to_numpy(dtype=float)
    for g in BROAD:
        assert np.average(frame[f"lq_{g}"], weights=weights) == pytest.approx(1, abs=1e-12)


@pytest.mark.parametrize("key", [(2021, BRADFORD), (2021, EDEN), (2011, EDEN)])
def test_local_entropy_in_range_and_equal_to_scipy(sections, key):
    from scipy.stats import entropy

    frame = sections[key]["frame"]
    values = frame["entropy"].to_numpy()
    assert ((values >= 0) & (values <= np.log(5) + 1e-12)).all()
    counts = frame[[f"count_{g}" for g in BROAD]].to_numpy(dtype=float)
    np.testing.assert_allclose(values, entropy(counts, axis=1), rtol=1e-12, atol=1e-15)


def test_classify_on_a_hand_made_series_matches_mapclassify():
    """The site's classes are mapclassify's Jenks–Caspall; one distinct value is one class."""
    values = np.array([1, 2, 3, 10, 11, 12, 50, 51.0])
    classes, bounds = maps.classify(values)
    import mapclassify

    assert classes.tolist() == mapclassify.JenksCaspall(values, k=5).yb.tolist()
    classes, bounds = maps.classify(np.array([4.0, 4.0, 4.0]))
    assert classes.tolist() == [0, 0, 0] and bounds == [(4.0, 4.0)]


@pytest.mark.slow
def test_stored_national_classes_are_mapclassifys():
    """map_classes.csv holds what mapclassify gives today on the embedded census."""
    from scorecard.report import map_classes

    for year in (2011, 2021):
        fresh = map_classes.compute(year)
        for measure in ("share", "entropy"):
            stored = map_classes.breaks(year, measure)
            expected = fresh[fresh["measure"] == measure]["upper"].to_numpy()
            np.testing.assert_allclose(stored, expected, rtol=0, atol=1e-9)


def test_national_classes_mean_the_same_on_every_map_and_legends_have_no_gaps(sections):
    from scorecard.report import map_classes

    upper = map_classes.breaks(2021, "share")
    labels = map_classes.labels(upper, "share")
    assert labels[0].startswith("0% to ") and labels[-1].endswith(" to 100%")
    for a, b in zip(labels, labels[1:], strict=False):  # each class starts where one ends
        assert a.split(" to ")[1] == b.split(" to ")[0]
    assert map_classes.classify(np.array([0.0, upper[0], upper[0] + 0.01, 100.0, np.nan]),
                                upper).tolist() == [0, 0, 1, len(upper) - 1, -1]
    # Bradford and Eden share the one legend: the same colours and labels
    assert sections[(2021, BRADFORD)]["share_legend"] == sections[(2021, EDEN)]["share_legend"]


def test_a_one_lsoa_authority_gets_a_sentence_not_uniform_maps(nationals):
    scilly = maps_section(nationals[2021], "E06000053")
    assert not scilly["drawn"] and scilly["maps"] == [] and scilly["lq_maps"] == []
    assert "1 LSOA" in scilly["not_drawn"] and "single colour" in scilly["not_drawn"]


def test_class_labels_read_apart():
    labels = maps.range_labels([(0.0, 0.0), (0.04, 0.06), (0.09, 0.12), (0.2, 0.3)], 1, "%")
    assert labels == ["0.00%", "0.04% to 0.06%", "0.09% to 0.12%", "0.20% to 0.30%"]
    assert maps.range_labels([(0.2, 14.0), (15.0, 35.9)], 1, "%") == ["0.2% to 14.0%",
                                                                       "15.0% to 35.9%"]


def test_lq_classes_straddle_one():
    values = np.array([0.0, 0.3, 0.79, 0.8, 1.0, 1.249, 1.25, 2.0, 3.9, 4.0, 9.0, np.nan])
    assert maps.lq_classes(values).tolist() == [0, 1, 2, 3, 3, 3, 4, 5, 5, 6, 6, -1]
    middle = maps.LQ_BREAKS[2:4]
    assert middle[0] * middle[1] == pytest.approx(1)  # the neutral class is symmetric around 1


def _svgs(section: dict) -> dict[str, str]:
    found = {"locator": section["locator"]["svg"], "diversity": section["diversity"]["svg"],
             "lq_legend": section["lq_legend"]}
    found.update({f"share_{m['group']}": m["svg"] for m in section["maps"]})
    found.update({f"lq_{m['group']}": m["svg"] for m in section["lq_maps"] if m["svg"]})
    return found


def test_svgs_are_light_valid_and_free_of_ids(sections):
    for key, section in sections.items():
        svgs = _svgs(section)
        assert len(svgs) == 13
        for name, svg in svgs.items():
            root = ET.fromstring(svg)  # well-formed XML
            assert root.tag.endswith("svg") and root.get("viewBox")
            assert " id=" not in svg and "clip-path" not in svg and "<style" not in svg
            assert len(root.findall(".//{http://www.w3.org/2000/svg}path")) <= 12, name
            # coordinates to 0.1 pt at most
            assert not re.search(r"\d\.\d\d", " ".join(re.findall(r' d="([^"]*)"', svg)))
        if key == (2021, BRADFORD):
            sizes = {name: len(svg.encode()) for name, svg in svgs.items()}
            assert max(v for k, v in sizes.items() if k.startswith(("share", "lq"))) < 30_000
            assert sizes["diversity"] < 60_000 and sum(sizes.values()) < 300_000


def _rects(svg: str) -> list[shapely.Polygon]:
    boxes = []
    for x, y, w, h in re.findall(r'<rect x="([-\d.]+)" y="([-\d.]+)" width="([\d.]+)" '
                                 r'height="([\d.]+)" fill="#ffffff"', svg):
        x, y, w, h = map(float, (x, y, w, h))
        boxes.append(shapely.box(x, y, x + w, y + h))
    return boxes


def test_ward_names_fit_without_overlapping(sections):
    for key in ((2021, BRADFORD), (2021, EDEN)):
        diversity = sections[key]["diversity"]
        named = diversity["named_wards"]
        assert 5 <= len(named) <= diversity["n_wards"]
        svg = diversity["svg"]
        for name in named[:3]:
            assert name.split(" ")[0] in svg
        boxes = _rects(svg)
        assert len(boxes) == len(named)
        for i, a in enumerate(boxes):
            assert not any(a.intersects(b) for b in boxes[i + 1:])
        assert f"{len(named)} of them are named" in diversity["ward_text"]
    # 2011 maps draw and name census merged wards (polygons dissolved from output areas).
    eden_2011 = sections[(2011, EDEN)]["diversity"]
    assert len(eden_2011["named_wards"]) >= 5
    assert f"{len(eden_2011['named_wards'])} of them are named" in eden_2011["ward_text"]


def test_too_many_wards_are_not_named(nationals):
    section = maps_section(nationals[2021], BIRMINGHAM)
    assert section["diversity"]["n_wards"] > maps.MAX_WARD_LABELS
    assert section["diversity"]["named_wards"] == []
    assert "too many to name legibly" in section["diversity"]["ward_text"]


def test_locator_marks_a_small_authority(nationals):
    city = maps_section(nationals[2021], "E09000001")  # City of London: a ring shows where
    assert "<circle" in city["locator"]["svg"] and maps.ACCENT in city["locator"]["svg"]
    assert "<circle" not in maps_section(nationals[2021], BRADFORD)["locator"]["svg"]


class _Figures(HTMLParser):
    """Each <figure>: its labelled image, caption text; and every table's caption."""

    def __init__(self):
        super().__init__()
        self.figures, self.captions, self._in = [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "figure":
            self.figures.append({"labels": [], "caption": ""})
        elif attrs.get("role") == "img":
            self.figures[-1]["labels"].append(attrs.get("aria-label") or "")
        elif tag in ("figcaption", "caption", "summary"):
            self._in = tag

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in == "figcaption":
            self.figures[-1]["caption"] += data
        elif self._in in ("caption", "summary"):
            self.captions.append(data)


@pytest.mark.parametrize("key", [(2021, BRADFORD), (2011, EDEN)])
def test_every_map_figure_has_alt_text_and_a_table(sections, key):
    year, la_code = key
    la = {"code": la_code, "name": "Bradford" if la_code == BRADFORD else "Eden",
          "type": "Shire district", "region": "North West"}
    template = _environment().get_template("_maps.html.j2")
    html = template.render(la=la, year=year, maps=sections[key], medium="screen",
                           attribution=ATTRIBUTION.format(year=year))
    audit = _Figures()
    audit.feed(html)
    assert len(audit.figures) == 4
    tables = {m for c in audit.captions for m in re.findall(r"Table \d+", c)}
    for figure in audit.figures:
        assert len(figure["labels"]) == 1 and len(figure["labels"][0]) > 60
        named = re.findall(r"Table \d+", figure["caption"])
        assert named and set(named) <= tables
    assert html.count("<table") == 2
    section = sections[key]
    assert f"({section['n_units']} rows)" in html
    printed = template.render(la=la, year=year, maps=section, medium="print",
                              attribution=ATTRIBUTION.format(year=year))
    if section["print_table"]:
        assert printed.count("<table") == 2
    else:  # the long table stays out of the PDF, which says where it is
        assert printed.count("<table") == 1 and "maps-print-note" in printed


def test_a_far_off_island_is_left_out_of_the_frame_but_a_long_coast_is_not():
    """Cardiff's Flat Holm, 5 km out in the Bristol Channel, would leave a third of every map
    empty; Cornwall's peninsulas and the Isles of Scilly's islands are the area itself."""
    from scorecard import geography

    def frame(code):
        geoms = geography.polygons("lsoa", 2021, code).geometry.to_numpy()
        return maps.main_bounds(geoms), tuple(shapely.total_bounds(geoms))

    (kept, clipped), whole = frame("W06000015")
    assert clipped and kept[1] > whole[1] + 5000  # the frame's south edge moved north
    assert kept[0] == whole[0] and kept[2] == whole[2] and kept[3] == whole[3]
    for code in ("E06000052", "E06000053", "E08000032"):
        (kept, clipped), whole = frame(code)
        assert not clipped and kept == whole
