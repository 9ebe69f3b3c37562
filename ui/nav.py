"""The pages of the app, their stable URLs and translated titles, and the sidebar that links them.

Navigation is hidden and the sidebar is drawn here, with translated labels and the language kept in each link
(st.navigation would drop query parameters on a page switch).
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from comparisons.i18n import N_
from ui.context import LANG_KEY, lang


@dataclass(frozen=True)
class PageSpec:
    url_path: str
    script: str
    title: str  # English msgid, translated when drawn
    icon: str


PAGES: tuple[PageSpec, ...] = (
    PageSpec("overview", "pages/overview.py", N_("Overview"), ":material/compare_arrows:"),
    PageSpec("governance", "pages/governance.py", N_("Governance"), ":material/account_tree:"),
    PageSpec("partners", "pages/partners.py", N_("Partners"), ":material/handshake:"),
    PageSpec("actors", "pages/actors.py", N_("Danish actors and initiatives"), ":material/groups:"),
    PageSpec("sources", "pages/sources.py", N_("Sources"), ":material/menu_book:"),
)


def navigation(_) -> st.navigation:  # noqa: ANN001
    pages = [
        st.Page(p.script, title=_(p.title), icon=p.icon, url_path=p.url_path, default=(i == 0))
        for i, p in enumerate(PAGES)
    ]
    current = st.navigation(pages, position="hidden")
    with st.sidebar:
        st.caption(_("Pages"))
        for page in pages:
            st.page_link(page, label=page.title, icon=page.icon, query_params={LANG_KEY: lang()})
    return current
