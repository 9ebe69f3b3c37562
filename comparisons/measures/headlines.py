"""The Overview's side-by-side: for each comparison row, the latest figure for Norway and for Denmark.

A row names, per country, which subject and metric answer it. Where no source gives a Danish figure, the row says
so ("not found") instead of guessing. Every selected figure keeps its fact_id, so its source can be shown, and the
number of other figures for the same subject and metric is counted, so disagreements stay visible.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from comparisons.evidence.base import Evidence
from comparisons.i18n import N_, pick
from comparisons.measures.comparability import Mark, mark_of, role_mark, with_known
from comparisons.measures.money import figure_year

if TYPE_CHECKING:
    import altair as alt


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
    # Where a side has no figure: one line (English msgid) on what is missing and what a Danish LUP would need.
    gap_no: str | None = None
    gap_dk: str | None = None
    role: str | None = None  # the LUP role in counterparts.csv whose Danish candidates are the nearest bodies
    # A row answered by who holds a role towards LUP (relations.csv: "host") rather than by a figure.
    holder: str | None = None
    # Where Norway has no figure: the event (events.csv) saying what is known instead (a category, not a score).
    known_no: str | None = None


HEADLINE_ROWS: tuple[HeadlineRow, ...] = (
    # The one yardstick both countries were measured on (the European Commission's benchmark of national
    # innovation-procurement policy frameworks) leads the brief.
    HeadlineRow(
        "benchmark",
        N_("Score in the EU innovation-procurement benchmark"),
        Answer("no-public-sector", "eu_benchmark_score"),
        Answer("dk-public-sector", "eu_benchmark_score"),
        gap_no=N_("Norway's score was not found in the Commission's reports; it is not estimated here."),
        known_no="ev-eu-benchmark-final-2020",
    ),
    HeadlineRow(
        "benchmark_rank",
        N_("Rank in the EU innovation-procurement benchmark (of 30)"),
        Answer("no-public-sector", "eu_benchmark_rank"),
        Answer("dk-public-sector", "eu_benchmark_rank"),
        gap_no=N_("Norway's rank was not found in the Commission's reports; it is not estimated here."),
    ),
    # Denmark has no LUP: its owners row shows CO-PI, today's successor of COI (which its owners asked in 2020 to
    # prepare a Danish LUP, and which ended in 2022), so that today's bodies are compared with today's.
    HeadlineRow("owners", N_("Owners"), Answer("lup", "owner_count"), Answer("co-pi", "owner_count")),
    HeadlineRow(
        "host",
        N_("Secretariat host"),
        None,
        None,
        gap_dk=N_(
            "No Danish body hosts a secretariat for supplier development; a Danish LUP would need a host, and a "
            "public one would lack the anchoring in business that NHO gives LUP."
        ),
        role="secretariat-host",
        holder="host",
    ),
    HeadlineRow(
        "partners",
        N_("Partners (public bodies with partner agreements)"),
        Answer("lup", "partner_count"),
        None,
        gap_dk=N_(
            "No Danish body has paying partners; a Danish LUP would need municipalities, regions and state bodies "
            "that join under partner agreements."
        ),
        role="paying-partners",
    ),
    HeadlineRow(
        "reached",
        N_("Public bodies that have used the method"),
        Answer("lup", "bodies_reached"),
        None,
        gap_dk=N_(
            "No Danish body counts the public buyers it has helped; a Danish LUP would need to record them "
            "from the start."
        ),
        role="national-competence-centre",
    ),
    HeadlineRow(
        "savings",
        N_("Public savings reported since 2010"),
        Answer("lup", "cumulative_savings"),
        None,
        gap_dk=N_(
            "No Danish programme reports savings from innovative procurement; a Danish LUP would need an agreed "
            "way to measure them."
        ),
        role="national-competence-centre",
    ),
    HeadlineRow("grant", N_("Yearly public funding"), Answer("lup", "state_grant"), Answer("co-pi", "annual_funding")),
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
        # Municipalities and regions together: the Danish aggregate that covers the same levels as Norway's
        # municipalities and county councils (municipalities alone would be a narrower scope).
        Answer("dk-local-government", "procurement_volume_local"),
    ),
    HeadlineRow(
        "drivers",
        N_("Regions with a dedicated innovation driver"),
        Answer("lup", "innovation_driver_regions"),
        None,
        gap_dk=N_(
            "No Danish body has innovation drivers in the regions; a Danish LUP would need its own drivers working "
            "with local buyers and suppliers across the country, not only around Copenhagen."
        ),
        role="regional-innovation-drivers",
    ),
)
PROGRAMME = "lup"  # the subject whose role holders answer a `holder` row
ROW_STEP = 56  # px per country row of the milestone strip


def _sort_latest(facts: pd.DataFrame) -> pd.DataFrame:
    """Latest validity first, then latest publication; fact_id keeps the order stable."""
    keyed = facts.assign(
        _end=facts["period_end"].astype(str).str.pad(10, "right", "9"), _asof=facts["as_of"].astype(str)
    )
    return keyed.sort_values(["_end", "_asof", "fact_id"], ascending=[False, False, True]).drop(
        columns=["_end", "_asof"]
    )


def facts_for(facts: pd.DataFrame, subject: str, metric: str) -> pd.DataFrame:
    """All figures for one subject and metric, latest first."""
    return _sort_latest(facts[(facts["subject"] == subject) & (facts["metric"] == metric)])


def latest_fact(facts: pd.DataFrame, subject: str, metric: str) -> pd.Series | None:
    found = facts_for(facts, subject, metric)
    return None if found.empty else found.iloc[0]


def headline_table(facts: pd.DataFrame) -> pd.DataFrame:
    """One row per (comparison row, country): the latest fact_id, or empty when no source gives one."""
    answers = [a for row in HEADLINE_ROWS for a in (row.norway, row.denmark) if a is not None]
    # The figures of the answers' subjects and metrics, read from the whole frame once (then per answer from these).
    relevant = facts[
        (facts["subject"].isin({a.subject for a in answers}) & facts["metric"].isin({a.metric for a in answers}))
        .fillna(False)
        .astype(bool)
    ]
    records = []
    for row in HEADLINE_ROWS:
        for country, answer in (("NO", row.norway), ("DK", row.denmark)):
            found = facts_for(relevant, answer.subject, answer.metric) if answer else None
            fact = None if found is None or found.empty else found.iloc[0]
            others = len(found) - 1 if found is not None and fact is not None else 0
            records.append(
                {
                    "row": row.key,
                    "label": row.label,
                    "country": country,
                    "subject": None if answer is None else answer.subject,
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


@dataclass(frozen=True)
class Known:
    """Norway's answer to a row without a Norwegian figure: the bodies holding LUP's role (a `holder` row), or
    what an event says is known instead (`known_no`). Cited by its source, dated by its year."""

    text: str  # in the reader's language: the holders' short names, or the event's title
    year: int | None
    source_id: str
    holders: tuple[str, ...] = ()  # actor ids, for a `holder` row


def known_answer(ev: Evidence, row: HeadlineRow, lang: str) -> Known | None:
    """What is known for Norway where `row` has no Norwegian figure, or None."""
    from comparisons.measures.register import actors_in, display_name

    if row.holder:
        rel = ev["relations"]
        open_ended = rel["end"].fillna("").astype(str).str.strip() == ""  # held today, as far as sources tell
        held = rel[(rel["object"] == PROGRAMME) & (rel["relation"] == row.holder) & open_ended]
        if held.empty:
            return None
        actors = actors_in(ev["actors"], lang).drop_duplicates("actor_id").set_index("actor_id")
        ids = tuple(dict.fromkeys(str(i) for i in held["subject"]))
        names = [display_name(actors.loc[i]) if i in actors.index else i for i in ids]
        first = held.iloc[0]
        published = ev["sources"].set_index("source_id")["published"].get(first["source_id"])
        return Known(", ".join(names), figure_year(published), str(first["source_id"]), ids)
    if row.known_no:
        events = ev["events"][ev["events"]["event_id"] == row.known_no]
        if events.empty:
            return None
        event = events.iloc[0]
        return Known(pick(event, "title", lang), figure_year(event["date"]), str(event["source_id"]))
    return None


def row_mark(ev: Evidence, row: HeadlineRow, norway: pd.Series | dict | None, denmark: pd.Series | dict | None) -> Mark:
    """The comparability mark of one row's pair (comparisons.measures.comparability), shown on the page and in
    the pack: a `holder` row compares who holds the role; a row where only a category is known for Norway says
    when that is from against Denmark's figure."""
    if row.holder:
        known = known_answer(ev, row, "en")
        return role_mark(known is not None, False)
    mark = mark_of(ev, norway, denmark)
    if norway is None and denmark is not None and row.known_no:
        known = known_answer(ev, row, "en")
        if known is not None:
            dk_year = figure_year(denmark.get("period_end"), denmark.get("period_start"), denmark.get("as_of"))
            mark = with_known(mark, known.year, dk_year)
    return mark


def owners_named(relations: pd.DataFrame, subject: str, year: int | None) -> list[str]:
    """The actor ids that own `subject` in `year` (its `owner` relations in force then); for a body without
    owners (a public centre such as CO-PI), the bodies that fund it, which play the owners' part."""
    for role in ("owner", "funder"):
        rows = relations[(relations["object"] == subject) & (relations["relation"] == role)]
        found = []
        for rel in rows.itertuples():
            start, end = str(rel.start or "")[:4], str(rel.end or "")[:4] if rel.end == rel.end else ""
            if year is not None and start.isdigit() and int(start) > year:
                continue
            if year is not None and end.isdigit() and int(end) < year:
                continue
            found.append(str(rel.subject))
        if found:
            return list(dict.fromkeys(found))
    return []


def milestones(events: pd.DataFrame, lang: str, countries: tuple[str, ...] = ("NO", "DK")) -> pd.DataFrame:
    """Dated milestones of both countries, for the 'what changed over time' strip: one row per event."""
    from comparisons.evidence.checks import period_bounds
    from comparisons.i18n import pick

    rows = events[events["country"].isin(countries)]
    records = []
    for _, ev in rows.iterrows():
        try:
            first = period_bounds(str(ev["date"]))[0]
        except ValueError:
            continue
        records.append(
            {
                "event_id": ev["event_id"],
                "country": ev["country"],
                "date": pd.Timestamp(first),
                "date_text": str(ev["date"]),
                "title": pick(ev, "title", lang),
                "source_id": ev["source_id"],
            }
        )
    return pd.DataFrame.from_records(
        records, columns=["event_id", "country", "date", "date_text", "title", "source_id"]
    )


def milestones_chart(frame: pd.DataFrame, country_names: dict[str, str], titles: dict[str, str]) -> alt.Chart:
    """A strip per country with a dot per milestone; the tooltip names the milestone, its date and source."""
    import altair as alt

    from comparisons.outputs.charts import country_colour

    data = frame.assign(country_name=frame["country"].map(country_names))
    return (
        alt.Chart(data, title=titles["title"])
        .mark_circle(size=140, opacity=0.85)
        .encode(
            x=alt.X("date:T", title=titles["date"], axis=alt.Axis(format="%Y", labelOverlap=True)),
            y=alt.Y("country_name:N", title=titles["country"], axis=alt.Axis(title=None)),
            color=alt.Color(
                "country_name:N", title=titles["country"], scale=country_colour(country_names), legend=None
            ),
            tooltip=[
                alt.Tooltip("title:N", title=titles["event"]),
                alt.Tooltip("date_text:N", title=titles["date"]),
                alt.Tooltip("publisher:N", title=titles["source"]),
            ],
        )
        # A fixed step per country row, not a total height: a total is shared with the title and the axes when
        # the chart is fitted to its frame, which squeezed both rows onto one line ("Danmark" over "Norge").
        .properties(height=alt.Step(ROW_STEP))
    )
