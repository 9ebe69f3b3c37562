"""The registers behind two pages: the Danish actors and initiatives, and the sources with what cites them.

Pure functions from the evidence frames to display frames (no streamlit). Names and summaries stay plain text:
the pages show them with st.dataframe, never as HTML or Markdown. Translation of labels happens here through the
`gettext` callable the page passes in, so each function can be tested in any language with a stub.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pandas as pd

from comparisons.i18n import N_, pick
from comparisons.i18n.formatting import fmt_period, fmt_span, fmt_value
from comparisons.i18n.labels import ACTOR_KIND, INITIATIVE_KIND, RELATION, RELIABILITY, SOURCE_KIND

Gettext = Callable[[str], str]

# The Norwegian–Danish summit of 9 September 2020: its participants hold `participant` towards this event.
SUMMIT_EVENT = "ev-dk-no-summit-2020"
REGISTER_COUNTRY = "DK"
REGISTER_PACKAGE = "denmark"

# How a role reads in a sentence, per relation: "owner of COI", "participant in the summit".
ROLE_PHRASES: dict[str, str] = {
    "founder": N_("founder of {object}"),
    "owner": N_("owner of {object}"),
    "steering_group": N_("in the steering group of {object}"),
    "partner": N_("partner of {object}"),
    "funder": N_("funder of {object}"),
    "host": N_("host of {object}"),
    "facilitator": N_("facilitator of {object}"),
    "collaborator": N_("collaborates with {object}"),
    "member": N_("member of {object}"),
    "participant": N_("participant in {object}"),
    "chair": N_("chair of {object}"),
    "vice_chair": N_("vice-chair of {object}"),
    "project_manager": N_("project manager of {object}"),
    "succeeded_by": N_("succeeded by {object}"),
    "merged_into": N_("merged into {object}"),
}

# The language a source is written in (sources.language).
SOURCE_LANGUAGE: dict[str, str] = {
    "nb": N_("Norwegian bokmål"),
    "nn": N_("Norwegian nynorsk"),
    "no": N_("Norwegian"),
    "da": N_("Danish"),
    "sv": N_("Swedish"),
    "en": N_("English"),
    "fi": N_("Finnish"),
    "data": N_("Data file"),
}


# Words the register functions translate through the `gettext` they are given (marked here for extraction).
INFERRED = N_("{date} (inferred)")
RECORD_RELATION = N_("Relation")
RECORD_EVENT = N_("Event")


def _identity(text: str) -> str:
    return text


def _records(frame: pd.DataFrame) -> Iterator[dict[str, Any]]:
    """The rows of `frame` as dicts holding the very cells `iterrows` gives (both read `frame.values`), without
    building a Series per row."""
    columns = list(frame.columns)
    for values in frame.values:
        yield dict(zip(columns, values, strict=True))


def blank(value: object) -> bool:
    """True for None, NA, NaN and empty or whitespace-only text."""
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float) and value != value:
        return True
    return str(value).strip() == ""


def text(value: object) -> str:
    """A cell as text, '' when missing."""
    return "" if blank(value) else str(value).strip()


def safe_url(value: object) -> str | None:
    """A web address only when it is http(s); anything else (javascript:, data:, relative) is dropped."""
    s = text(value)
    return s if s.lower().startswith(("http://", "https://")) and not any(c.isspace() for c in s) else None


def year_span(start: object, end: object) -> str:
    """'2020' or '2010–2021' from two dates written as YYYY, YYYY-MM or YYYY-MM-DD ('' when both are missing)."""
    a, b = text(start)[:4], text(end)[:4]
    if a and b and a != b:
        return f"{a}\u2013{b}"
    return a or b


def date_range(start: object, end: object, lang: str | None = None) -> str:
    """A role's or initiative's dates: '2020–', '2015 – 2020', '–2019', '2020' or '' (each date written the
    way `lang` writes it, or as in the data when no language is given)."""
    a, b = text(start), text(end)
    if lang:
        a, b = (fmt_period(a, lang) if a else ""), (fmt_period(b, lang) if b else "")
    if not a and not b:
        return ""
    if a == b:
        return a
    if a and b:
        return f"{a}\u2009\u2013\u2009{b}"
    return f"{a}\u2013{b}"


def actors_in(actors: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The actors with `short_name` in `lang` where the data gives one (short_name_nb/_da/_en: Forskningsrådet,
    Norges forskningsråd, RCN), so every table and chart built from them names actors in the reader's language."""
    column = f"short_name_{lang}"
    if column not in actors.columns:
        return actors
    own = actors[column].astype("string").str.strip()
    out = actors.copy()
    out["short_name"] = own.where(own.notna() & (own != ""), actors["short_name"])
    return out


def display_name(row: object) -> str:
    """The short name where the data has one (COI, KL), else the full name."""
    get = row.get if hasattr(row, "get") else lambda k, d=None: getattr(row, k, d)
    return text(get("short_name")) or text(get("name")) or text(get("actor_id"))


def name_lookup(actors: pd.DataFrame, events: pd.DataFrame | None, lang: str) -> dict[str, str]:
    """id -> readable name for every actor (short name) and event (title in `lang`)."""
    names: dict[str, str] = {}
    if events is not None and len(events):
        for row in _records(events):
            names[str(row["event_id"])] = pick(row, "title", lang) or str(row["event_id"])
    for row in _records(actors):
        names[str(row["actor_id"])] = display_name(row)
    return names


def source_labels(sources: pd.DataFrame | None) -> dict[str, str]:
    """source_id -> 'publisher: title', to name a source in one table cell."""
    if sources is None:
        return {}
    return {
        str(r["source_id"]): ": ".join(x for x in (text(r["publisher"]), text(r["title"])) if x)
        for r in _records(sources)
    }


# --------------------------------------------------------------------------------------------------------------
# Danish actors


def danish_actors(actors: pd.DataFrame) -> pd.DataFrame:
    """The register: actors based in Denmark from the Denmark package (other packages' rows are left out)."""
    mask = actors["country"].astype("string") == REGISTER_COUNTRY
    if "package" in actors.columns:
        mask &= actors["package"].astype("string") == REGISTER_PACKAGE
    return actors[mask.fillna(False)].copy()


def summit_participants(relations: pd.DataFrame, event_id: str = SUMMIT_EVENT) -> set[str]:
    """Everyone who holds `participant` towards the summit event (Danish and Norwegian alike)."""
    rel = relations[(relations["relation"] == "participant") & (relations["object"] == event_id)]
    return set(rel["subject"].dropna().astype(str))


def roles_held(relations: pd.DataFrame, subjects: Iterable[str]) -> pd.DataFrame:
    """The relations in which the given actors are the subject (the role holder), oldest first."""
    wanted = set(subjects)
    rel = relations[relations["subject"].astype("string").isin(wanted).fillna(False)].copy()
    rel["_start"] = rel["start"].astype("string").fillna("")
    return rel.sort_values(["subject", "_start", "relation", "object"]).drop(columns=["_start"])


def relation_options(relations: pd.DataFrame, subjects: Iterable[str]) -> list[str]:
    """The relations the given actors hold, in the order of labels.RELATION (the role filter's options)."""
    held = set(roles_held(relations, subjects)["relation"].dropna().astype(str))
    known = [r for r in RELATION if r in held]
    return known + sorted(held - set(RELATION))


def kind_options(register: pd.DataFrame) -> list[str]:
    """The actor kinds present in the register, in the order of labels.ACTOR_KIND (the kind filter's options)."""
    present = set(register["kind"].dropna().astype(str))
    return [k for k in ACTOR_KIND if k in present] + sorted(present - set(ACTOR_KIND))


def role_phrase(
    relation: str, object_name: str, start: object, end: object, gettext: Gettext = _identity, lang: str | None = None
) -> str:
    """'owner of COI (2020–)': the role in words, with its dates where the data gives them."""
    phrase = ROLE_PHRASES.get(relation)
    label = gettext(phrase).format(object=object_name) if phrase else f"{relation} {object_name}"
    dates = date_range(start, end, lang)
    return f"{label} ({dates})" if dates else label


def filter_register(
    register: pd.DataFrame,
    relations: pd.DataFrame,
    kinds: Iterable[str] = (),
    roles: Iterable[str] = (),
    summit_only: bool = False,
    event_id: str = SUMMIT_EVENT,
) -> pd.DataFrame:
    """Actors of any of `kinds` (all when empty) that hold any of `roles` (all when empty), optionally only the
    summit's participants. Filters combine with AND; the values inside one filter with OR."""
    kinds, roles = list(kinds), list(roles)
    out = register
    if kinds:
        out = out[out["kind"].astype("string").isin(kinds).fillna(False)]
    if roles:
        held = relations[relations["relation"].astype("string").isin(roles).fillna(False)]
        out = out[out["actor_id"].astype("string").isin(set(held["subject"].dropna().astype(str))).fillna(False)]
    if summit_only:
        out = out[out["actor_id"].astype("string").isin(summit_participants(relations, event_id)).fillna(False)]
    return out


def key_figures(
    facts: pd.DataFrame, metrics: pd.DataFrame, actor_ids: Iterable[str], lang: str, names: dict[str, str] | None = None
) -> pd.DataFrame:
    """Every fact whose subject is one of the actors, formatted in `lang`, with period and source columns.

    `facts` is `evidence.facts_with_sources` (it has publisher and source_title). Latest period first per actor.
    """
    wanted = list(actor_ids)
    f = facts[facts["subject"].astype("string").isin(wanted).fillna(False)].copy()
    labels = {str(r["metric_id"]): pick(r, "label", lang) for _, r in metrics.iterrows()}
    names = names or {}
    rows = []
    for r in _records(f):
        rows.append(
            {
                "actor_id": str(r["subject"]),
                "actor": names.get(str(r["subject"]), str(r["subject"])),
                "metric": labels.get(str(r["metric"]), str(r["metric"])),
                "figure": fmt_value(r["value"], str(r["unit"]), lang, text(r["bound"]) or "exact"),
                "value": float(r["value"]) if not blank(r["value"]) else None,
                "unit": text(r["unit"]),
                "year": year_span(r["period_start"], r["period_end"]),
                "period": fmt_span(text(r["period_start"]), text(r["period_end"]), lang),
                "_end": text(r["period_end"]),
                "publisher": text(r.get("publisher")),
                "source_title": text(r.get("source_title")),
                "source_id": text(r["source_id"]),
                "fact_id": text(r["fact_id"]),
            }
        )
    columns = [
        "actor_id",
        "actor",
        "metric",
        "figure",
        "value",
        "unit",
        "year",
        "period",
        "publisher",
        "source_title",
        "source_id",
        "fact_id",
    ]
    if not rows:
        return pd.DataFrame(columns=columns)
    out = pd.DataFrame(rows).sort_values(["actor", "_end", "metric", "fact_id"], ascending=[True, False, True, True])
    out["value"] = out["value"].astype("Float64")
    return out[columns].reset_index(drop=True)


def register_table(
    register: pd.DataFrame,
    relations: pd.DataFrame,
    figures: pd.DataFrame,
    names: dict[str, str],
    lang: str,
    gettext: Gettext = _identity,
    sources: pd.DataFrame | None = None,
    event_id: str = SUMMIT_EVENT,
) -> pd.DataFrame:
    """One row per actor: name, English name, kind, founded, summary in `lang`, roles in words, key figures in
    words (each with year and publisher), whether it took part in the summit, and the summary's source
    ('publisher: title'). Sorted by name."""
    src = source_labels(sources)
    participants = summit_participants(relations, event_id)
    held = roles_held(relations, register["actor_id"].astype(str))
    roles_by_actor: dict[str, list[str]] = {}
    for r in _records(held):
        obj = str(r["object"])
        phrase = role_phrase(str(r["relation"]), names.get(obj, obj), r["start"], r["end"], gettext, lang)
        roles_by_actor.setdefault(str(r["subject"]), []).append(phrase)
    figures_by_actor: dict[str, list[str]] = {}
    for r in _records(figures):
        where = ", ".join(x for x in (r["year"], r["publisher"]) if x)
        figures_by_actor.setdefault(str(r["actor_id"]), []).append(f"{r['metric']}: {r['figure']} ({where})")
    rows = []
    for a in _records(register):
        aid = str(a["actor_id"])
        kind = text(a["kind"])
        rows.append(
            {
                "actor_id": aid,
                "summit": aid in participants,
                "name": text(a["name"]),
                "name_en": text(a["name_en"]),
                "kind": gettext(ACTOR_KIND[kind]) if kind in ACTOR_KIND else kind,
                "founded": fmt_period(text(a["founded"]), lang) if text(a["founded"]) else "",
                "summary": pick(a, "summary", lang),
                "roles": "; ".join(roles_by_actor.get(aid, [])),
                "key_figures": "; ".join(figures_by_actor.get(aid, [])),
                "url": safe_url(a.get("url")),
                "source": src.get(text(a["source_id"]), text(a["source_id"])),
                "source_id": text(a["source_id"]),
            }
        )
    columns = [
        "actor_id",
        "summit",
        "name",
        "name_en",
        "kind",
        "founded",
        "summary",
        "roles",
        "key_figures",
        "url",
        "source",
        "source_id",
    ]
    if not rows:
        return pd.DataFrame(columns=columns).astype({"summit": "bool"})
    out = pd.DataFrame(rows, columns=columns)
    out = out.iloc[out["name"].str.casefold().argsort(kind="stable")]
    return out.reset_index(drop=True)


def initiatives_table(
    initiatives: pd.DataFrame, sources: pd.DataFrame, names: dict[str, str], lang: str, gettext: Gettext = _identity
) -> pd.DataFrame:
    """One row per initiative: name, English name, kind, owners by name, start–end, summary in `lang`, source."""
    src = {str(r["source_id"]): r for _, r in sources.iterrows()}
    rows = []
    for _, i in initiatives.iterrows():
        kind = text(i["kind"])
        source = src.get(text(i["source_id"]))
        rows.append(
            {
                "initiative_id": text(i["initiative_id"]),
                "name": text(i["name"]),
                "name_en": text(i["name_en"]),
                "kind": gettext(INITIATIVE_KIND[kind]) if kind in INITIATIVE_KIND else kind,
                "owners": ", ".join(names.get(o, o) for o in text(i["owner"]).split()),
                "dates": date_range(i["start"], i["end"], lang),
                "summary": pick(i, "summary", lang),
                "publisher": "" if source is None else text(source["publisher"]),
                "source_title": "" if source is None else text(source["title"]),
                "url": safe_url(i.get("url")),
                "source_id": text(i["source_id"]),
            }
        )
    columns = [
        "initiative_id",
        "name",
        "name_en",
        "kind",
        "owners",
        "dates",
        "summary",
        "publisher",
        "source_title",
        "url",
        "source_id",
    ]
    out = pd.DataFrame(rows, columns=columns)
    if len(out):
        out = out.iloc[out["name"].str.casefold().argsort(kind="stable")].reset_index(drop=True)
    return out


# --------------------------------------------------------------------------------------------------------------
# Sources


def published_label(published: object, inferred: object, lang: str, gettext: Gettext = _identity) -> str:
    """'September 2020' or, when the date is not printed in the source, 'September 2020 (inferred)'."""
    date = fmt_period(text(published), lang)
    return gettext(INFERRED).format(date=date) if (not blank(inferred) and bool(inferred)) else date


def citation_counts(tables: dict[str, pd.DataFrame]) -> dict[str, tuple[int, int]]:
    """source_id -> (facts citing it, relations and events citing it)."""

    def ids(name: str) -> list[str]:
        frame = tables.get(name)
        return [] if frame is None or not len(frame) else frame["source_id"].dropna().astype(str).tolist()

    facts = pd.Series(ids("facts"), dtype="object").value_counts()
    links = pd.Series(ids("relations") + ids("events"), dtype="object").value_counts()
    return {sid: (int(facts.get(sid, 0)), int(links.get(sid, 0))) for sid in set(facts.index) | set(links.index)}


def sources_table(tables: dict[str, pd.DataFrame], lang: str, gettext: Gettext = _identity) -> pd.DataFrame:
    """Every source once: title, publisher, published (inferred marked), kind, reliability, language, url or
    document, and how many facts and relations/events cite it. Sorted by publisher, then title."""
    sources = tables["sources"].drop_duplicates(subset=["source_id"], keep="first")
    counts = citation_counts(tables)
    rows = []
    for s in _records(sources):
        sid = str(s["source_id"])
        kind, rel, language = text(s["kind"]), text(s["reliability"]), text(s["language"])
        rows.append(
            {
                "source_id": sid,
                "title": text(s["title"]),
                "publisher": text(s["publisher"]),
                "published": published_label(s["published"], s.get("published_inferred"), lang, gettext),
                "inferred": bool(not blank(s.get("published_inferred")) and bool(s.get("published_inferred"))),
                "kind": gettext(SOURCE_KIND[kind]) if kind in SOURCE_KIND else kind,
                "reliability": gettext(RELIABILITY[rel]) if rel in RELIABILITY else rel,
                "language": gettext(SOURCE_LANGUAGE[language]) if language in SOURCE_LANGUAGE else language,
                "url": safe_url(s.get("url")),
                "document": text(s.get("document")),
                "facts": counts.get(sid, (0, 0))[0],
                "links": counts.get(sid, (0, 0))[1],
            }
        )
    columns = [
        "source_id",
        "title",
        "publisher",
        "published",
        "inferred",
        "kind",
        "reliability",
        "language",
        "url",
        "document",
        "facts",
        "links",
    ]
    out = pd.DataFrame(rows, columns=columns)
    if len(out):
        key = out["publisher"].str.casefold() + "\0" + out["title"].str.casefold() + "\0" + out["source_id"]
        out = out.iloc[key.argsort(kind="stable")].reset_index(drop=True)
    return out


def facts_citing(
    facts: pd.DataFrame, metrics: pd.DataFrame, source_id: str, names: dict[str, str], lang: str
) -> pd.DataFrame:
    """Every fact that cites `source_id`: subject, metric label, value in `lang` (and numeric), period, quote."""
    f = facts[facts["source_id"].astype("string") == source_id]
    labels = {str(r["metric_id"]): pick(r, "label", lang) for _, r in metrics.iterrows()}
    rows = [
        {
            "fact_id": text(r["fact_id"]),
            "subject": names.get(str(r["subject"]), str(r["subject"])),
            "metric": labels.get(str(r["metric"]), str(r["metric"])),
            "figure": fmt_value(r["value"], str(r["unit"]), lang, text(r["bound"]) or "exact"),
            "value": None if blank(r["value"]) else float(r["value"]),
            "unit": text(r["unit"]),
            "period": fmt_span(text(r["period_start"]), text(r["period_end"]), lang),
            "quote": text(r.get("quote")),
            "note": text(r.get("note")),
        }
        for _, r in f.iterrows()
    ]
    columns = ["fact_id", "subject", "metric", "figure", "value", "unit", "period", "quote", "note"]
    out = pd.DataFrame(rows, columns=columns)
    out["value"] = out["value"].astype("Float64")
    return out.sort_values("fact_id", kind="stable").reset_index(drop=True)


def links_citing(
    relations: pd.DataFrame,
    events: pd.DataFrame,
    source_id: str,
    names: dict[str, str],
    lang: str,
    gettext: Gettext = _identity,
) -> pd.DataFrame:
    """Every relation and event that cites `source_id`, in words: what (role or milestone), who, when."""
    rows = []
    rel = relations[relations["source_id"].astype("string") == source_id]
    for _, r in rel.iterrows():
        subject, obj = str(r["subject"]), str(r["object"])
        rows.append(
            {
                "id": text(r["relation_id"]),
                "record": gettext(RECORD_RELATION),
                "who": names.get(subject, subject),
                "what": role_phrase(str(r["relation"]), names.get(obj, obj), None, None, gettext),
                "when": date_range(r["start"], r["end"], lang),
                "note": text(r.get("note")),
            }
        )
    ev = events[events["source_id"].astype("string") == source_id]
    for _, e in ev.iterrows():
        subject = str(e["subject"])
        rows.append(
            {
                "id": text(e["event_id"]),
                "record": gettext(RECORD_EVENT),
                "who": names.get(subject, subject),
                "what": pick(e, "title", lang),
                "when": fmt_period(text(e["date"]), lang),
                "note": text(e.get("note")),
            }
        )
    return pd.DataFrame(rows, columns=["id", "record", "who", "what", "when", "note"])
