"""Layout at a desktop (1440 × 900) and a tablet (820 × 1180) in Danish and Norwegian (issue 19): no metric value,
metric label, widget label or heading is cut, charts fit their frame, the sidebar starts collapsed on the tablet,
a typed `/overview?lang=da` opens the overview, and the tab icon comes from the app itself.

"Cut" is measured, not looked at: an element (or anything inside it) whose scrollWidth exceeds its clientWidth hides
part of its text behind an ellipsis or its edge. Screenshots for review go to
test-artifacts/screenshots/layout/<page>-<lang>-<width>x<height>.png.
"""

from __future__ import annotations

import pytest

from comparisons.i18n import gettext_for
from tests.browser import SCREENSHOTS, assert_no_error, full_screenshot, page_url, wait_for_app
from ui.a11y import SIDEBAR_COLLAPSE_BELOW
from ui.nav import PAGES

pytestmark = pytest.mark.browser

SIZES = {"desktop": (1440, 900), "tablet": (820, 1180)}
LAYOUT_LANGS = ("da", "nb")
SHOTS = SCREENSHOTS / "layout"

CASES = [
    pytest.param(i, spec.url_path, lang, size, id=f"{spec.url_path}-{lang}-{name}")
    for i, spec in enumerate(PAGES)
    for lang in LAYOUT_LANGS
    for name, size in SIZES.items()
]

# Texts a reader must see whole; each element and its descendants are measured (Streamlit puts the ellipsis on an
# inner Markdown container).
CUT_JS = """() => {
  const selectors = [
    '[data-testid="stMetricValue"]', '[data-testid="stMetricLabel"]', '[data-testid="stWidgetLabel"]',
    '[data-testid="stMainBlockContainer"] [data-testid="stHeading"]',
  ];
  const out = [];
  for (const el of document.querySelectorAll(selectors.join(', '))) {
    if (!(el.checkVisibility ? el.checkVisibility() : el.getClientRects().length)) continue;
    for (const e of [el, ...el.querySelectorAll('*')]) {
      if (e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1) {
        out.push({kind: el.getAttribute('data-testid'), text: (el.innerText || '').trim().slice(0, 80),
                  scrollWidth: e.scrollWidth, clientWidth: e.clientWidth});
        break;
      }
    }
  }
  return out;
}"""

# A chart whose drawing (title, axes, legend included) is wider than its frame is cut at the frame's edge.
CHARTS_JS = """() => Array.from(document.querySelectorAll('[data-testid="stVegaLiteChart"]'))
  .filter(e => e.checkVisibility ? e.checkVisibility() : e.getClientRects().length)
  .map(e => {
    const marks = e.querySelector('svg.marks, canvas.marks');
    const frame = e.getBoundingClientRect();
    const drawn = marks ? marks.getBoundingClientRect() : frame;
    return {title: e.getAttribute('aria-label') || '', frame: Math.round(frame.width),
            drawn: Math.round(drawn.width), left: Math.round(drawn.left - frame.left)};
  })"""

SIDEBAR_JS = """() => {
  const side = document.querySelector('[data-testid="stSidebar"]');
  const r = side ? side.getBoundingClientRect() : null;
  return r ? {right: r.right, width: r.width} : null;
}"""


def _open(new_page, server, index: int, url_path: str, lang: str, size: tuple[int, int]):
    width, height = size
    page = new_page(width=width, height=height)
    page.goto(page_url(server.base_url, index, url_path, {"lang": lang}))
    wait_for_app(page)
    return page


@pytest.mark.parametrize(("index", "url_path", "lang", "size"), CASES)
def test_nothing_is_cut(new_page, server, index: int, url_path: str, lang: str, size: tuple[int, int]) -> None:
    page = _open(new_page, server, index, url_path, lang, size)
    width, height = size
    shot = SHOTS / f"{url_path}-{lang}-{width}x{height}.png"
    sidebar = page.evaluate(SIDEBAR_JS)
    full_screenshot(page, shot)
    assert_no_error(page, server, f"on {url_path} ({lang}, {width}px; see {shot})")

    cut = page.evaluate(CUT_JS)
    assert not cut, f"{url_path} ({lang}, {width}px) cuts text: {cut}; see {shot}"

    for chart in page.evaluate(CHARTS_JS):
        assert chart["left"] >= -1 and chart["drawn"] <= chart["frame"] + 1, (
            f"{url_path} ({lang}, {width}px): a chart is drawn wider than its frame: {chart}; see {shot}"
        )

    assert sidebar is not None
    if width < SIDEBAR_COLLAPSE_BELOW:
        assert sidebar["right"] <= 1, f"the sidebar is open at {width}px: {sidebar}; see {shot}"
    else:
        assert sidebar["right"] >= 200, f"the sidebar is closed at {width}px: {sidebar}; see {shot}"


def test_tablet_reader_can_open_the_sidebar_again(new_page, server) -> None:
    """Collapsed once on arrival, not kept closed: the reader's own click opens it and it stays open."""
    page = _open(new_page, server, 1, PAGES[1].url_path, "da", SIZES["tablet"])
    assert page.evaluate(SIDEBAR_JS)["right"] <= 1
    page.locator(
        '[data-testid="stExpandSidebarButton"], [data-testid="stSidebarCollapsedControl"] button'
    ).first.click()
    page.wait_for_timeout(1000)
    assert page.evaluate(SIDEBAR_JS)["right"] >= 200


@pytest.mark.parametrize("lang", LAYOUT_LANGS)
def test_typed_overview_link_opens_the_overview(new_page, server, lang: str) -> None:
    """`/overview?lang=da`, typed or shared, opens the overview (the default page lives at "/"): the same heading
    and tab title as "/", no "page not found", and the sidebar marks the overview's link as the current page."""

    def visit(path: str) -> tuple[str, str, list[str]]:
        page = new_page(width=SIZES["desktop"][0])
        page.goto(f"{server.base_url}{path}?lang={lang}")
        wait_for_app(page)
        assert_no_error(page, server, f"on {path}")
        assert f"lang={lang}" in page.url, page.url
        assert "page not found" not in page.locator("body").inner_text().lower()
        heading = page.locator('[data-testid="stMainBlockContainer"] h1').first.inner_text()
        current = page.locator('[data-testid="stSidebar"] a[aria-current="page"]').all_inner_texts()
        return heading, page.title(), current

    root = visit("/")
    typed = visit(f"/{PAGES[0].url_path}")
    assert typed == root, (typed, root)
    overview = gettext_for(lang)(PAGES[0].title)
    assert overview in typed[1] and any(overview in c for c in typed[2]), typed


def test_tab_icon_is_served_by_the_app(new_page, server) -> None:
    """The favicon is the app's own image, so a closed network (no font host) still shows it."""
    page = new_page(width=SIZES["desktop"][0])
    page.goto(page_url(server.base_url, 0, PAGES[0].url_path, {"lang": "da"}))
    wait_for_app(page)
    hrefs = page.evaluate("() => Array.from(document.querySelectorAll('link[rel~=\"icon\"]')).map(l => l.href)")
    assert hrefs and all(h.startswith(server.base_url) for h in hrefs), hrefs
    response = page.request.get(hrefs[0])
    assert response.ok and response.headers.get("content-type", "").startswith("image/"), response.headers


# Every text item Vega drew in the Overview's milestone timeline (axis labels, the country names, the title) that a
# reader can see: a label hidden by the axis's own overlap rule (opacity 0 on it or an ancestor) is left out. Read
# from the rendered SVG (Streamlit draws Vega-Lite charts with the SVG renderer), each with its box on the page.
TIMELINE_TEXTS_JS = """(title) => {
  const chart = Array.from(document.querySelectorAll('[data-testid="stVegaLiteChart"]'))
    .find(e => (e.getAttribute('aria-label') || '').includes(title));
  if (!chart) return null;
  const svg = chart.querySelector('svg.marks');
  if (!svg) return [];
  const shown = (el) => {
    for (let e = el; e && e !== svg; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (style.display === 'none' || style.visibility === 'hidden' || parseFloat(style.opacity) === 0) return false;
      if (e.getAttribute('opacity') === '0' || e.getAttribute('fill-opacity') === '0') return false;
    }
    return true;
  };
  return Array.from(svg.querySelectorAll('text'))
    .filter(t => (t.textContent || '').trim() && shown(t))
    .map(t => { const r = t.getBoundingClientRect();
                return {text: t.textContent.trim(), x: r.x, y: r.y, w: r.width, h: r.height}; });
}"""


def _overlapping(boxes: list[dict]) -> list[tuple[str, str]]:
    """Pairs of texts whose boxes share more than a pixel in both directions."""
    pairs = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            dx = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
            dy = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
            if dx > 1 and dy > 1:
                pairs.append((a["text"], b["text"]))
    return pairs


@pytest.mark.parametrize("lang", LAYOUT_LANGS)
@pytest.mark.parametrize("size", list(SIZES.values()), ids=list(SIZES))
def test_milestone_timeline_labels_do_not_overlap(new_page, server, lang: str, size: tuple[int, int]) -> None:
    """Issue 19: on the Overview's timeline "Danmark" and "Norge" were drawn on top of each other (the chart's
    height was shared with its title and axes when fitted to its frame). No two visible labels may overlap."""
    page = _open(new_page, server, 0, PAGES[0].url_path, lang, size)
    title = gettext_for(lang)("Milestones in Norway and Denmark")
    chart = page.locator(f'[data-testid="stVegaLiteChart"][aria-label*="{title}"]').first
    chart.scroll_into_view_if_needed()
    page.wait_for_function(
        "(t) => Array.from(document.querySelectorAll('[data-testid=\"stVegaLiteChart\"]'))"
        ".some(e => (e.getAttribute('aria-label') || '').includes(t) && e.querySelector('svg.marks text'))",
        arg=title,
    )
    width, height = size
    shot = SHOTS / f"timeline-{lang}-{width}x{height}.png"
    SHOTS.mkdir(parents=True, exist_ok=True)
    chart.screenshot(path=str(shot))
    boxes = page.evaluate(TIMELINE_TEXTS_JS, title)
    assert boxes, f"no timeline labels found ({lang}, {width}px); see {shot}"
    names = gettext_for(lang)
    texts = {b["text"] for b in boxes}
    assert {names("Norway"), names("Denmark")} <= texts, texts
    overlaps = _overlapping(boxes)
    assert not overlaps, f"timeline labels overlap ({lang}, {width}px): {overlaps}; see {shot}"
