"""The Export page's content for one data version and language: every registry table's title, caption and preview."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from comparisons.evidence.base import Evidence
from comparisons.i18n import gettext_for
from comparisons.i18n.formatting import fmt_number
from comparisons.models.parts import per_data
from comparisons.outputs.tables import TABLES, registry_preview


@dataclass(frozen=True)
class TableView:
    name: str  # the table's registry name (download and widget keys)
    title: str
    caption: str  # its description and row count
    preview: pd.DataFrame  # ui.downloads.registry_preview: headers in the reader's language, sources last
    # The preview as st.dataframe sends it: converting a DataFrame to Arrow on every rerun was a quarter of the
    # page's rerun time; a pyarrow Table is only serialised (the same bytes).
    shown: pd.DataFrame


@dataclass(frozen=True)
class ExportView:
    intro: str  # how many tables, in which formats
    tables: list[TableView]


@per_data
def export_view(ev: Evidence, lg: str) -> ExportView:
    """Every registry table with its preview, for one data version and language (shared by all sessions)."""
    _ = gettext_for(lg)
    intro = _(
        "{n} tables, each in five formats: CSV (comma, UTF-8), CSV for Excel set to Norwegian or Danish (semicolon, "
        "decimal comma), Excel, Parquet and JSON. Open a table for a preview and its downloads."
    ).format(n=fmt_number(len(TABLES), lg, 0))
    tables = []
    for name, spec in TABLES.items():
        preview = registry_preview(name, ev, lg)
        caption = _("{description} {rows} rows.").format(
            description=_(spec.description), rows=fmt_number(len(preview), lg, 0)
        )
        tables.append(TableView(name, _(spec.title), caption, preview, preview))
    return ExportView(intro, tables)


# --- the page model ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """The Export page has no settings of its own: the language chooses the pack's language."""


def default_settings(ev: Evidence, lg: str) -> Settings:
    return Settings()


@dataclass(frozen=True)
class ExportPage:
    settings: Settings
    view: ExportView


def build(ev: Evidence, lg: str, settings: Settings) -> ExportPage:
    return ExportPage(settings, export_view(ev, lg))
