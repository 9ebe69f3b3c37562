"""Browser tests: real Chromium (Playwright) against a real `streamlit run app.py` server.

Shared helpers live here (fixtures are in conftest.py): which pages and languages exist (read from ui.nav.PAGES
at test time, so a newly registered page is covered without editing these tests), how to build a page's URL, and
how to wait until Streamlit has finished running the script before asserting anything.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from tests.helpers import LANGS, REPO

SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
WIDTHS = {"desktop": 1280, "tablet": 768}
HEIGHT = 900
SETTLE_TIMEOUT_MS = 60_000

# Elements that mean "something went wrong" on a page: an uncaught exception box, or an alert of kind error
# (st.error draws stAlertContainer > stAlertContentError; the container also carries role=alert for errors).
ERROR_SELECTOR = ", ".join(
    [
        '[data-testid="stException"]',
        '[data-testid="stAlertContentError"]',
    ]
)

# Streamlit's auto-discovered pages/ list (the app draws its own translated links instead).
AUTO_NAV_SELECTOR = '[data-testid="stSidebarNav"], [data-testid="stSidebarNavItems"], [data-testid="stSidebarNavLink"]'

# Injected before any page script runs: records, on every DOM mutation from the very first paint, whether the
# auto pages list ever appeared, every link label ever shown in the sidebar, and every toast text, so a flash
# that lasts a few milliseconds is caught even though the assertions run after the page has settled.
OBSERVER_SCRIPT = f"""
(() => {{
  const seen = {{autoNav: [], sidebarLinks: [], firstSidebar: null, toasts: []}};
  window.__lupSeen = seen;
  const label = (a) => (a.innerText || a.textContent || '').trim();
  const check = () => {{
    for (const nav of document.querySelectorAll('{AUTO_NAV_SELECTOR}')) {{
      const text = (nav.innerText || nav.textContent || '').trim();
      if (!seen.autoNav.includes(text)) seen.autoNav.push(text);
    }}
    const sidebar = document.querySelector('[data-testid="stSidebar"]');
    if (sidebar) {{
      const links = Array.from(sidebar.querySelectorAll('a')).map(label);
      if (seen.firstSidebar === null && (links.length || (sidebar.innerText || '').trim())) {{
        seen.firstSidebar = {{text: (sidebar.innerText || '').trim(), links: links}};
      }}
      for (const l of links) if (!seen.sidebarLinks.includes(l)) seen.sidebarLinks.push(l);
    }}
    for (const t of document.querySelectorAll('[data-testid="stToast"]')) {{
      const text = (t.innerText || t.textContent || '').trim();
      if (text && !seen.toasts.includes(text)) seen.toasts.push(text);
    }}
  }};
  new MutationObserver(check).observe(document, {{subtree: true, childList: true, characterData: true}});
  document.addEventListener('DOMContentLoaded', check);
}})();
"""

# True once the app has connected, run its script to the end, and shows nothing stale, running or still loading
# (lazily loaded widgets show a stSkeleton; charts and tables draw into a canvas or svg once their code is in);
# the caller polls it and requires it to hold on several consecutive polls (a page may rerun itself after a run).
_CONDITIONS_JS = """
() => {
  // Content of a closed expander (<details>) is not drawn, so only elements on show are waited for.
  const shown = e => (e.checkVisibility ? e.checkVisibility() : e.getClientRects().length > 0);
  const q = sel => document.querySelector(sel);
  const all = sel => Array.from(document.querySelectorAll(sel));
  const app = q('[data-testid="stApp"]');
  return {
    connected: !!app && app.getAttribute('data-test-connection-state') === 'CONNECTED',
    scriptDone: !!app && ['notRunning', 'compilationError'].includes(app.getAttribute('data-test-script-state')),
    notRunning: !q('[data-testid="stStatusWidgetRunningIcon"]')
      && !all('[data-testid="stStatusWidget"]').some(e => (e.innerText || '').includes('Running')),
    nothingStale: !q('[data-testid="stMainBlockContainer"] [data-stale="true"]'),
    noSkeleton: !q('[data-testid="stAppSkeleton"], [data-testid="stSkeleton"]'),
    chartsDrawn: all('[data-testid="stVegaLiteChart"]').filter(shown)
      .every(e => !!e.querySelector('canvas.marks, svg.marks')),
    tablesDrawn: all('[data-testid="stDataFrame"]').filter(shown).every(e => !!e.querySelector('canvas')),
    hasContent: !!q('[data-testid="stMainBlockContainer"] [data-testid="stElementContainer"]'),
  };
}
"""

_SETTLED_JS = f"""
() => {{
  const state = ({_CONDITIONS_JS.strip()})();
  const ok = Object.values(state).every(Boolean);
  window.__lupSettled = ok ? (window.__lupSettled || 0) + 1 : 0;
  return window.__lupSettled >= %d;
}}
"""


def page_path(spec_index: int, url_path: str) -> str:
    """The app's URL path for a page: the first (default) page lives at the root."""
    return "/" if spec_index == 0 else f"/{url_path}"


def page_url(base: str, spec_index: int, url_path: str, params: dict[str, str] | None = None) -> str:
    query = f"?{urlencode(params)}" if params else ""
    return f"{base}{page_path(spec_index, url_path)}{query}"


def wait_for_app(page, timeout_ms: int = SETTLE_TIMEOUT_MS, stable_polls: int = 4) -> None:
    """Wait until Streamlit has finished running the script and the page has stopped changing.

    `stApp` carries the script state (`notRunning` after a run) and the connection state; the status widget shows
    "Running..." while a run is under way; elements of a previous run are marked stale until replaced. All must be
    quiet on `stable_polls` consecutive polls 100 ms apart, so a rerun started at the end of a run is waited for.
    """
    page.wait_for_selector('[data-testid="stApp"]', state="attached", timeout=timeout_ms)
    page.evaluate("() => { window.__lupSettled = 0; }")
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    try:
        page.wait_for_function(_SETTLED_JS % stable_polls, polling=100, timeout=timeout_ms)
    except PlaywrightTimeoutError:
        state = page.evaluate(_CONDITIONS_JS)
        waiting = [name for name, ok in state.items() if not ok]
        raise AssertionError(
            f"{page.url} did not settle within {timeout_ms / 1000:.0f}s; still waiting for: {waiting or 'stability'}"
        ) from None


def seen(page) -> dict:
    """What the observer script recorded since the page was opened."""
    return page.evaluate("() => window.__lupSeen || null") or {}


def error_texts(page) -> list[str]:
    return page.locator(ERROR_SELECTOR).all_inner_texts()


def assert_no_error(page, server, where: str = "") -> None:
    """No exception box and no error alert; on failure, show the server's last traceback beside the message."""
    errors = error_texts(page)
    assert not errors, (
        f"error shown {where or page.url}: {errors}\nlast traceback in the server log:\n{server.last_traceback()}"
    )


def scroll_overflow(page) -> dict[str, list[int]]:
    """scrollWidth and clientWidth of the document and of Streamlit's main scroll container (stMain)."""
    return page.evaluate(
        """() => {
          const out = {};
          const d = document.scrollingElement;
          out.document = [d.scrollWidth, d.clientWidth];
          for (const id of ['stMain', 'stMainBlockContainer']) {
            const e = document.querySelector(`[data-testid="${id}"]`);
            if (e) out[id] = [e.scrollWidth, e.clientWidth];
          }
          return out;
        }"""
    )


def full_screenshot(page, path: Path) -> None:
    """A screenshot of the whole page. Streamlit scrolls inside stMain, not the document, so Playwright's
    full_page alone stops at the viewport: grow the viewport to the content height for the shot, then restore."""
    path.parent.mkdir(parents=True, exist_ok=True)
    viewport = page.viewport_size
    height = page.evaluate(
        """() => {
          const main = document.querySelector('[data-testid="stMain"]');
          const side = document.querySelector('[data-testid="stSidebarContent"]');
          return Math.max(document.scrollingElement.scrollHeight, main ? main.scrollHeight : 0,
                          side ? side.scrollHeight : 0);
        }"""
    )
    try:
        if height > viewport["height"]:
            page.set_viewport_size({"width": viewport["width"], "height": min(int(height), 16_000)})
            wait_for_app(page, stable_polls=3)
        page.screenshot(path=str(path), full_page=True, animations="disabled")
    finally:
        page.set_viewport_size(viewport)


__all__ = [
    "AUTO_NAV_SELECTOR",
    "ERROR_SELECTOR",
    "HEIGHT",
    "LANGS",
    "OBSERVER_SCRIPT",
    "SCREENSHOTS",
    "WIDTHS",
    "assert_no_error",
    "error_texts",
    "full_screenshot",
    "page_path",
    "page_url",
    "scroll_overflow",
    "seen",
    "wait_for_app",
]
