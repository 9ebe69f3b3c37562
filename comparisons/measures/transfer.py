"""Transferability check: what LUP relies on, whether Denmark has it, and which LUP roles have no Danish holder.

Why this module exists: the what-if projects Norwegian results to Denmark, which only makes sense where the
conditions that produced those results exist in Denmark too. The preconditions table (data/denmark/preconditions.csv)
rates each condition present / partial / missing with evidence; the role crosswalk (counterparts.csv) shows the LUP
roles for which no Danish candidate fits. Both are shown beside the projection so the reader weighs it properly.
Pure: frames in, frames out; the page translates the status labels (comparisons.i18n.labels.STATUS).
"""

from __future__ import annotations

from collections.abc import Callable

import altair as alt
import pandas as pd

from comparisons.i18n import pick
from comparisons.i18n.labels import STATUS
from comparisons.outputs.palette import STATUS_COLOURS

STATUS_ORDER: tuple[str, ...] = ("present", "partial", "missing")


def _blank(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)) or str(value).strip() == ""


def _source_columns(sources: pd.DataFrame) -> pd.DataFrame:
    src = sources[["source_id", "title", "publisher"]].drop_duplicates("source_id")
    return src.rename(columns={"title": "source_title"})


def preconditions_view(preconditions: pd.DataFrame, sources: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per precondition, in the reader's language: label, status code, evidence, fact_ids, source.

    Ordered missing first, then partial, then present (the gaps matter most to a decision), then by id.
    """
    columns = ["precondition_id", "label", "status", "evidence", "fact_ids", "source_id", "source_title", "publisher"]
    if preconditions.empty:
        return pd.DataFrame(columns=columns)
    out = pd.DataFrame(
        {
            "precondition_id": preconditions["precondition_id"].astype(str),
            "label": [pick(r, "label", lang) for _, r in preconditions.iterrows()],
            "status": preconditions["status"].astype(str),
            "evidence": [pick(r, "evidence", lang) for _, r in preconditions.iterrows()],
            "fact_ids": preconditions["fact_ids"].fillna("").astype(str),
            "source_id": preconditions["source_id"].astype(str),
        }
    )
    out = out.merge(_source_columns(sources), on="source_id", how="left")
    rank = {s: i for i, s in enumerate(reversed(STATUS_ORDER))}
    out = out.assign(_rank=out["status"].map(rank).fillna(len(rank)))
    return out.sort_values(["_rank", "precondition_id"]).drop(columns="_rank").reset_index(drop=True)[columns]


def status_counts(preconditions: pd.DataFrame) -> pd.DataFrame:
    """How many preconditions Denmark has, partly has and lacks (every status listed, zero included)."""
    counts = preconditions["status"].value_counts() if not preconditions.empty else pd.Series(dtype=int)
    return pd.DataFrame({"status": list(STATUS_ORDER), "count": [int(counts.get(s, 0)) for s in STATUS_ORDER]})


def _actor_names(actors: pd.DataFrame) -> dict[str, str]:
    names: dict[str, str] = {}
    for _, row in actors.iterrows():
        short = row.get("short_name")
        names[str(row["actor_id"])] = str(short) if not _blank(short) else str(row.get("name", row["actor_id"]))
    return names


def _names(ids: object, names: dict[str, str]) -> str:
    return "" if _blank(ids) else ", ".join(names.get(i, i) for i in str(ids).split())


def role_gaps(counterparts: pd.DataFrame, actors: pd.DataFrame, sources: pd.DataFrame, lang: str) -> pd.DataFrame:
    """LUP roles without a Danish holder: fit 'none', or no Danish candidate named.

    Columns: role_id, role, norwegian_holder (names), danish_candidates (names, empty when none), fit, why, source.
    """
    columns = [
        "role_id",
        "role",
        "norwegian_holder",
        "danish_candidates",
        "fit",
        "why",
        "source_id",
        "source_title",
        "publisher",
    ]
    if counterparts.empty:
        return pd.DataFrame(columns=columns)
    gaps = counterparts[(counterparts["fit"].astype(str) == "none") | counterparts["danish_candidates"].map(_blank)]
    names = _actor_names(actors)
    out = pd.DataFrame(
        {
            "role_id": gaps["role_id"].astype(str),
            "role": [pick(r, "role", lang) for _, r in gaps.iterrows()],
            "norwegian_holder": [_names(v, names) for v in gaps["norwegian_holder"]],
            "danish_candidates": [_names(v, names) for v in gaps["danish_candidates"]],
            "fit": gaps["fit"].astype(str),
            "why": [pick(r, "why", lang) for _, r in gaps.iterrows()],
            "source_id": gaps["source_id"].astype(str),
        }
    )
    out = out.merge(_source_columns(sources), on="source_id", how="left")
    return out.sort_values("role_id").reset_index(drop=True)[columns]


def transfer_summary(preconditions: pd.DataFrame, counterparts: pd.DataFrame) -> dict[str, int]:
    """Counts for one sentence: preconditions by status, roles in the crosswalk, roles without a Danish holder."""
    counts = status_counts(preconditions).set_index("status")["count"].to_dict()
    gaps = (
        0
        if counterparts.empty
        else int(((counterparts["fit"].astype(str) == "none") | counterparts["danish_candidates"].map(_blank)).sum())
    )
    return {
        **{s: int(counts.get(s, 0)) for s in STATUS_ORDER},
        "preconditions": int(sum(counts.values())),
        "roles": len(counterparts),
        "role_gaps": gaps,
    }


def status_chart(counts: pd.DataFrame, gettext: Callable[[str], str], labels: dict[str, str]) -> alt.Chart:
    """Bars of preconditions by Danish status, in the status palette (present / partial / missing)."""
    domain = [gettext(STATUS[s]) for s in STATUS_ORDER]
    data = counts.assign(label=[gettext(STATUS[s]) for s in counts["status"]], note=labels["note"])
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("label:N", sort=domain, title=None),
            x=alt.X("count:Q", title=labels["x"], axis=alt.Axis(format="d", tickMinStep=1)),
            color=alt.Color(
                "label:N", scale=alt.Scale(domain=domain, range=[STATUS_COLOURS[s] for s in STATUS_ORDER]), legend=None
            ),
            tooltip=[
                alt.Tooltip("label:N", title=labels["status"]),
                alt.Tooltip("count:Q", title=labels["x"]),
                alt.Tooltip("note:N", title=labels["source"]),
            ],
        )
        .properties(title=labels["title"], height=alt.Step(28))
    )
