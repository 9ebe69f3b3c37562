"""The Overview's side-by-side: for each comparison row, the latest figure for Norway and for Denmark.

A row names, per country, which subject and metric answer it. Where no source gives a Danish figure, the row says
so ("not found") instead of guessing. Every selected figure keeps its fact_id, so its source can be shown, and the
number of other figures for the same subject and metric is counted, so disagreements stay visible.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from comparisons.i18n import N_


@dataclass(frozen=True)
class Answer:
    subject: str
    metric: str


@dataclass(frozen=True)
class HeadlineRow:
    key: str
    label: str  # English msgid
    norway: Answer | None
    denmark: Answer | None


HEADLINE_ROWS: tuple[HeadlineRow, ...] = (
    HeadlineRow("partners", N_("Partners (public bodies with partner agreements)"), Answer("lup", "partner_count"), None),
    HeadlineRow("reached", N_("Public bodies that have used the method"), Answer("lup", "bodies_reached"), None),
    HeadlineRow("savings", N_("Public savings reported since 2010"), Answer("lup", "cumulative_savings"), None),
    HeadlineRow("grant", N_("Yearly public funding of the national programme"), Answer("lup", "state_grant"), Answer("co-pi", "annual_funding")),
    HeadlineRow(
        "volume",
        N_("Public procurement per year"),
        Answer("no-public-sector", "procurement_volume"),
        Answer("dk-public-sector", "procurement_volume"),
    ),
    HeadlineRow(
        "local",
        N_("Bought by local government per year"),
        Answer("no-local-government", "procurement_volume_local"),
        Answer("dk-municipalities", "procurement_volume_local"),
    ),
)


def _sort_latest(facts: pd.DataFrame) -> pd.DataFrame:
    """Latest validity first, then latest publication; fact_id keeps the order stable."""
    keyed = facts.assign(_end=facts["period_end"].astype(str).str.pad(10, "right", "9"), _asof=facts["as_of"].astype(str))
    return keyed.sort_values(["_end", "_asof", "fact_id"], ascending=[False, False, True]).drop(columns=["_end", "_asof"])


def facts_for(facts: pd.DataFrame, subject: str, metric: str) -> pd.DataFrame:
    """All figures for one subject and metric, latest first."""
    return _sort_latest(facts[(facts["subject"] == subject) & (facts["metric"] == metric)])


def latest_fact(facts: pd.DataFrame, subject: str, metric: str) -> pd.Series | None:
    found = facts_for(facts, subject, metric)
    return None if found.empty else found.iloc[0]


def headline_table(facts: pd.DataFrame) -> pd.DataFrame:
    """One row per (comparison row, country): the latest fact_id, or empty when no source gives one."""
    records = []
    for row in HEADLINE_ROWS:
        for country, answer in (("NO", row.norway), ("DK", row.denmark)):
            fact = latest_fact(facts, answer.subject, answer.metric) if answer else None
            others = len(facts_for(facts, answer.subject, answer.metric)) - 1 if fact is not None and answer else 0
            records.append(
                {
                    "row": row.key,
                    "label": row.label,
                    "country": country,
                    "fact_id": None if fact is None else fact["fact_id"],
                    "value": None if fact is None else fact["value"],
                    "unit": None if fact is None else fact["unit"],
                    "bound": None if fact is None else fact["bound"],
                    "period_start": None if fact is None else fact["period_start"],
                    "period_end": None if fact is None else fact["period_end"],
                    "other_figures": others,
                }
            )
    return pd.DataFrame.from_records(records)
