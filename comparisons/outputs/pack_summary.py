"""The one-page summary that opens the decision brief, and the numbered notes every figure in the brief cites.

Why: a director reads the first page of the brief in two minutes: what Norway built, what Denmark has, the main
gaps, the range the what-if gives and the questions the evidence leaves open. The sentences are templates in each
language filled with the figures the page models show (the Overview's headline cards, the what-if's outcome),
never retyped; each figure carries a note such as "[3]" that points to the numbered source list at the end of the
brief, so no fact or source id appears in the prose.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from comparisons.evidence.base import Evidence
from comparisons.i18n import gettext_for
from comparisons.i18n.formatting import fmt_money, fmt_number, fmt_span
from comparisons.models.figure import FigureCard
from comparisons.outputs.exports import parse_ids
from comparisons.outputs.pack_whatif import WhatIfSection
from comparisons.outputs.tables import fact_sources

# How many gaps and open questions the summary names; the rest are in the brief's own sections.
MAX_GAPS = 4
MAX_QUESTIONS = 3
_MD_ESCAPE = re.compile(r"\\(.)")


@dataclass(frozen=True)
class Notes:
    """Numbered notes: source id -> its number in the brief's source list (1-based, in the list's order)."""

    numbers: Mapping[str, int]

    @classmethod
    def of(cls, source_ids: Iterable[str]) -> Notes:
        return cls({sid: i for i, sid in enumerate(dict.fromkeys(source_ids), start=1)})

    def mark(self, source_ids: Iterable[str]) -> str:
        """'[2]', '[1, 4]', or '' when none of the sources is listed."""
        found = sorted({self.numbers[s] for s in source_ids if s in self.numbers})
        return f"[{', '.join(str(n) for n in found)}]" if found else ""


@dataclass(frozen=True)
class Figure:
    """One number in the summary as written, and the sources it rests on."""

    text: str
    source_ids: tuple[str, ...]


@dataclass(frozen=True)
class Line:
    """A sentence of the summary: its text with `{0}`, `{1}` ... where its figures go, each followed by its note
    (or, for figures that share their sources, one note at the end: `cites`)."""

    template: str
    figures: tuple[Figure, ...] = ()
    cites: tuple[str, ...] = ()  # sources of the whole sentence, noted once at its end

    def render(self, notes: Notes) -> str:
        cited = []
        for f in self.figures:
            mark = notes.mark(f.source_ids)
            cited.append(f"{f.text}\u00a0{mark}" if mark else f.text)
        text = self.template.format(*cited)
        mark = notes.mark(self.cites)
        return f"{text}\u00a0{mark}" if mark else text

    @property
    def source_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys([s for f in self.figures for s in f.source_ids] + list(self.cites)))


@dataclass(frozen=True)
class Part:
    """A paragraph of the summary: a bold lead ("What Norway built.") and its sentences or bullet points."""

    lead: str
    lines: tuple[Line, ...]
    bullets: bool = False
    intro: Line | None = None  # a sentence after the lead, before the bullet points


@dataclass(frozen=True)
class Summary:
    heading: str
    parts: tuple[Part, ...] = field(default_factory=tuple)

    @property
    def source_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s for p in self.parts for line in p.lines for s in line.source_ids))


def _plain_label(label: str) -> str:
    """A card's Markdown label as plain text (data in it is escaped with comparisons.models.figure.escape_md)."""
    return _MD_ESCAPE.sub(r"\1", label)


def headline_figures(ev: Evidence, lang: str) -> list[tuple[str, Figure | None, Figure | None]]:
    """Per headline measure of the Overview page's model: (label, Norway's figure, Denmark's figure), a figure
    being None where no source gives it. The value is the card's text; its period is added from the fact."""
    from comparisons.models import overview

    view = overview.build(ev, lang, overview.default_settings(ev, lang)).view
    sources = fact_sources(ev)
    facts = ev["facts"].set_index("fact_id")

    def figure(card: FigureCard) -> Figure | None:
        fact_id = getattr(card, "fact_id", None)
        if not fact_id or fact_id not in facts.index:
            return None
        fact = facts.loc[fact_id]
        period = fmt_span(fact["period_start"], fact["period_end"], lang)
        return Figure(f"{card.value} ({period})", sources.get(fact_id, ()))

    rows = []
    for no_card, dk_card in view.rows:
        label = _plain_label(no_card.label).split(" · ")[0]
        rows.append((label, figure(no_card), figure(dk_card)))
    return rows


def build_summary(
    ev: Evidence, lang: str, wi: WhatIfSection, questions: Sequence[str], gaps: Sequence[str] = ()
) -> Summary:
    """The summary in `lang` from the Overview model's headline figures, the what-if's outcome (`wi`, as the
    brief's what-if section shows it), the brief's open questions and `gaps` (roles and preconditions Denmark
    lacks, in the reader's words)."""
    _ = gettext_for(lang)
    rows = headline_figures(ev, lang)
    parts: list[Part] = []

    built = tuple(Line(_("{label}: {{0}}.").format(label=label), (no,)) for label, no, _dk in rows if no is not None)
    intro = _(
        "LUP, Norway's national programme for supplier development, helps public bodies buy innovation, owned "
        "jointly by business, the municipal sector and the state."
    )
    parts.append(Part(_("What Norway built."), built, bullets=True, intro=Line(intro)))
    has = tuple(Line(_("{label}: {{0}}.").format(label=label), (dk,)) for label, _no, dk in rows if dk is not None)
    if has:
        intro = Line(_("Denmark has no LUP; the nearest Danish figures are:"))
        parts.append(Part(_("What Denmark has."), has, bullets=True, intro=intro))
    else:
        none = _("Denmark has no LUP, and the evidence base holds no Danish figure for these measures.")
        parts.append(Part(_("What Denmark has."), (Line(none),)))
    missing = [label for label, no, dk in rows if dk is None and no is not None]
    gap_lines: list[Line] = []
    if missing:
        gap_lines.append(Line(_("No Danish figure for: {measures}.").format(measures="; ".join(missing))))
    gap_lines += [Line(_text_only(g)) for g in gaps[:MAX_GAPS]]
    if len(gaps) > MAX_GAPS:
        gap_lines.append(Line(_("{n} more under Open questions.").format(n=len(gaps) - MAX_GAPS)))
    if gap_lines:
        parts.append(Part(_("The main gaps."), tuple(gap_lines), bullets=True))

    if wi.available and wi.result is not None and wi.inputs is not None and wi.assumptions is not None:
        r, inputs = wi.result, wi.inputs
        cited = tuple(dict.fromkeys(s for ids in wi.assumptions["source_ids"] for s in ids))
        money = (r.savings_low, r.savings_central, r.savings_high, r.cost, inputs.funding_dkk)
        # One note for the sentence: every amount rests on the same inputs and their sources.
        low, central, high, cost, funding = (Figure(fmt_money(v, "DKK", lang), ()) for v in money)
        be = r.break_even_year
        parts.append(
            Part(
                _("What a Danish LUP could yield."),
                (
                    Line(
                        _(
                            "With {{4}} a year of public money for {years} years, the what-if projects cumulative "
                            "savings of {{0}} to {{2}} (central {{1}}) against a cumulative cost of {{3}}; {break_even}"
                        ).format(
                            years=int(inputs.years),
                            break_even=(
                                _("the central case breaks even in programme year {n}.").format(n=be)
                                if be is not None
                                else _("the central case does not break even within the horizon.")
                            ),
                        ),
                        (low, central, high, cost, funding),
                        cited,
                    ),
                    Line(
                        _("It reaches about {0} public bodies. A projection from Norwegian figures, not a forecast."),
                        (Figure(fmt_number(r.bodies_reached, lang, 0), ()),),
                    ),
                ),
            )
        )
    else:
        parts.append(Part(_("What a Danish LUP could yield."), (Line(_text_only(wi.message)),)))

    if questions:
        shown = [Line(_text_only(q)) for q in questions[:MAX_QUESTIONS]]
        if len(questions) > MAX_QUESTIONS:
            shown.append(Line(_("{n} more under Open questions.").format(n=len(questions) - MAX_QUESTIONS)))
        parts.append(Part(_("Open questions."), tuple(shown), bullets=True))
    return Summary(_("Summary"), tuple(parts))


def _text_only(text: str) -> str:
    """A sentence from elsewhere as a template with no figure slots (its braces doubled)."""
    return text.replace("{", "{{").replace("}", "}}")


def summary_source_ids(summary: Summary) -> tuple[str, ...]:
    """The sources the summary cites, each id once (for the brief's source list)."""
    return tuple(dict.fromkeys(i for s in summary.source_ids for i in parse_ids(s)))
