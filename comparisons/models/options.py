"""The Options for a Danish LUP page's model: each design question with Norway's answer and its evidence, the
Danish options with their fit and sources, and the What-if's consequences of each funding option (built by
comparisons.summit.page from the evidence). What participants answer lives in the summit database, not here: the
page draws it beside this model when an event link is open."""

from __future__ import annotations

from dataclasses import dataclass

from comparisons.evidence.base import Evidence
from comparisons.models.parts import per_data
from comparisons.summit import page
from comparisons.summit.page import OptionsView


@per_data
def options_view(ev: Evidence, lg: str) -> OptionsView:
    """The questions, options and What-if consequences, once per data version and language."""
    return page.options_view(ev, lg)


@dataclass(frozen=True)
class Settings:
    """The page has no view settings of its own (an event code in the link opens the summit's part)."""


def default_settings(ev: Evidence, lg: str) -> Settings:
    return Settings()


@dataclass(frozen=True)
class OptionsPage:
    settings: Settings
    view: OptionsView


def build(ev: Evidence, lg: str, settings: Settings) -> OptionsPage:
    return OptionsPage(settings, options_view(ev, lg))
