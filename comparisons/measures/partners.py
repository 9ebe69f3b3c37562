"""Partners of LUP: how many over time, of which kinds, how they cover the regions, and the Danish pool.

Partner counts come from facts (metric partner_count), one point per source: figures given for close dates
that differ (30 in 2020 against 29 in 2021 against 26 on an undated English page) are all kept and flagged,
never averaged. Partner kinds come from the partner relations, which name only some of the partners, so the
count of named partners is always shown beside the total a source gives. Pure: frames in, frames and Altair
specs out.
"""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import pandas as pd

from comparisons.i18n.formatting import fmt_period, fmt_span, fmt_value
from comparisons.measures.governance import actor_labels, period_first_day, period_last_day
from comparisons.measures.headlines import facts_for
from comparisons.outputs.palette import COUNTRY_COLOURS, TEXT, WARNING

PROGRAMME = "lup"
PARTNER_COUNT = "partner_count"
# Figures whose validity periods lie at most this many days apart (less than a whole calendar year between
# them) are "close": if they differ, the sources disagree (or count differently) rather than describe growth.
CLOSE_DAYS = 365
REGIONAL_METRICS: tuple[str, ...] = ("counties_count", "county_partners", "innovation_driver_regions")
DANISH_POOL_METRICS: tuple[str, ...] = ("municipalities_count", "regions_count")
# No metric for Danish state agencies exists yet; looking it up shows "not found" until a source gives one.
STATE_AGENCIES_METRIC = "state_agencies_count"


def _blank(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value) or str(value).strip() == ""


def count_series(facts: pd.DataFrame, subject: str = PROGRAMME, metric: str = PARTNER_COUNT) -> pd.DataFrame:
    """Every figure for one count, oldest first, placed at the middle of the period it is valid for.

    `facts` is `facts_with_sources(ev)`. Adds `start_date`, `end_date`, `mid_date`, and `conflict`: true when
    another figure valid at a close date (periods at most CLOSE_DAYS apart) gives a different value.
    """
    keep = facts[(facts["subject"] == subject) & (facts["metric"] == metric)].copy()
    keep["start_date"] = pd.to_datetime(keep["period_start"].map(period_first_day))
    keep["end_date"] = pd.to_datetime(keep["period_end"].map(period_last_day))
    keep["mid_date"] = keep["start_date"] + (keep["end_date"] - keep["start_date"]) / 2
    keep = keep.sort_values(["mid_date", "as_of", "fact_id"]).reset_index(drop=True)
    pairs = close_disagreements(keep)
    flagged = set(pairs["fact_id"]) | set(pairs["other_fact_id"])
    keep["conflict"] = keep["fact_id"].isin(flagged)
    return keep


def _gap_days(a: pd.Series, b: pd.Series) -> int:
    """Days between two validity periods; 0 when they overlap."""
    if a["end_date"] < b["start_date"]:
        return int((b["start_date"] - a["end_date"]).days)
    if b["end_date"] < a["start_date"]:
        return int((a["start_date"] - b["end_date"]).days)
    return 0


_PAIR_COLUMNS = ["fact_id", "value", "other_fact_id", "other_value", "gap_days"]
_ROWS_AT_ONCE = 1024  # rows of the pairwise comparison computed at once


def close_disagreements(series: pd.DataFrame, close_days: int = CLOSE_DAYS) -> pd.DataFrame:
    """Pairs of figures valid at close dates (at most `close_days` apart) whose values differ, each pair once.
    Figures without a date or a value are not compared."""
    value = series["value"]
    numeric = pd.api.types.is_numeric_dtype(value.dtype) and not pd.api.types.is_bool_dtype(value.dtype)
    if not numeric or len(series) < 2:
        return _close_disagreements_pairwise(series, close_days)
    import numpy as np

    start = pd.to_datetime(series["start_date"]).to_numpy(dtype="datetime64[ns]")
    end = pd.to_datetime(series["end_date"]).to_numpy(dtype="datetime64[ns]")
    # A figure without a date or without a value (NaN or NA) cannot disagree with another: it is left out.
    dated = ~np.isnat(start) & ~value.isna().to_numpy(dtype=bool)
    values = value.to_numpy(dtype=float, na_value=np.nan)
    day = np.timedelta64(1, "D")
    ids, raw = series["fact_id"].array, value.array
    records = []
    n = len(series)
    for lo in range(0, n, _ROWS_AT_ONCE):
        rows = np.arange(lo, min(lo + _ROWS_AT_ONCE, n))
        a_start, a_end = start[rows, None], end[rows, None]
        before = a_end < start[None, :]  # a ends before b starts
        after = end[None, :] < a_start  # b ends before a starts
        with np.errstate(invalid="ignore"):
            gap = np.where(before, (start[None, :] - a_end) // day, np.where(after, (a_start - end[None, :]) // day, 0))
        keep = (
            (np.arange(n)[None, :] > rows[:, None])
            & dated[rows, None]
            & dated[None, :]
            & ~(values[rows, None] == values[None, :])
            & (gap <= close_days)
        )
        for i, j in zip(*np.nonzero(keep), strict=True):
            a = int(rows[i])
            records.append(
                {
                    "fact_id": ids[a],
                    "value": raw[a],
                    "other_fact_id": ids[j],
                    "other_value": raw[j],
                    "gap_days": int(gap[i, j]),
                }
            )
    return pd.DataFrame.from_records(records, columns=_PAIR_COLUMNS)


def _no_value(value: object) -> bool:
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def _close_disagreements_pairwise(series: pd.DataFrame, close_days: int) -> pd.DataFrame:
    """close_disagreements by comparing every pair in Python (for values that are not numbers)."""
    records = []
    frame_rows = [series.iloc[i] for i in range(len(series))]
    for i, a in enumerate(frame_rows):
        for b in frame_rows[i + 1 :]:
            if (
                pd.isna(a["start_date"])
                or pd.isna(b["start_date"])
                or _no_value(a["value"])
                or _no_value(b["value"])
                or a["value"] == b["value"]
            ):
                continue
            gap = _gap_days(a, b)
            if gap <= close_days:
                records.append(
                    {
                        "fact_id": a["fact_id"],
                        "value": a["value"],
                        "other_fact_id": b["fact_id"],
                        "other_value": b["value"],
                        "gap_days": gap,
                    }
                )
    return pd.DataFrame.from_records(records, columns=_PAIR_COLUMNS)


def with_texts(series: pd.DataFrame, lang: str, flag_text: Mapping[bool, str]) -> pd.DataFrame:
    """The series with the texts its chart and tooltips show, in `lang`: value (with its bound), validity period,
    publication date, and `flag` (flag_text[conflict])."""
    out = series.copy()
    out["value_text"] = [
        fmt_value(v, u, lang, b) for v, u, b in zip(out["value"], out["unit"], out["bound"], strict=True)
    ]
    out["period_text"] = [fmt_span(a, b, lang) for a, b in zip(out["period_start"], out["period_end"], strict=True)]
    out["as_of_text"] = [fmt_period(a, lang) for a in out["as_of"]]
    out["flag"] = out["conflict"].map(flag_text)
    return out


def count_chart(
    series: pd.DataFrame, titles: Mapping[str, str], conflict_labels: Mapping[bool, str]
) -> alt.LayerChart | alt.FacetChart:
    """Partner counts over time: a point per source at the middle of its validity, a line through the
    validity period where it is longer than a day, a faint line linking the points, and conflicting
    figures drawn as open diamonds. Tooltips name the figure, its period, source, publisher and date.

    `series` needs translated text columns `value_text`, `period_text`, `as_of_text` and `flag`
    (conflict_labels[conflict]); `titles` keys: value, date, period, source, publisher, published, flag.
    """
    tooltip = [
        alt.Tooltip("value_text:N", title=titles["value"]),
        alt.Tooltip("period_text:N", title=titles["period"]),
        alt.Tooltip("source_title:N", title=titles["source"]),
        alt.Tooltip("publisher:N", title=titles["publisher"]),
        alt.Tooltip("as_of_text:N", title=titles["published"]),
        alt.Tooltip("flag:N", title=titles["flag"]),
    ]
    colour = COUNTRY_COLOURS["NO"]
    x = alt.X(
        "mid_date:T", title=titles["date"], axis=alt.Axis(format="%Y", tickCount="year"), scale=alt.Scale(padding=16)
    )
    top = float(series["value"].max()) * 1.15 if len(series) else 1.0  # headroom for the value labels
    y = alt.Y(
        "value:Q", title=titles["value"], scale=alt.Scale(domain=[0, top], nice=True), axis=alt.Axis(tickMinStep=1)
    )
    base = alt.Chart(series)
    link = base.mark_line(color=colour, opacity=0.25, strokeDash=[2, 2]).encode(x=x, y=y)
    spans = base.mark_rule(color=colour, strokeWidth=3, opacity=0.5).encode(
        x=alt.X("start_date:T", title=titles["period"]),
        x2=alt.X2("end_date:T", title=titles["period"]),
        y=y,
        tooltip=tooltip,
    )
    shape_domain = [conflict_labels[False], conflict_labels[True]]
    points = base.mark_point(size=110, filled=True, opacity=0.9).encode(
        x=x,
        y=y,
        shape=alt.Shape(
            "flag:N",
            title=None,
            scale=alt.Scale(domain=shape_domain, range=["circle", "diamond"]),
            legend=alt.Legend(orient="bottom", labelLimit=0),
        ),
        color=alt.Color(
            "flag:N",
            title=None,
            scale=alt.Scale(domain=shape_domain, range=[colour, WARNING]),
            legend=alt.Legend(orient="bottom", labelLimit=0),
        ),
        tooltip=tooltip,
    )
    labels = base.mark_text(dy=-14, fontSize=11, color=TEXT).encode(
        x=x, y=y, text=alt.Text("value_text:N", title=titles["value"])
    )
    return alt.layer(link, spans, points, labels).properties(height=360)  # axes and legend included


def named_partners(relations: pd.DataFrame, actors: pd.DataFrame, programme: str = PROGRAMME) -> pd.DataFrame:
    """The partners the sources name (relation partner towards the programme), with each one's kind and source.

    Only named partners are here; the sources give a total (35 in 2023) without naming all of them.
    """
    keep = relations[(relations["object"] == programme) & (relations["relation"] == "partner")]
    keep = keep.drop(columns=["_row", "package"], errors="ignore")
    info = actors.drop_duplicates(subset=["actor_id"], keep="first")[["actor_id", "name", "kind"]]
    out = keep.merge(info, left_on="subject", right_on="actor_id", how="left")
    labels = actor_labels(actors)
    out["label"] = [labels.get(str(a), str(a)) for a in out["subject"]]
    out["name"] = out["name"].fillna(out["subject"])
    out["start_date"] = pd.to_datetime(out["start"].map(period_first_day))
    return out.sort_values(["kind", "name"]).reset_index(drop=True)


def kind_counts(partners: pd.DataFrame) -> pd.DataFrame:
    """Named partners per kind of body (most first), with the names in each kind."""
    if partners.empty:
        return pd.DataFrame(
            {"kind": pd.Series(dtype="string"), "count": pd.Series(dtype="Int64"), "names": pd.Series(dtype="string")}
        )
    grouped = partners.groupby("kind", dropna=False)
    out = pd.DataFrame(
        {
            "count": grouped.size().astype("Int64"),
            "names": grouped["name"].agg(lambda names: ", ".join(sorted(map(str, names)))),
        }
    ).reset_index()
    return out.sort_values(["count", "kind"], ascending=[False, True]).reset_index(drop=True)


def kind_chart(counts: pd.DataFrame, titles: Mapping[str, str]) -> alt.Chart:
    """Horizontal bars: named partners per kind (`kind_label` translated); tooltip lists the names."""
    most = int(counts["count"].max()) if len(counts) else 1
    return (
        alt.Chart(counts)
        .mark_bar(color=COUNTRY_COLOURS["NO"])
        .encode(
            x=alt.X(
                "count:Q",
                title=titles["count"],
                axis=alt.Axis(values=list(range(0, most + 1)), format="d"),
                scale=alt.Scale(domain=[0, most], nice=False),
            ),
            y=alt.Y("kind_label:N", title=None, sort="-x"),
            tooltip=[
                alt.Tooltip("kind_label:N", title=titles["kind"]),
                alt.Tooltip("count:Q", title=titles["count"]),
                alt.Tooltip("names:N", title=titles["names"]),
            ],
        )
        .properties(height=70 + 40 * len(counts))  # the x axis included
    )


def latest_for_metric(
    facts: pd.DataFrame, metric: str, country: str | None = None, subject: str | None = None
) -> tuple[pd.Series | None, int]:
    """The latest figure for a metric (optionally one country's, or one subject's) and how many others exist.

    Regional and pool counts describe aggregates (Norway's counties, Denmark's municipalities) whose subject id
    is the data's choice, so the metric and country are enough to find them.
    """
    keep = facts[facts["metric"] == metric]
    if country is not None:
        keep = keep[keep["country"] == country]
    if subject is not None:
        keep = keep[keep["subject"] == subject]
    if keep.empty:
        return None, 0
    # facts_for orders latest validity first, then latest publication; it keys on one subject, so give all one.
    ordered = keep.loc[facts_for(keep.assign(subject=""), "", metric).index]
    return ordered.iloc[0], len(ordered) - 1


def county_coverage(county_partners: pd.Series | None, counties: pd.Series | None) -> str | None:
    """'all' when county partners are at least as many as the counties in an overlapping period, 'some' when
    fewer, None when either figure is missing or they are valid for different periods (no comparison then)."""
    if county_partners is None or counties is None:
        return None
    a_start, a_end = period_first_day(county_partners["period_start"]), period_last_day(county_partners["period_end"])
    b_start, b_end = period_first_day(counties["period_start"]), period_last_day(counties["period_end"])
    if any(pd.isna(d) for d in (a_start, a_end, b_start, b_end)) or a_start > b_end or b_start > a_end:
        return None
    return "all" if float(county_partners["value"]) >= float(counties["value"]) else "some"
