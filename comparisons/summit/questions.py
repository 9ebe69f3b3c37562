"""The design questions of a Danish LUP and their options: the one place they are defined.

Each question names where its evidence comes from, and its options are derived from that evidence, never typed in:
- options from the roles crosswalk (`counterparts`): each Danish candidate of the named LUP roles, with the role's
  fit, its reason and its source (a body named for two roles keeps the better fit and both reasons);
- options from the `preconditions` that Denmark lacks or has only in part (what to build first);
- funding options: annual amounts that a source gives (CO-PI's funding, the state's share of it) or that the What-if
  model derives (Norway's state grant at Danish kroner), each projected by comparisons.measures.whatif.
Norway's answer to a question is the Norwegian holders of its roles and the Norwegian figures its preconditions
cite. Option ids are the evidence's own ids (actor ids, precondition ids), so stored answers stay readable.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import pandas as pd

from comparisons.evidence.base import Evidence
from comparisons.i18n import N_, gettext_for, pick
from comparisons.i18n.labels import FIT, STATUS
from comparisons.outputs.tables import actor_names, fact_sources, parse_ids, records, text

SINGLE = "single"  # pick one option
RANK = "rank"  # rank up to RANK_DEPTH options, most preferred first
RANK_DEPTH = 3
NONE_OPTION = "none"
FIT_ORDER = ("strong", "partial", "none")


@dataclass(frozen=True)
class FundingOption:
    id: str
    label: str  # msgid
    fact_id: str | None  # the fact giving the annual DKK amount; None: the What-if model's default funding


FUNDING_OPTIONS: tuple[FundingOption, ...] = (
    FundingOption("state-share", N_("The state's share of CO-PI's funding"), "DK-COPI-02C"),
    FundingOption("copi-level", N_("CO-PI's level: the annual amount of the economic agreements"), "DK-COPI-01"),
    FundingOption("lup-level", N_("LUP's level: Norway's latest state grant in Danish kroner"), None),
)


@dataclass(frozen=True)
class QuestionSpec:
    id: str
    title: str  # msgid
    prompt: str  # msgid
    kind: str  # SINGLE or RANK
    norway_roles: tuple[str, ...] = ()  # counterparts.role_id: Norway's answer (the Norwegian holders)
    option_roles: tuple[str, ...] = ()  # counterparts.role_id: their Danish candidates are the options
    preconditions: tuple[str, ...] = ()  # precondition_ids shown beside the question (and Norway's figures)
    missing_preconditions: bool = False  # the options are the preconditions Denmark lacks or has in part
    funding: bool = False  # the options are FUNDING_OPTIONS
    none_label: str = ""  # msgid of a "none of these" option, where declining is an answer


QUESTIONS: tuple[QuestionSpec, ...] = (
    QuestionSpec(
        "owners",
        N_("Who should own a Danish LUP?"),
        N_("Rank up to three bodies you would want among its owners, the most important first."),
        RANK,
        norway_roles=(
            "business-co-owner",
            "municipal-co-owner",
            "state-procurement-owner",
            "innovation-agency-owner",
            "research-council-owner",
        ),
        option_roles=(
            "municipal-co-owner",
            "business-co-owner",
            "state-procurement-owner",
            "innovation-agency-owner",
            "research-council-owner",
        ),
        preconditions=("equal-business-municipal-ownership",),
    ),
    QuestionSpec(
        "secretariat",
        N_("Where should its secretariat sit?"),
        N_("Pick the body that should host the programme office."),
        SINGLE,
        norway_roles=("secretariat-host",),
        option_roles=("secretariat-host", "business-co-owner"),
        preconditions=("national-competence-centre",),
    ),
    QuestionSpec(
        "funding",
        N_("How much public funding a year?"),
        N_("Pick the annual funding you would start with; the What-if projects each one with the same model."),
        SINGLE,
        norway_roles=("state-funder-ministries", "paying-partners"),
        preconditions=("state-co-funding", "paying-partner-agreements"),
        funding=True,
    ),
    QuestionSpec(
        "partners",
        N_("Who can be a partner?"),
        N_("Rank up to three bodies that should be asked first to join as partners."),
        RANK,
        norway_roles=("county-partners", "paying-partners"),
        option_roles=("county-partners",),
        preconditions=("paying-partner-agreements",),
    ),
    QuestionSpec(
        "regional-drivers",
        N_("Should there be regional innovation drivers?"),
        N_("Pick who should carry regional innovation drivers, or none at first."),
        SINGLE,
        norway_roles=("regional-innovation-drivers",),
        option_roles=("regional-innovation-drivers",),
        preconditions=("regional-innovation-drivers",),
        none_label=N_("No regional drivers at first"),
    ),
    QuestionSpec(
        "first-focus",
        N_("Where should a Danish LUP start?"),
        N_("Rank up to three of the missing or partial preconditions that should be built first."),
        RANK,
        missing_preconditions=True,
    ),
)
QUESTION_IDS: tuple[str, ...] = tuple(q.id for q in QUESTIONS)


def spec_of(question_id: str) -> QuestionSpec:
    for spec in QUESTIONS:
        if spec.id == question_id:
            return spec
    raise KeyError(question_id)


# --- language-free: which options each question has -------------------------------------------------------------


@dataclass(frozen=True)
class OptionRow:
    """An option as the evidence gives it (ids and codes; no language)."""

    id: str
    fit: str  # strong/partial/none (a role), present/partial/missing (a precondition), "" otherwise
    roles: tuple[str, ...] = ()  # counterparts role_ids it comes from
    precondition: str = ""
    fact_ids: tuple[str, ...] = ()
    source_ids: tuple[str, ...] = ()
    funding_dkk: float | None = None
    funding: FundingOption | None = None


def _by_id(frame: pd.DataFrame, key: str) -> dict[str, dict]:
    return {text(r.get(key)): r for r in records(frame)}


def _role_options(ev: Evidence, spec: QuestionSpec) -> list[OptionRow]:
    roles = _by_id(ev["counterparts"], "role_id")
    actors = _by_id(ev["actors"], "actor_id")
    found: dict[str, OptionRow] = {}
    for role_id in spec.option_roles:
        row = roles.get(role_id)
        if row is None:
            continue
        fit = text(row.get("fit"))
        for actor_id in parse_ids(row.get("danish_candidates")):
            sources = (text(row.get("source_id")), text(actors.get(actor_id, {}).get("source_id")))
            option = OptionRow(actor_id, fit, (role_id,), source_ids=tuple(dict.fromkeys(s for s in sources if s)))
            held = found.get(actor_id)
            if held is not None:  # named for two roles: the better fit, both reasons and sources
                best = min((held.fit, fit), key=lambda f: FIT_ORDER.index(f) if f in FIT_ORDER else len(FIT_ORDER))
                option = replace(
                    held,
                    fit=best,
                    roles=(*held.roles, role_id),
                    source_ids=tuple(dict.fromkeys((*held.source_ids, *option.source_ids))),
                )
            found[actor_id] = option
    return list(found.values())


def _precondition_options(ev: Evidence) -> list[OptionRow]:
    facts = fact_sources(ev)
    out = []
    for p in records(ev["preconditions"]):
        status = text(p.get("status"))
        if status not in ("partial", "missing"):
            continue
        fact_ids = parse_ids(p.get("fact_ids"))
        sources = [text(p.get("source_id"))] + [s for f in fact_ids for s in facts.get(f, ())]
        out.append(
            OptionRow(
                text(p.get("precondition_id")),
                status,
                precondition=text(p.get("precondition_id")),
                fact_ids=fact_ids,
                source_ids=tuple(dict.fromkeys(s for s in sources if s)),
            )
        )
    # Missing before partial: the larger gap first.
    return sorted(out, key=lambda o: ("missing", "partial").index(o.fit))


def funding_default(ev: Evidence) -> tuple[float, tuple[str, ...]] | None:
    """The What-if model's default annual funding (DKK) and the facts it comes from; None when the evidence cannot
    give it."""
    from comparisons.measures import whatif
    from comparisons.measures import whatif_defaults as wd

    try:
        defaults = wd.derive_defaults(ev.tables)
    except (whatif.WhatIfInputError, KeyError, IndexError, ValueError):
        return None
    return defaults.funding.value, defaults.funding.fact_ids


def _funding_options(ev: Evidence, with_amounts: bool) -> list[OptionRow]:
    facts = {text(f.get("fact_id")): f for f in records(ev["facts"])}
    sources = fact_sources(ev)
    out = []
    for option in FUNDING_OPTIONS:
        if option.fact_id is None:
            if not with_amounts:
                out.append(OptionRow(option.id, "", funding=option))
                continue
            default = funding_default(ev)
            if default is None:
                continue
            amount, fact_ids = default
        else:
            fact = facts.get(option.fact_id)
            if fact is None or text(fact.get("unit")) != "DKK":
                continue  # no option without a figure behind it
            amount, fact_ids = float(fact["value"]), (option.fact_id,)
        ids = tuple(dict.fromkeys(s for f in fact_ids for s in sources.get(f, ())))
        out.append(OptionRow(option.id, "", fact_ids=fact_ids, source_ids=ids, funding_dkk=amount, funding=option))
    return out


def option_rows(ev: Evidence, spec: QuestionSpec, with_amounts: bool = True) -> list[OptionRow]:
    """The options of one question, from the evidence. `with_amounts=False` skips the What-if's default funding
    (its ids are all that validating an answer needs)."""
    if spec.funding:
        rows = _funding_options(ev, with_amounts)
    elif spec.missing_preconditions:
        rows = _precondition_options(ev)
    else:
        rows = _role_options(ev, spec)
    if spec.none_label:
        rows.append(OptionRow(NONE_OPTION, ""))
    return rows


@dataclass(frozen=True)
class Rule:
    """What a valid answer to a question is: its kind and its option ids."""

    kind: str
    options: tuple[str, ...]

    @property
    def most(self) -> int:
        return 1 if self.kind == SINGLE else min(RANK_DEPTH, len(self.options))


Catalogue = dict[str, Rule]


def catalogue(ev: Evidence) -> Catalogue:
    """question id -> its rule, for checking answers (comparisons.summit.service)."""
    return {
        spec.id: Rule(spec.kind, tuple(o.id for o in option_rows(ev, spec, with_amounts=False))) for spec in QUESTIONS
    }


# --- in a language --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    id: str
    label: str
    fit: str  # the code (for colours and order)
    fit_label: str  # in the reader's language ("" when the option has no fit)
    basis: str  # where the option comes from: the LUP role(s), "precondition", or the funding figure
    why: str
    source_ids: tuple[str, ...]
    fact_ids: tuple[str, ...] = ()
    funding_dkk: float | None = None


@dataclass(frozen=True)
class NorwayLine:
    role: str
    holders: str
    source_ids: tuple[str, ...]


@dataclass(frozen=True)
class Question:
    id: str
    title: str
    prompt: str
    kind: str
    norway: tuple[NorwayLine, ...]
    norway_facts: tuple[str, ...]  # Norwegian fact ids the question's preconditions cite
    preconditions: tuple[str, ...]
    options: tuple[Option, ...]

    @property
    def rule(self) -> Rule:
        return Rule(self.kind, tuple(o.id for o in self.options))

    def label_of(self, option_id: str) -> str:
        return next((o.label for o in self.options if o.id == option_id), option_id)


def _actor_label(actors: dict[str, dict], names: dict[str, str], actor_id: str) -> str:
    """'KFST (Konkurrence- og Forbrugerstyrelsen)': the short name, and the full name where it says more."""
    short = names.get(actor_id, actor_id)
    full = text(actors.get(actor_id, {}).get("name"))
    if not full or full == short:
        return short
    return full if full.startswith(short) else f"{short} ({full})"


def _option(ev: Evidence, spec: QuestionSpec, row: OptionRow, lang: str, _: Callable[[str], str]) -> Option:
    if row.funding is not None:
        label = _(row.funding.label)
        return Option(row.id, label, "", "", _("Funding level"), "", row.source_ids, row.fact_ids, row.funding_dkk)
    if row.id == NONE_OPTION and spec.none_label:
        return Option(row.id, _(spec.none_label), "", "", "", "", ())
    if row.precondition:
        p = _by_id(ev["preconditions"], "precondition_id")[row.precondition]
        return Option(
            row.id,
            pick(p, "label", lang),
            row.fit,
            _(STATUS.get(row.fit, row.fit)),
            _("Precondition"),
            pick(p, "evidence", lang),
            row.source_ids,
            row.fact_ids,
        )
    roles = _by_id(ev["counterparts"], "role_id")
    actors = _by_id(ev["actors"], "actor_id")
    return Option(
        row.id,
        _actor_label(actors, actor_names(ev, lang), row.id),
        row.fit,
        _(FIT.get(row.fit, row.fit)),
        "; ".join(pick(roles[r], "role", lang) for r in row.roles),
        "\n\n".join(pick(roles[r], "why", lang) for r in row.roles),
        row.source_ids,
    )


def _norway_facts(ev: Evidence, precondition_ids: tuple[str, ...]) -> tuple[str, ...]:
    pre = _by_id(ev["preconditions"], "precondition_id")
    ids = [f for p in precondition_ids if p in pre for f in parse_ids(pre[p].get("fact_ids")) if f.startswith("NO-")]
    known = set(ev["facts"]["fact_id"])
    return tuple(dict.fromkeys(f for f in ids if f in known))


def questions(ev: Evidence, lang: str) -> tuple[Question, ...]:
    """Every design question with Norway's answer and the Danish options, in `lang`."""
    _ = gettext_for(lang)
    roles = _by_id(ev["counterparts"], "role_id")
    names = actor_names(ev, lang)
    out = []
    for spec in QUESTIONS:
        norway = tuple(
            NorwayLine(
                pick(roles[r], "role", lang),
                ", ".join(names.get(a, a) for a in parse_ids(roles[r].get("norwegian_holder"))),
                parse_ids(roles[r].get("source_id")),
            )
            for r in spec.norway_roles
            if r in roles
        )
        pre = spec.preconditions
        if spec.missing_preconditions:
            pre = tuple(o.id for o in _precondition_options(ev))
        out.append(
            Question(
                spec.id,
                _(spec.title),
                _(spec.prompt),
                spec.kind,
                norway,
                _norway_facts(ev, pre),
                tuple(p for p in pre if p in _by_id(ev["preconditions"], "precondition_id")),
                tuple(_option(ev, spec, row, lang, _) for row in option_rows(ev, spec)),
            )
        )
    return tuple(out)
