"""The warnings `validate` prints for evidence that may have gone out of date: each rule fires on the case it is
for, stays quiet on the cases it is not for, and names file, row, the relation or body, and the source and date."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pandas as pd

from comparisons.cli import main
from comparisons.evidence.base import load_evidence
from comparisons.evidence.freshness import (
    check_ended_actors,
    check_open_roles,
    check_population_order,
    evidence_warnings,
    years_before,
)
from comparisons.measures import governance as gv
from tests.minimal_data import edit_csv, write_minimal_root

TODAY = date(2026, 12, 7)


def frame(resource: str, rows: list[dict[str, object]], package: str = "norway") -> pd.DataFrame:
    return pd.DataFrame(rows).assign(package=package, _row=range(2, len(rows) + 2)).rename_axis(resource)


def sources() -> pd.DataFrame:
    return frame(
        "sources",
        [
            {"source_id": "old", "published": "2021-05"},
            {"source_id": "late", "published": "2025"},
        ],
    )


def relation(**kw: object) -> dict[str, object]:
    row: dict[str, object] = {
        "relation_id": "r1",
        "subject": "dfo",
        "relation": "owner",
        "object": "lup",
        "start": "2020",
        "end": None,
        "end_bound": None,
        "source_id": "old",
        "confirmed_by": None,
    }
    return {**row, **kw}


def open_role_warnings(*rows: dict[str, object], today: date = TODAY) -> list[str]:
    tables = {"relations": frame("relations", list(rows)), "sources": sources()}
    return [str(p) for p in check_open_roles(tables, today)]


def test_an_open_seat_only_an_old_source_names_is_named_with_that_source_and_its_date() -> None:
    (warning,) = open_role_warnings(relation())
    assert warning.startswith("norway/relations.csv, row 2, column end: r1 (dfo owner lup) has no end")
    assert "the last source naming it is old (2021-05)" in warning


def test_an_open_seat_is_fine_while_a_recent_source_still_names_it() -> None:
    assert open_role_warnings(relation(confirmed_by="old late")) == []
    assert open_role_warnings(relation(), today=date(2023, 5, 31)) == []  # 2021-05 is within two years
    assert open_role_warnings(relation(), today=date(2023, 6, 1)) != []


def test_seats_with_an_end_or_other_roles_are_not_warned_about() -> None:
    assert open_role_warnings(relation(end="2022", end_bound="at_least")) == []
    assert open_role_warnings(relation(relation="founder"), relation(relation_id="r2", relation="partner")) == []
    assert len(open_role_warnings(relation(relation="steering_group"))) == 1


def test_two_years_before_a_leap_day() -> None:
    assert years_before(date(2028, 2, 29), 2) == date(2026, 2, 28)


def actor(**kw: object) -> dict[str, object]:
    row: dict[str, object] = {
        "actor_id": "ftf",
        "ended": None,
        "summary_nb": "Hovedorganisasjon.",
        "summary_da": "Hovedorganisation.",
        "summary_en": "Confederation of trade unions.",
    }
    return {**row, **kw}


def ended_warnings(actors: list[dict[str, object]], relations=(), events=()) -> list[str]:
    tables = {
        "actors": frame("actors", actors, "denmark"),
        "relations": frame("relations", list(relations) or [relation(relation="partner")], "denmark"),
        "events": frame("events", list(events) or [{"event_id": "e", "subject": "x", "title_en": "Founded"}]),
    }
    return [str(p) for p in check_ended_actors(tables)]


def test_a_merger_without_an_end_date_is_named() -> None:
    merged = relation(relation_id="r-ftf-fh", subject="ftf", relation="merged_into", object="fh")
    (warning,) = ended_warnings([actor()], relations=[merged])
    assert "denmark/actors.csv, row 2, column ended: ftf: relation r-ftf-fh says it merged" in warning
    closed = {"event_id": "ev-close", "subject": "ftf", "title_en": "FTF and LO merge into FH"}
    assert "event ev-close" in ended_warnings([actor()], events=[closed])[0]


def test_an_ended_body_must_say_so_in_every_language_and_not_in_the_present_tense() -> None:
    said = "In 2019 it merged into FH."
    fine = actor(ended="2019-01-01", summary_nb="I 2019 ...", summary_da="I 2019 ...", summary_en=said)
    assert ended_warnings([fine]) == []
    silent = ended_warnings([actor(ended="2019-01-01", summary_nb="I 2019 ...", summary_da="I 2019 ...")])
    assert silent == [
        "denmark/actors.csv, row 2, column summary_en: ftf ended in 2019, but its summary does not say so"
    ]
    present = actor(ended="2019", summary_nb="2019", summary_da="2019", summary_en="A union. It has 450,000 members.")
    assert any("present tense" in w for w in ended_warnings([present]))


def population(*rows: tuple[str, str, str, int]) -> dict[str, pd.DataFrame]:
    records = [{"country": c, "date": d, "kind": k, "value": v, "source_id": "s"} for c, d, k, v in rows]
    return {"population": frame("population", records, "reference")}


def test_a_1_january_count_below_the_mid_year_estimates_around_it_is_named() -> None:
    mid = [("DK", "2022", "midyear", 5903037), ("DK", "2023", "midyear", 5946952)]
    (warning,) = [str(p) for p in check_population_order(population(*mid, ("DK", "2023-01-01", "jan1", 5883141)))]
    assert "reference/population.csv, row 4, column value: DK on 2023-01-01: 5,883,141" in warning
    assert check_population_order(population(*mid, ("DK", "2023-01-01", "jan1", 5932654))) == []


def test_a_rounded_count_may_differ_by_its_rounding() -> None:
    mid = [("DK", "2011", "midyear", 5570572), ("DK", "2012", "midyear", 5591572)]
    assert check_population_order(population(*mid, ("DK", "2012-01-01", "jan1", 5600000))) == []  # '5,6 mio.'
    assert check_population_order(population(*mid, ("DK", "2012-01-01", "jan1", 5660000))) != []


def test_the_shipped_data_has_no_warnings_today() -> None:
    """If this fails after time has passed, the rule has done its job: re-check the named relations."""
    ev = load_evidence()
    assert [str(w) for w in evidence_warnings(ev.tables)] == []


def _stale_root(tmp_path: Path) -> Path:
    root = write_minimal_root(tmp_path / "data")  # KS owns LUP from 2010, named only by a 2020 source
    return root


def test_validate_prints_warnings_and_still_succeeds(tmp_path: Path) -> None:
    root = _stale_root(tmp_path)
    out, err = io.StringIO(), io.StringIO()
    assert main(["validate", "--data", str(root)], out, err) == 0
    text = out.getvalue()
    assert text.startswith("ok: ")
    assert "1 warning:" in text
    assert "warning: norway/relations.csv, row 2, column end: r-ks-owner-lup (ks owner lup) has no end" in text
    assert "doc-004 (2020-09)" in text
    out = io.StringIO()
    assert main(["validate", "--data", str(root), "--format", "json"], out, err) == 0
    report = json.loads(out.getvalue())
    assert report["ok"] and [w["code"] for w in report["warnings"]] == ["warn-open-role"]


def test_an_until_at_least_end_silences_the_warning_and_needs_an_end(tmp_path: Path) -> None:
    root = _stale_root(tmp_path)

    def bounded(rows):
        rows[0]["end"], rows[0]["end_bound"] = "2020-09", "at_least"

    edit_csv(root / "norway" / "relations.csv", bounded)
    ev = load_evidence(root)
    assert ev.ok and evidence_warnings(ev.tables) == []

    def unbounded(rows):
        rows[0]["end"] = ""

    edit_csv(root / "norway" / "relations.csv", unbounded)
    problems = [(p.file, p.row, p.column, p.message) for p in load_evidence(root).problems]
    assert ("norway/relations.csv", 2, "end", "end_bound needs an end to bound") in problems


def test_confirmed_by_must_name_known_sources(tmp_path: Path) -> None:
    root = _stale_root(tmp_path)

    def confirm(rows):
        rows[0]["confirmed_by"] = "doc-004 no-such-source"

    edit_csv(root / "norway" / "relations.csv", confirm)
    problems = [(p.file, p.row, p.column, p.message) for p in load_evidence(root).problems]
    assert ("norway/relations.csv", 2, "confirmed_by", "unknown source 'no-such-source'") in problems


def test_an_until_at_least_seat_counts_up_to_its_bound_and_is_drawn_there_as_open() -> None:
    rels = pd.DataFrame(
        [
            relation(relation_id="r-dfo", end="2022", end_bound="at_least"),
            relation(relation_id="r-ks", subject="ks", start="2010"),
        ]
    )
    gov = gv.governance_relations(rels)
    assert set(gv.owners_as_of(gov, 2022)["subject"]) == {"dfo", "ks"}
    assert set(gv.owners_as_of(gov, 2023)["subject"]) == {"ks"}
    actors = pd.DataFrame({"actor_id": ["dfo", "ks"], "name": ["DFØ", "KS"], "short_name": ["DFØ", "KS"]})
    srcs = pd.DataFrame({"source_id": ["old"], "title": ["t"], "publisher": ["p"], "published": ["2021"]})
    rows = gv.timeline(gov, actors, srcs, TODAY, "en", "end not known", "until at least {end}").set_index("actor")
    assert rows.loc["DFØ", "open_end"] and rows.loc["DFØ", "drawn_end"] == pd.Timestamp("2022-12-31")
    assert rows.loc["DFØ", "to_text"] == "until at least 2022"
    assert rows.loc["KS", "drawn_end"] == pd.Timestamp(TODAY) and rows.loc["KS", "to_text"] == "end not known"
