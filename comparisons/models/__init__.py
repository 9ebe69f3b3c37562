"""Page models: for each page of the app, one Streamlit-free model of what it shows, built from (evidence, language,
settings): its figure cards (value, formatted text, citation), tables (frames with the sources of their rows),
charts (Altair specs with their data) and texts.

Each page's module defines its `Settings` (a frozen dataclass: the view state a link carries), `default_settings`
(the one definition of the page's defaults, resolved against the evidence) and `build`. The page, the warm-up, the
decision pack and `python -m comparisons brief` all render these models. The pieces are built once per data
version, language and settings (comparisons.models.parts.per_data).

May import: `comparisons.evidence`, `comparisons.i18n`, `comparisons.measures`, `comparisons.outputs`. Never
streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Any

from comparisons.evidence.base import Evidence
from comparisons.i18n import N_


@dataclass(frozen=True)
class PageSpec:
    """A page of the app: its stable URL path, its title (an English msgid) and its model module."""

    url_path: str
    title: str
    module: str

    def model(self) -> Any:
        return import_module(f"comparisons.models.{self.module}")

    def default_settings(self, ev: Evidence, lang: str) -> Any:
        return self.model().default_settings(ev, lang)

    def build(self, ev: Evidence, lang: str, settings: Any = None) -> Any:
        """The page's model; `settings` None means the page's defaults."""
        module = self.model()
        return module.build(ev, lang, module.default_settings(ev, lang) if settings is None else settings)


# The pages every reader sees, in the sidebar's order; the app's navigation and the command line read this list.
PAGES: tuple[PageSpec, ...] = (
    PageSpec("overview", N_("Overview"), "overview"),
    PageSpec("governance", N_("Governance"), "governance"),
    PageSpec("partners", N_("Partners"), "partners"),
    PageSpec("procurement", N_("Procurement volumes"), "procurement"),
    PageSpec("results", N_("Results and savings"), "results"),
    PageSpec("actors", N_("Danish actors and initiatives"), "actors"),
    PageSpec("whatif", N_("What-if: a Danish LUP"), "whatif"),
    PageSpec("options", N_("Options for a Danish LUP"), "options"),
    PageSpec("sources", N_("Sources"), "sources"),
    PageSpec("export", N_("Export"), "export"),
)
BY_PATH: dict[str, PageSpec] = {p.url_path: p for p in PAGES}


def page(url_path: str) -> PageSpec:
    """The page at `url_path`; KeyError for an unknown one."""
    return BY_PATH[url_path]
