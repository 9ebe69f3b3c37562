"""What the room thinks: answers tallied per question, the answers as an export table, and the pack's section
"What the summit said".

Tallying (one definition, used by the page, the command line and the pack):
- `first`: participants who put the option first (for a single pick: who picked it);
- `mentions`: participants who chose or ranked it at all;
- `points`: a Borda count over the top RANK_DEPTH places (first 3, second 2, third 1; a single pick 1), which
  orders the options. Ties keep the evidence's order of the options.
An answer naming an option the evidence no longer has is still counted, under its id.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import altair as alt
import pandas as pd

from comparisons.evidence.base import Evidence
from comparisons.i18n import gettext_for, ngettext_for
from comparisons.i18n.formatting import fmt_number, fmt_period
from comparisons.outputs.exports import ExportTable, Stamp, make_table
from comparisons.outputs.palette import COUNTRY_COLOURS
from comparisons.summit import questions as qs
from comparisons.summit import service
from comparisons.summit.db import SummitDB

MAX_PACK_COMMENTS = 5  # comments per question in the pack: the latest ones the organiser did not hide


@dataclass(frozen=True)
class OptionTally:
    option_id: str
    first: int
    mentions: int
    points: int


@dataclass(frozen=True)
class QuestionTally:
    question_id: str
    kind: str
    respondents: int
    options: tuple[OptionTally, ...]  # by points, then the evidence's order
    certainty: dict[int, int]  # certainty level -> participants


def points_for(kind: str, position: int) -> int:
    return 1 if kind == qs.SINGLE else max(qs.RANK_DEPTH - position, 0)


def tally(records: Iterable[service.AnswerRecord], rules: qs.Catalogue) -> dict[str, QuestionTally]:
    """Every question of `rules` (with or without answers) and any other question the answers name."""
    by_question: dict[str, list[service.AnswerRecord]] = {}
    for record in records:
        by_question.setdefault(record.question_id, []).append(record)
    out: dict[str, QuestionTally] = {}
    for question_id in [*rules, *(q for q in by_question if q not in rules)]:
        rule = rules.get(question_id, qs.Rule(qs.RANK, ()))
        answers = by_question.get(question_id, [])
        first: Counter[str] = Counter()
        mentions: Counter[str] = Counter()
        points: Counter[str] = Counter()
        for a in answers:
            if a.choices:
                first[a.choices[0]] += 1
            for position, option in enumerate(a.choices):
                mentions[option] += 1
                points[option] += points_for(rule.kind, position)
        order = list(rule.options) + sorted(o for o in mentions if o not in rule.options)
        ranked = sorted(order, key=lambda o: (-points[o], -first[o], order.index(o)))
        out[question_id] = QuestionTally(
            question_id,
            rule.kind,
            len(answers),
            tuple(OptionTally(o, first[o], mentions[o], points[o]) for o in ranked),
            dict(sorted(Counter(a.certainty for a in answers).items())),
        )
    return out


def tally_frame(tallies: dict[str, QuestionTally]) -> pd.DataFrame:
    """One row per question and option, language-free (the command line's table, CSV and JSON)."""
    rows = [
        {
            "question": t.question_id,
            "rank": i + 1,
            "option": o.option_id,
            "first": o.first,
            "mentions": o.mentions,
            "points": o.points,
            "respondents": t.respondents,
        }
        for t in tallies.values()
        for i, o in enumerate(t.options)
    ]
    columns = ["question", "rank", "option", "first", "mentions", "points", "respondents"]
    return pd.DataFrame(rows, columns=columns)


# --- in a language ------------------------------------------------------------------------------------------------


def _labels(questions: Sequence[qs.Question]) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    titles = {q.id: q.title for q in questions}
    options = {(q.id, o.id): o.label for q in questions for o in q.options}
    return titles, options


def result_frame(t: QuestionTally, question: qs.Question | None, lang: str) -> pd.DataFrame:
    """The tally of one question with the options' names and translated headers (for the page and the pack)."""
    _ = gettext_for(lang)
    label = question.label_of if question is not None else str
    columns = {_("Option"): [label(o.option_id) for o in t.options], _("Points"): [o.points for o in t.options]}
    if t.kind == qs.RANK:
        columns[_("First choice")] = [o.first for o in t.options]
        columns[_("Ranked by")] = [o.mentions for o in t.options]
    else:
        columns[_("Chosen by")] = [o.first for o in t.options]
    return pd.DataFrame(columns)


def result_chart(t: QuestionTally, question: qs.Question | None, lang: str) -> alt.Chart:
    """Bars of points per option (a single pick: how many chose it), best first."""
    _ = gettext_for(lang)
    label = question.label_of if question is not None else str
    frame = pd.DataFrame({"option": [label(o.option_id) for o in t.options], "points": [o.points for o in t.options]})
    title = _("Points (first 3, second 2, third 1)") if t.kind == qs.RANK else _("Participants")
    return (
        alt.Chart(frame)
        .mark_bar(color=COUNTRY_COLOURS["DK"])
        .encode(
            x=alt.X("points:Q", title=title, axis=alt.Axis(tickMinStep=1, format="d")),
            y=alt.Y("option:N", title=None, sort=None, axis=alt.Axis(labelLimit=260)),
            tooltip=[alt.Tooltip("option:N", title=_("Option")), alt.Tooltip("points:Q", title=title)],
        )
        .properties(height=alt.Step(26))
    )


def certainty_text(t: QuestionTally, lang: str) -> str:
    _ = gettext_for(lang)
    parts = [
        f"{_(service.CERTAINTY[level])} {count}" for level, count in t.certainty.items() if level in service.CERTAINTY
    ]
    return ", ".join(parts) or "–"


def answers_table(
    records: Sequence[service.AnswerRecord],
    questions: Sequence[qs.Question],
    event: service.EventInfo,
    lang: str,
    stamp: Stamp,
) -> ExportTable:
    """Every answer of the event, for the organiser's CSV and XLSX: who, which question, the choices in order,
    how sure, the comment and whether it is hidden. Participant input is not evidence, so no row cites a source."""
    _ = gettext_for(lang)
    titles, options = _labels(questions)
    frame = pd.DataFrame(
        {
            "participant": [r.participant for r in records],
            "question_id": [r.question_id for r in records],
            "question": [titles.get(r.question_id, r.question_id) for r in records],
            "choices": [" > ".join(options.get((r.question_id, c), c) for c in r.choices) for r in records],
            "choice_ids": [" ".join(r.choices) for r in records],
            "certainty": [_(service.CERTAINTY.get(r.certainty, str(r.certainty))) for r in records],
            "comment": [r.comment for r in records],
            "comment_hidden": [r.comment_hidden for r in records],
            "changed": [r.revision - 1 for r in records],
            "answered": [r.updated_at.strftime("%Y-%m-%d %H:%M:%S") for r in records],
        }
    )
    labels = {
        "participant": _("Participant"),
        "question_id": _("Question ID"),
        "question": _("Question"),
        "choices": _("Choices, most preferred first"),
        "choice_ids": _("Option IDs"),
        "certainty": _("How sure"),
        "comment": _("Comment"),
        "comment_hidden": _("Comment hidden"),
        "changed": _("Times changed"),
        "answered": _("Answered (UTC)"),
    }
    return make_table(
        frame,
        pd.DataFrame(),
        stamp,
        name=f"summit-answers-{event.code.lower()}",
        title=_("Summit answers: {title}").format(title=event.title),
        lang=lang,
        labels=labels,
        kinds={"changed": "integer", "comment_hidden": "bool"},
    )


# --- the pack's section ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SummitSection:
    """'What the summit said', for the decision pack (comparisons.outputs.pack): a sheet of the ranked options, a
    sheet of the selected comments, and a section of the brief."""

    event: service.EventInfo
    lang: str
    participants: int
    questions: tuple[qs.Question, ...]
    tallies: dict[str, QuestionTally]
    comments: dict[str, tuple[tuple[str, str], ...]]  # question id -> (participant, comment), latest first

    @property
    def date_text(self) -> str:
        return fmt_period(self.event.created_at.date().isoformat(), self.lang)

    def intro(self) -> str:
        _ = gettext_for(self.lang)
        status = (
            _("closed on {date}").format(date=fmt_period(self.event.closed_at.date().isoformat(), self.lang))
            if self.event.closed_at is not None
            else _("still open when this pack was made")
        )
        ngettext = ngettext_for(self.lang)  # by this name, so the catalog extractor finds the plural forms
        return ngettext(
            "{title} ({code}), {date}: {participants} participant, {status}. Participants' views, not evidence: "
            "points are a ranking count (first choice 3, second 2, third 1; a single pick 1).",
            "{title} ({code}), {date}: {participants} participants, {status}. Participants' views, not evidence: "
            "points are a ranking count (first choice 3, second 2, third 1; a single pick 1).",
            self.participants,
        ).format(
            title=self.event.title,
            code=self.event.code,
            date=self.date_text,
            participants=fmt_number(self.participants, self.lang, 0),
            status=status,
        )

    def tables(self, stamp: Stamp) -> list[ExportTable]:
        _ = gettext_for(self.lang)
        rows = []
        for q in self.questions:
            t = self.tallies.get(q.id)
            if t is None:
                continue
            for i, o in enumerate(t.options):
                rows.append(
                    {
                        "question": q.title,
                        "rank": i + 1,
                        "option": q.label_of(o.option_id),
                        "points": o.points,
                        "first": o.first,
                        "mentions": o.mentions,
                        "respondents": t.respondents,
                        "event_date": self.date_text,
                    }
                )
        columns = ["question", "rank", "option", "points", "first", "mentions", "respondents", "event_date"]
        results = make_table(
            pd.DataFrame(rows, columns=columns),
            pd.DataFrame(),
            stamp,
            name="summit",
            title=_("What the summit said"),
            lang=self.lang,
            labels={
                "question": _("Question"),
                "rank": _("Place"),
                "option": _("Option"),
                "points": _("Points"),
                "first": _("First choice"),
                "mentions": _("Chosen or ranked by"),
                "respondents": _("Answers to the question"),
                "event_date": _("Event date"),
            },
            kinds={"rank": "integer", "points": "integer", "first": "integer", "mentions": "integer"},
            notes=(self.intro(),),
        )
        comment_rows = [
            {"question": q.title, "participant": who, "comment": text}
            for q in self.questions
            for who, text in self.comments.get(q.id, ())
        ]
        comments = make_table(
            pd.DataFrame(comment_rows, columns=["question", "participant", "comment"]),
            pd.DataFrame(),
            stamp,
            name="summit-comments",
            title=_("Summit comments"),
            lang=self.lang,
            labels={"question": _("Question"), "participant": _("Participant"), "comment": _("Comment")},
        )
        return [results, comments]

    def write_brief(
        self,
        heading: Callable[[str, int], None],
        para: Callable[[str], None],
        table: Callable[[list[str], list[list[str]], list[float]], None],
    ) -> None:
        """The brief's section, written with the pack's own heading, paragraph and table helpers (plain text)."""
        _ = gettext_for(self.lang)
        ngettext = ngettext_for(self.lang)  # by this name, so the catalog extractor finds the plural forms
        heading(_("What the summit said"), 1)
        para(self.intro())
        for q in self.questions:
            t = self.tallies.get(q.id)
            heading(q.title, 2)
            if t is None or not t.respondents:
                para(_("No answers."))
                continue
            para(
                ngettext(
                    "{n} answer; how sure: {certainty}.", "{n} answers; how sure: {certainty}.", t.respondents
                ).format(n=fmt_number(t.respondents, self.lang, 0), certainty=certainty_text(t, self.lang))
            )
            first = _("First choice") if t.kind == qs.RANK else _("Chosen by")
            table(
                [_("Place"), _("Option"), _("Points"), first],
                [[str(i + 1), q.label_of(o.option_id), str(o.points), str(o.first)] for i, o in enumerate(t.options)],
                [1.5, 10.0, 2.5, 3.0],
            )
            for who, text in self.comments.get(q.id, ()):
                para(f"“{text}” – {who}")


def summit_section(db: SummitDB, code: str, ev: Evidence, lang: str) -> SummitSection:
    """Read the event's answers and tally them for the pack (raises service.UnknownEvent)."""
    event = service.event_info(db, code)
    records = service.answers(db, code)
    questions = qs.questions(ev, lang)
    comments: dict[str, list[tuple[str, str]]] = {}
    for r in sorted(records, key=lambda r: r.updated_at, reverse=True):
        if r.comment and not r.comment_hidden and len(comments.setdefault(r.question_id, [])) < MAX_PACK_COMMENTS:
            comments[r.question_id].append((r.participant, r.comment))
    return SummitSection(
        event,
        lang,
        service.participant_count(db, code),
        questions,
        tally(records, {q.id: q.rule for q in questions}),
        {k: tuple(v) for k, v in comments.items()},
    )
