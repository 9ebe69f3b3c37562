"""Checks that frictionless cannot express: references across packages, units that fit their metric,
periods in order, and the evidence rule that every quote carries its figure.

Each check takes the concatenated tables (with `package` and `_row` columns) and returns problems.
"""

from __future__ import annotations

import calendar
import functools
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

import pandas as pd

from comparisons.evidence.paths import PACKAGE_COUNTRY
from comparisons.evidence.problems import Problem, problem
from comparisons.evidence.quotes import quote_carries, word_count
from comparisons.i18n import N_

MAX_QUOTE_WORDS = 25
DERIVED_KIND = "derived"

# Which units may carry each kind of quantity in metrics.csv.
UNITS_FOR_QUANTITY: dict[str, set[str]] = {
    "money": {"NOK", "DKK", "EUR", "SEK"},
    "count": {"count", "persons"},
    "percent": {"percent"},
    "mass": {"tonnes_co2", "tonnes_co2e"},
    "year": {"year"},
    "rank": {"rank"},
    "duration": {"years"},
}

Tables = dict[str, pd.DataFrame]


# The checks read rows as plain dicts (`_records`): a pandas Series per row (iterrows) was most of their time on
# large data (benchmarks/scale.py: 100x today's rows took 30 s to load).
# A cell is whatever pandas read (str, number, NaN or None): Any, so that int()/float() on a checked cell type-checks.
Row = Mapping[str, Any]


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return frame.to_dict("records")


def _file(row: Row, resource: str) -> str:
    return f"{row['package']}/{resource}.csv"


def _rownum(row: Row) -> int | None:
    value = row.get("_row")
    return None if value is None or pd.isna(value) else int(value)


def _blank(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)) or str(value).strip() == ""


def _ids(value: object) -> list[str]:
    return [] if _blank(value) else str(value).split()


@functools.lru_cache(maxsize=8192)
def period_bounds(text: str) -> tuple[date, date]:
    """First and last day of a period written as YYYY, YYYY-MM or YYYY-MM-DD.

    Cached: the same few period strings are parsed for every fact, pair of facts and page (the result is an
    immutable tuple; a text that does not parse raises each time, as errors are not cached)."""
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 1:
        return date(parts[0], 1, 1), date(parts[0], 12, 31)
    if len(parts) == 2:
        last = calendar.monthrange(parts[0], parts[1])[1]
        return date(parts[0], parts[1], 1), date(parts[0], parts[1], last)
    day = date(parts[0], parts[1], parts[2])
    return day, day


def check_facts(t: Tables) -> list[Problem]:
    facts, metrics, sources = t["facts"], t["metrics"], t["sources"]
    quantity = dict(zip(metrics["metric_id"], metrics["quantity"], strict=False))
    source_kind = {(r.package, r.source_id): r.kind for r in sources.itertuples()}
    fact_ids = set(facts["fact_id"].dropna())
    problems: list[Problem] = []
    for row in _records(facts):
        file, n = _file(row, "facts"), _rownum(row)

        def report(
            column: str, template: str, code: str, _file: str = file, _n: int | None = n, **params: object
        ) -> None:
            problems.append(problem(_file, _n, column, template, code, **params))

        expected_country = PACKAGE_COUNTRY.get(row["package"])
        if expected_country and not _blank(row["country"]) and row["country"] != expected_country:
            report(
                "country",
                N_("{country} fact in the {package} package (expected {expected})"),
                "country",
                country=row["country"],
                package=row["package"],
                expected=expected_country,
            )
        metric = row["metric"]
        if not _blank(metric):
            if metric not in quantity:
                report(
                    "metric",
                    N_("unknown metric {metric}: add it to reference/metrics.csv or use one listed there"),
                    "metric",
                    metric=repr(metric),
                )
            elif not _blank(row["unit"]) and row["unit"] not in UNITS_FOR_QUANTITY.get(quantity[metric], set()):
                allowed = ", ".join(sorted(UNITS_FOR_QUANTITY.get(quantity[metric], set())))
                report(
                    "unit",
                    N_("unit {unit} does not fit metric {metric} (a {quantity}: use {allowed})"),
                    "unit",
                    unit=row["unit"],
                    metric=metric,
                    quantity=quantity[metric],
                    allowed=allowed,
                )
        try:
            if (
                not _blank(row["period_start"])
                and not _blank(row["period_end"])
                and period_bounds(row["period_start"])[0] > period_bounds(row["period_end"])[1]
            ):
                report("period_end", N_("period ends before it starts"), "period")
        except ValueError as exc:
            report("period_start", N_("not a valid date: {error}"), "period", error=exc)
        kind = source_kind.get((row["package"], row["source_id"]))
        derived = kind == DERIVED_KIND
        quote = "" if _blank(row["quote"]) else str(row["quote"])
        if derived:
            inputs = _ids(row["derived_from"])
            if not inputs:
                report("derived_from", N_("a derived fact must name the facts it was computed from"), "derived")
            for fid in inputs:
                if fid not in fact_ids:
                    report("derived_from", _UNKNOWN["fact"], "reference", value=repr(fid))
            if _blank(row["note"]):
                report("note", N_("a derived fact must say how it was computed"), "derived")
            continue
        if not _blank(row["derived_from"]):
            report("derived_from", N_("only facts citing a derived source may have derived_from"), "derived")
        if not quote:
            report("quote", N_("a quote is required (only derived facts may leave it empty)"), "quote")
            continue
        if word_count(quote) > MAX_QUOTE_WORDS:
            report(
                "quote",
                N_("quote has {words} words (at most {most})"),
                "quote",
                words=word_count(quote),
                most=MAX_QUOTE_WORDS,
            )
        manual = str(row.get("quote_check") or "").strip() == "manual"
        if manual:
            if _blank(row["note"]):
                report("note", N_("quote_check is manual: say in note how the quote carries the figure"), "quote")
        elif not pd.isna(row["value"]) and not quote_carries(quote, float(row["value"])):
            report(
                "quote",
                N_(
                    "quote does not carry the figure {value} "
                    "(check the value is in base units, or set quote_check to manual and explain in note)"
                ),
                "quote-figure",
                value=f"{row['value']:g}",
            )
    return problems


# The messages of a reference to something the data does not list, by what it names (one msgid each, so that each
# translates as a whole sentence).
_UNKNOWN = {
    "actor": N_("unknown actor {value}"),
    "actor or event": N_("unknown actor or event {value}"),
    "source": N_("unknown source {value}"),
    "fact": N_("unknown fact {value}"),
}


def _check_refs(
    frame: pd.DataFrame, resource: str, column: str, known: set[str], what: str, many: bool = False
) -> Iterable[Problem]:
    for row in _records(frame):
        values = _ids(row[column]) if many else ([] if _blank(row[column]) else [str(row[column])])
        for value in values:
            if value not in known:
                yield problem(
                    _file(row, resource),
                    _rownum(row),
                    column,
                    _UNKNOWN[what],
                    "reference",
                    value=repr(value),
                )


def check_references(t: Tables) -> list[Problem]:
    actors = set(t["actors"]["actor_id"].dropna())
    events = set(t["events"]["event_id"].dropna())
    facts = set(t["facts"]["fact_id"].dropna())
    out: list[Problem] = []
    out += _check_refs(t["relations"], "relations", "subject", actors, "actor")
    out += _check_refs(t["relations"], "relations", "object", actors | events, "actor or event")
    out += _check_refs(t["events"], "events", "subject", actors, "actor")
    if "confirmed_by" in t["relations"]:
        sources = set(t["sources"]["source_id"].dropna())
        out += _check_refs(t["relations"], "relations", "confirmed_by", sources, "source", many=True)
        for row in _records(t["relations"]):
            if not _blank(row.get("end_bound")) and _blank(row["end"]):
                out.append(
                    problem(
                        _file(row, "relations"), _rownum(row), "end", N_("end_bound needs an end to bound"), "relation"
                    )
                )
    if "counterparts" in t:
        out += _check_refs(t["counterparts"], "counterparts", "norwegian_holder", actors, "actor", many=True)
        out += _check_refs(t["counterparts"], "counterparts", "danish_candidates", actors, "actor", many=True)
    if "preconditions" in t:
        out += _check_refs(t["preconditions"], "preconditions", "fact_ids", facts, "fact", many=True)
    if "initiatives" in t:
        out += _check_refs(t["initiatives"], "initiatives", "owner", actors, "actor", many=True)
    return out


def check_sources(t: Tables) -> list[Problem]:
    """Every source can be found (url or document), and a source repeated in two packages says the same."""
    sources = t["sources"]
    out: list[Problem] = []
    for row in _records(sources):
        if _blank(row["url"]) and _blank(row["document"]) and row["kind"] != DERIVED_KIND:
            out.append(
                problem(_file(row, "sources"), _rownum(row), "url", N_("a source needs a url or a document"), "source")
            )
    content = [c for c in sources.columns if c not in ("package", "_row")]
    # Only ids listed in more than one package, with more than one distinct content, disagree; found with whole-
    # column operations (a groupby loop over every id was the slow part on large data).
    packages = sources.groupby("source_id")["package"].nunique()
    repeated = sources[sources["source_id"].isin(packages.index[packages > 1])]
    distinct = repeated[content].astype(str).drop_duplicates().groupby("source_id").size()
    differing = repeated[repeated["source_id"].isin(distinct.index[distinct > 1])]
    for source_id, group in differing.groupby("source_id"):
        first = group.iloc[0]
        for row in _records(group.iloc[1:]):
            out.append(
                problem(
                    _file(row, "sources"),
                    _rownum(row),
                    "source_id",
                    N_("{source} differs from the row of the same id in {package}/sources.csv"),
                    "source",
                    source=repr(source_id),
                    package=first["package"],
                )
            )
    return out


def check_exchange_rates(t: Tables) -> list[Problem]:
    """Each year with a NOK rate also has a DKK rate, so cross rates exist."""
    rates = t["exchange_rates"]
    out: list[Problem] = []
    for year, group in rates.groupby("year"):
        missing = {"NOK", "DKK"} - set(group["quote"])
        for cur in sorted(missing):
            row = group.iloc[0]
            out.append(
                problem(
                    _file(row, "exchange_rates"),
                    _rownum(row),
                    "quote",
                    N_("{year} has no EUR/{currency} rate"),
                    "rates",
                    year=year,
                    currency=cur,
                )
            )
    return out


ALL_CHECKS: tuple[Callable[[Tables], list[Problem]], ...] = (
    check_facts,
    check_references,
    check_sources,
    check_exchange_rates,
)
