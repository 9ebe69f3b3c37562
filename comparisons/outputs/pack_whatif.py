"""The decision pack's what-if section, its assumptions sheet and its open questions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from comparisons.evidence.base import Evidence, sources_in
from comparisons.i18n import N_, gettext_for, pick
from comparisons.i18n.formatting import fmt_money, fmt_number
from comparisons.i18n.labels import COUNTRY_NAMES, DEFAULT_CURRENCY, STATUS
from comparisons.measures.headlines import HEADLINE_ROWS
from comparisons.measures.money import cross_rate
from comparisons.measures.whatif import Outcome, WhatIfInputs
from comparisons.outputs.exports import ExportTable, Stamp, make_table
from comparisons.outputs.pack_charts import PackChart
from comparisons.outputs.tables import (
    TABLES,
    fact_sources,
    records,
    text,
    unit_label,
)

if TYPE_CHECKING:  # for the hints only: the what-if is imported where it is used
    from comparisons.measures.whatif import WhatIfInputs
    from comparisons.measures.whatif_defaults import Derivation

GENERAL_ASSUMPTIONS: tuple[str, ...] = (
    N_(
        "Each headline figure is the latest one a source gives (latest validity, then latest publication); "
        "other figures for the same measure are kept and counted."
    ),
    N_(
        "Figures are in base units as the source gives them; money keeps its currency and ISO code and is not "
        "converted unless a chart or table says so."
    ),
    N_(
        "Conversions between currencies use the yearly mean of the ECB's daily euro reference rates for the "
        "figure's own year (NOK and DKK through the euro)."
    ),
    N_("Where sources disagree, every figure is kept with its date and listed under Conflicts; nothing is averaged."),
    N_("'not found' means that no source in the evidence base gives the figure; nothing is estimated in its place."),
)


@dataclass
class WhatIfSection:
    available: bool
    message: str  # why the section is missing, or "" when it is there
    assumptions: pd.DataFrame | None = None  # machine frame with source_ids, see ASSUMPTION_LABELS
    outcomes: list[tuple[str, str]] = field(default_factory=list)
    chart: PackChart | None = None
    inputs: WhatIfInputs | None = None  # the inputs projected
    result: Outcome | None = None  # their outcome at the horizon


# --- what-if --------------------------------------------------------------------------------------------------

ASSUMPTION_LABELS: dict[str, str] = {
    "assumption": N_("Assumption"),
    "value": N_("Value"),
    "unit": N_("Unit"),
    "basis": N_("How it was set"),
    "fact_ids": N_("Figures"),
}
# The number format of each what-if row's value, in the order of whatif_section's rows: the funding, the years
# and ramp-up, the three savings per krone, Norway's pace, the scaling basis (no value) and the exchange rate.
ROW_KINDS: tuple[str, ...] = ("money", "count", "count", "rate", "rate", "rate", "rate", "", "rate")
ASSUMPTION_KINDS = {"assumption": "text", "value": "number", "unit": "text", "basis": "text", "fact_ids": "text"}


def _derivation_text(d: Derivation, lang: str, _: Callable[[str], str]) -> str:
    """'334.000.000 NOK ÷ 31.550.000 NOK', or 'from 2010 to 2020' for a span of years."""
    if d.numerator_unit == "year" and d.denominator_unit == "year":
        return _("from {start} to {end}").format(start=int(d.denominator), end=int(d.numerator))

    def amount(value: float, unit: str) -> str:
        decimals = 4 if abs(value) < 100 and not float(value).is_integer() else 0
        return f"{fmt_number(value, lang, decimals)} {unit_label(unit, _)}"

    text_ = _("{numerator} ÷ {denominator}").format(
        numerator=amount(d.numerator, d.numerator_unit), denominator=amount(d.denominator, d.denominator_unit)
    )
    if getattr(d, "missing_years", ()):
        text_ += "; " + _("years without a figure, left out: {years}").format(
            years=", ".join(str(y) for y in d.missing_years)
        )
    return text_


def whatif_section(ev: Evidence, lang: str, inputs: WhatIfInputs | None = None) -> WhatIfSection:
    """The what-if's default (or given) inputs with their derivations, and its outcome at the horizon.
    When the evidence lacks a figure the model needs, the section says so instead."""
    from comparisons.measures import whatif as wi
    from comparisons.measures import whatif_defaults as wd
    from comparisons.outputs import whatif_charts as wc

    _ = gettext_for(lang)
    try:
        defaults = wd.derive_defaults(ev.tables)
        chosen = inputs if inputs is not None else defaults.inputs()
        calib = defaults.calibration
        if getattr(chosen, "year", defaults.year) != defaults.year:
            defaults = wd.derive_defaults(ev.tables, year=chosen.year)
            calib = defaults.calibration
        projection = wi.project(chosen, calib)
        result = wi.outcome(chosen, calib)
    except Exception as exc:  # noqa: BLE001 - any failure leaves the section out, with the reason, never the pack
        return WhatIfSection(
            False, _("The what-if could not be computed from the evidence: {reason}").format(reason=str(exc))
        )
    sources = fact_sources(ev)

    def cite(ids: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s for i in ids for s in sources.get(i, ())))

    d = defaults.derivations()
    basis = _("Scaling basis") + ": " + _(wi.BASIS_LABELS.get(chosen.basis, chosen.basis))
    rows = [  # (assumption, value, unit, how it was set, fact ids, source ids)
        (
            _("Annual public funding"),
            chosen.funding_dkk,
            "DKK",
            _derivation_text(d["funding"], lang, _),
            d["funding"].fact_ids,
            cite(d["funding"].fact_ids) + tuple(defaults.rate_sources),
        ),
        (_("Years"), chosen.years, _("years"), _derivation_text(d["horizon"], lang, _), d["horizon"].fact_ids, None),
        (
            _("Ramp-up years"),
            chosen.ramp_up,
            _("years"),
            _("An assumption of the workbench, not a figure from a source."),
            (),
            None,
        ),
        (
            _("Savings per krone, low"),
            chosen.savings_low,
            "",
            _derivation_text(d["low"], lang, _),
            d["low"].fact_ids,
            None,
        ),
        (
            _("Savings per krone, central"),
            chosen.savings_central,
            "",
            _derivation_text(d["central"], lang, _),
            d["central"].fact_ids,
            None,
        ),
        (
            _("Savings per krone, high"),
            chosen.savings_high,
            "",
            _derivation_text(d["high"], lang, _),
            d["high"].fact_ids,
            None,
        ),
        (
            _("Norway's public bodies reached per year"),
            d["pace"].value,
            "",
            _derivation_text(d["pace"], lang, _),
            d["pace"].fact_ids,
            None,
        ),
        (basis, None, "", "", (), None),
        (
            _("NOK per DKK"),
            chosen.nok_per_dkk,
            "",
            _("ECB annual average rates, {year}").format(year=chosen.year),
            (),
            tuple(defaults.rate_sources),
        ),
    ]
    frame = pd.DataFrame.from_records(
        [
            {
                "assumption": a,
                "value": v,
                "unit": u,
                "basis": b,
                "fact_ids": " ".join(ids),
                "source_ids": tuple(dict.fromkeys(cite(ids) if src is None else src)),
                "value_kind": kind,
            }
            for (a, v, u, b, ids, src), kind in zip(rows, ROW_KINDS, strict=True)
        ]
    )
    be = result.break_even_year
    outcomes = [
        (_("Public bodies reached"), fmt_number(result.bodies_reached, lang, 0)),
        (
            _("Cumulative savings (low – central – high)"),
            " – ".join(
                fmt_money(v, "DKK", lang) for v in (result.savings_low, result.savings_central, result.savings_high)
            ),
        ),
        (_("Cumulative public cost"), fmt_money(result.cost, "DKK", lang)),
        (_("Net benefit (central)"), fmt_money(result.net, "DKK", lang)),
        (_("Break-even year"), _("year {n}").format(n=be) if be is not None else _("not within the horizon")),
    ]
    chart = None
    try:
        # The chart in the pack language's currency (NOK nb, DKK da, EUR en) at the scenario year's ECB rates,
        # so a Norwegian reader compares it with Norway's figures; the tables keep DKK, the programme's own money.
        currency = DEFAULT_CURRENCY.get(lang, "DKK")
        per_dkk = cross_rate(ev["exchange_rates"], "DKK", currency, int(chosen.year))
        if per_dkk is None:  # no rate for that year: stay in DKK rather than guess one
            currency, per_dkk = "DKK", 1.0
        labels = {
            "title": _("Cumulative savings and cost"),
            "x": _("Programme year"),
            "y": _("Million {currency}").format(currency=currency),
            "band": _("Savings, low to high"),
            "central": _("Savings, central"),
            "cost": _("Public cost"),
            "low": _("Savings, low"),
            "high": _("Savings, high"),
            "source": _("Source"),
            "series": _("Series"),
        }
        ids = tuple(dict.fromkeys(s for ids in frame["source_ids"] for s in ids))
        caption = _(
            "Band: low to high savings per krone; line: central; dashed: public cost; in million {currency}."
        ).format(currency=currency)
        if currency != "DKK":
            caption += " " + _(
                "Converted from DKK at {rate} {currency} per DKK, the {year} ECB annual averages."
            ).format(rate=fmt_number(per_dkk, lang, 4), currency=currency, year=chosen.year)
        # Dividing by a million per unit of the target currency draws the DKK projection in millions of it.
        band = wc.band_chart(projection, labels, caption, divisor=1_000_000.0 / per_dkk)
        chart = PackChart(labels["title"], band, caption, ids)
    except Exception:  # noqa: BLE001 - the table and outcomes stand without the chart
        chart = None
    return WhatIfSection(True, "", frame, outcomes, chart, chosen, result)


def assumptions_table(ev: Evidence, lang: str, stamp: Stamp, wi: WhatIfSection) -> ExportTable:
    """General method assumptions, then the what-if inputs (or the sentence saying why there are none)."""
    _ = gettext_for(lang)
    rows = [
        {
            "assumption": _(a),
            "value": None,
            "unit": "",
            "basis": _("Method of the workbench"),
            "fact_ids": "",
            "source_ids": (),
            "value_kind": "",
        }
        for a in GENERAL_ASSUMPTIONS
    ]
    frame = pd.DataFrame.from_records(rows)
    if wi.available and wi.assumptions is not None:
        frame = pd.concat([frame, wi.assumptions], ignore_index=True)
    else:
        frame = pd.concat(
            [
                frame,
                pd.DataFrame.from_records(
                    [
                        {
                            "assumption": wi.message,
                            "value": None,
                            "unit": "",
                            "basis": "",
                            "fact_ids": "",
                            "source_ids": (),
                            "value_kind": "",
                        }
                    ]
                ),
            ],
            ignore_index=True,
        )
    row_kinds = {"value": tuple(frame.pop("value_kind").fillna("").astype(str))}
    return make_table(
        frame,
        sources_in(ev["sources"], lang),
        stamp,
        name="assumptions",
        row_kinds=row_kinds,
        title=_("Assumptions"),
        lang=lang,
        labels={k: _(v) for k, v in ASSUMPTION_LABELS.items()},
        kinds=ASSUMPTION_KINDS,
    )


# --- open questions -------------------------------------------------------------------------------------------


def missing_in_denmark(ev: Evidence, lang: str) -> list[str]:
    """LUP roles without a Danish candidate, and preconditions missing or partial in Denmark, one sentence each."""
    _ = gettext_for(lang)
    out: list[str] = []
    for c in records(ev["counterparts"]):
        if text(c.get("fit")) == "none" or not text(c.get("danish_candidates")):
            out.append(_("No Danish body found for the LUP role “{role}”.").format(role=pick(c, "role", lang)))
    for p in records(ev["preconditions"]):
        status = text(p.get("status"))
        if status in ("missing", "partial"):
            out.append(_("{status} in Denmark: {label}").format(status=_(STATUS[status]), label=pick(p, "label", lang)))
    return out


def open_questions(
    ev: Evidence, lang: str, headlines: pd.DataFrame | None = None, conflicts: pd.DataFrame | None = None
) -> list[str]:
    """What the evidence does not answer: headline figures no source gives, LUP roles without a Danish
    candidate, preconditions missing or partial in Denmark, and measures where sources disagree.
    `headlines` and `conflicts` are the registry's machine frames, when already built."""
    figures, gaps, disagreements = question_groups(ev, lang, headlines, conflicts)
    return figures + gaps + disagreements


def question_groups(
    ev: Evidence, lang: str, headlines: pd.DataFrame | None = None, conflicts: pd.DataFrame | None = None
) -> tuple[list[str], list[str], list[str]]:
    """The open questions in three groups: (headline figures no source gives, what Denmark lacks, measures where
    sources disagree)."""
    _ = gettext_for(lang)
    headlines = TABLES["headlines"].build(ev, lang) if headlines is None else headlines
    conflicts = TABLES["conflicts"].build(ev, lang) if conflicts is None else conflicts
    # A row answered by who holds a role (the secretariat's host) has no figure to miss where a body holds it.
    norway = COUNTRY_NAMES["NO"]
    held = {(_(r.label), _(norway)) for r in HEADLINE_ROWS if r.holder}
    figures = [
        _("{measure} ({country}): no source in the evidence base gives this figure.").format(
            measure=text(h["measure"]), country=text(h["country"])
        )
        for h in records(headlines)
        if not text(h.get("fact_id"))
        and not ((text(h["measure"]), text(h["country"])) in held and text(h.get("publisher")))
    ]
    disagreements = []
    if not conflicts.empty:
        for (subject, metric), _group in conflicts.groupby(["subject", "metric"], sort=False):
            disagreements.append(
                _("Sources disagree on {measure} for {subject}: which figure should the decision rest on?").format(
                    measure=metric, subject=subject
                )
            )
    return figures, missing_in_denmark(ev, lang), disagreements
