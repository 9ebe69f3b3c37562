"""Savings per krone of public funding: the one definition, used by Results, the What-if, the pack and the CLI.

The measure, with its choices explicit (each is shown with every ratio):
- numerator: one savings figure of the programme as a source gives it (cumulative public savings, a NOK snapshot
  or converted to NOK at its own year's rate), or a return claim's savings;
- denominator (`FUNDING_BASIS`): the state grants paid to the programme from the first year a source gives one
  up to the savings figure's year. Partner fees and other public money are not counted: no source gives them for
  LUP. Where a year's grant is known only as the parts paid by single ministries, their sum is used and marked
  partial; a year with no grant figure is left out, not filled in, and named;
- a return claim (`claim`) is the source's own savings / investment, as stated, with no years matched.

`savings_ratios` lists every ratio; `named_ratios` picks the three the What-if starts from: central = the latest
savings figure given in the programme's own currency, low = the lowest such ratio, high = the highest return
claim. So the same numbers appear on Results, in the What-if's defaults, in the pack and on the command line.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from comparisons.i18n import N_
from comparisons.measures.money import (
    Derivation,
    Money,
    Number,
    Step,
    convert_one,
    figure_year,
    ratio_bound,
    render_derivation,
    sum_bound,
)
from comparisons.measures.results import COUNTRY_CURRENCY, PROGRAMME, _sort_key_text

FUNDING_BASIS = N_(
    "State grants only, from the first grant year to the year of the savings figure; partner fees and other public "
    "money are not counted (no source gives them)."
)

GRANT_METRIC = "state_grant"
SAVINGS_METRIC = "cumulative_savings"
CLAIM_SAVINGS = "savings_claim"
CLAIM_INVESTMENT = "investment_claim"

# Derivation templates (translated on the page).
R_SAVINGS_LABEL = N_("Savings per krone of state grant ({fact_id})")
R_CLAIM_LABEL = N_("Return claimed per krone invested ({fact_id})")
R_SAVINGS = N_(
    "{fact_id}: savings of {savings} divided by the state grants known for {first}–{last}, {grants} in total "
    "({grant_ids}) = {result} per krone of state grant."
)
R_NO_GRANTS = N_("{fact_id}: no state grant for {first}–{last} was found; no ratio computed.")
R_MISSING = N_(
    "No state grant figure was found for {years}; those years are left out, not filled in, so the ratio overstates "
    "the return."
)
R_PARTIAL = N_("For {year} only part of the grant is known ({fact_ids}); the ratio overstates the return.")
R_SINCE = N_(
    "The savings are cumulative since {start}, but state grants started in {first}: savings from the years before "
    "{first} are set against no grant."
)
R_CLAIM = N_(
    "{fact_id} ({savings}) divided by {investment_id} ({investment}), as the same source states them = {result}."
)
R_CLAIM_PERIOD = N_("The claim names no period for the investment; the ratio is the source's, not a measured return.")

STATUS_FOUND = "found"
STATUS_PARTIAL = "partial"
STATUS_MISSING = "not_found"
GRANT_STATUS: dict[str, str] = {
    STATUS_FOUND: N_("found"),
    STATUS_PARTIAL: N_("part of the year's grant only"),
    STATUS_MISSING: N_("not found"),
}


# --- state grants -------------------------------------------------------------------------------------------------


def _prefer(rows: pd.DataFrame) -> pd.DataFrame:
    """Candidates for one figure, best first: exact before bounded, then the latest published, then by fact_id."""
    return rows.assign(
        _inexact=(rows["bound"].astype(str) != "exact").astype(int),
        _asof=_sort_key_text(rows["as_of"]),
    ).sort_values(["_inexact", "_asof", "fact_id"], ascending=[True, False, True])


@dataclass(frozen=True)
class _Grant:
    fact_id: str
    subject: str
    country: str
    year: int | None
    value: float
    unit: str
    bound: str


def _grant_records(facts: pd.DataFrame) -> list[_Grant]:
    """Every state-grant fact as a small record, best candidates first (the order `_prefer` gives)."""
    grants = _prefer(facts[facts["metric"] == GRANT_METRIC])
    return [
        _Grant(
            str(fid),
            str(subj),
            str(ctry),
            figure_year(end, start),
            float(val),
            str(unit),
            bnd if isinstance(bnd, str) and bnd else "exact",
        )
        for fid, subj, ctry, end, start, val, unit, bnd in zip(
            grants["fact_id"],
            grants["subject"],
            grants["country"],
            grants["period_end"],
            grants["period_start"],
            grants["value"],
            grants["unit"],
            grants["bound"],
            strict=True,
        )
    ]


def state_grants_by_year(facts: pd.DataFrame, first: int, last: int, programme: str = PROGRAMME) -> pd.DataFrame:
    """One row per year from `first` to `last`: the programme's state grant, the facts used, and its status.

    A grant given for the programme as a whole is used where a source gives one (exact before bounded, then the
    latest published; the others that year are listed in `other_fact_ids`). Otherwise, where sources give only
    the parts paid by single ministries (facts whose subject is the paying ministry), the best figure for each
    ministry is summed and the status is "partial". Otherwise the year is "not found" and its value stays empty:
    nothing is filled in.
    """
    return _grants_by_year(_grant_records(facts), first, last, programme)


def _grants_by_year(grants: list[_Grant], first: int, last: int, programme: str = PROGRAMME) -> pd.DataFrame:
    """state_grants_by_year from the grant records (read once when many ratios need them)."""
    own = [g for g in grants if g.subject == programme]
    country = own[0].country if own else None
    records = []
    for year in range(first, last + 1):
        whole = [g for g in own if g.year == year]
        parts = [
            g for g in grants if g.year == year and g.subject != programme and (country is None or g.country == country)
        ]
        if whole:
            best = whole[0]
            records.append(
                {
                    "year": year,
                    "value": best.value,
                    "currency": best.unit,
                    "bound": best.bound,
                    "fact_ids": best.fact_id,
                    "status": STATUS_FOUND,
                    "other_fact_ids": " ".join(g.fact_id for g in whole[1:]),
                }
            )
        elif parts:
            chosen: dict[str, _Grant] = {}
            for g in parts:  # best first, so the first figure of each ministry is its best
                chosen.setdefault(g.subject, g)
            unit = next(iter(chosen.values())).unit
            used = [g for _s, g in sorted(chosen.items()) if g.unit == unit]  # other currencies are not summed
            ids = {g.fact_id for g in used}
            records.append(
                {
                    "year": year,
                    "value": sum(g.value for g in used),
                    "currency": unit,
                    "bound": sum_bound([g.bound for g in used] + ["at_least"]),
                    "fact_ids": " ".join(sorted(ids)),
                    "status": STATUS_PARTIAL,
                    "other_fact_ids": " ".join(sorted({g.fact_id for g in parts} - ids)),
                }
            )
        else:
            records.append(
                {
                    "year": year,
                    "value": None,
                    "currency": None,
                    "bound": None,
                    "fact_ids": "",
                    "status": STATUS_MISSING,
                    "other_fact_ids": "",
                }
            )
    out = pd.DataFrame.from_records(
        records, columns=["year", "value", "currency", "bound", "fact_ids", "status", "other_fact_ids"]
    )
    out["year"] = pd.array(out["year"], dtype="Int64")
    out["value"] = pd.array(out["value"], dtype="Float64")
    return out


def first_grant_year(facts: pd.DataFrame, programme: str = PROGRAMME) -> int | None:
    """The first year a source gives a state grant for the programme (2016 for LUP)."""
    grants = facts[(facts["metric"] == GRANT_METRIC) & (facts["subject"] == programme)]
    years = [
        y for y in (figure_year(e, s) for e, s in zip(grants["period_end"], grants["period_start"], strict=False)) if y
    ]
    return min(years) if years else None


def savings_start_year(facts: pd.DataFrame, programme: str = PROGRAMME) -> int | None:
    """The year the programme's cumulative savings are counted from (2010 for LUP)."""
    savings = facts[(facts["metric"] == SAVINGS_METRIC) & (facts["subject"] == programme)]
    years = [y for y in (figure_year(s) for s in savings["period_start"]) if y]
    return min(years) if years else None


# --- ratios -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ratio:
    ratio_id: str
    kind: str  # savings_per_grant | claim
    label: Step
    numerator_fact_ids: tuple[str, ...]
    denominator_fact_ids: tuple[str, ...]
    numerator: float | None
    denominator: float | None
    currency: str
    value: float | None
    bound: str | None
    first_year: int | None
    last_year: int | None
    missing_years: tuple[int, ...]
    steps: Derivation


def _year_list(years: list[int]) -> str:
    return ", ".join(str(y) for y in years)


@dataclass(frozen=True)
class _GrantYears:
    """The state grants from the first grant year to one last year, as a savings ratio reads them."""

    known: tuple  # rows (itertuples) of the years with a grant, found or partial
    missing: tuple[int, ...]
    partial: tuple  # rows of the years with part of the grant only
    grant_ids: tuple[str, ...]
    bounds: list[str]


def _grant_years(grants: pd.DataFrame) -> _GrantYears:
    known = grants[grants["status"] != STATUS_MISSING]
    return _GrantYears(
        known=tuple(known.itertuples(index=False)),
        missing=tuple(int(y) for y in grants.loc[grants["status"] == STATUS_MISSING, "year"]),
        partial=tuple(grants[grants["status"] == STATUS_PARTIAL].itertuples(index=False)),
        grant_ids=tuple(i for ids in known["fact_ids"] for i in ids.split()),
        bounds=list(known["bound"].astype(str)),
    )


def _savings_ratio(
    saving: pd.Series, grant_years: Callable[[int], _GrantYears], rates: pd.DataFrame, first: int | None, programme: str
) -> Ratio:
    fact_id = str(saving["fact_id"])
    year = figure_year(saving["period_end"], saving["period_start"], saving.get("as_of"))
    start = figure_year(saving["period_start"])
    bound = str(saving["bound"]) if isinstance(saving["bound"], str) else "exact"
    label = Step.of(R_SAVINGS_LABEL, fact_id=fact_id)
    currency = COUNTRY_CURRENCY.get(str(saving["country"]), str(saving["unit"]))
    if first is None or year is None or year < first:
        step = Step.of(R_NO_GRANTS, fact_id=fact_id, first=first or "–", last=year or "–")
        return Ratio(
            f"grant-{fact_id}",
            "savings_per_grant",
            label,
            (fact_id,),
            (),
            None,
            None,
            currency,
            None,
            None,
            first,
            year,
            (),
            (step,),
        )
    grants = grant_years(year)
    conv = convert_one(fact_id, float(saving["value"]), str(saving["unit"]), currency, year, rates, bound)
    missing, grant_ids = grants.missing, grants.grant_ids
    steps: list[Step] = [] if str(saving["unit"]) == currency else list(conv.steps)
    # Grants are in the programme's currency; any other currency would be converted at its own year's rate.
    grant_total = 0.0
    for g in grants.known:
        if g.currency == currency:
            grant_total += float(g.value)
        else:
            c = convert_one(g.fact_ids, float(g.value), g.currency, currency, int(g.year), rates, g.bound)
            grant_total += float(c.value or 0.0)
            steps.extend(c.steps)
    if not grants.known or conv.value is None or grant_total <= 0:
        steps.append(Step.of(R_NO_GRANTS, fact_id=fact_id, first=first, last=year))
        return Ratio(
            f"grant-{fact_id}",
            "savings_per_grant",
            label,
            (fact_id,),
            grant_ids,
            conv.value,
            None,
            currency,
            None,
            None,
            first,
            year,
            missing,
            tuple(steps),
        )
    den_bound = sum_bound(grants.bounds + (["at_least"] if missing else []))
    value = conv.value / grant_total
    ratio_b = ratio_bound(bound, den_bound)
    steps.insert(
        0,
        Step.of(
            R_SAVINGS,
            fact_id=fact_id,
            savings=Money(conv.value, currency, bound),
            first=first,
            last=year,
            grants=Money(grant_total, currency, den_bound),
            grant_ids=" ".join(grant_ids),
            result=Number(value, 2, ratio_b),
        ),
    )
    if missing:
        steps.append(Step.of(R_MISSING, years=_year_list(list(missing))))
    for p in grants.partial:
        steps.append(Step.of(R_PARTIAL, year=int(p.year), fact_ids=p.fact_ids))
    if start is not None and start < first:
        steps.append(Step.of(R_SINCE, start=start, first=first))
    return Ratio(
        f"grant-{fact_id}",
        "savings_per_grant",
        label,
        (fact_id,),
        grant_ids,
        conv.value,
        grant_total,
        currency,
        value,
        ratio_b,
        first,
        year,
        missing,
        tuple(steps),
    )


def _same_source_and_subject(frame: pd.DataFrame) -> Callable[[object, object], pd.DataFrame]:
    """A lookup of the rows of `frame` with a given source_id and subject (in their order), as
    frame[(frame["source_id"] == source_id) & (frame["subject"] == subject)] finds them, without a scan per call."""
    positions: dict[tuple[object, object], list[int]] = {}
    for n, (source_id, subject) in enumerate(zip(frame["source_id"], frame["subject"], strict=True)):
        if not (pd.isna(source_id) or pd.isna(subject)):  # NA equals nothing
            positions.setdefault((source_id, subject), []).append(n)

    def find(source_id: object, subject: object) -> pd.DataFrame:
        if pd.isna(source_id) or pd.isna(subject):
            return frame.iloc[:0]
        return frame.iloc[positions.get((source_id, subject), [])]

    return find


def _claim_ratio(
    claim: pd.Series, investments: pd.DataFrame | Callable[[object, object], pd.DataFrame], rates: pd.DataFrame
) -> Ratio | None:
    find = _same_source_and_subject(investments) if isinstance(investments, pd.DataFrame) else investments
    same = find(claim["source_id"], claim["subject"])
    if same.empty:
        return None
    inv = _prefer(same).iloc[0]
    fact_id, inv_id = str(claim["fact_id"]), str(inv["fact_id"])
    year = figure_year(claim["period_end"], claim["period_start"], claim.get("as_of"))
    c_bound = str(claim["bound"]) if isinstance(claim["bound"], str) else "exact"
    i_bound = str(inv["bound"]) if isinstance(inv["bound"], str) else "exact"
    currency = str(inv["unit"])
    conv = convert_one(fact_id, float(claim["value"]), str(claim["unit"]), currency, year, rates, c_bound)
    steps: list[Step] = [] if str(claim["unit"]) == currency else list(conv.steps)
    label = Step.of(R_CLAIM_LABEL, fact_id=fact_id)
    if conv.value is None or not float(inv["value"]):
        return Ratio(
            f"claim-{fact_id}",
            "claim",
            label,
            (fact_id,),
            (inv_id,),
            conv.value,
            float(inv["value"]),
            currency,
            None,
            None,
            None,
            year,
            (),
            tuple(steps),
        )
    value = conv.value / float(inv["value"])
    bound = ratio_bound(c_bound, i_bound)
    steps.insert(
        0,
        Step.of(
            R_CLAIM,
            fact_id=fact_id,
            savings=Money(float(claim["value"]), str(claim["unit"]), c_bound),
            investment_id=inv_id,
            investment=Money(float(inv["value"]), currency, i_bound),
            result=Number(value, 2, bound),
        ),
    )
    steps.append(Step.of(R_CLAIM_PERIOD))
    return Ratio(
        f"claim-{fact_id}",
        "claim",
        label,
        (fact_id,),
        (inv_id,),
        conv.value,
        float(inv["value"]),
        currency,
        value,
        bound,
        None,
        year,
        (),
        tuple(steps),
    )


def savings_ratios(facts: pd.DataFrame, rates: pd.DataFrame, programme: str = PROGRAMME) -> pd.DataFrame:
    """Savings per krone of state grant for each of the programme's savings figures, then each return claim.

    Columns: ratio_id, kind, label_step, fact_ids (all inputs, space separated), numerator_fact_ids,
    denominator_fact_ids, numerator (in `currency`), numerator_unit (as the source gives it), denominator, currency, ratio, bound, first_year, last_year, missing_years,
    derivation_steps, derivation (English).
    """
    first = first_grant_year(facts, programme)
    savings = facts[(facts["metric"] == SAVINGS_METRIC) & (facts["subject"] == programme)]
    savings = savings.assign(_end=_sort_key_text(savings["period_end"])).sort_values(["_end", "fact_id"])
    # The grant facts are read once, when a ratio first needs them, and the grants up to each last year once.
    grant_records = functools.cache(lambda: _grant_records(facts))

    @functools.cache
    def grant_years(year: int) -> _GrantYears:
        assert first is not None  # _savings_ratio asks only when there is a first grant year
        return _grant_years(_grants_by_year(grant_records(), first, year, programme))

    ratios = [_savings_ratio(row, grant_years, rates, first, programme) for _, row in savings.iterrows()]
    claims = facts[facts["metric"] == CLAIM_SAVINGS]
    investments = _same_source_and_subject(facts[facts["metric"] == CLAIM_INVESTMENT])
    for _, claim in claims.sort_values("fact_id").iterrows():
        ratio = _claim_ratio(claim, investments, rates)
        if ratio is not None:
            ratios.append(ratio)
    units = dict(zip(facts["fact_id"].astype(str), facts["unit"].astype(str), strict=True))
    out = pd.DataFrame(
        {
            "ratio_id": [r.ratio_id for r in ratios],
            "kind": [r.kind for r in ratios],
            "label_step": pd.Series([r.label for r in ratios], dtype=object),
            "fact_ids": [" ".join(r.numerator_fact_ids + r.denominator_fact_ids) for r in ratios],
            "numerator_fact_ids": [" ".join(r.numerator_fact_ids) for r in ratios],
            "denominator_fact_ids": [" ".join(r.denominator_fact_ids) for r in ratios],
            "numerator": pd.array([r.numerator for r in ratios], dtype="Float64"),
            "numerator_unit": [units.get(r.numerator_fact_ids[0], "") for r in ratios],
            "denominator": pd.array([r.denominator for r in ratios], dtype="Float64"),
            "currency": [r.currency for r in ratios],
            "ratio": pd.array([r.value for r in ratios], dtype="Float64"),
            "bound": [r.bound for r in ratios],
            "first_year": pd.array([r.first_year for r in ratios], dtype="Int64"),
            "last_year": pd.array([r.last_year for r in ratios], dtype="Int64"),
            "missing_years": [r.missing_years for r in ratios],
            "derivation_steps": pd.Series([r.steps for r in ratios], dtype=object),
            "derivation": [render_derivation(r.steps) for r in ratios],
        }
    )
    return out


NAMED = ("low", "central", "high")


def named_ratios(ratios: pd.DataFrame) -> dict[str, pd.Series]:
    """The three ratios the What-if starts from, each a row of `savings_ratios` (so both pages show one number):

    - central: the savings ratio whose savings figure is the latest given in the programme's own currency (a
      figure given in another currency would add an exchange-rate assumption to a figure whose method is unknown);
    - low: the lowest such ratio;
    - high: the highest return claim, as its source states it.

    A name is left out when no ratio qualifies (the What-if then says which figure is missing).
    """
    named: dict[str, pd.Series] = {}
    own = ratios[
        (ratios["kind"] == "savings_per_grant")
        & ratios["ratio"].notna()
        & (ratios["numerator_unit"] == ratios["currency"])
    ]
    if not own.empty:
        by_year = own.sort_values(["last_year", "ratio_id"], kind="stable")
        named["central"] = by_year.iloc[-1]
        named["low"] = own.sort_values(["ratio", "last_year"], kind="stable").iloc[0]
    claims = ratios[(ratios["kind"] == "claim") & ratios["ratio"].notna()]
    if not claims.empty:
        named["high"] = claims.sort_values(["ratio", "ratio_id"], kind="stable").iloc[-1]
    return named
