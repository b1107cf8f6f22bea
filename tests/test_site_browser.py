"""The site in a real browser: headless Chromium (Debian's `chromium`) driven by Playwright.

Opens the home page from file://, filters and sorts the league table, switches the national
map's layer, hovers an authority, searches for one and lands on its page, then hovers an
LSOA, switches layer and level, zooms and pins a tooltip. Fails on any console error or any
request that is not file://. Screenshots go to $SCORECARD_SCREENSHOTS (default: tmp_path).
Skipped, saying why, only when Playwright or a Chromium binary is missing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from browser_support import chromium_or_skip

from scorecard.site import build_site

pytestmark = pytest.mark.browser

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed "
                               "(pip install '.[test]'); the browser test needs it")


chromium_or_skip()  # without a browser, the whole module is skipped, saying why

TOWER_HAMLETS = "E09000030"
PUOR = {"#e66101", "#fdb863", "#f7f7f7", "#b2abd2", "#5e3c99"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("browser-site")
    result = build_site(out, authorities=[TOWER_HAMLETS], quiet=True, jobs=1)
    assert not result.failed
    return out


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors = []
    page.requests = []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("request", lambda r: page.requests.append(r.url))
    yield page
    context.close()


@pytest.fixture
def shots(tmp_path):
    folder = Path(os.environ.get("SCORECARD_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _visible_rows(page) -> list[str]:
    return page.eval_on_selector_all(
        "#league-table tbody tr:not([hidden])", "rows => rows.map(r => r.cells[0].dataset.v)")


def test_home_page_table_map_and_search(site, page, shots):
    page.goto((site / "index.html").as_uri())
    assert page.locator("#national-map-svg path[data-i]").count() == 331

    # The league table filters as one types, and sorts by a column (highest first).
    page.fill("#table-filter", "tower")
    assert _visible_rows(page) == ["Tower Hamlets"]
    assert "Showing 1 of 331" in page.inner_text("#league-count")
    page.fill("#table-filter", "")
    assert len(_visible_rows(page)) == 331
    page.click("#league-table thead button:has-text('D Black')")
    column = page.eval_on_selector_all("#league-table thead th", "ths => ths.findIndex("
                                       "th => th.getAttribute('aria-sort'))")
    values = page.eval_on_selector_all(
        "#league-table tbody tr", f"rows => rows.map(r => r.cells[{column}].dataset.v)")
    numbers = [float(v) for v in values if v]
    assert numbers == sorted(numbers, reverse=True)
    # On output areas every LA has a value; any gap would sort last.
    assert values[:len(numbers)] == [v for v in values if v]

    # The map switches layer: fills and legend change.
    first = page.locator("#national-map-svg path[data-i='0']")
    before = first.get_attribute("fill")
    page.select_option("#national-map select.map-layer", "ss_ratio")
    assert "Stop and search" in page.inner_text("#national-map .legend-title")
    assert first.get_attribute("fill") != before or before.startswith("url(")

    # Hovering an authority shows its values (of the one under the pointer, outlined).
    page.click("#national-map .map-zoom-in")
    data = page.evaluate("JSON.parse(document.getElementById('national-map-data').textContent)")
    birmingham = data["levels"]["la"]["codes"].index("E08000025")
    page.locator(f"#national-map-svg path[data-i='{birmingham}']").hover(force=True)
    tip = page.locator("#national-map .map-tip")
    assert tip.is_visible()
    under = page.evaluate("""() => {
        const d = document.querySelector('#national-map-svg path.highlight').getAttribute('d');
        return [...document.querySelectorAll('#national-map-svg path[data-i]')]
            .find(p => p.getAttribute('d') === d).dataset.i; }""")
    name = data["levels"]["la"]["names"][int(under)]
    assert page.inner_text("#national-map .tip-name strong") == name
    assert name == "Birmingham"  # its centre is inside it
    assert "Stop and search" in tip.inner_text() and "Dissimilarity" in tip.inner_text()
    page.screenshot(path=str(shots / "home.png"))

    # The search box takes one to the authority's page.
    page.fill("#la-search-input", "tower hamlets")
    page.press("#la-search-input", "Enter")
    page.wait_for_url("**/la/E09000030-tower-hamlets/index.html")
    assert page.locator("h1").inner_text() == "Tower Hamlets"
    page.go_back()
    page.fill("#la-search-input", "Bradford")
    page.press("#la-search-input", "Enter")
    assert "no page for Bradford" in page.inner_text(".search-message")

    assert not page.errors, page.errors
    assert all(url.startswith("file://") for url in page.requests), page.requests


def test_la_page_map_hover_layers_levels_and_zoom(site, page, shots):
    (folder,) = (site / "la").glob(f"{TOWER_HAMLETS}-*")
    page.goto((folder / "index.html").as_uri())
    svg = page.locator("#la-map-svg")
    lsoas = page.locator("#la-map-svg g.units[data-level='lsoa'] path[data-i]")
    assert lsoas.count() == 169
    svg.scroll_into_view_if_needed()

    # Hover an LSOA: the tooltip names the LSOA under the pointer and outlines it.
    lsoas.nth(40).hover(force=True)
    tip = page.locator("#la-map .map-tip")
    assert tip.is_visible()
    code = page.inner_text("#la-map .tip-code")
    assert code.startswith("E01")
    under = page.evaluate("""() => {
        const d = document.querySelector('#la-map-svg path.highlight').getAttribute('d');
        return [...document.querySelectorAll("#la-map-svg g.units[data-level='lsoa'] path")]
            .findIndex(p => p.getAttribute('d') === d); }""")
    data = page.evaluate("JSON.parse(document.getElementById('la-map-data').textContent)")
    assert data["levels"]["lsoa"]["codes"][under] == code
    assert "Share of residents" in tip.inner_text() and "Location quotient" in tip.inner_text()

    # Switch layer: location quotients are drawn with the diverging palette.
    page.select_option("#la-map select.map-layer", "lq_asian")
    fills = set(page.eval_on_selector_all(
        "#la-map-svg g.units[data-level='lsoa'] path", "ps => ps.map(p => p.getAttribute('fill'))"))
    assert fills <= PUOR | {"url(#hatch-none)"} and len(fills) > 1
    assert "Location quotient" in page.inner_text("#la-map .legend-title")
    page.screenshot(path=str(shots / "la-lq.png"))

    # Switch level: MSOAs show, LSOAs hide; wards show their values (sums of output areas).
    page.check("#la-map input.map-level[value='msoa']")
    assert page.locator("#la-map-svg g.units[data-level='msoa']").is_visible()
    assert not page.locator("#la-map-svg g.units[data-level='lsoa']").is_visible()
    page.check("#la-map input.map-level[value='ward']")
    page.locator("#la-map-svg g.units[data-level='ward'] path[data-i]").nth(3).hover(force=True)
    assert "residents" in tip.inner_text()
    page.uncheck("#la-map input.map-overlay")
    assert not page.locator("#la-map-svg g.overlay").is_visible()
    page.check("#la-map input.map-level[value='lsoa']")

    # Zoom in with the button: the viewBox narrows and the scale bar follows.
    width = lambda: float(svg.get_attribute("viewBox").split()[2])  # noqa: E731
    scale = page.inner_text("#la-map .map-scale-label")
    start = width()
    page.click("#la-map .map-zoom-in")
    page.click("#la-map .map-zoom-in")
    assert width() < start / 2
    assert page.inner_text("#la-map .map-scale-label") != scale
    page.click("#la-map .map-zoom-reset")
    assert width() == start

    # A click (a tap on a phone) pins the tooltip; Escape closes it.
    lsoas.nth(5).click(force=True)
    assert "pinned" in (tip.get_attribute("class") or "") and tip.is_visible()
    page.screenshot(path=str(shots / "la-zoomed.png"))
    page.keyboard.press("Escape")
    assert not tip.is_visible()

    assert not page.errors, page.errors
    assert all(url.startswith("file://") for url in page.requests), page.requests
