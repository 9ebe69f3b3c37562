"""The pages of the app, their stable URLs and translated titles, and the sidebar that links them.

Navigation is hidden and the sidebar is drawn here, with translated labels and the language kept in each link
(st.navigation would drop query parameters on a page switch).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from comparisons import models
from comparisons.i18n import N_
from ui.context import LANG_KEY, lang
from ui.editing import editing_enabled


@dataclass(frozen=True)
class PageSpec:
    url_path: str
    script: str
    title: str  # English msgid, translated when drawn
    icon: str


# Sidebar icons of the pages of comparisons.models.PAGES (their paths, titles and order are defined there).
ICONS: dict[str, str] = {
    "overview": ":material/compare_arrows:",
    "governance": ":material/account_tree:",
    "partners": ":material/handshake:",
    "procurement": ":material/shopping_cart:",
    "results": ":material/savings:",
    "actors": ":material/groups:",
    "whatif": ":material/query_stats:",
    "options": ":material/how_to_vote:",
    "sources": ":material/menu_book:",
    "export": ":material/download:",
}
# Documents every reader can open, after the pages (they have no model: their text is the document itself).
DOCUMENT_PAGES: tuple[PageSpec, ...] = (
    PageSpec("accessibility", "pages/accessibility.py", N_("Accessibility statement"), ":material/accessibility:"),
)
PAGES: tuple[PageSpec, ...] = (
    *(PageSpec(p.url_path, f"pages/{p.module}.py", p.title, ICONS[p.url_path]) for p in models.PAGES),
    *DOCUMENT_PAGES,
)


# Pages that change the data: registered and linked only when editing is switched on (ui/editing.py), so a
# read-only app has no route to them at all. Kept out of PAGES, which lists what every reader sees.
EDITING_PAGES: tuple[PageSpec, ...] = (
    PageSpec("curation", "pages/curation.py", N_("Curate the Danish register"), ":material/edit_note:"),
)


def visible_pages() -> tuple[PageSpec, ...]:
    """The pages of this app as it runs now: PAGES, plus the editing pages when editing is on."""
    return PAGES + EDITING_PAGES if editing_enabled() else PAGES


PAGES_KEY = "_lup_nav_pages"  # session state: this session's st.Page objects, per language and page list


def session_pages(_: Callable[[str], str]) -> list[st.Page]:
    """The st.Page objects of the visible pages in the session's language, made once per session and language.

    Making them resolved and checked every script path on every rerun (a tenth of a cached page's rerun,
    benchmarks/pages.py with py-spy). They are kept per session, not shared: st.navigation marks the page it
    returns as runnable once, and a session runs one script at a time. Each session gets copies of pages made once
    per process and language: making them for every new session and every language switch was 5 % of a server's
    time under 200 readers (benchmarks/load.py with py-spy)."""
    specs = visible_pages()
    key = (lang(), specs)
    held = st.session_state.get(PAGES_KEY)
    if held is None or held[0] != key:
        pages, alias = _made_pages(*key, _)
        held = (key, [copy.copy(p) for p in pages], copy.copy(alias))
        st.session_state[PAGES_KEY] = held
    return held[1]


_MADE: dict[tuple[str, tuple[PageSpec, ...]], tuple[tuple[st.Page, ...], st.Page]] = {}


def _made_pages(lg: str, specs: tuple[PageSpec, ...], _: Callable[[str], str]) -> tuple[tuple[st.Page, ...], st.Page]:
    """The pages of `specs` in `lg` and the default page's alias, made once per process (copied for each session)."""
    made = _MADE.get((lg, specs))
    if made is None:
        pages = tuple(
            st.Page(
                p.script,
                title=_(p.title),
                icon=p.icon,
                url_path=DEFAULT_PAGE_RESERVED_PATH if i == 0 else p.url_path,
                default=(i == 0),
            )
            for i, p in enumerate(specs)
        )
        made = _MADE[(lg, specs)] = (pages, _default_page_alias(_))
    return made


# The default page lives at "/", and Streamlit reserves its url_path without serving it, so a typed or shared
# "/overview?lang=da" gave "page not found". The default page is registered under this reserved name instead, and a
# hidden second page runs the same script at the page's own url_path; its sidebar link stays "/".
DEFAULT_PAGE_RESERVED_PATH = "start"


def _default_page_alias(_: Callable[[str], str]) -> st.Page:
    first = PAGES[0]
    return st.Page(first.script, title=_(first.title), icon=first.icon, url_path=first.url_path)


def link_path(page: st.Page) -> str:
    """The href of the page's sidebar link before its query: "" for the default page and its alias."""
    return "" if page.url_path in ("", PAGES[0].url_path) else page.url_path


def navigation(_: Callable[[str], str]) -> st.Page:
    pages = session_pages(_)
    alias = st.session_state[PAGES_KEY][2]  # made with the pages, once per session and language
    current = st.navigation([*pages, alias], position="hidden")
    with st.sidebar:
        st.caption(_("Pages"))
        for page in pages:
            st.page_link(page, label=page.title, icon=page.icon, query_params={LANG_KEY: lang()})
    return current
