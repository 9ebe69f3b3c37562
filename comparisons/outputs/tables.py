"""The registry of exportable tables: name -> (evidence, lang) -> frame, each row naming its sources.

Why: the Export page, the decision pack and the command line must offer the *same* tables with the same columns,
translated headers and provenance. Each builder returns a frame with machine column names (listed in its spec,
with an English msgid for the header and a kind that decides how the column is typed and written) plus a
`source_ids` column: the sources behind that row (a derived fact or a precondition also names the sources of the
facts it rests on). `export_table` turns that into an `ExportTable` for comparisons.outputs.exports.

Speed: the two steps that do not depend on the language (which figures disagree, and which figure heads each
comparison row) are remembered by the *content* of the frame they read (a hash of every cell, not the object's
identity), so the Export page's previews, the pack and the other languages reuse them, and an edited evidence
base can never be served an old answer.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from comparisons.evidence.base import Evidence, facts_with_sources, sources_in
from comparisons.evidence.conflicts import FACT_CONFLICT_KINDS, fact_conflicts
from comparisons.i18n import N_, gettext_for, pick
from comparisons.i18n.formatting import MONEY_UNITS, fmt_span, fmt_value
from comparisons.i18n.labels import (
    ACTOR_KIND,
    BOUND,
    COUNTRY_NAMES,
    FIT,
    INITIATIVE_KIND,
    RELATION,
    RELIABILITY,
    SOURCE_KIND,
    STATUS,
)
from comparisons.measures.headlines import HEADLINE_ROWS, headline_table, known_answer, row_mark
from comparisons.measures.register import actors_in
from comparisons.outputs.exports import SOURCE_IDS, ExportTable, Stamp, is_missing, make_table, parse_ids

UNIT_LABELS: dict[str, str] = {
    "count": N_("count"),
    "persons": N_("persons"),
    "percent": N_("percent"),
    "tonnes_co2": N_("tonnes CO2"),
    "tonnes_co2e": N_("tonnes CO2e"),
    "year": N_("year"),
    "rank": N_("rank"),
    "years": N_("years"),
}
POPULATION_KIND: dict[str, str] = {
    "jan1": N_("1 January (official count)"),
    "midyear": N_("Mid-year estimate"),
    "quarter_end": N_("End of quarter"),
}
RATE_METHOD: dict[str, str] = {"ecb_annual_mean": N_("Mean of ECB daily reference rates")}


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # English msgid of the header
    kind: str = "text"  # see comparisons.outputs.exports.KINDS


@dataclass(frozen=True)
class TableSpec:
    name: str
    title: str  # msgid
    description: str  # msgid
    columns: tuple[Column, ...]
    build: Callable[[Evidence, str], pd.DataFrame]
    comparison: bool = False  # gets its own sheet in the decision pack


# --- helpers --------------------------------------------------------------------------------------------------


def text(value: object) -> str:
    """A cell as text: '' for missing values (pd.NA included)."""
    return "" if is_missing(value) else str(value)


def clean(row: dict) -> dict:
    """A record with missing values as None, so that comparisons.i18n.pick can read it."""
    return {k: (None if is_missing(v) else v) for k, v in row.items()}


def records(frame: pd.DataFrame) -> list[dict]:
    return [clean(r) for r in frame.to_dict("records")]


def label_of(mapping: dict[str, str], value: object, _: Callable[[str], str]) -> str:
    """The translated label of an enum value, or the value itself when it has none."""
    key = text(value)
    return _(mapping[key]) if key in mapping else key


def unit_label(unit: object, _: Callable[[str], str]) -> str:
    """ISO codes for money (never 'kr'), a translated word otherwise."""
    key = text(unit)
    return key if key in MONEY_UNITS else label_of(UNIT_LABELS, key, _)


def actor_names(ev: Evidence, lang: str | None = None) -> dict[str, str]:
    """actor_id -> short name (or name) for tables; the first package that lists an actor wins. With `lang`, the
    short name in that language where the data gives one (short_name_da: "Norges forskningsråd", not "RCN")."""
    names: dict[str, str] = {}
    actors = actors_in(ev["actors"], lang) if lang else ev["actors"]
    for row in records(actors):
        names.setdefault(text(row.get("actor_id")), text(row.get("short_name")) or text(row.get("name")))
    return names


def names_of(ids: object, names: dict[str, str]) -> str:
    return ", ".join(names.get(i, i) for i in parse_ids(ids))


def metric_labels(ev: Evidence, lang: str) -> dict[str, str]:
    return {text(r.get("metric_id")): pick(r, "label", lang) for r in records(ev["metrics"])}


def fact_sources(ev: Evidence) -> dict[str, tuple[str, ...]]:
    """fact_id -> its source and, for a derived fact, the sources of the facts it was computed from."""
    facts = records(ev["facts"])
    direct = {text(f.get("fact_id")): text(f.get("source_id")) for f in facts}
    out: dict[str, tuple[str, ...]] = {}
    for f in facts:
        ids = [text(f.get("source_id"))] + [direct.get(i, "") for i in parse_ids(f.get("derived_from"))]
        out[text(f.get("fact_id"))] = tuple(dict.fromkeys(i for i in ids if i))
    return out


_MEMO_SIZE = 16
_memo: OrderedDict[tuple[str, str], pd.DataFrame] = OrderedDict()
_memo_lock = threading.Lock()


def content_key(frame: pd.DataFrame) -> str:
    """A hash of a frame's column names, dtypes, index and every cell: equal frames give equal keys."""
    digest = hashlib.sha256()
    digest.update(repr([(str(c), str(t)) for c, t in frame.dtypes.items()]).encode())
    digest.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    return digest.hexdigest()


def remembered(step: str, fn: Callable[[pd.DataFrame], pd.DataFrame], frame: pd.DataFrame) -> pd.DataFrame:
    """`fn(frame)`, computed once per content of `frame` (the last _MEMO_SIZE results are kept); a copy is
    returned, so a caller that changes it cannot change what the next caller gets."""
    key = (step, content_key(frame))
    with _memo_lock:
        if key in _memo:
            _memo.move_to_end(key)
            return _memo[key].copy()
    result = fn(frame)
    with _memo_lock:
        _memo[key] = result.copy()
        while len(_memo) > _MEMO_SIZE:
            _memo.popitem(last=False)
    return result


def _frame(rows: list[dict], columns: tuple[Column, ...]) -> pd.DataFrame:
    keys = [c.key for c in columns] + [SOURCE_IDS]
    return pd.DataFrame.from_records(rows, columns=keys) if rows else pd.DataFrame(columns=keys)


# --- builders -------------------------------------------------------------------------------------------------

FACT_COLUMNS = (
    Column("fact_id", N_("Figure ID")),
    Column("country", N_("Country")),
    Column("subject", N_("Subject")),
    Column("metric", N_("Measure")),
    Column("figure", N_("Figure")),
    Column("value", N_("Value"), "number"),
    Column("unit", N_("Unit")),
    Column("bound", N_("Bound")),
    Column("period_start", N_("Valid from")),
    Column("period_end", N_("Valid to")),
    Column("as_of", N_("Stated on")),
    Column("quote", N_("Quote")),
    Column("note", N_("Note")),
    Column("derived_from", N_("Derived from")),
    Column("source_title", N_("Source title")),
    Column("publisher", N_("Publisher")),
    Column("source_published", N_("Source published")),
    Column("url", N_("URL")),
    Column("document", N_("Document")),
    Column("reliability", N_("Reliability")),
)


def facts_table(ev: Evidence, lang: str) -> pd.DataFrame:
    _ = gettext_for(lang)
    names, metrics, sources = actor_names(ev, lang), metric_labels(ev, lang), fact_sources(ev)
    rows = []
    for f in records(facts_with_sources(ev, lang)):
        rows.append(
            {
                "fact_id": f["fact_id"],
                "country": label_of(COUNTRY_NAMES, f["country"], _),
                "subject": names.get(text(f["subject"]), text(f["subject"])),
                "metric": metrics.get(text(f["metric"]), text(f["metric"])),
                "figure": fmt_value(f["value"], text(f["unit"]), lang, text(f["bound"]) or "exact", compact=False),
                "value": f["value"],
                "unit": unit_label(f["unit"], _),
                "bound": label_of(BOUND, f["bound"], _),
                "period_start": f["period_start"],
                "period_end": f["period_end"],
                "as_of": f["as_of"],
                "quote": f["quote"],
                "note": f["note"],
                "derived_from": f["derived_from"],
                "source_title": f.get("source_title"),
                "publisher": f.get("publisher"),
                "source_published": f.get("source_published"),
                "url": f.get("url"),
                "document": f.get("document"),
                "reliability": label_of(RELIABILITY, f.get("reliability"), _) if f.get("reliability") else "",
                SOURCE_IDS: sources.get(text(f["fact_id"]), ()),
            }
        )
    return _frame(rows, FACT_COLUMNS)


HEADLINE_COLUMNS = (
    Column("measure", N_("Measure")),
    Column("country", N_("Country")),
    Column("figure", N_("Figure")),
    Column("value", N_("Value"), "number"),
    Column("unit", N_("Unit")),
    Column("bound", N_("Bound")),
    Column("period", N_("Valid for")),
    Column("fact_id", N_("Figure ID")),
    Column("publisher", N_("Publisher")),
    Column("source_title", N_("Source title")),
    Column("source_published", N_("Source published")),
    Column("other_figures", N_("Other figures for this measure"), "count"),
    Column("comparable", N_("Comparable?")),
    Column("comparability_note", N_("Why not like for like")),
)


def headlines_table(ev: Evidence, lang: str) -> pd.DataFrame:
    """The Overview's side-by-side, one row per measure and country; 'not found' where no source gives it."""
    _ = gettext_for(lang)
    facts = facts_with_sources(ev, lang)
    by_id = {text(f["fact_id"]): f for f in records(facts)}
    sources = fact_sources(ev)
    cells = records(remembered("headlines", headline_table, ev["facts"]))
    # The comparability mark of each measure's pair (comparisons.measures.comparability), on both of its rows.
    pair: dict[str, dict[str, dict | None]] = {}
    for h in cells:
        pair.setdefault(text(h["row"]), {})[text(h["country"])] = by_id.get(text(h["fact_id"]))
    by_key = {row.key: row for row in HEADLINE_ROWS}
    marks = {key: row_mark(ev, by_key[key], sides.get("NO"), sides.get("DK")) for key, sides in pair.items()}
    source_rows = sources_in(ev["sources"], lang).drop_duplicates("source_id").set_index("source_id")
    rows = []
    for h in cells:
        fact = by_id.get(text(h["fact_id"]))
        known = known_answer(ev, by_key[text(h["row"])], lang) if fact is None and h["country"] == "NO" else None
        measure = h["label"]  # an English msgid from comparisons.measures.headlines
        mark = marks[text(h["row"])]
        row = {
            "measure": _(measure),
            "country": label_of(COUNTRY_NAMES, h["country"], _),
            "other_figures": h["other_figures"],
            "comparable": mark.label(lang),
            "comparability_note": mark.note(lang),
            SOURCE_IDS: (),
        }
        if known is not None and known.source_id in source_rows.index:
            # Norway's answer without a figure: who holds the role, or what is known instead (as on the page).
            source = source_rows.loc[known.source_id]
            row.update(
                {
                    "figure": known.text if known.holders else _("not found; known: {what}").format(what=known.text),
                    "period": str(known.year or ""),
                    "publisher": source["publisher"],
                    "source_title": source["title"],
                    "source_published": source["published"],
                    SOURCE_IDS: (known.source_id,),
                }
            )
        elif fact is None:
            row["figure"] = _("not found")
        else:
            row.update(
                {
                    "figure": fmt_value(fact["value"], text(fact["unit"]), lang, text(fact["bound"]) or "exact"),
                    "value": fact["value"],
                    "unit": unit_label(fact["unit"], _),
                    "bound": label_of(BOUND, fact["bound"], _),
                    "period": fmt_span(text(fact["period_start"]), text(fact["period_end"]), lang),
                    "fact_id": fact["fact_id"],
                    "publisher": fact.get("publisher"),
                    "source_title": fact.get("source_title"),
                    "source_published": fact.get("source_published"),
                    SOURCE_IDS: sources.get(text(fact["fact_id"]), ()),
                }
            )
        rows.append(row)
    return _frame(rows, HEADLINE_COLUMNS)


SOURCE_COLUMNS = (
    Column("source_id", N_("Source ID")),
    Column("title", N_("Title")),
    Column("publisher", N_("Publisher")),
    Column("published", N_("Published")),
    Column("published_inferred", N_("Date inferred"), "bool"),
    Column("url", N_("URL")),
    Column("document", N_("Document")),
    Column("language", N_("Language")),
    Column("kind", N_("Kind")),
    Column("reliability", N_("Reliability")),
    Column("note", N_("Note")),
)


def sources_table(ev: Evidence, lang: str) -> pd.DataFrame:
    _ = gettext_for(lang)
    rows = []
    for s in records(sources_in(ev["sources"], lang)):
        row = {c.key: s.get(c.key) for c in SOURCE_COLUMNS}
        row.update(
            kind=label_of(SOURCE_KIND, s.get("kind"), _), reliability=label_of(RELIABILITY, s.get("reliability"), _)
        )
        row[SOURCE_IDS] = (text(s.get("source_id")),)
        rows.append(row)
    return _frame(rows, SOURCE_COLUMNS)


ACTOR_COLUMNS = (
    Column("actor_id", N_("Actor ID")),
    Column("country", N_("Country")),
    Column("name", N_("Name")),
    Column("name_en", N_("Name in English")),
    Column("short_name", N_("Short name")),
    Column("kind", N_("Kind")),
    Column("founded", N_("Founded")),
    Column("ended", N_("Ended")),
    Column("url", N_("URL")),
    Column("summary", N_("Summary")),
)


def actors_table(ev: Evidence, lang: str) -> pd.DataFrame:
    _ = gettext_for(lang)
    rows = []
    for a in records(ev["actors"]):
        row = {c.key: a.get(c.key) for c in ACTOR_COLUMNS}
        row.update(
            country=label_of(COUNTRY_NAMES, a.get("country"), _),
            kind=label_of(ACTOR_KIND, a.get("kind"), _),
            summary=pick(a, "summary", lang),
            **{SOURCE_IDS: parse_ids(a.get("source_id"))},
        )
        rows.append(row)
    return _frame(rows, ACTOR_COLUMNS)


RELATION_COLUMNS = (
    Column("relation_id", N_("Relation ID")),
    Column("subject", N_("Who")),
    Column("relation", N_("Role")),
    Column("object", N_("Towards")),
    Column("start", N_("From")),
    Column("end", N_("To")),
    Column("note", N_("Note")),
)


def relations_table(ev: Evidence, lang: str) -> pd.DataFrame:
    _ = gettext_for(lang)
    names = actor_names(ev, lang)
    rows = []
    for r in records(ev["relations"]):
        rows.append(
            {
                "relation_id": r.get("relation_id"),
                "subject": names.get(text(r.get("subject")), text(r.get("subject"))),
                "relation": label_of(RELATION, r.get("relation"), _),
                "object": names.get(text(r.get("object")), text(r.get("object"))),
                "start": r.get("start"),
                "end": r.get("end"),
                "note": r.get("note"),
                SOURCE_IDS: parse_ids(r.get("source_id")),
            }
        )
    return _frame(rows, RELATION_COLUMNS)


EVENT_COLUMNS = (
    Column("event_id", N_("Event ID")),
    Column("date", N_("Date")),
    Column("country", N_("Country")),
    Column("subject", N_("Subject")),
    Column("title", N_("Event")),
    Column("note", N_("Note")),
)


def events_table(ev: Evidence, lang: str) -> pd.DataFrame:
    _ = gettext_for(lang)
    names = actor_names(ev, lang)
    rows = []
    for e in sorted(records(ev["events"]), key=lambda e: (text(e.get("date")), text(e.get("event_id")))):
        rows.append(
            {
                "event_id": e.get("event_id"),
                "date": e.get("date"),
                "country": label_of(COUNTRY_NAMES, e.get("country"), _),
                "subject": names.get(text(e.get("subject")), text(e.get("subject"))),
                "title": pick(e, "title", lang),
                "note": e.get("note"),
                SOURCE_IDS: parse_ids(e.get("source_id")),
            }
        )
    return _frame(rows, EVENT_COLUMNS)


COUNTERPART_COLUMNS = (
    Column("role_id", N_("Role ID")),
    Column("role", N_("Role in LUP")),
    Column("norwegian_holder", N_("Holder in Norway")),
    Column("danish_candidates", N_("Candidates in Denmark")),
    Column("fit", N_("Fit")),
    Column("why", N_("Why")),
)


def counterparts_table(ev: Evidence, lang: str) -> pd.DataFrame:
    _ = gettext_for(lang)
    names = actor_names(ev, lang)
    rows = []
    for c in records(ev["counterparts"]):
        rows.append(
            {
                "role_id": c.get("role_id"),
                "role": pick(c, "role", lang),
                "norwegian_holder": names_of(c.get("norwegian_holder"), names),
                "danish_candidates": names_of(c.get("danish_candidates"), names) or _("none"),
                "fit": label_of(FIT, c.get("fit"), _),
                "why": pick(c, "why", lang),
                SOURCE_IDS: parse_ids(c.get("source_id")),
            }
        )
    return _frame(rows, COUNTERPART_COLUMNS)


PRECONDITION_COLUMNS = (
    Column("precondition_id", N_("Precondition ID")),
    Column("label", N_("What LUP relies on")),
    Column("status", N_("In Denmark")),
    Column("evidence", N_("Evidence")),
    Column("fact_ids", N_("Figures")),
)


def preconditions_table(ev: Evidence, lang: str) -> pd.DataFrame:
    _ = gettext_for(lang)
    sources = fact_sources(ev)
    rows = []
    for p in records(ev["preconditions"]):
        ids = list(parse_ids(p.get("source_id")))
        for fact_id in parse_ids(p.get("fact_ids")):
            ids += sources.get(fact_id, ())
        rows.append(
            {
                "precondition_id": p.get("precondition_id"),
                "label": pick(p, "label", lang),
                "status": label_of(STATUS, p.get("status"), _),
                "evidence": pick(p, "evidence", lang),
                "fact_ids": p.get("fact_ids"),
                SOURCE_IDS: tuple(dict.fromkeys(ids)),
            }
        )
    return _frame(rows, PRECONDITION_COLUMNS)


INITIATIVE_COLUMNS = (
    Column("initiative_id", N_("Initiative ID")),
    Column("name", N_("Name")),
    Column("name_en", N_("Name in English")),
    Column("kind", N_("Kind")),
    Column("owner", N_("Run by")),
    Column("start", N_("From")),
    Column("end", N_("To")),
    Column("summary", N_("Summary")),
    Column("url", N_("URL")),
)


def initiatives_table(ev: Evidence, lang: str) -> pd.DataFrame:
    _ = gettext_for(lang)
    names = actor_names(ev, lang)
    rows = []
    for i in records(ev["initiatives"]):
        row = {c.key: i.get(c.key) for c in INITIATIVE_COLUMNS}
        row.update(
            kind=label_of(INITIATIVE_KIND, i.get("kind"), _),
            owner=names_of(i.get("owner"), names),
            summary=pick(i, "summary", lang),
            **{SOURCE_IDS: parse_ids(i.get("source_id"))},
        )
        rows.append(row)
    return _frame(rows, INITIATIVE_COLUMNS)


RATE_COLUMNS = (
    Column("year", N_("Year"), "year"),
    Column("base", N_("Base currency")),
    Column("quote", N_("Currency")),
    Column("rate", N_("Rate (units per base unit)"), "rate"),
    Column("days", N_("Days averaged"), "count"),
    Column("partial", N_("Year incomplete"), "bool"),
    Column("method", N_("Method")),
)


def exchange_rates_table(ev: Evidence, lang: str) -> pd.DataFrame:
    _ = gettext_for(lang)
    rows = []
    for r in sorted(records(ev["exchange_rates"]), key=lambda r: (r.get("year") or 0, text(r.get("quote")))):
        row = {c.key: r.get(c.key) for c in RATE_COLUMNS}
        row.update(method=label_of(RATE_METHOD, r.get("method"), _), **{SOURCE_IDS: parse_ids(r.get("source_id"))})
        rows.append(row)
    return _frame(rows, RATE_COLUMNS)


POPULATION_COLUMNS = (
    Column("country", N_("Country")),
    Column("date", N_("Date")),
    Column("kind", N_("Kind")),
    Column("value", N_("Population"), "integer"),
    Column("quote", N_("Quote")),
)


def population_table(ev: Evidence, lang: str) -> pd.DataFrame:
    _ = gettext_for(lang)
    rows = []
    for p in sorted(records(ev["population"]), key=lambda p: (text(p.get("country")), text(p.get("date")))):
        rows.append(
            {
                "country": label_of(COUNTRY_NAMES, p.get("country"), _),
                "date": p.get("date"),
                "kind": label_of(POPULATION_KIND, p.get("kind"), _),
                "value": p.get("value"),
                "quote": p.get("quote"),
                SOURCE_IDS: parse_ids(p.get("source_id")),
            }
        )
    return _frame(rows, POPULATION_COLUMNS)


# --- conflicts ------------------------------------------------------------------------------------------------
# Which figures disagree is decided by comparisons.evidence.conflicts (same subject and metric, close or overlapping
# periods, different values or units); this table only lays the groups out with their sources.

CONFLICT_COLUMNS = (
    Column("conflict_id", N_("Group")),
    Column("kind", N_("Kind of disagreement")),
    Column("subject", N_("Subject")),
    Column("metric", N_("Measure")),
    Column("fact_id", N_("Figure ID")),
    Column("figure", N_("Figure")),
    Column("value", N_("Value"), "number"),
    Column("unit", N_("Unit")),
    Column("period", N_("Valid for")),
    Column("as_of", N_("Stated on")),
    Column("publisher", N_("Publisher")),
    Column("source_title", N_("Source title")),
    Column("source_published", N_("Source published")),
    Column("reliability", N_("Reliability")),
    Column("note", N_("Note")),
)


def conflicts_table(ev: Evidence, lang: str) -> pd.DataFrame:
    """Every group of disagreeing figures (comparisons.evidence.conflicts.fact_conflicts), one row per figure."""
    _ = gettext_for(lang)
    names, metrics, sources = actor_names(ev, lang), metric_labels(ev, lang), fact_sources(ev)
    rows = []
    for f in records(remembered("conflicts", fact_conflicts, facts_with_sources(ev, lang))):
        rows.append(
            {
                "conflict_id": f["conflict_id"],
                "kind": label_of(FACT_CONFLICT_KINDS, f["conflict_kind"], _),
                "subject": names.get(text(f["subject"]), text(f["subject"])),
                "metric": metrics.get(text(f["metric"]), text(f["metric"])),
                "fact_id": f["fact_id"],
                "figure": fmt_value(f["value"], text(f["unit"]), lang, text(f["bound"]) or "exact"),
                "value": f["value"],
                "unit": unit_label(f["unit"], _),
                "period": fmt_span(text(f["period_start"]), text(f["period_end"]), lang),
                "as_of": f["as_of"],
                "publisher": f.get("publisher"),
                "source_title": f.get("source_title"),
                "source_published": f.get("source_published"),
                "reliability": label_of(RELIABILITY, f.get("reliability"), _) if f.get("reliability") else "",
                "note": f.get("note"),
                SOURCE_IDS: sources.get(text(f["fact_id"]), ()),
            }
        )
    return _frame(rows, CONFLICT_COLUMNS)


# --- the registry ---------------------------------------------------------------------------------------------

TABLES: dict[str, TableSpec] = {
    t.name: t
    for t in (
        TableSpec(
            "headlines",
            N_("Key comparison"),
            N_("The latest figure for each headline measure, per country."),
            HEADLINE_COLUMNS,
            headlines_table,
            comparison=True,
        ),
        TableSpec(
            "facts",
            N_("Figures"),
            N_("Every figure with its source, date and quote."),
            FACT_COLUMNS,
            facts_table,
            comparison=True,
        ),
        TableSpec(
            "counterparts",
            N_("LUP roles and Danish candidates"),
            N_("Each role in LUP, its Norwegian holder and the Danish bodies that could take it."),
            COUNTERPART_COLUMNS,
            counterparts_table,
            comparison=True,
        ),
        TableSpec(
            "preconditions",
            N_("Preconditions in Denmark"),
            N_("What LUP relies on, and whether Denmark has it."),
            PRECONDITION_COLUMNS,
            preconditions_table,
            comparison=True,
        ),
        TableSpec(
            "conflicts",
            N_("Conflicting figures"),
            N_("Figures for the same subject and measure that differ; all are kept with their dates."),
            CONFLICT_COLUMNS,
            conflicts_table,
        ),
        TableSpec(
            "sources",
            N_("Sources"),
            N_("Every source with its publisher, date and reliability."),
            SOURCE_COLUMNS,
            sources_table,
        ),
        TableSpec(
            "actors", N_("Actors"), N_("Organisations and programmes in both countries."), ACTOR_COLUMNS, actors_table
        ),
        TableSpec(
            "relations",
            N_("Roles and relations"),
            N_("Who owns, steers, funds or partners with whom, and when."),
            RELATION_COLUMNS,
            relations_table,
        ),
        TableSpec("events", N_("Milestones"), N_("Dated milestones."), EVENT_COLUMNS, events_table),
        TableSpec(
            "initiatives",
            N_("Danish initiatives"),
            N_("Danish programmes and partnerships in innovative procurement."),
            INITIATIVE_COLUMNS,
            initiatives_table,
        ),
        TableSpec(
            "exchange_rates",
            N_("Exchange rates"),
            N_("Yearly average exchange rates against the euro."),
            RATE_COLUMNS,
            exchange_rates_table,
        ),
        TableSpec(
            "population",
            N_("Population"),
            N_("Population of Norway and Denmark."),
            POPULATION_COLUMNS,
            population_table,
        ),
    )
}


def spec_of(name: str) -> TableSpec:
    if name not in TABLES:
        raise KeyError(f"unknown table {name!r}; expected one of {', '.join(TABLES)}")
    return TABLES[name]


def machine_frame(name: str, ev: Evidence, lang: str) -> pd.DataFrame:
    """The table with machine column names and a `source_ids` column (tuples of source ids)."""
    return spec_of(name).build(ev, lang)


def translated_frame(name: str, ev: Evidence, lang: str) -> pd.DataFrame:
    """The table with headers in `lang` (for display); `source_ids` keeps its machine name."""
    spec = spec_of(name)
    _ = gettext_for(lang)
    return machine_frame(name, ev, lang).rename(columns={c.key: _(c.label) for c in spec.columns})


def value_kinds(units: pd.Series, lang: str) -> tuple[str, ...]:
    """Per row, the kind of a value given its unit as a table shows it (a code such as NOK, or a translated label
    such as "antal"): money, a count (also persons, years, ranks), a share (percent) or else a rate or ratio."""
    _ = gettext_for(lang)
    codes = {_(label): code for code, label in UNIT_LABELS.items()}
    out = []
    for unit in units:
        code = codes.get(text(unit), text(unit))
        if code in MONEY_UNITS:
            out.append("money")
        elif code in ("count", "persons", "year", "years", "rank"):
            out.append("count")
        elif code == "percent":
            out.append("share")
        else:
            out.append("rate" if code else "")
    return tuple(out)


def export_table(name: str, ev: Evidence, lang: str, as_of: datetime | date | str) -> ExportTable:
    """A registry table ready for comparisons.outputs.exports, stamped with `as_of` and the evidence's data version.
    A `value` column beside a `unit` column gets a number format per row that fits the unit."""
    spec = spec_of(name)
    _ = gettext_for(lang)
    frame = machine_frame(name, ev, lang)
    row_kinds = {"value": value_kinds(frame["unit"], lang)} if {"value", "unit"} <= set(frame.columns) else {}
    return make_table(
        frame,
        sources_in(ev["sources"], lang),
        Stamp.of(as_of, ev.version),
        name=spec.name,
        title=_(spec.title),
        lang=lang,
        labels={c.key: _(c.label) for c in spec.columns},
        kinds={c.key: c.kind for c in spec.columns},
        row_kinds=row_kinds,
    )


def registry_preview(name: str, ev: Evidence, lang_: str) -> pd.DataFrame:
    """A registry table for display: headers in `lang_`, each row's sources as text in a last column."""
    _ = gettext_for(lang_)
    frame = machine_frame(name, ev, lang_)
    shown = frame.rename(columns={c.key: _(c.label) for c in spec_of(name).columns})
    shown[_("Sources")] = [" ".join(ids) for ids in frame[SOURCE_IDS]]
    return shown.drop(columns=[SOURCE_IDS])
