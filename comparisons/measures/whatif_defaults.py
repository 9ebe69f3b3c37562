"""The What-if's default inputs, each derived from named facts: funding, horizon, the savings per krone (the
named ratios of comparisons.measures.savings), Norway's pace of reaching public bodies, and the figures and rate
for the conversion year. Every default keeps the facts it rests on (`Derivation`), so the page can cite them."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import pandas as pd

from comparisons.measures import savings as sv
from comparisons.measures.money import (
    PopulationUsed,
    Step,
    cross_rate,
    eur_rate,
    figure_year,
    population_for,
    rate_table,
    rate_years,
)
from comparisons.measures.whatif import (
    BOUND_PREFERENCE,
    DEFAULT_RAMP_UP,
    DK_PUBLIC_SECTOR,
    E_NO_RATE,
    MAX_YEARS,
    NO_PUBLIC_SECTOR,
    PROGRAMME,
    Calibration,
    WhatIfInputError,
    WhatIfInputs,
    _missing,
)

# --- defaults from the evidence ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Derivation:
    """How a default was derived: value = numerator / denominator, each a sum of named facts (or a rate)."""

    key: str
    value: float
    numerator: float
    numerator_unit: str
    numerator_ids: tuple[str, ...]
    denominator: float
    denominator_unit: str
    denominator_ids: tuple[str, ...]
    numerator_bound: str = "exact"
    years: tuple[int, ...] = ()  # years the denominator covers (grants)
    missing_years: tuple[int, ...] = ()  # years in the span without a figure: left out, not estimated
    span: tuple[int, int] | None = None  # first and last year of the span
    ratio_id: str | None = None  # the savings ratio of comparisons.measures.savings it is (Results lists it)

    @property
    def fact_ids(self) -> tuple[str, ...]:
        return self.numerator_ids + self.denominator_ids


@dataclass(frozen=True)
class Defaults:
    """Every default input with its derivation, and the calibration for one conversion year."""

    year: int
    nok_per_dkk: float
    rate_sources: tuple[str, ...]
    rate_partial: bool
    funding: Derivation
    horizon: Derivation
    low: Derivation
    central: Derivation
    high: Derivation
    pace: Derivation  # bodies per year in Norway
    procurement_no: pd.Series | None
    procurement_dk: pd.Series | None
    population_no: PopulationUsed | None
    population_dk: PopulationUsed | None
    calibration: Calibration
    ramp_up: int = DEFAULT_RAMP_UP
    grants: pd.DataFrame = field(default_factory=pd.DataFrame)

    def inputs(self, basis: str = "procurement") -> WhatIfInputs:
        return WhatIfInputs(
            funding_dkk=self.funding.value,
            years=int(self.horizon.value),
            ramp_up=min(self.ramp_up, int(self.horizon.value)),
            savings_low=self.low.value,
            savings_central=self.central.value,
            savings_high=self.high.value,
            basis=basis,
            year=self.year,
            nok_per_dkk=self.nok_per_dkk,
        )

    def derivations(self) -> dict[str, Derivation]:
        return {d.key: d for d in (self.funding, self.horizon, self.low, self.central, self.high, self.pace)}


FACT_COLUMNS = [
    "fact_id",
    "subject",
    "metric",
    "value",
    "bound",
    "unit",
    "period_start",
    "period_end",
    "as_of",
    "source_id",
]
METRICS_USED = (
    "state_grant",
    "cumulative_savings",
    "savings_claim",
    "investment_claim",
    "bodies_reached",
    "founded_year",
    "procurement_volume",
)


def _relevant(facts: pd.DataFrame) -> pd.DataFrame:
    """Only the rows and columns the defaults read (keeps the many small selections below fast)."""
    narrow = facts[facts["metric"].isin(METRICS_USED)][[c for c in FACT_COLUMNS if c in facts.columns]]
    return narrow.reset_index(drop=True)


def _ordered(facts: pd.DataFrame) -> pd.DataFrame:
    """Most trustworthy first: exact before approximate before bounds, then the latest published, then by id."""
    keyed = facts.assign(
        _bound=facts["bound"].map(BOUND_PREFERENCE).fillna(3),
        _asof=facts["as_of"].astype(str),
    )
    keyed = keyed.sort_values("fact_id").sort_values(["_bound", "_asof"], ascending=[True, False], kind="stable")
    return keyed.drop(columns=["_bound", "_asof"])


def _select(facts: pd.DataFrame, subject: str, metric: str, units: Iterable[str] | None = None) -> pd.DataFrame:
    out = facts[(facts["subject"] == subject) & (facts["metric"] == metric)]
    if units is not None:
        out = out[out["unit"].isin(list(units))]
    out = out[pd.to_numeric(out["value"], errors="coerce").notna()]
    years = [figure_year(e, s, a) for e, s, a in zip(out["period_end"], out["period_start"], out["as_of"], strict=True)]
    return out.assign(_year=years)


def _from_ratio(ratio: pd.Series, key: str, bounds: dict[str, str]) -> Derivation:
    """A default savings per krone as the Results page shows it: a row of comparisons.measures.savings."""
    first, last = ratio["first_year"], ratio["last_year"]
    span = None if pd.isna(first) or pd.isna(last) else (int(first), int(last))
    missing = tuple(int(y) for y in ratio["missing_years"])
    years = tuple(y for y in range(span[0], span[1] + 1) if y not in missing) if span else ()
    return Derivation(
        key=key,
        value=float(ratio["ratio"]),
        numerator=float(ratio["numerator"]),
        numerator_unit=str(ratio["currency"]),
        numerator_ids=tuple(str(ratio["numerator_fact_ids"]).split()),
        denominator=float(ratio["denominator"]),
        denominator_unit=str(ratio["currency"]),
        denominator_ids=tuple(str(ratio["denominator_fact_ids"]).split()),
        numerator_bound=bounds.get(str(ratio["numerator_fact_ids"]).split()[0], "exact"),
        years=years,
        missing_years=missing,
        span=span if ratio["kind"] == "savings_per_grant" else None,
        ratio_id=str(ratio["ratio_id"]),
    )


def _grants(facts: pd.DataFrame) -> pd.DataFrame:
    """The programme's state grant of each year a source gives one (comparisons.measures.savings), oldest first:
    year, value (NOK), fact_id, bound, other_ids."""
    first = sv.first_grant_year(facts)
    if first is None:
        raise _missing("grant")
    years = [figure_year(e, s) for e, s in zip(facts["period_end"], facts["period_start"], strict=True)]
    last = max(y for y, m in zip(years, facts["metric"], strict=True) if m == sv.GRANT_METRIC and y)
    found = sv.state_grants_by_year(facts, first, last)
    found = found[found["status"] == sv.STATUS_FOUND]
    return pd.DataFrame(
        {
            "year": found["year"].astype(int),
            "value": found["value"].astype(float),
            "fact_id": found["fact_ids"],
            "bound": found["bound"],
            "other_ids": found["other_fact_ids"],
        }
    ).reset_index(drop=True)


def savings_defaults(facts: pd.DataFrame, rates: pd.DataFrame) -> tuple[Derivation, Derivation, Derivation]:
    """(low, central, high) savings per krone: the named ratios of comparisons.measures.savings, the same numbers
    the Results page lists."""
    named = sv.named_ratios(sv.savings_ratios(facts, rates))
    if "central" not in named:
        raise _missing("savings")
    if "high" not in named:
        raise _missing("claim")
    bounds = dict(zip(facts["fact_id"].astype(str), facts["bound"].fillna("exact").astype(str), strict=True))
    return tuple(_from_ratio(named[key], key, bounds) for key in ("low", "central", "high"))  # type: ignore[return-value]


def _founded(facts: pd.DataFrame, prefer_source: str | None) -> pd.Series:
    founded = _select(facts, PROGRAMME, "founded_year", ["year"])
    if founded.empty:
        raise _missing("founded")
    mode = founded["value"].mode().min()
    agreeing = founded[founded["value"] == mode]
    same = agreeing[agreeing["source_id"] == prefer_source]
    return _ordered(same if not same.empty else agreeing).iloc[0]


def bodies_pace(facts: pd.DataFrame, prefer_source: str | None) -> tuple[Derivation, Derivation]:
    """(pace, horizon): Norway's public bodies reached per year since LUP was founded, and the years that took.

    The bodies figure is taken from the same source as the central savings snapshot where it gives one (the same
    snapshot), else the latest; the years run from the founding year to the figure's year.
    """
    bodies = _select(facts, PROGRAMME, "bodies_reached", ["count"])
    if bodies.empty:
        raise _missing("pace")
    same = bodies[bodies["source_id"] == prefer_source]
    pool = same if not same.empty else bodies
    pick = _ordered(pool).assign(_y=lambda f: f["_year"]).sort_values("_y", ascending=False, kind="stable").iloc[0]
    founded = _founded(facts, str(pick["source_id"]))
    years = max(1, int(pick["_year"]) - int(founded["value"]))
    pace = Derivation(
        key="pace",
        value=float(pick["value"]) / years,
        numerator=float(pick["value"]),
        numerator_unit="count",
        numerator_ids=(str(pick["fact_id"]),),
        denominator=float(years),
        denominator_unit="years",
        denominator_ids=(str(founded["fact_id"]),),
        numerator_bound=str(pick["bound"]),
        span=(int(founded["value"]), int(pick["_year"])),
    )
    horizon = Derivation(
        key="horizon",
        value=float(min(MAX_YEARS, years)),
        numerator=float(pick["_year"]),
        numerator_unit="year",
        numerator_ids=(str(pick["fact_id"]),),
        denominator=float(founded["value"]),
        denominator_unit="year",
        denominator_ids=(str(founded["fact_id"]),),
        span=(int(founded["value"]), int(pick["_year"])),
    )
    return pace, horizon


def nearest_fact(facts: pd.DataFrame, subject: str, metric: str, unit: str, year: int) -> pd.Series | None:
    """The figure for `subject`/`metric` in `unit` whose year is nearest `year` (ties: exact, latest, id)."""
    found = _select(facts, subject, metric, [unit])
    found = found[found["_year"].notna()]
    if found.empty:
        return None
    ordered = _ordered(found)
    ordered = ordered.assign(_dist=(ordered["_year"] - year).abs()).sort_values("_dist", kind="stable")
    return ordered.iloc[0].drop(labels=["_dist"])


def conversion_years(rates: pd.DataFrame) -> list[int]:
    """Years with complete NOK and DKK annual averages (the choice offered for the conversion)."""
    table = rates if "currency" in rates.columns else rate_table(rates)
    partial = set(table.loc[table["partial"], "year"])
    return [y for y in rate_years(table, ("NOK", "DKK")) if y not in partial]


def nok_per_dkk(rates: pd.DataFrame, year: int) -> tuple[float, tuple[str, ...], bool]:
    """NOK per DKK in `year` (ECB annual averages through the euro), its sources, and whether it is partial."""
    rate = cross_rate(rates, "DKK", "NOK", year)
    if rate is None:
        raise WhatIfInputError(Step.of(E_NO_RATE, year=year))
    used = [eur_rate(rates, c, year) for c in ("NOK", "DKK")]
    sources = tuple(sorted({u.source_id for u in used if u is not None and u.source_id}))
    return rate, sources, any(u.partial for u in used if u is not None)


def derive_defaults(tables: dict[str, pd.DataFrame], year: int | None = None) -> Defaults:
    """Every default input from the evidence (facts, exchange_rates, population), for one conversion year.

    `year` defaults to the year of the central savings snapshot (the evidence the central case rests on), or the
    latest year with complete rates when that year has none. Raises WhatIfInputError when a needed figure is missing.
    """
    facts = _relevant(tables["facts"])
    rates, population = rate_table(tables["exchange_rates"]), tables["population"]
    low, central, high = savings_defaults(tables["facts"], rates)
    snapshot_source = str(facts.loc[facts["fact_id"] == central.numerator_ids[0], "source_id"].iloc[0])
    pace, horizon = bodies_pace(facts, snapshot_source)
    years = conversion_years(rates)
    if not years:
        raise _missing("rates")
    if year is None:
        year = central.span[1] if central.span and central.span[1] in years else years[-1]
    rate, rate_sources, partial = nok_per_dkk(rates, year)
    grants = _grants(tables["facts"])
    latest = grants.iloc[-1]
    funding_dkk = round(float(latest["value"]) / rate / 100_000) * 100_000
    funding = Derivation(
        key="funding",
        value=float(funding_dkk),
        numerator=float(latest["value"]),
        numerator_unit="NOK",
        numerator_ids=(str(latest["fact_id"]),),
        denominator=rate,
        denominator_unit="NOK/DKK",
        denominator_ids=(),
        years=(int(latest["year"]),),
        span=(int(latest["year"]), int(latest["year"])),
    )
    proc_no = nearest_fact(facts, NO_PUBLIC_SECTOR, "procurement_volume", "NOK", year)
    proc_dk = nearest_fact(facts, DK_PUBLIC_SECTOR, "procurement_volume", "DKK", year)
    pop_no = population_for(population, "NO", year)
    pop_dk = population_for(population, "DK", year)
    calib = Calibration(
        bodies_reached_no=pace.numerator,
        years_no=pace.denominator,
        grant_no_nok=float(latest["value"]),
        procurement_no_nok=math.nan if proc_no is None else float(proc_no["value"]),
        procurement_dk_dkk=math.nan if proc_dk is None else float(proc_dk["value"]),
        population_no=math.nan if pop_no is None else float(pop_no.value),
        population_dk=math.nan if pop_dk is None else float(pop_dk.value),
    )
    return Defaults(
        year=year,
        nok_per_dkk=rate,
        rate_sources=rate_sources,
        rate_partial=partial,
        funding=funding,
        horizon=horizon,
        low=replace(low, value=round(low.value, 2)),
        central=replace(central, value=round(central.value, 2)),
        high=replace(high, value=round(high.value, 2)),
        pace=pace,
        procurement_no=proc_no,
        procurement_dk=proc_dk,
        population_no=pop_no,
        population_dk=pop_dk,
        calibration=calib,
        grants=grants,
    )


def default_fact_ids(defaults: Defaults) -> set[str]:
    """Every fact id a default rests on (for checks that each exists in the shipped data)."""
    ids: set[str] = set()
    for d in defaults.derivations().values():
        ids.update(d.fact_ids)
    for fact in (defaults.procurement_no, defaults.procurement_dk):
        if fact is not None:
            ids.add(str(fact["fact_id"]))
    return ids


def provenance(defaults: Defaults, facts_sources: pd.DataFrame) -> pd.DataFrame:
    """The facts behind each default: default key, role (numerator, denominator, scale), and the fact's citation."""
    records = []
    for key, d in defaults.derivations().items():
        for role, ids in (("numerator", d.numerator_ids), ("denominator", d.denominator_ids)):
            records += [{"default": key, "role": role, "fact_id": fid} for fid in ids]
    for key, fact in (("procurement_no", defaults.procurement_no), ("procurement_dk", defaults.procurement_dk)):
        if fact is not None:
            records.append({"default": key, "role": "scale", "fact_id": str(fact["fact_id"])})
    frame = pd.DataFrame.from_records(records, columns=["default", "role", "fact_id"])
    cols = [
        "fact_id",
        "metric",
        "value",
        "unit",
        "bound",
        "period_start",
        "period_end",
        "publisher",
        "source_title",
        "source_id",
    ]
    cols = [c for c in cols if c in facts_sources.columns]
    return frame.merge(facts_sources[cols].drop_duplicates("fact_id"), on="fact_id", how="left")
