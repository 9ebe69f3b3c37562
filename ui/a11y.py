"""What the app adds to Streamlit for WCAG 2.1 AA: the document's title and language, and a small style rule.

Streamlit serves every page as `<html lang="en">` titled by `set_page_config`; it draws captions in its text colour
and quotes at 60 % opacity (3.8:1, below 1.4.3's 4.5:1), shows the focus of a sidebar link as the same grey pill as the
current page (2.4.7), and keeps chart and table toolbars invisible while their buttons have keyboard focus.
`page_frame` fixes what a style rule and a few lines of script can, once per run (app.py); the rest is listed in
the accessibility statement (docs/accessibility/) and in tests/browser/streamlit_known.py.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import streamlit as st

from comparisons.outputs.palette import FOCUS, MUTED_TEXT

APP_NAME = "Nordic LUP workbench"
# The tab icon, shipped with the app: a font host on the internet is out of reach on a closed government network.
# Served as a static file (server.enableStaticServing): handed a file path, st.set_page_config read, hashed and
# registered the image on every page run (2 % of a loaded server's time, py-spy); a URL costs nothing. The file is
# static/icon.png, beside app.py.
ICON_URL = "/app/static/icon.png"
# Viewport width (CSS px) below which the sidebar starts collapsed: tablets in portrait (820 px) and phones.
SIDEBAR_COLLAPSE_BELOW = 1024

# Selectors are Streamlit's data-testid attributes (stable across its versions, unlike its generated classes);
# `div[...]` outranks the generated class that sets the 60 % colour. Streamlit cuts metric labels and values with an
# ellipsis ("over 450 m…" on a tablet): they wrap instead, and values shrink a little on narrow screens.
STYLE = f"""
div[data-testid="stCaptionContainer"] {{ color: {MUTED_TEXT}; opacity: 1; }}
div[data-testid="stMarkdownContainer"] blockquote {{ color: {MUTED_TEXT}; opacity: 1; }}
[data-testid="stSidebar"] a[data-testid="stPageLink-NavLink"]:focus-visible,
[data-testid="stElementToolbar"] button:focus-visible,
[data-testid="stExpander"] summary:focus-visible {{ outline: 2px solid {FOCUS}; outline-offset: 1px; }}
[data-testid="stSidebar"] a[data-testid="stPageLink-NavLink"][aria-current="page"] {{ font-weight: 600; }}
[data-testid="stSidebar"] a[data-testid="stPageLink-NavLink"][aria-current="page"] span {{ font-weight: 600; }}
[data-testid="stElementToolbar"]:focus-within {{ opacity: 1 !important; }}
[data-testid="stMetricLabel"] [data-testid="stMarkdownContainer"],
[data-testid="stMetricLabel"] [data-testid="stMarkdownContainer"] p,
[data-testid="stMetricValue"] [data-testid="stMarkdownContainer"],
[data-testid="stMetricValue"] [data-testid="stMarkdownContainer"] p {{
  white-space: normal; overflow: visible; text-overflow: clip; overflow-wrap: break-word;
}}
[data-testid="stMetricValue"] {{ font-size: clamp(1.5rem, 2.4vw, 2.25rem); line-height: 1.2; }}
"""

# Sets <html lang>, `lang` on containers keyed "lang-<code>-..." (quotes in another language, ui/figure.py),
# and aria-current on the sidebar link of the page shown. A MutationObserver re-applies it when Streamlit draws
# more (a pop-over opened, a page switched); it watches only added nodes, so its own attribute changes are quiet.
_SCRIPT = """
<script>
(() => {
  window.__lupA11y = %s;
  const apply = () => {
    const want = window.__lupA11y;
    const root = document.documentElement;
    if (root.lang !== want.lang) root.lang = want.lang;
    for (const el of document.querySelectorAll('[class*="st-key-lang-"]')) {
      const m = el.className.match(/st-key-lang-([a-z]{2,3})-/);
      if (m && el.lang !== m[1]) el.lang = m[1];
    }
    for (const a of document.querySelectorAll('[data-testid="stSidebar"] a[data-testid="stPageLink-NavLink"]')) {
      const current = (a.getAttribute('href') || '').split('?')[0] === want.page;
      if (current && a.getAttribute('aria-current') !== 'page') a.setAttribute('aria-current', 'page');
      if (!current && a.hasAttribute('aria-current')) a.removeAttribute('aria-current');
    }
  };
  // Tablets and phones: the sidebar starts collapsed below the breakpoint (Streamlit's own "auto" state collapses
  // it only below 768 px, and at 820 px it takes 300 px of the page). Streamlit draws it closed and then opens it,
  // so this waits for it to open (the observer calls it again) and closes it once, only in the first seconds
  // after the page loaded: a reader who opens it again keeps it open.
  const collapseOnce = () => {
    if (window.__lupSidebarChecked) return;
    if (window.innerWidth >= window.__lupA11y.collapseBelow || performance.now() > 15000) {
      window.__lupSidebarChecked = true;
      return;
    }
    const button = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
    if (!button || button.getAttribute('aria-expanded') !== 'true') return;
    window.__lupSidebarChecked = true;
    button.click();
  };
  apply();
  collapseOnce();
  if (!window.__lupA11yObserver) {
    window.__lupA11yObserver = new MutationObserver(() => { apply(); collapseOnce(); });
    window.__lupA11yObserver.observe(document.body, {subtree: true, childList: true});
  }
})();
</script>
"""


def document_title(page_title: str) -> str:
    """The browser tab's title of a page: "Indkøbsvolumen · Nordic LUP workbench" (WCAG 2.4.2)."""
    return f"{page_title} · {APP_NAME}"


def page_frame(lang: str, page_title: str, link_path: str) -> None:
    """Title the document after the page, and apply the style rule and the language script.

    `link_path` is the page's href in the sidebar before its query: its url_path, "" for the default page.
    """
    st.set_page_config(page_title=document_title(page_title))
    st.html(f"<style>{STYLE}</style>")  # style only: Streamlit puts it where it takes no space
    config = {"lang": lang, "page": link_path, "collapseBelow": SIDEBAR_COLLAPSE_BELOW}
    with st.sidebar:
        # The values are the app's own (a language code, a page path), and "<" is escaped all the same, so that no
        # value could ever close the script element.
        st.html(_SCRIPT % json.dumps(config).replace("<", "\\u003c"), unsafe_allow_javascript=True)


def lang_key(lang: str, key: str) -> str:
    """A container key that makes the script mark the container's content as being in `lang` (WCAG 3.1.2)."""
    return f"lang-{lang}-{key}"


STATEMENT_DIR = Path(__file__).resolve().parent.parent / "docs" / "accessibility"


@cache
def statement(lang: str) -> str:
    """The accessibility statement in `lang` (Markdown, written by the project, so shown as it is)."""
    return (STATEMENT_DIR / f"{lang}.md").read_text(encoding="utf-8")
