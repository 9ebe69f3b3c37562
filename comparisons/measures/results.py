"""The evidence ledger of results and savings, the conflicts in it, and ratios built from it with their inputs.

Why this module exists: LUP's savings and results are reported by several sources at different dates and in
different currencies (over 183 MNOK c. 2019, 334 MNOK in 2020, EUR 36 m c. 2021, and a claim that 10 MNOK
invested gives over 400 MNOK). Decision material must show every one of them with its date and source, side by
side, never averaged; and any ratio (savings per krone of state grant) must list the facts it uses, leave years
without a known grant out *and say so*, and carry the bound that follows from its inputs.

- `evidence_ledger`: every results and savings figure with its source, date, definition and reliability.
- `conflict_groups`: the ledger's figures grouped by measure where sources give more than one value; claims of
  savings sit beside the reported cumulative savings. Money figures get an equivalent in the country's currency
  at the figure's own year (with its derivation), for reading only.
- `state_grants_by_year`: the known state grant of each year, the facts it rests on, or "not found".
- `savings_ratios`: savings per krone of state grant for each savings figure, and each return claim as stated.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from comparisons.i18n import N_
from comparisons.measures.normalise import (
    Derivation,
    Money,
    Number,
    Step,
    convert_facts,
    convert_one,
    figure_year,
    ratio_bound,
    render_derivation,
    sum_bound,
)

PROGRAMME = "lup"

# The results and savings measures, in the order the ledger lists them. Metrics of the topics below that are not
# named here follow in alphabetical order, so a newly added results metric is never left out.
LEDGER_METRICS: tuple[str, ...] = (
    "cumulative_savings",
    "savings_claim",
    "investment_claim",
    "bodies_reached",
    "municipality_share_reached",
    "share_of_innovative_procurements",
    "innovative_procurements",
    "pilot_projects",
    "innovations",
    "jobs_created",
    "co2_reduction",
)
LEDGER_TOPICS: tuple[str, ...] = ("results", "reach")

# Measures shown together when looking for conflicts: a claimed saving is read against the reported savings.
CONFLICT_GROUP: dict[str, str] = {"savings_claim": "cumulative_savings"}

COUNTRY_CURRENCY: dict[str, str] = {"NO": "NOK", "DK": "DKK"}

# Units that are not currencies, as the ledger names them (currencies keep their ISO codes).
UNIT_LABELS: dict[str, str] = {
    "count": N_("number"),
    "persons": N_("persons"),
    "percent": N_("per cent"),
    "tonnes_co2": N_("tonnes CO₂"),
    "tonnes_co2e": N_("tonnes CO₂e"),
    "year": N_("year"),
    "years": N_("years"),
    "rank": N_("rank"),
}

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


def ledger_metric_ids(metrics: pd.DataFrame) -> list[str]:
    """The ledger's metrics: the named ones first, then any other results or reach metric."""
    known = set(metrics["metric_id"].astype(str)) if not metrics.empty else set()
    named = [m for m in LEDGER_METRICS if m in known or metrics.empty]
    extra = (
        sorted(
            m
            for m, t in zip(metrics["metric_id"].astype(str), metrics["topic"].astype(str), strict=False)
            if t in LEDGER_TOPICS and m not in LEDGER_METRICS
        )
        if not metrics.empty
        else []
    )
    return named + extra


def _sort_key_text(series: pd.Series) -> pd.Series:
    """Dates as text sort correctly when padded: '2020' before '2020-09' before '2021'."""
    return series.astype("string").fillna("").str.pad(10, "right", "0")


def evidence_ledger(facts: pd.DataFrame, metrics: pd.DataFrame) -> pd.DataFrame:
    """Every results and savings figure (facts joined with sources, see `facts_with_sources`), with its metric's
    labels and definition, its group for conflicts and the year it is for; ordered by measure, then by date."""
    wanted = ledger_metric_ids(metrics)
    order = {m: i for i, m in enumerate(wanted)}
    ledger = facts[facts["metric"].isin(wanted)].copy()
    meta_cols = [
        c
        for c in ("metric_id", "label_nb", "label_da", "label_en", "definition_nb", "definition_da", "definition_en")
        if c in metrics.columns
    ]
    ledger = ledger.merge(metrics[meta_cols], left_on="metric", right_on="metric_id", how="left").drop(
        columns=["metric_id"], errors="ignore"
    )
    ledger["group"] = ledger["metric"].map(lambda m: CONFLICT_GROUP.get(m, m))
    ledger["year"] = pd.array(
        [
            figure_year(e, s, a)
            for e, s, a in zip(ledger["period_end"], ledger["period_start"], ledger["as_of"], strict=False)
        ],
        dtype="Int64",
    )
    ledger = ledger.assign(
        _order=ledger["group"].map(order).fillna(len(order)),
        _sub=ledger["metric"].map(order).fillna(len(order)),
        _end=_sort_key_text(ledger["period_end"]),
        _asof=_sort_key_text(ledger["as_of"]),
    )
    ledger = ledger.sort_values(["_order", "country", "subject", "_end", "_asof", "_sub", "fact_id"])
    return ledger.drop(columns=["_order", "_sub", "_end", "_asof"]).reset_index(drop=True)


def conflict_groups(ledger: pd.DataFrame, rates: pd.DataFrame) -> pd.DataFrame:
    """The ledger rows of every (country, subject, group) that holds two or more different figures.

    Added columns: group_key, group_size, and for money figures `equivalent` in the country's currency at the
    figure's own year (`equivalent_currency`, `equivalent_derivation_steps`, `equivalent_derivation`). Nothing is
    averaged: each figure keeps its own row, date and source.
    """
    if ledger.empty:
        return ledger.assign(group_key=pd.Series(dtype="string"), group_size=pd.Series(dtype="Int64"))
    keyed = ledger.assign(
        group_key=ledger["country"].astype(str)
        + "/"
        + ledger["subject"].astype(str)
        + "/"
        + ledger["group"].astype(str)
    )
    distinct = keyed.groupby("group_key").apply(
        lambda g: len(set(zip(g["value"].astype(float).round(6), g["unit"].astype(str), strict=False))),
        include_groups=False,
    )
    conflicting = distinct[distinct > 1].index
    out = keyed[keyed["group_key"].isin(conflicting)].copy()
    out["group_size"] = pd.array(out.groupby("group_key")["fact_id"].transform("size"), dtype="Int64")
    out = out.reset_index(drop=True)
    equivalents: list[float | None] = [None] * len(out)
    currencies: list[str | None] = [None] * len(out)
    steps: list[tuple] = [()] * len(out)
    for country, target in COUNTRY_CURRENCY.items():
        rows = out[(out["country"] == country) & (out["unit"] != target)]
        if rows.empty:
            continue
        converted = convert_facts(rows, rates, target)
        for i, value, derivation in zip(
            converted.index, converted["converted"], converted["derivation_steps"], strict=True
        ):
            if not pd.isna(value):  # non-money figures and missing rates get no equivalent
                equivalents[i], currencies[i], steps[i] = float(value), target, derivation
    out["equivalent"] = pd.array(equivalents, dtype="Float64")
    out["equivalent_currency"] = currencies
    out["equivalent_derivation_steps"] = pd.Series(steps, index=out.index, dtype=object)
    out["equivalent_derivation"] = [render_derivation(s) for s in steps]
    return out.reset_index(drop=True)


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
    denominator_fact_ids, numerator, denominator, currency, ratio, bound, first_year, last_year, missing_years,
    derivation_steps, derivation (English).
    """
    first = first_grant_year(facts, programme)
    savings = facts[(facts["metric"] == SAVINGS_METRIC) & (facts["subject"] == programme)]
    savings = savings.assign(_end=_sort_key_text(savings["period_end"])).sort_values(["_end", "fact_id"])
    # The grant facts are read once, when a ratio first needs them, and the grants up to each last year once.
    grant_records = functools.cache(lambda: _grant_records(facts))
    grant_years = functools.cache(lambda year: _grant_years(_grants_by_year(grant_records(), first, year, programme)))
    ratios = [_savings_ratio(row, grant_years, rates, first, programme) for _, row in savings.iterrows()]
    claims = facts[facts["metric"] == CLAIM_SAVINGS]
    investments = _same_source_and_subject(facts[facts["metric"] == CLAIM_INVESTMENT])
    for _, claim in claims.sort_values("fact_id").iterrows():
        ratio = _claim_ratio(claim, investments, rates)
        if ratio is not None:
            ratios.append(ratio)
    out = pd.DataFrame(
        {
            "ratio_id": [r.ratio_id for r in ratios],
            "kind": [r.kind for r in ratios],
            "label_step": pd.Series([r.label for r in ratios], dtype=object),
            "fact_ids": [" ".join(r.numerator_fact_ids + r.denominator_fact_ids) for r in ratios],
            "numerator_fact_ids": [" ".join(r.numerator_fact_ids) for r in ratios],
            "denominator_fact_ids": [" ".join(r.denominator_fact_ids) for r in ratios],
            "numerator": pd.array([r.numerator for r in ratios], dtype="Float64"),
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
