"""The evidence ledger of results and savings, the conflicts in it, and ratios built from it with their inputs.

Why this module exists: LUP's savings and results are reported by several sources at different dates and in
different currencies (over 183 MNOK c. 2019, 334 MNOK in 2020, EUR 36 m c. 2021, and a claim that 10 MNOK
invested gives over 400 MNOK). Decision material must show every one of them with its date and source, side by
side, never averaged; and any ratio (savings per krone of state grant) must list the facts it uses, leave years
without a known grant out *and say so*, and carry the bound that follows from its inputs.

- `evidence_ledger`: every results and savings figure with its source, date, definition and reliability.
- `conflict_groups`: the ledger's figures grouped by measure where sources give more than one value; claims of
  savings sit beside the reported cumulative savings. Money figures get an equivalent in the country's currency
  at the figure's own year (with its derivation), for reading only.

Savings per krone of state grant, and the grants it rests on, are defined once in comparisons.measures.savings.
"""

from __future__ import annotations

import pandas as pd

from comparisons.i18n import N_
from comparisons.measures.money import (
    convert_facts,
    figure_year,
    render_derivation,
)

PROGRAMME = "lup"

# The results and savings measures, in the order the ledger lists them. Metrics of the topics below that are not
# named here follow in alphabetical order, so a newly added results metric is never left out.
LEDGER_METRICS: tuple[str, ...] = (
    "cumulative_savings",
    "savings_claim",
    "investment_claim",
    "bodies_reached",
    "municipality_share_reached",
    "share_of_innovative_procurements",
    "innovative_procurements",
    "pilot_projects",
    "innovations",
    "jobs_created",
    "co2_reduction",
)
LEDGER_TOPICS: tuple[str, ...] = ("results", "reach")

# Measures shown together when looking for conflicts: a claimed saving is read against the reported savings.
CONFLICT_GROUP: dict[str, str] = {"savings_claim": "cumulative_savings"}

COUNTRY_CURRENCY: dict[str, str] = {"NO": "NOK", "DK": "DKK"}

# Units that are not currencies, as the ledger names them (currencies keep their ISO codes).
UNIT_LABELS: dict[str, str] = {
    "count": N_("number"),
    "persons": N_("persons"),
    "percent": N_("per cent"),
    "tonnes_co2": N_("tonnes CO₂"),
    "tonnes_co2e": N_("tonnes CO₂e"),
    "year": N_("year"),
    "years": N_("years"),
    "rank": N_("rank"),
}


def ledger_metric_ids(metrics: pd.DataFrame) -> list[str]:
    """The ledger's metrics: the named ones first, then any other results or reach metric."""
    known = set(metrics["metric_id"].astype(str)) if not metrics.empty else set()
    named = [m for m in LEDGER_METRICS if m in known or metrics.empty]
    extra = (
        sorted(
            m
            for m, t in zip(metrics["metric_id"].astype(str), metrics["topic"].astype(str), strict=False)
            if t in LEDGER_TOPICS and m not in LEDGER_METRICS
        )
        if not metrics.empty
        else []
    )
    return named + extra


def _sort_key_text(series: pd.Series) -> pd.Series:
    """Dates as text sort correctly when padded: '2020' before '2020-09' before '2021'."""
    return series.astype("string").fillna("").str.pad(10, "right", "0")


def evidence_ledger(facts: pd.DataFrame, metrics: pd.DataFrame) -> pd.DataFrame:
    """Every results and savings figure (facts joined with sources, see `facts_with_sources`), with its metric's
    labels and definition, its group for conflicts and the year it is for; ordered by measure, then by date."""
    wanted = ledger_metric_ids(metrics)
    order = {m: i for i, m in enumerate(wanted)}
    ledger = facts[facts["metric"].isin(wanted)].copy()
    meta_cols = [
        c
        for c in ("metric_id", "label_nb", "label_da", "label_en", "definition_nb", "definition_da", "definition_en")
        if c in metrics.columns
    ]
    ledger = ledger.merge(metrics[meta_cols], left_on="metric", right_on="metric_id", how="left").drop(
        columns=["metric_id"], errors="ignore"
    )
    ledger["group"] = ledger["metric"].map(lambda m: CONFLICT_GROUP.get(m, m))
    ledger["year"] = pd.array(
        [
            figure_year(e, s, a)
            for e, s, a in zip(ledger["period_end"], ledger["period_start"], ledger["as_of"], strict=False)
        ],
        dtype="Int64",
    )
    ledger = ledger.assign(
        _order=ledger["group"].map(order).fillna(len(order)),
        _sub=ledger["metric"].map(order).fillna(len(order)),
        _end=_sort_key_text(ledger["period_end"]),
        _asof=_sort_key_text(ledger["as_of"]),
    )
    ledger = ledger.sort_values(["_order", "country", "subject", "_end", "_asof", "_sub", "fact_id"])
    return ledger.drop(columns=["_order", "_sub", "_end", "_asof"]).reset_index(drop=True)


def conflict_groups(ledger: pd.DataFrame, rates: pd.DataFrame) -> pd.DataFrame:
    """The ledger rows of every (country, subject, group) that holds two or more different figures.

    Added columns: group_key, group_size, and for money figures `equivalent` in the country's currency at the
    figure's own year (`equivalent_currency`, `equivalent_derivation_steps`, `equivalent_derivation`). Nothing is
    averaged: each figure keeps its own row, date and source.
    """
    if ledger.empty:
        return ledger.assign(group_key=pd.Series(dtype="string"), group_size=pd.Series(dtype="Int64"))
    keyed = ledger.assign(
        group_key=ledger["country"].astype(str)
        + "/"
        + ledger["subject"].astype(str)
        + "/"
        + ledger["group"].astype(str)
    )
    distinct = keyed.groupby("group_key").apply(
        lambda g: len(set(zip(g["value"].astype(float).round(6), g["unit"].astype(str), strict=False))),
        include_groups=False,
    )
    conflicting = distinct[distinct > 1].index
    out = keyed[keyed["group_key"].isin(conflicting)].copy()
    out["group_size"] = pd.array(out.groupby("group_key")["fact_id"].transform("size"), dtype="Int64")
    out = out.reset_index(drop=True)
    equivalents: list[float | None] = [None] * len(out)
    currencies: list[str | None] = [None] * len(out)
    steps: list[tuple] = [()] * len(out)
    for country, target in COUNTRY_CURRENCY.items():
        rows = out[(out["country"] == country) & (out["unit"] != target)]
        if rows.empty:
            continue
        converted = convert_facts(rows, rates, target)
        for i, value, derivation in zip(
            converted.index, converted["converted"], converted["derivation_steps"], strict=True
        ):
            if not pd.isna(value):  # non-money figures and missing rates get no equivalent
                equivalents[i], currencies[i], steps[i] = float(value), target, derivation
    out["equivalent"] = pd.array(equivalents, dtype="Float64")
    out["equivalent_currency"] = currencies
    out["equivalent_derivation_steps"] = pd.Series(steps, index=out.index, dtype=object)
    out["equivalent_derivation"] = [render_derivation(s) for s in steps]
    return out.reset_index(drop=True)
