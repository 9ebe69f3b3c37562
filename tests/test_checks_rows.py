"""The data checks read rows as dicts and find repeated sources with whole-column operations; they must report
exactly what the row-by-row versions they replaced reported (kept below as references, verbatim), on the shipped
data, on small roots broken in each way the checks look for, and on a synthetic root with 3x the rows."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import pytest

import comparisons.evidence.base as evidence_module
from comparisons.evidence import checks
from comparisons.evidence.checks import (
    DERIVED_KIND,
    MAX_QUOTE_WORDS,
    PACKAGE_COUNTRY,
    UNITS_FOR_QUANTITY,
    Problem,
    Tables,
    _blank,
    _file,
    _ids,
    _rownum,
    period_bounds,
    quote_carries,
    word_count,
)
from tests.minimal_data import edit_csv, write_minimal_root

# --- the row-by-row references (comparisons/evidence/checks.py before the change) ------------------------------------------


def old_check_facts(t: Tables) -> list[Problem]:
    facts, metrics, sources = t["facts"], t["metrics"], t["sources"]
    quantity = dict(zip(metrics["metric_id"], metrics["quantity"], strict=False))
    source_kind = {(r.package, r.source_id): r.kind for r in sources.itertuples()}
    fact_ids = set(facts["fact_id"].dropna())
    problems: list[Problem] = []
    for _, row in facts.iterrows():
        file, n = _file(row, "facts"), _rownum(row)

        def report(column: str, message: str, code: str, _file: str = file, _n: int | None = n) -> None:
            problems.append(Problem(_file, _n, column, message, code))

        expected_country = PACKAGE_COUNTRY.get(row["package"])
        if expected_country and not _blank(row["country"]) and row["country"] != expected_country:
            report(
                "country",
                f"{row['country']} fact in the {row['package']} package (expected {expected_country})",
                "country",
            )
        metric = row["metric"]
        if not _blank(metric):
            if metric not in quantity:
                report(
                    "metric",
                    f"unknown metric {metric!r}: add it to reference/metrics.csv or use one listed there",
                    "metric",
                )
            elif not _blank(row["unit"]) and row["unit"] not in UNITS_FOR_QUANTITY.get(quantity[metric], set()):
                allowed = ", ".join(sorted(UNITS_FOR_QUANTITY.get(quantity[metric], set())))
                report(
                    "unit",
                    f"unit {row['unit']} does not fit metric {metric} (a {quantity[metric]}: use {allowed})",
                    "unit",
                )
        try:
            if (
                not _blank(row["period_start"])
                and not _blank(row["period_end"])
                and period_bounds(row["period_start"])[0] > period_bounds(row["period_end"])[1]
            ):
                report("period_end", "period ends before it starts", "period")
        except ValueError as exc:
            report("period_start", f"not a valid date: {exc}", "period")
        kind = source_kind.get((row["package"], row["source_id"]))
        derived = kind == DERIVED_KIND
        quote = "" if _blank(row["quote"]) else str(row["quote"])
        if derived:
            inputs = _ids(row["derived_from"])
            if not inputs:
                report("derived_from", "a derived fact must name the facts it was computed from", "derived")
            for fid in inputs:
                if fid not in fact_ids:
                    report("derived_from", f"unknown fact {fid!r}", "reference")
            if _blank(row["note"]):
                report("note", "a derived fact must say how it was computed", "derived")
            continue
        if not _blank(row["derived_from"]):
            report("derived_from", "only facts citing a derived source may have derived_from", "derived")
        if not quote:
            report("quote", "a quote is required (only derived facts may leave it empty)", "quote")
            continue
        if word_count(quote) > MAX_QUOTE_WORDS:
            report("quote", f"quote has {word_count(quote)} words (at most {MAX_QUOTE_WORDS})", "quote")
        manual = str(row.get("quote_check") or "").strip() == "manual"
        if manual:
            if _blank(row["note"]):
                report("note", "quote_check is manual: say in note how the quote carries the figure", "quote")
        elif not pd.isna(row["value"]) and not quote_carries(quote, float(row["value"])):
            report(
                "quote",
                f"quote does not carry the figure {row['value']:g} "
                "(check the value is in base units, or set quote_check to manual and explain in note)",
                "quote-figure",
            )
    return problems


def _old_check_refs(
    frame: pd.DataFrame, resource: str, column: str, known: set[str], what: str, many: bool = False
) -> Iterable[Problem]:
    for _, row in frame.iterrows():
        values = _ids(row[column]) if many else ([] if _blank(row[column]) else [str(row[column])])
        for value in values:
            if value not in known:
                yield Problem(_file(row, resource), _rownum(row), column, f"unknown {what} {value!r}", "reference")


def old_check_references(t: Tables) -> list[Problem]:
    actors = set(t["actors"]["actor_id"].dropna())
    events = set(t["events"]["event_id"].dropna())
    facts = set(t["facts"]["fact_id"].dropna())
    out: list[Problem] = []
    out += _old_check_refs(t["relations"], "relations", "subject", actors, "actor")
    out += _old_check_refs(t["relations"], "relations", "object", actors | events, "actor or event")
    out += _old_check_refs(t["events"], "events", "subject", actors, "actor")
    if "counterparts" in t:
        out += _old_check_refs(t["counterparts"], "counterparts", "norwegian_holder", actors, "actor", many=True)
        out += _old_check_refs(t["counterparts"], "counterparts", "danish_candidates", actors, "actor", many=True)
    if "preconditions" in t:
        out += _old_check_refs(t["preconditions"], "preconditions", "fact_ids", facts, "fact", many=True)
    if "initiatives" in t:
        out += _old_check_refs(t["initiatives"], "initiatives", "owner", actors, "actor", many=True)
    return out


def old_check_sources(t: Tables) -> list[Problem]:
    """Every source can be found (url or document), and a source repeated in two packages says the same."""
    sources = t["sources"]
    out: list[Problem] = []
    for _, row in sources.iterrows():
        if _blank(row["url"]) and _blank(row["document"]) and row["kind"] != DERIVED_KIND:
            out.append(
                Problem(_file(row, "sources"), _rownum(row), "url", "a source needs a url or a document", "source")
            )
    content = [c for c in sources.columns if c not in ("package", "_row")]
    for source_id, group in sources.groupby("source_id"):
        if group["package"].nunique() > 1 and len(group[content].astype(str).drop_duplicates()) > 1:
            first = group.iloc[0]
            for _, row in group.iloc[1:].iterrows():
                out.append(
                    Problem(
                        _file(row, "sources"),
                        _rownum(row),
                        "source_id",
                        f"{source_id!r} differs from the row of the same id in {first['package']}/sources.csv",
                        "source",
                    )
                )
    return out


# --- the comparison ---------------------------------------------------------------------------------------------------

PAIRS = [
    (checks.check_facts, old_check_facts),
    (checks.check_references, old_check_references),
    (checks.check_sources, old_check_sources),
]


def tables_of(root: Path, monkeypatch: pytest.MonkeyPatch) -> Tables:
    """The tables load_evidence hands to its checks (before shared sources are listed once)."""
    seen: list[Tables] = []

    def capture(t: Tables) -> list[Problem]:
        seen.append({name: frame.copy() for name, frame in t.items()})
        return []

    monkeypatch.setattr(evidence_module, "ALL_CHECKS", (capture,))
    evidence_module.load_evidence(root)
    return seen[0]


def assert_same(t: Tables) -> None:
    for new, old in PAIRS:
        assert new(t) == old(t), new.__name__


def test_same_problems_on_the_shipped_data(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.helpers import DATA

    assert_same(tables_of(DATA, monkeypatch))


def _break_everything(root: Path) -> None:
    def facts(rows: list[dict]) -> None:
        rows[0]["period_start"], rows[0]["period_end"] = "2021", "2020"
        rows[0]["metric"] = "no_such_metric"
        rows[1]["quote"] = ""
        if len(rows) > 2:
            rows[2]["value"], rows[2]["quote_check"], rows[2]["note"] = "7", "manual", ""
            rows[2]["derived_from"] = "nowhere"

    def sources(rows: list[dict]) -> None:
        rows[0]["title"] = "Another title"
        rows[-1]["url"], rows[-1]["document"] = "", ""

    def relations(rows: list[dict]) -> None:
        rows[0]["object"] = "nowhere"
        rows[-1]["subject"] = ""

    edit_csv(root / "norway" / "facts.csv", facts)
    edit_csv(root / "denmark" / "sources.csv", sources)
    edit_csv(root / "denmark" / "relations.csv", relations)


def test_same_problems_on_a_root_broken_in_many_ways(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_minimal_root(tmp_path / "data")
    _break_everything(root)
    t = tables_of(root, monkeypatch)
    assert_same(t)
    codes = {p.code for new, _old in PAIRS for p in new(t)}
    assert {"period", "metric", "quote", "reference", "source"} <= codes  # the breakage was seen


def test_same_problems_on_synthetic_data_with_repeated_and_differing_sources(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.synthetic import synthetic_evidence

    root = synthetic_evidence(3).root
    t = tables_of(root, monkeypatch)
    sources = t["sources"]
    # Make some repeated sources differ, and some sources unfindable, on the captured tables.
    repeated = sources[sources.duplicated("source_id", keep=False)].index
    if len(repeated):
        sources.loc[repeated[::3], "title"] = "changed"
    sources.loc[sources.index[::7], ["url", "document"]] = pd.NA
    assert_same(t)
    assert any(p.column == "source_id" for p in checks.check_sources(t)) or not len(repeated)
