"""Whether a Norwegian and a Danish figure can be compared like for like, and if not, why.

Defined once here and used by the Overview's model, the `headlines` export table and the decision pack, so that a
reader sees the same mark everywhere. A pair is comparable when all three hold:

- same year, within one year (a figure's year is that of its period, see comparisons.measures.money);
- same scope: the same metric about the same kind of subject (an aggregate such as "the public sector" must cover
  the same levels of government in both countries);
- same funding basis, for money a body receives: who pays (state, municipalities, regions), read from the
  evidence's `funder` relations in the figure's year; a state grant is state money by definition.

When a side has no figure the pair cannot be compared ("comparable" is None). Reasons are English msgids with
parameters, translated where they are shown (`note`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from comparisons.evidence.base import Evidence
from comparisons.i18n import N_, gettext_for
from comparisons.i18n.labels import ACTOR_KIND
from comparisons.measures.money import figure_year

# Levels of government an aggregate subject covers. Why a table here: actors.csv gives such aggregates the kind
# "public_sector" without saying which levels they span, and the scope test needs exactly that.
AGGREGATE_LEVELS: dict[str, frozenset[str]] = {
    "no-public-sector": frozenset({"state", "municipal", "regional"}),
    "dk-public-sector": frozenset({"state", "municipal", "regional"}),
    "no-local-government": frozenset({"municipal", "regional"}),
    "dk-local-government": frozenset({"municipal", "regional"}),
    "dk-municipalities": frozenset({"municipal"}),
    "dk-regions": frozenset({"regional"}),
    "dk-state": frozenset({"state"}),
}
# Who pays, by the funder's kind in actors.csv.
FUNDER_LEVEL: dict[str, str] = {
    "ministry": "state",
    "agency": "state",
    "municipal_association": "municipal",
    "regional_association": "regional",
}
LEVEL_LABELS: dict[str, str] = {
    "state": N_("the state"),
    "municipal": N_("municipalities"),
    "regional": N_("regions"),
}
_LEVEL_ORDER = ("state", "municipal", "regional")
# Metrics that are money a body receives; a state grant is state money whoever the subject is.
FUNDING_METRICS: dict[str, frozenset[str] | None] = {
    "state_grant": frozenset({"state"}),
    "annual_funding": None,  # read from the funder relations
}


@dataclass(frozen=True)
class Side:
    """What the test needs to know about one country's figure."""

    year: int | None
    metric: str
    subject: str
    kind: str  # the subject's kind in actors.csv, or its levels for an aggregate ("public_sector:municipal")
    funding: frozenset[str] | None = None  # levels that pay, for funding metrics


@dataclass(frozen=True)
class Mark:
    comparable: bool | None  # None when a side has no figure
    reasons: tuple[tuple[str, dict[str, str]], ...]  # (English msgid, parameters)

    def label(self, lang: str) -> str:
        _ = gettext_for(lang)
        if self.comparable is None:
            return _("cannot be compared")
        return _("comparable") if self.comparable else _("not like-for-like")

    def note(self, lang: str) -> str:
        """The reasons in the reader's language, "; "-separated; '' when comparable."""
        _ = gettext_for(lang)
        return "; ".join(
            _(msgid).format(**{k: translate_levels(v, _) for k, v in params.items()}) for msgid, params in self.reasons
        )

    def text(self, lang: str) -> str:
        """ "comparable", or the label and its reasons: "not like-for-like: 2020 vs 2025"."""
        note = self.note(lang)
        return f"{self.label(lang)}: {note}" if note else self.label(lang)


def _levels_text(levels: frozenset[str] | None) -> str:
    return " + ".join(lv for lv in _LEVEL_ORDER if levels and lv in levels)


def _funders(ev: Evidence, subject: str, year: int | None) -> frozenset[str] | None:
    """The levels of government that fund `subject` in `year` (its `funder` relations active then)."""
    relations = ev["relations"]
    rows = relations[(relations["object"] == subject) & (relations["relation"] == "funder")]
    kinds = ev["actors"].drop_duplicates("actor_id").set_index("actor_id")["kind"]
    levels: set[str] = set()
    for rel in rows.itertuples():
        start, end = figure_year(rel.start), figure_year(rel.end)
        if year is not None and ((start is not None and start > year) or (end is not None and end < year)):
            continue
        if rel.subject in AGGREGATE_LEVELS:
            levels |= AGGREGATE_LEVELS[rel.subject]
        elif str(kinds.get(rel.subject, "")) in FUNDER_LEVEL:
            levels.add(FUNDER_LEVEL[str(kinds.get(rel.subject, ""))])
    return frozenset(levels) or None


def side_of(ev: Evidence, fact: pd.Series | dict | None) -> Side | None:
    """The comparability facts of one figure (a row of facts.csv), or None when there is no figure."""
    if fact is None:
        return None
    subject, metric = str(fact["subject"]), str(fact["metric"])
    year = figure_year(fact.get("period_end"), fact.get("period_start"), fact.get("as_of"))
    kinds = ev["actors"].drop_duplicates("actor_id").set_index("actor_id")["kind"]
    kind = str(kinds.get(subject, ""))
    if subject in AGGREGATE_LEVELS:
        kind = f"{kind}:{_levels_text(AGGREGATE_LEVELS[subject])}"
    funding = None
    if metric in FUNDING_METRICS:
        funding = FUNDING_METRICS[metric] or _funders(ev, subject, year)
    return Side(year, metric, subject, kind, funding)


def compare(norway: Side | None, denmark: Side | None) -> Mark:
    """The mark of one pair: same year (±1), same scope, same funding basis."""
    if norway is None or denmark is None:
        missing = N_("no Norwegian figure") if norway is None else N_("no Danish figure")
        return Mark(None, ((missing, {}),))
    reasons: list[tuple[str, dict[str, str]]] = []
    if norway.year is None or denmark.year is None or abs(norway.year - denmark.year) > 1:
        reasons.append((N_("{no} vs {dk}"), {"no": str(norway.year or "?"), "dk": str(denmark.year or "?")}))
    both_funding = norway.metric in FUNDING_METRICS and denmark.metric in FUNDING_METRICS
    if norway.metric != denmark.metric and not both_funding:  # the funding test below names what differs
        reasons.append((N_("different measures"), {}))
    if norway.kind != denmark.kind:
        no_levels, dk_levels = AGGREGATE_LEVELS.get(norway.subject), AGGREGATE_LEVELS.get(denmark.subject)
        if no_levels and dk_levels:
            reasons.append((N_("covers {no} vs {dk}"), _level_params(no_levels, dk_levels)))
        else:
            reasons.append((N_("{no} vs {dk}"), {"no": f"kind:{norway.kind}", "dk": f"kind:{denmark.kind}"}))
    if (norway.funding or denmark.funding) and norway.funding != denmark.funding:
        params = _level_params(norway.funding or frozenset(), denmark.funding or frozenset())
        reasons.append((N_("paid by {no} vs by {dk}"), params))
    return Mark(not reasons, tuple(reasons))


def role_mark(norway_holds: bool, denmark_holds: bool) -> Mark:
    """The mark of a row answered by who holds a role (LUP's secretariat host), not by a figure: comparable
    only when a body holds the role in both countries."""
    if norway_holds and denmark_holds:
        return Mark(True, ())
    missing = N_("no Danish body holds this role") if norway_holds else N_("no Norwegian body holds this role")
    return Mark(None, ((missing, {}),))


def with_known(mark: Mark, known_year: int | None, other_year: int | None) -> Mark:
    """`mark` of a pair where Norway has no figure but something else is known (a category in an outside
    benchmark): says plainly when that is from against Denmark's figure, as they are not the same yardstick year."""
    if known_year is None or other_year is None or known_year == other_year:
        return mark
    reason = (
        N_("what is known for Norway is from {no}, Denmark's figure from {dk}: not the same year"),
        {"no": str(known_year), "dk": str(other_year)},
    )
    return Mark(mark.comparable, (*mark.reasons, reason))


def _level_params(no: frozenset[str], dk: frozenset[str]) -> dict[str, str]:
    """Parameters naming levels of government; Mark.note translates each level."""
    return {"no": _levels_joined(no), "dk": _levels_joined(dk)}


def _levels_joined(levels: frozenset[str]) -> str:
    # "state|municipal": Mark.note translates each level and joins them with " + ".
    return "|".join(lv for lv in _LEVEL_ORDER if lv in levels) or "?"


def mark_of(ev: Evidence, norway: pd.Series | dict | None, denmark: pd.Series | dict | None) -> Mark:
    return compare(side_of(ev, norway), side_of(ev, denmark))


def translate_levels(text: str, _: Callable[[str], str]) -> str:
    """ "state|municipal" -> "stat + kommunal", "kind:programme" -> "program"; other text (a year) unchanged."""
    if text.startswith("kind:"):  # an actor kind, by its label (lower-cased: it stands inside a sentence)
        kind = text.removeprefix("kind:")
        return _(ACTOR_KIND[kind]).lower() if kind in ACTOR_KIND else kind
    return " + ".join(_(LEVEL_LABELS[p]) if p in LEVEL_LABELS else p for p in text.split("|"))
