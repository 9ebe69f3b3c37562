"""Governance of LUP: who founded, owned and steered it over time, and which Danish body could take each role.

Ownership over time comes from the relations table (subject holds a role towards the programme), never from
prose. Each relation keeps its own source, so a reader can see who says what; where sources name different
bodies for the same seat (doc-004 names Digdir as owner in 2020 while Norwegian sources name Difi and DFØ),
both relations stay and are flagged, never merged. Everything here is pure (frames in, frames and Altair
specs out) so the Governance page stays thin and the logic is tested alone.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date

import altair as alt
import pandas as pd

from comparisons.i18n import pick
from comparisons.i18n.formatting import fmt_period
from comparisons.outputs.palette import ROLE_COLOURS, RULE

PROGRAMME = "lup"
# Roles that make a body one of the programme's owners (the steering group has equal standing).
OWNER_ROLES: tuple[str, ...] = ("founder", "owner", "steering_group")
# Roles drawn on the timeline: owners plus the later role of a former owner (DFØ became a collaborator).
TIMELINE_ROLES: tuple[str, ...] = (*OWNER_ROLES, "collaborator")
SUCCESSION = "succeeded_by"
# end_bound value: the role lasted at least until its end; whether and when it ended later is not known.
AT_LEAST = "at_least"
# A marker shape per role at the start of its bar (the founder's diamond is the whole mark), so that a role is
# told by shape as well as by colour (WCAG 1.4.1); the colours are the palette's ROLE_COLOURS.
ROLE_SHAPES: dict[str, str] = {
    "founder": "diamond",
    "owner": "square",
    "steering_group": "circle",
    "collaborator": "cross",
}
# Words in a relation's note by which the people entering the data say that sources disagree.
CONFLICT_WORDS: tuple[str, ...] = ("conflict", "disagree", "differ", "contradict")


def _blank(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value) or str(value).strip() == ""


def period_first_day(text: object) -> pd.Timestamp:
    """First day of a period written YYYY, YYYY-MM or YYYY-MM-DD; NaT when empty or malformed."""
    if _blank(text):
        return pd.NaT
    parts = str(text).strip().split("-")
    try:
        nums = [int(p) for p in parts]
        return pd.Timestamp(date(nums[0], nums[1] if len(nums) > 1 else 1, nums[2] if len(nums) > 2 else 1))
    except (ValueError, IndexError):
        return pd.NaT


def period_last_day(text: object) -> pd.Timestamp:
    """Last day of a period: '2019' -> 2019-12-31, '2020-09' -> 2020-09-30, a day -> itself; NaT when empty."""
    if _blank(text):
        return pd.NaT
    parts = str(text).strip().split("-")
    try:
        nums = [int(p) for p in parts]
        if len(nums) == 1:
            return pd.Timestamp(date(nums[0], 12, 31))
        if len(nums) == 2:
            return pd.Timestamp(date(nums[0], nums[1], calendar.monthrange(nums[0], nums[1])[1]))
        return pd.Timestamp(date(nums[0], nums[1], nums[2]))
    except (ValueError, IndexError):
        return pd.NaT


def actor_labels(actors: pd.DataFrame) -> dict[str, str]:
    """actor_id -> the short name used in tables and charts (KS, DFØ), else the actor's own name, else the id."""
    labels: dict[str, str] = {}
    for row in actors.drop_duplicates(subset=["actor_id"], keep="first").itertuples(index=False):
        short = getattr(row, "short_name", None)
        labels[str(row.actor_id)] = str(short) if not _blank(short) else str(row.name)
    return labels


def _label(labels: Mapping[str, str], actor_id: object) -> str:
    return labels.get(str(actor_id), str(actor_id))


def source_list(publishers: pd.Series, dates: pd.Series) -> str:
    """'KS 2021, LUP 2019': each publisher with the year of its publication, once, in the order given."""
    pairs = (f"{p} {str(d)[:4]}".strip() for p, d in zip(publishers.fillna(""), dates.fillna(""), strict=True))
    return ", ".join(dict.fromkeys(pairs))


def source_columns(frame: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Add the title, publisher and publication date of each row's source (left join on source_id)."""
    src = sources.drop_duplicates(subset=["source_id"], keep="first")[["source_id", "title", "publisher", "published"]]
    src = src.rename(columns={"title": "source_title", "published": "source_published"})
    return frame.merge(src, on="source_id", how="left")


def governance_relations(
    relations: pd.DataFrame, programme: str = PROGRAMME, roles: tuple[str, ...] = TIMELINE_ROLES
) -> pd.DataFrame:
    """The relations some body holds towards the programme in the given roles, with parsed dates.

    Roles outside OWNER_ROLES (collaborator) are kept only for bodies that also held an owner role.
    `start_date` is the first day of `start`, `end_date` the last day of `end` (an end of 2019 lasts through
    2019); `open_end` marks relations whose end no source gives: no end at all, or an end that is only the last
    date a source names the role (`end_bound` at_least). Sorted by start, then subject and role.
    """
    keep = relations[(relations["object"] == programme) & (relations["relation"].isin(roles))]
    # Other roles (collaborator) are kept only for bodies that also held an owner role: DFØ's later part, not
    # every body the programme works with.
    owners = set(keep.loc[keep["relation"].isin(OWNER_ROLES), "subject"])
    keep = keep[keep["relation"].isin(OWNER_ROLES) | keep["subject"].isin(owners)]
    out = keep.drop(columns=["_row", "package"], errors="ignore").copy()
    out["start_date"] = pd.to_datetime(out["start"].map(period_first_day))
    out["end_date"] = pd.to_datetime(out["end"].map(period_last_day))
    if "end_bound" not in out.columns:
        out["end_bound"] = pd.Series(pd.NA, index=out.index, dtype="string")
    out["at_least"] = (out["end_bound"].astype("string") == AT_LEAST).fillna(False).astype(bool)
    out["open_end"] = out["end_date"].isna() | out["at_least"]
    out["start_year"] = out["start_date"].dt.year.astype("Int64")
    out["end_year"] = out["end_date"].dt.year.astype("Int64")
    role_rank = {r: i for i, r in enumerate(roles)}
    out["_rank"] = out["relation"].map(role_rank)
    out = out.sort_values(["start_date", "subject", "_rank"], na_position="last").drop(columns=["_rank"])
    return out.reset_index(drop=True)


def successions(
    relations: pd.DataFrame, actors: pd.DataFrame, sources: pd.DataFrame, programme: str = PROGRAMME
) -> pd.DataFrame:
    """Who took over from whom (relation succeeded_by), for bodies that held a role towards the programme:
    Difi -> Digdir (1 Jan 2020), Difi -> DFØ (1 Sep 2020). Other successions (COI -> CO-PI) are left out."""
    holders = set(governance_relations(relations, programme)["subject"])
    keep = relations[(relations["relation"] == SUCCESSION) & relations["subject"].isin(holders)]
    labels = actor_labels(actors)
    out = pd.DataFrame(
        {
            "predecessor": keep["subject"].astype("string"),
            "successor": keep["object"].astype("string"),
            "start": keep["start"].astype("string"),
            "source_id": keep["source_id"].astype("string"),
        }
    ).reset_index(drop=True)
    out["predecessor_label"] = [_label(labels, a) for a in out["predecessor"]]
    out["successor_label"] = [_label(labels, a) for a in out["successor"]]
    out["date"] = pd.to_datetime(out["start"].map(period_first_day))
    out = source_columns(out, sources)
    return out.sort_values(["date", "successor"], na_position="last").reset_index(drop=True)


def last_named_by(frame: pd.DataFrame, sources: pd.DataFrame) -> pd.Series:
    """For each relation, 'Publisher YYYY' of the latest source naming it (its own or one in confirmed_by): how
    recently a role counted up to today is known to hold."""
    from comparisons.evidence.freshness import last_naming_source

    src = sources.drop_duplicates(subset=["source_id"], keep="first").set_index("source_id")
    published = {str(k): str(v) for k, v in src["published"].items() if not _blank(v)}
    texts = []
    for row in frame.to_dict("records"):
        last = last_naming_source(row, published)
        texts.append("" if last is None else f"{src.at[last[0], 'publisher']} {last[1][:4]}")
    return pd.Series(texts, index=frame.index, dtype="string")


def owners_as_of(gov: pd.DataFrame, year: int) -> pd.DataFrame:
    """Relations in an owner role (founder, owner, steering group) that are in force in `year`.

    A relation counts from its start year through its end year, also where the end is only 'until at least'
    (later years are not known, so they are not claimed); with no end it counts up to any later year (the
    validation warns when no recent source still names such a role). Relations with no start are left out.
    """
    owners = gov[gov["relation"].isin(OWNER_ROLES) & gov["start_year"].notna()]
    active = (owners["start_year"] <= year) & (owners["end_year"].isna() | (owners["end_year"] >= year))
    return owners[active.fillna(False).astype(bool)].reset_index(drop=True)


def _intervals_overlap(a: pd.Series, b: pd.Series, today: pd.Timestamp) -> bool:
    if pd.isna(a["start_date"]) or pd.isna(b["start_date"]):
        return False
    a_end = today if pd.isna(a["end_date"]) else a["end_date"]
    b_end = today if pd.isna(b["end_date"]) else b["end_date"]
    return a["start_date"] <= b_end and b["start_date"] <= a_end


def source_conflicts(gov: pd.DataFrame, succ: pd.DataFrame, today: date) -> pd.DataFrame:
    """Relations whose sources disagree about who held an owner seat, with the reason for each.

    Two rules, so a disagreement stays visible however it was entered:
    - `rival_successors`: two bodies that both succeeded the same predecessor (Digdir and DFØ after Difi) are
      each named as owner or steering-group member for overlapping years, by different sources.
    - `noted`: the relation's note says the sources differ (conflict, disagree, differ, contradict).
    Returns relation_id, reason and `others` (the relation_ids it disagrees with; empty for `noted`).
    """
    now = pd.Timestamp(today)
    owners = gov[gov["relation"].isin(OWNER_ROLES)]
    found: dict[tuple[str, str], set[str]] = {}
    for _, group in succ.groupby("predecessor"):
        heirs = set(group["successor"])
        if len(heirs) < 2:
            continue
        held = owners[owners["subject"].isin(heirs)]
        for i, a in held.iterrows():
            for j, b in held.iterrows():
                if i >= j or a["subject"] == b["subject"] or a["source_id"] == b["source_id"]:
                    continue
                if _intervals_overlap(a, b, now):
                    found.setdefault((a["relation_id"], "rival_successors"), set()).add(b["relation_id"])
                    found.setdefault((b["relation_id"], "rival_successors"), set()).add(a["relation_id"])
    for _, row in gov.iterrows():
        note = "" if _blank(row.get("note")) else str(row["note"]).lower()
        if any(word in note for word in CONFLICT_WORDS):
            found.setdefault((row["relation_id"], "noted"), set())
    records = [
        {"relation_id": rid, "reason": reason, "others": " ".join(sorted(others))}
        for (rid, reason), others in sorted(found.items())
    ]
    return pd.DataFrame.from_records(records, columns=["relation_id", "reason", "others"])


def conflict_details(
    conflicts: pd.DataFrame, gov: pd.DataFrame, actors: pd.DataFrame, sources: pd.DataFrame
) -> pd.DataFrame:
    """The flagged relations spelled out for the reader, one row per relation: body, role, dates, the reasons
    it was flagged (list), the (body, role) pairs it disagrees with (list), its source and its note."""
    labels = actor_labels(actors)
    by_id = gov.drop_duplicates("relation_id").set_index("relation_id")
    known = conflicts[conflicts["relation_id"].isin(by_id.index)]
    records = []
    for relation_id, group in known.groupby("relation_id", sort=False):
        rel = by_id.loc[relation_id]
        other_ids = dict.fromkeys(o for text in group["others"] for o in str(text).split() if o in by_id.index)
        records.append(
            {
                "relation_id": relation_id,
                "actor": _label(labels, rel["subject"]),
                "relation": rel["relation"],
                "start": rel["start"],
                "end": rel["end"],
                "reasons": list(dict.fromkeys(group["reason"])),
                "others": [(_label(labels, by_id.loc[o, "subject"]), str(by_id.loc[o, "relation"])) for o in other_ids],
                "source_id": rel["source_id"],
                "note": "" if _blank(rel["note"]) else str(rel["note"]),
                "_start": rel["start_date"],
            }
        )
    columns = ["relation_id", "actor", "relation", "start", "end", "reasons", "others", "source_id", "note", "_start"]
    out = pd.DataFrame.from_records(records, columns=columns).sort_values(["_start", "actor"]).drop(columns="_start")
    return source_columns(out.reset_index(drop=True), sources)


def end_text(end: object, lang: str, end_unknown: str, bound: object = None, until_at_least: str = "{end}") -> str:
    """A relation's end as the reader's language writes it, or the caller's words for 'end not known'; an end
    bounded `at_least` goes into the caller's `until_at_least` template ("until at least {end}")."""
    if _blank(end):
        return end_unknown
    written = fmt_period(str(end), lang)
    return until_at_least.format(end=written) if not _blank(bound) and str(bound) == AT_LEAST else written


def timeline(
    gov: pd.DataFrame,
    actors: pd.DataFrame,
    sources: pd.DataFrame,
    today: date,
    lang: str,
    end_unknown: str,
    until_at_least: str = "{end}",
) -> pd.DataFrame:
    """The rows the timeline draws, one per relation: actor label, bar from start to end (today when no end is
    given; an 'until at least' end is drawn as given, marked as open), texts for the tooltip in the reader's
    language, and the source of each relation.

    Relations without a start cannot be drawn and are left out (they still appear in the tables).
    """
    labels = actor_labels(actors)
    rows = gov[gov["start_date"].notna()].copy()
    rows["actor"] = [_label(labels, a) for a in rows["subject"]]
    rows["drawn_end"] = rows["end_date"].fillna(pd.Timestamp(today))
    rows["from_text"] = [fmt_period(s, lang) for s in rows["start"]]
    rows["to_text"] = [
        end_text(e, lang, end_unknown, b, until_at_least) for e, b in zip(rows["end"], rows["end_bound"], strict=True)
    ]
    rows = source_columns(rows, sources)
    rows["source_year"] = rows["source_published"].astype("string").str[:4]
    first = rows.groupby("actor")["start_date"].transform("min")
    rows = rows.assign(_first=first).sort_values(["_first", "actor", "start_date"]).drop(columns=["_first"])
    return rows.reset_index(drop=True)


def actor_order(rows: pd.DataFrame) -> list[str]:
    """Actors in the order they first took an owner role (the chart's rows, top to bottom)."""
    return list(dict.fromkeys(rows["actor"]))


def timeline_chart(
    rows: pd.DataFrame,
    succ: pd.DataFrame,
    role_labels: Mapping[str, str],
    titles: Mapping[str, str],
    end_unknown: str,
) -> alt.LayerChart | alt.FacetChart:
    """One bar per relation from start to end, a marker where the end is not known, a diamond where a body
    founded the programme, and a dashed rule at each succession (Difi -> Digdir, Difi -> DFØ).

    `rows` come from `timeline` with a translated `role` column; `titles` hold the translated axis and tooltip
    titles (keys: actor, role, from, to, source, publisher, published, year, took_over, date).
    """
    roles = [r for r in ROLE_COLOURS if r in set(rows["relation"])]
    # Colour and shape share one legend (same field and title): each role has its colour and its marker.
    legend = alt.Legend(orient="bottom", labelLimit=0)
    colour = alt.Color(
        "role:N",
        title=titles["role"],
        scale=alt.Scale(domain=[role_labels[r] for r in roles], range=[ROLE_COLOURS[r] for r in roles]),
        legend=legend,
    )
    shape = alt.Shape(
        "role:N",
        title=titles["role"],
        scale=alt.Scale(domain=[role_labels[r] for r in roles], range=[ROLE_SHAPES[r] for r in roles]),
        legend=legend,
    )
    order = actor_order(rows)
    y = alt.Y("actor:N", title=titles["actor"], sort=order, axis=alt.Axis(title=None))
    y_offset = alt.YOffset("role:N", title=titles["role"], scale=alt.Scale(paddingInner=0.2))
    tooltip = [
        alt.Tooltip("actor:N", title=titles["actor"]),
        alt.Tooltip("role:N", title=titles["role"]),
        alt.Tooltip("from_text:N", title=titles["from"]),
        alt.Tooltip("to_text:N", title=titles["to"]),
        alt.Tooltip("source_title:N", title=titles["source"]),
        alt.Tooltip("publisher:N", title=titles["publisher"]),
        alt.Tooltip("source_year:N", title=titles["published"]),
    ]
    x_start = alt.X(
        "start_date:T",
        title=titles["from"],
        axis=alt.Axis(format="%Y", tickCount="year", title=titles["year"]),
        scale=alt.Scale(padding=12),
    )
    base = alt.Chart(rows).encode(y=y, color=colour, tooltip=tooltip)
    not_founder = base.transform_filter(alt.datum.relation != "founder")
    bars = not_founder.mark_bar(height={"band": 0.8}, cornerRadius=2).encode(
        x=x_start, x2=alt.X2("drawn_end:T", title=titles["to"]), yOffset=y_offset
    )
    starts = not_founder.mark_point(filled=True, size=70, opacity=1, stroke="white", strokeWidth=1).encode(
        x=x_start, yOffset=y_offset, shape=shape
    )
    open_rows = rows[rows["open_end"] & (rows["relation"] != "founder")].assign(marker=end_unknown)
    # A fixed triangle (the caption says what it means): a shape field here would split the roles' legend.
    open_ends = (
        alt.Chart(open_rows)
        .mark_point(shape="triangle-right", filled=True, size=90, opacity=1)
        .encode(
            x=alt.X("drawn_end:T", title=titles["to"], axis=alt.Axis(title=titles["year"])),
            y=y,
            yOffset=y_offset,
            color=colour,
            tooltip=tooltip,
        )
    )
    founders = (
        base.transform_filter(alt.datum.relation == "founder")
        .mark_point(filled=True, size=140, opacity=1)
        .encode(x=x_start, shape=shape)
    )
    layers = [bars, open_ends, founders, starts]
    succ_rows = succ[succ["date"].notna()]
    if not succ_rows.empty:
        rules = (
            alt.Chart(succ_rows)
            .mark_rule(strokeDash=[4, 3], color=RULE)
            .encode(
                x=alt.X("date:T", title=titles["date"], axis=alt.Axis(title=titles["year"])),
                tooltip=[
                    alt.Tooltip("predecessor_label:N", title=titles["actor"]),
                    alt.Tooltip("successor_label:N", title=titles["took_over"]),
                    alt.Tooltip("date:T", title=titles["date"], format="%Y-%m-%d"),
                    alt.Tooltip("source_title:N", title=titles["source"]),
                ],
            )
        )
        layers.append(rules)
    # Streamlit fits the whole chart (axes and the legends below included) into this height.
    height = 140 + 40 * len(order)
    return alt.layer(*layers).properties(height=height)


def milestones(events: pd.DataFrame, sources: pd.DataFrame, lang: str, subject: str = PROGRAMME) -> pd.DataFrame:
    """The programme's dated milestones, oldest first: date (as written), title in `lang`, and source."""
    keep = events[events["subject"] == subject].copy()
    keep["title"] = [pick(row, "title", lang) for _, row in keep.iterrows()]
    keep["_sort"] = keep["date"].map(period_first_day)
    keep = source_columns(keep, sources).sort_values(["_sort", "event_id"])
    columns = ["event_id", "date", "title", "source_id", "source_title", "publisher", "source_published"]
    return keep[columns].reset_index(drop=True)


def _names(ids: object, labels: Mapping[str, str]) -> str:
    return ", ".join(_label(labels, a) for a in ([] if _blank(ids) else str(ids).split()))


def crosswalk(counterparts: pd.DataFrame, actors: pd.DataFrame, sources: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Each LUP role with who holds it in Norway, its Danish candidates (short names), fit, why (in `lang`) and
    source. `gap` is true where Denmark has no counterpart: fit `none`, or no candidate named at all."""
    labels = actor_labels(actors)
    out = pd.DataFrame(
        {
            "role_id": counterparts["role_id"].astype("string"),
            "role": [pick(row, "role", lang) for _, row in counterparts.iterrows()],
            "norwegian_holders": [_names(v, labels) for v in counterparts["norwegian_holder"]],
            "danish_candidates": [_names(v, labels) for v in counterparts["danish_candidates"]],
            "fit": counterparts["fit"].astype("string"),
            "why": [pick(row, "why", lang) for _, row in counterparts.iterrows()],
            "source_id": counterparts["source_id"].astype("string"),
        }
    )
    out["gap"] = (out["fit"] == "none") | (out["danish_candidates"].str.strip() == "")
    out["gap"] = out["gap"].fillna(True).astype(bool)
    return source_columns(out, sources).reset_index(drop=True)


def gap_count(cross: pd.DataFrame) -> int:
    """How many LUP roles have no Danish counterpart."""
    return int(cross["gap"].sum())


def year_range(gov: pd.DataFrame, today: date) -> tuple[int, int]:
    """The years the 'as of' control offers: from the first owner relation's start to this year."""
    starts = gov.loc[gov["relation"].isin(OWNER_ROLES), "start_year"].dropna()
    first = int(starts.min()) if not starts.empty else today.year
    return min(first, today.year), today.year
