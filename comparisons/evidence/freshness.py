"""Warnings about evidence that may have gone out of date: roles drawn as lasting to today that no recent source
names, bodies described as alive that have ended (or ended without the data saying so), and 1 January population
counts that cannot lie where they claim to.

Unlike the checks in `checks.py`, a warning does not make the data invalid: `python -m comparisons validate`
prints it and still succeeds. Each warning is a `Problem` (file, row, column, message) with a `warn-*` code.
May import pandas and `comparisons.evidence`; never streamlit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date

import pandas as pd

from comparisons.evidence.checks import Tables, _blank, _file, _ids, _records, _rownum, period_bounds
from comparisons.evidence.problems import Problem, sort_problems

# Roles that say who holds a standing seat; founding is a one-off act and keeps no end.
STANDING_ROLES: tuple[str, ...] = ("owner", "steering_group")
# How recent a source must be for an open-ended standing role to be drawn up to today.
RECENT_YEARS = 2
# Relations that end the subject as a body of its own.
ENDING_RELATIONS: tuple[str, ...] = ("merged_into", "succeeded_by")
# Words in an event's English title saying its subject merged or closed.
ENDING_WORDS = re.compile(r"\b(merges?|merged|closes|closed|dissolved?|wound up|abolished|ceases|ceased)\b", re.I)
# English sentences that speak of a body in the present tense ("It is ...", "It has ...").
PRESENT_TENSE = re.compile(r"(^|[.;]\s+)(It|They)\s+(is|are|has|have|runs|holds|leads|works|owns|funds)\b")
LANGS = ("nb", "da", "en")


def years_before(today: date, years: int) -> date:
    """The same day `years` earlier (28 February for 29 February)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def _published(sources: pd.DataFrame) -> dict[str, str]:
    return {
        str(r["source_id"]): str(r["published"])
        for r in _records(sources.drop_duplicates(subset=["source_id"]))
        if not _blank(r["published"])
    }


def _last_day(text: str) -> date | None:
    try:
        return period_bounds(text)[1]
    except (ValueError, IndexError):
        return None


def last_naming_source(row: Mapping[str, object], published: Mapping[str, str]) -> tuple[str, str] | None:
    """The latest of a relation's own source and the sources in its `confirmed_by`: (source_id, published)."""
    cited = [*_ids(row.get("source_id")), *_ids(row.get("confirmed_by"))]
    dated = [(sid, published[sid]) for sid in cited if sid in published and _last_day(published[sid])]
    if not dated:
        return None
    return max(dated, key=lambda pair: (_last_day(pair[1]), pair[0]))


def check_open_roles(t: Tables, today: date) -> list[Problem]:
    """An owner or steering-group seat without an end is drawn up to today: only allowed while a source from the
    last RECENT_YEARS years still names it (its own source or one in confirmed_by)."""
    published = _published(t["sources"])
    cutoff = years_before(today, RECENT_YEARS)
    out: list[Problem] = []
    for row in _records(t["relations"]):
        if row["relation"] not in STANDING_ROLES or not _blank(row["end"]):
            continue
        last = last_naming_source(row, published)
        last_day = _last_day(last[1]) if last else None
        if last_day is not None and last_day >= cutoff:
            continue
        named = f"the last source naming it is {last[0]} ({last[1]})" if last else "no dated source names it"
        out.append(
            Problem(
                _file(row, "relations"),
                _rownum(row),
                "end",
                f"{row['relation_id']} ({row['subject']} {row['relation']} {row['object']}) has no end, and {named}, "
                f"older than {RECENT_YEARS} years: give an end (end_bound at_least for 'until at least'), "
                "or add a newer source that still names it to confirmed_by",
                "warn-open-role",
            )
        )
    return out


def _ended_by_relations(t: Tables) -> dict[str, str]:
    """actor_id -> the relation_id (or event_id) that says it merged, was succeeded or closed."""
    said: dict[str, str] = {}
    for row in _records(t["relations"]):
        if row["relation"] in ENDING_RELATIONS:
            said.setdefault(str(row["subject"]), f"relation {row['relation_id']}")
    for row in _records(t["events"]):
        title = "" if _blank(row.get("title_en")) else str(row["title_en"])
        if ENDING_WORDS.search(title):
            said.setdefault(str(row["subject"]), f"event {row['event_id']}")
    return said


def check_ended_actors(t: Tables) -> list[Problem]:
    """A body that has ended says so: `ended` is filled in when a relation or event says it merged or closed, and
    every summary of an ended body names the year it ended and does not speak of it in the present tense."""
    said = _ended_by_relations(t)
    out: list[Problem] = []
    for row in _records(t["actors"]):
        file, n, actor = _file(row, "actors"), _rownum(row), str(row["actor_id"])
        if _blank(row.get("ended")):
            if actor in said:
                out.append(
                    Problem(
                        file,
                        n,
                        "ended",
                        f"{actor}: {said[actor]} says it merged or closed, but ended is empty",
                        "warn-ended",
                    )
                )
            continue
        year = str(row["ended"])[:4]
        for lang in LANGS:
            column = f"summary_{lang}"
            text = "" if _blank(row.get(column)) else str(row[column])
            if year not in text:
                out.append(
                    Problem(file, n, column, f"{actor} ended in {year}, but its summary does not say so", "warn-ended")
                )
        text_en = "" if _blank(row.get("summary_en")) else str(row["summary_en"])
        if PRESENT_TENSE.search(text_en):
            out.append(
                Problem(
                    file,
                    n,
                    "summary_en",
                    f"{actor} ended in {year}, but its summary speaks of it in the present tense",
                    "warn-ended",
                )
            )
    return out


def check_population_order(t: Tables) -> list[Problem]:
    """A count on 1 January of year Y lies between the mid-year estimates of Y-1 and Y (within the rounding its
    trailing zeros show): a count outside them is probably misquoted or not what it says."""
    population = t["population"]
    midyear = {
        (str(r["country"]), int(str(r["date"])[:4])): float(str(r["value"]))
        for r in _records(population)
        if r["kind"] == "midyear" and not _blank(r["value"]) and str(r["date"])[:4].isdigit()
    }
    out: list[Problem] = []
    for row in _records(population):
        text = "" if _blank(row["date"]) else str(row["date"])
        if row["kind"] != "jan1" or _blank(row["value"]) or not text.endswith("-01-01"):
            continue
        country, year, value = str(row["country"]), int(text[:4]), float(str(row["value"]))
        before, after = midyear.get((country, year - 1)), midyear.get((country, year))
        if before is None or after is None:
            continue
        digits = str(int(value))
        slack = 10 ** (len(digits) - len(digits.rstrip("0"))) / 2
        low, high = min(before, after) - slack, max(before, after) + slack
        if not low <= value <= high:
            out.append(
                Problem(
                    _file(row, "population"),
                    _rownum(row),
                    "value",
                    f"{country} on {text}: {value:,.0f} lies outside the mid-year estimates of {year - 1} "
                    f"({before:,.0f}) and {year} ({after:,.0f}); check the figure and its source",
                    "warn-population",
                )
            )
    return out


def evidence_warnings(t: Tables, today: date | None = None) -> list[Problem]:
    """Every warning about `t` (the evidence's tables) as of `today` (default: the real today)."""
    today = today or date.today()
    checks: tuple[Callable[[Tables], list[Problem]], ...] = (
        lambda tables: check_open_roles(tables, today),
        check_ended_actors,
        check_population_order,
    )
    out: list[Problem] = []
    for check in checks:
        try:
            out.extend(check(t))
        except (KeyError, ValueError, TypeError) as exc:
            # A column is missing or malformed: the validation problems already say which.
            out.append(Problem("data", None, None, f"a freshness check could not run: {exc}", "warn-check"))
    return sort_problems(out)
