"""The "Options for a Danish LUP" page's content for one data version and language (Streamlit-free; the page
caches it per data version and language and draws it).

Per design question: Norway's answer (the holders of the LUP roles, the Norwegian figures), the Danish options with
their fit and sources, the preconditions behind the question, and for the funding question the What-if's outcome
for each funding option, computed by comparisons.measures.whatif with its own defaults (only the funding differs).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from comparisons.evidence.base import Evidence, sources_in
from comparisons.i18n import gettext_for, pick
from comparisons.i18n.formatting import fmt_money, fmt_number, fmt_period, fmt_span, fmt_value
from comparisons.i18n.labels import STATUS
from comparisons.outputs.tables import records, text
from comparisons.summit import questions as qs


@dataclass(frozen=True)
class QuestionView:
    question: qs.Question
    norway: pd.DataFrame  # role, who holds it in Norway, source
    norway_facts: pd.DataFrame | None  # the Norwegian figures, each with its period, source and date
    options: pd.DataFrame  # option, fit, from, why, sources
    preconditions: pd.DataFrame | None
    consequences: pd.DataFrame | None  # funding options: the What-if's outcome for each
    consequences_caption: str = ""


@dataclass(frozen=True)
class OptionsView:
    intro: str
    questions: tuple[QuestionView, ...]


def _cite(sources: dict[str, dict], ids: tuple[str, ...], lang: str) -> str:
    """'KL (2022), Danske Regioner (2024)': each source's publisher with its date."""
    parts = []
    for sid in dict.fromkeys(ids):
        s = sources.get(sid)
        if s is None:
            parts.append(sid)
            continue
        parts.append(f"{text(s.get('publisher'))} ({fmt_period(text(s.get('published')), lang)})")
    return "; ".join(parts)


def _figure(fact: dict, sources: dict[str, dict], lang: str) -> str:
    """'COI – Center for Offentlig Innovation, 2022': a figure named by its publisher and the period it is for (its
    id stays in the evidence files and on the Sources page)."""
    source = sources.get(text(fact.get("source_id")), {})
    period = fmt_span(text(fact.get("period_start")), text(fact.get("period_end")), lang)
    publisher = text(source.get("publisher"))
    return f"{publisher}, {period}" if publisher else period


def _facts_frame(ev: Evidence, fact_ids: tuple[str, ...], sources: dict[str, dict], lang: str) -> pd.DataFrame | None:
    _ = gettext_for(lang)
    facts = {text(f.get("fact_id")): f for f in records(ev["facts"])}
    metrics = {text(m.get("metric_id")): pick(m, "label", lang) for m in records(ev["metrics"])}
    rows = [facts[f] for f in fact_ids if f in facts]
    if not rows:
        return None
    return pd.DataFrame(
        {
            _("Figure"): [metrics.get(text(f.get("metric")), text(f.get("metric"))) for f in rows],
            _("Value"): [fmt_value(float(f["value"]), text(f.get("unit")), lang, text(f.get("bound"))) for f in rows],
            _("Period"): [fmt_span(text(f.get("period_start")), text(f.get("period_end")), lang) for f in rows],
            _("Source"): [_cite(sources, (text(f.get("source_id")),), lang) for f in rows],
        }
    )


def _consequences(ev: Evidence, question: qs.Question, lang: str) -> tuple[pd.DataFrame | None, str]:
    """Each funding option through the What-if model with its default inputs: only the annual funding differs."""
    from comparisons.measures import whatif
    from comparisons.measures import whatif_defaults as wd

    _ = gettext_for(lang)
    funded = [o for o in question.options if o.funding_dkk is not None]
    if not funded:
        return None, ""
    try:
        defaults = wd.derive_defaults(ev.tables)
        base = defaults.inputs()
        outcomes = [
            whatif.outcome(replace(base, funding_dkk=float(o.funding_dkk or 0)), defaults.calibration) for o in funded
        ]
    except (whatif.WhatIfInputError, KeyError, IndexError, ValueError):
        return None, _("The What-if cannot be computed from the evidence as it is, so no consequences are shown.")
    never = _("not within the horizon")
    frame = pd.DataFrame(
        {
            _("Option"): [o.label for o in funded],
            _("Annual public funding"): [fmt_money(o.funding_dkk or 0, "DKK", lang) for o in funded],
            _("Public bodies reached"): [fmt_number(r.bodies_reached, lang, 0) for r in outcomes],
            _("Cumulative savings, central"): [fmt_money(r.savings_central, "DKK", lang) for r in outcomes],
            _("Savings, low – high"): [
                f"{fmt_money(r.savings_low, 'DKK', lang)} – {fmt_money(r.savings_high, 'DKK', lang)}" for r in outcomes
            ],
            _("Cumulative cost"): [fmt_money(r.cost, "DKK", lang) for r in outcomes],
            _("Cumulative net benefit, central"): [fmt_money(r.net, "DKK", lang) for r in outcomes],
            _("Break-even year"): [
                str(r.break_even_year) if r.break_even_year is not None else never for r in outcomes
            ],
        }
    )
    caption = _(
        "The What-if model with its default inputs ({years} years, ramp-up {ramp} years, savings per krone "
        "{low} / {central} / {high}, {basis}, {year} exchange rate); only the annual funding differs. The "
        "What-if page shows the formulas and lets you change every input."
    ).format(
        years=base.years,
        ramp=base.ramp_up,
        low=fmt_number(base.savings_low, lang, 2),
        central=fmt_number(base.savings_central, lang, 2),
        high=fmt_number(base.savings_high, lang, 2),
        basis=_(whatif.BASIS_LABELS[base.basis]),
        year=base.year,
    )
    return frame, caption


def _question_view(ev: Evidence, q: qs.Question, sources: dict[str, dict], lang: str) -> QuestionView:
    _ = gettext_for(lang)
    norway = pd.DataFrame(
        {
            _("LUP role"): [n.role for n in q.norway],
            _("Held in Norway by"): [n.holders for n in q.norway],
            _("Source"): [_cite(sources, n.source_ids, lang) for n in q.norway],
        }
    )
    if any(o.funding_dkk is not None for o in q.options):
        facts = {text(f.get("fact_id")): f for f in records(ev["facts"])}
        options = pd.DataFrame(
            {
                _("Option"): [o.label for o in q.options],
                _("Annual amount"): [fmt_money(o.funding_dkk or 0, "DKK", lang) for o in q.options],
                _("Figures"): [
                    "; ".join(_figure(facts[f], sources, lang) for f in o.fact_ids if f in facts) for o in q.options
                ],
                _("Sources"): [_cite(sources, o.source_ids, lang) or "–" for o in q.options],
            }
        )
    else:
        options = pd.DataFrame(
            {
                _("Option"): [o.label for o in q.options],
                _("Fit"): [o.fit_label or "–" for o in q.options],
                _("From"): [o.basis or "–" for o in q.options],
                _("Why"): [o.why or "–" for o in q.options],
                _("Sources"): [_cite(sources, o.source_ids, lang) or "–" for o in q.options],
            }
        )
    pre_rows = {text(p.get("precondition_id")): p for p in records(ev["preconditions"])}
    shown = [pre_rows[p] for p in q.preconditions if p in pre_rows]
    preconditions = None
    if shown:
        preconditions = pd.DataFrame(
            {
                _("Precondition"): [pick(p, "label", lang) for p in shown],
                _("Status in Denmark"): [_(STATUS.get(text(p.get("status")), text(p.get("status")))) for p in shown],
                _("Evidence"): [pick(p, "evidence", lang) for p in shown],
                _("Source"): [_cite(sources, (text(p.get("source_id")),), lang) for p in shown],
            }
        )
    consequences, caption = _consequences(ev, q, lang) if any(o.funding_dkk for o in q.options) else (None, "")
    return QuestionView(
        q, norway, _facts_frame(ev, q.norway_facts, sources, lang), options, preconditions, consequences, caption
    )


def options_view(ev: Evidence, lang: str) -> OptionsView:
    """Every design question's view, for one data version and language."""
    _ = gettext_for(lang)
    sources = {text(s.get("source_id")): s for s in records(sources_in(ev["sources"], lang))}
    intro = _(
        "Six design questions for a Danish LUP. For each: what Norway did, with its sources; the Danish options the "
        "evidence names, with how well each fits and why; and, for funding, what the What-if model projects for each "
        "option. With an event link, participants can give their view and see the room's."
    )
    return OptionsView(intro, tuple(_question_view(ev, q, sources, lang) for q in qs.questions(ev, lang)))
