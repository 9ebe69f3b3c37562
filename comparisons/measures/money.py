"""Money figures made comparable: one currency, or per inhabitant (shares of a country's total procurement are in
comparisons.measures.procurement).

Why this module exists: Norwegian and Danish sources give money in NOK, DKK or EUR, for different years. Comparing
them needs a conversion at a stated exchange rate and, often, a division by population. Principle 1 says every
derived number says how it was derived, so every function here returns, beside the number, its *derivation*: a
list of steps, each an English template (marked for translation) with its parameters. The page translates the
templates and formats the parameters in the reader's language; `derivation` holds the English text for exports.

Rules:
- Exchange rates are annual ECB averages of EUR->NOK, EUR->DKK (data/reference/exchange_rates.csv); any other pair
  is a cross rate through the euro: NOK->DKK = (DKK per EUR) / (NOK per EUR), both of the same year.
- A figure's own year is the year of its `period_end` (else `period_start`, else `as_of`). Where that year has no
  rate, the nearest year that has one is used, and the derivation says so. Rates over part of a year only
  (`partial`, e.g. 2025 so far) are flagged.
- Population: the mid-year estimate for the year where there is one, else the count on 1 January of that year,
  else the nearest year (said).
- Shares of total procurement use a total of the same country and the same year; several totals (sources
  disagree) give several shares, never an average.
- Bounds travel: a converted "over 400 MNOK" stays "over"; a ratio of bounded figures gets the bound that follows.

Everything is pure (frames in, frames out) so that the pages, the exports and the command line agree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeAlias

import pandas as pd

from comparisons.i18n import N_
from comparisons.i18n.formatting import BOUND_PREFIX, MONEY_UNITS, fmt_number, fmt_percent, fmt_value
from comparisons.i18n.labels import COUNTRY_NAMES

ANCHOR = "EUR"  # every rate in the reference table is units of some currency per one euro

# --- derivation steps ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Money:
    """A money amount inside a derivation; written with its ISO code in the reader's language."""

    value: float
    currency: str
    bound: str = "exact"


@dataclass(frozen=True)
class Number:
    """A plain number (a rate, a population) inside a derivation, with the decimals worth showing."""

    value: float
    decimals: int = 4
    bound: str = "exact"


@dataclass(frozen=True)
class Percent:
    value: float


@dataclass(frozen=True)
class Term:
    """An English word or phrase inside a derivation that is itself translated (a country name)."""

    msgid: str


@dataclass(frozen=True)
class Step:
    """One sentence of a derivation: an English template with named parameters."""

    template: str
    params: tuple[tuple[str, object], ...] = field(default_factory=tuple)

    @classmethod
    def of(cls, template: str, **params: object) -> Step:
        return cls(template, tuple(params.items()))


Derivation = tuple[Step, ...]


def _identity(text: str) -> str:
    return text


# Formatted amounts, rates and percentages by (repr of the parameter, language): a derivation repeats the same few
# amounts many times (each part against each total), and formatting goes through babel. repr, not the value itself,
# is the key, so that 1 and 1.0 or 0.0 and -0.0 (equal, but written differently) are never confused.
_RENDERED: dict[tuple[str, str], str] = {}
_RENDERED_MAX = 100_000


def render_param(value: object, gettext: Callable[[str], str], lang: str) -> str:
    """One parameter as the reader should see it."""
    if isinstance(value, Money | Number | Percent):
        key = (repr(value), lang)
        text = _RENDERED.get(key)
        if text is None:
            if len(_RENDERED) >= _RENDERED_MAX:
                _RENDERED.clear()
            text = _RENDERED[key] = _render_number(value, lang)
        return text
    if isinstance(value, Term):
        return gettext(value.msgid)
    if isinstance(value, list | tuple):
        return ", ".join(render_param(v, gettext, lang) for v in value)
    return str(value)


def _render_number(value: Money | Number | Percent, lang: str) -> str:
    if isinstance(value, Money):
        return fmt_value(value.value, value.currency, lang, value.bound, compact=True)
    if isinstance(value, Number):
        prefix = BOUND_PREFIX.get(lang, BOUND_PREFIX["en"]).get(value.bound, "")
        return prefix + fmt_number(value.value, lang, decimals=value.decimals)
    if isinstance(value, Percent):
        # Through Decimal, so that 36.84 / 100 does not turn into 0.36840000000000006.
        return fmt_percent(Decimal(str(round(value.value, 1))), lang)
    raise TypeError(value)


def render_step(step: Step, gettext: Callable[[str], str] = _identity, lang: str = "en") -> str:
    params = {k: render_param(v, gettext, lang) for k, v in step.params}
    return gettext(step.template).format(**params)


def render_derivation(steps: Iterable[Step], gettext: Callable[[str], str] = _identity, lang: str = "en") -> str:
    """The whole derivation as one paragraph in the reader's language (English when no gettext is given)."""
    return " ".join(render_step(s, gettext, lang) for s in steps)


# Templates. Each names the input fact, the rate (year, value, source) and the population used.
T_SAME = N_("{fact_id}: {amount}, already in {target}; not converted.")
T_FROM_EUR = N_(
    "{fact_id}: {amount} × {rate_to} {target} per EUR (annual average {rate_year}, source {source}) = {result}."
)
T_TO_EUR = N_(
    "{fact_id}: {amount} ÷ {rate_from} {currency} per EUR (annual average {rate_year}, source {source}) = {result}."
)
T_CROSS = N_(
    "{fact_id}: {amount} ÷ {rate_from} {currency} per EUR × {rate_to} {target} per EUR (annual averages {rate_year}, "
    "source {source}) = {result}, i.e. {rate} {target} per {currency}."
)
T_NEAREST = N_(
    "There is no rate for {year}, the year the figure is for; the nearest year with a rate, {rate_year}, was used."
)
T_NEAREST_CHOSEN = N_("There is no rate for {year}; the nearest year with a rate, {rate_year}, was used.")
T_CHOSEN = N_("All figures are converted at the {rate_year} average rate, whatever year they are for ({year}).")
T_PARTIAL = N_("The {rate_year} rate is an average over part of the year only ({days} days); it will change.")
T_PARTIAL_NODAYS = N_("The {rate_year} rate is an average over part of the year only; it will change.")
T_NO_RATE = N_("{fact_id}: no exchange rate from {currency} to {target} was found; not converted.")
T_NOT_MONEY = N_("{fact_id} is not a money figure; not converted.")
T_NO_YEAR = N_("{fact_id} has no year; not converted.")
T_POP_MID = N_(
    "Divided by the mid-year population of {country} in {pop_year}: {population} (source {source}) = {result}."
)
T_POP_JAN1 = N_(
    "Divided by the population of {country} on 1 January {pop_year}: {population} (source {source}) = {result}."
)
T_POP_NEAREST = N_("There is no population figure for {year}; the nearest year with one, {pop_year}, was used.")
T_POP_NONE = N_("No population figure for {country} was found; not divided.")
# --- exchange rates -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RateUsed:
    """Units of `currency` per one euro in `year` (1 for the euro itself)."""

    year: int
    currency: str
    rate: float
    partial: bool = False
    days: int | None = None
    source_id: str = ""


def rate_table(rates: pd.DataFrame) -> pd.DataFrame:
    """The reference rates as (year, currency, rate, partial, days, source_id), euro-based rows only."""
    if rates.empty:
        return pd.DataFrame(columns=["year", "currency", "rate", "partial", "days", "source_id"])
    base = rates[rates["base"].astype(str) == ANCHOR]
    out = pd.DataFrame(
        {
            "year": pd.to_numeric(base["year"], errors="coerce"),
            "currency": base["quote"].astype(str),
            "rate": pd.to_numeric(base["rate"], errors="coerce"),
            "partial": base["partial"].fillna(False).astype(bool) if "partial" in base else False,
            "days": pd.to_numeric(base["days"], errors="coerce") if "days" in base else pd.NA,
            "source_id": base["source_id"].astype(str),
        }
    )
    out = out.dropna(subset=["year", "rate"])
    out = out[out["rate"] > 0]
    out["year"] = out["year"].astype(int)
    return out.sort_values(["year", "currency"]).reset_index(drop=True)


@dataclass(frozen=True)
class RateIndex:
    """The rates as a lookup by (year, currency), built once per call so that converting many figures costs a
    dictionary lookup each, not a scan of the table."""

    by_key: Mapping[tuple[int, str], RateUsed]
    partial_years: frozenset[int]

    @classmethod
    def of(cls, rates: pd.DataFrame | RateIndex) -> RateIndex:
        if isinstance(rates, RateIndex):
            return rates
        table = rates if "currency" in rates.columns else rate_table(rates)
        by_key: dict[tuple[int, str], RateUsed] = {}
        for year, currency, rate, partial, days, source_id in zip(
            table["year"],
            table["currency"],
            table["rate"],
            table["partial"],
            table["days"],
            table["source_id"],
            strict=True,
        ):
            key = (int(year), str(currency))
            if key not in by_key:  # the first row of a (year, currency) wins, as in the sorted table
                by_key[key] = RateUsed(
                    int(year),
                    str(currency),
                    float(rate),
                    bool(partial),
                    None if pd.isna(days) else int(days),
                    str(source_id),
                )
        partial_years = frozenset(y for (y, _c), r in by_key.items() if r.partial)
        return cls(by_key, partial_years)

    def currencies(self) -> tuple[str, ...]:
        return (ANCHOR, *sorted({c for _y, c in self.by_key}))

    def years(self, currencies: Iterable[str] = ()) -> list[int]:
        needed = {c for c in currencies if c != ANCHOR}
        years = sorted({y for y, _c in self.by_key})
        return [y for y in years if all((y, c) in self.by_key for c in needed)]


Rates: TypeAlias = pd.DataFrame | RateIndex


def eur_rate(rates: Rates, currency: str, year: int) -> RateUsed | None:
    """Units of `currency` per euro in `year`, or None when the table has no such rate."""
    if currency == ANCHOR:
        return RateUsed(year, ANCHOR, 1.0)
    return RateIndex.of(rates).by_key.get((int(year), currency))


def rate_years(rates: Rates, currencies: Iterable[str] = ()) -> list[int]:
    """Years in which every one of `currencies` (the euro needs none) has a rate."""
    return RateIndex.of(rates).years(currencies)


def nearest_rate_year(rates: Rates, year: int, currencies: Iterable[str]) -> int | None:
    """The year itself when it has all rates; else the nearest year that has, complete years first, then earlier."""
    index = RateIndex.of(rates)
    candidates = index.years(currencies)
    if not candidates:
        return None
    return min(candidates, key=lambda y: (abs(y - year), y in index.partial_years, y))


def cross_rate(rates: Rates, source: str, target: str, year: int) -> float | None:
    """Units of `target` per one unit of `source` in `year`, through the euro; None when a rate is missing."""
    if source == target:
        return 1.0
    index = RateIndex.of(rates)
    from_rate, to_rate = eur_rate(index, source, year), eur_rate(index, target, year)
    if from_rate is None or to_rate is None:
        return None
    return to_rate.rate / from_rate.rate


def convert_amount(value: float, source: str, target: str, year: int, rates: Rates) -> float | None:
    """`value` in `source` currency as `target` currency at the `year` average rates (None when a rate is missing)."""
    rate = cross_rate(rates, source, target, year)
    return None if rate is None else value * rate


def figure_year(period_end: object, period_start: object = None, as_of: object = None) -> int | None:
    """The year a figure is for: that of its period_end, else period_start, else when it was published."""
    for text in (period_end, period_start, as_of):
        if text is None or text is pd.NA or (isinstance(text, float) and pd.isna(text)):
            continue
        head = str(text).strip()[:4]
        if head.isdigit():
            return int(head)
    return None


@dataclass(frozen=True)
class Conversion:
    value: float | None
    target: str
    rate: float | None  # target per one unit of the figure's currency
    rate_year: int | None
    partial: bool
    fallback: bool
    source_ids: tuple[str, ...]
    steps: Derivation


def money_currencies(rates: Rates) -> tuple[str, ...]:
    """Every currency the rates can convert: the euro and each quoted currency."""
    return RateIndex.of(rates).currencies()


def convert_one(
    fact_id: str,
    value: float,
    currency: str,
    target: str,
    year: int | None,
    rates: Rates,
    bound: str = "exact",
    rate_year: int | None = None,
) -> Conversion:
    """Convert one figure, at the rate of its own `year` or, when `rate_year` is given, of that year."""
    table = RateIndex.of(rates)
    amount = Money(value, currency, bound)
    if currency == target:
        return Conversion(
            value,
            target,
            1.0,
            None,
            False,
            False,
            (),
            (Step.of(T_SAME, fact_id=fact_id, amount=amount, target=target),),
        )
    known = money_currencies(table)
    if currency not in known or target not in known:
        step = Step.of(T_NO_RATE, fact_id=fact_id, currency=currency, target=target)
        return Conversion(None, target, None, None, False, False, (), (step,))
    wanted = rate_year if rate_year is not None else year
    if wanted is None:
        return Conversion(None, target, None, None, False, False, (), (Step.of(T_NO_YEAR, fact_id=fact_id),))
    used_year = nearest_rate_year(table, wanted, (currency, target))
    if used_year is None:
        step = Step.of(T_NO_RATE, fact_id=fact_id, currency=currency, target=target)
        return Conversion(None, target, None, None, False, False, (), (step,))
    from_rate = eur_rate(table, currency, used_year)
    to_rate = eur_rate(table, target, used_year)
    assert from_rate is not None and to_rate is not None  # guaranteed by nearest_rate_year
    rate = to_rate.rate / from_rate.rate
    result = value * rate
    sources = tuple(sorted({r.source_id for r in (from_rate, to_rate) if r.source_id}))
    common = {
        "fact_id": fact_id,
        "amount": amount,
        "currency": currency,
        "target": target,
        "rate_year": used_year,
        "source": ", ".join(sources),
        "result": Money(result, target, bound),
    }
    if currency == ANCHOR:
        main = Step.of(T_FROM_EUR, rate_to=Number(to_rate.rate), **common)
    elif target == ANCHOR:
        main = Step.of(T_TO_EUR, rate_from=Number(from_rate.rate), **common)
    else:
        main = Step.of(
            T_CROSS, rate_from=Number(from_rate.rate), rate_to=Number(to_rate.rate), rate=Number(rate), **common
        )
    steps = [main]
    fallback = used_year != wanted
    if rate_year is not None and year is not None and rate_year != year:
        steps.append(Step.of(T_CHOSEN, rate_year=rate_year, year=year))
    if fallback:
        steps.append(Step.of(T_NEAREST if rate_year is None else T_NEAREST_CHOSEN, year=wanted, rate_year=used_year))
    partial = from_rate.partial or to_rate.partial
    if partial:
        days = [r.days for r in (from_rate, to_rate) if r.partial and r.days]
        steps.append(
            Step.of(T_PARTIAL, rate_year=used_year, days=min(days))
            if days
            else Step.of(T_PARTIAL_NODAYS, rate_year=used_year)
        )
    return Conversion(result, target, rate, used_year, partial, fallback, sources, tuple(steps))


def is_money(unit: object) -> bool:
    """Money is any currency a fact may carry (convertible or not: a missing rate is said, not hidden)."""
    return isinstance(unit, str) and unit in MONEY_UNITS


def convert_facts(facts: pd.DataFrame, rates: Rates, target: str, rate_year: int | None = None) -> pd.DataFrame:
    """Every fact with its value in `target` currency (columns below), at each figure's own year or at `rate_year`.

    Added columns: year (the figure's year), currency (target), rate (target per unit of the original currency),
    rate_year, rate_partial, rate_fallback, rate_sources, converted, derivation_steps, derivation (English).
    Figures that are not money keep `converted` empty and say so.
    """
    table = RateIndex.of(rates)
    out = facts.copy()
    records = []
    for row in out.itertuples(index=False):
        fact_id = str(getattr(row, "fact_id", ""))
        year = figure_year(
            getattr(row, "period_end", None), getattr(row, "period_start", None), getattr(row, "as_of", None)
        )
        unit = getattr(row, "unit", None)
        value = getattr(row, "value", None)
        bound = getattr(row, "bound", "exact")
        bound = bound if isinstance(bound, str) and bound else "exact"
        if not is_money(unit) or value is None or pd.isna(value):
            conv = Conversion(None, target, None, None, False, False, (), (Step.of(T_NOT_MONEY, fact_id=fact_id),))
        else:
            conv = convert_one(fact_id, float(value), str(unit), target, year, table, bound, rate_year)
        records.append((year, conv))
    out["year"] = pd.array([y for y, _ in records], dtype="Int64")
    out["currency"] = target
    out["rate"] = pd.array([c.rate for _, c in records], dtype="Float64")
    out["rate_year"] = pd.array([c.rate_year for _, c in records], dtype="Int64")
    out["rate_partial"] = pd.array([c.partial for _, c in records], dtype="boolean")
    out["rate_fallback"] = pd.array([c.fallback for _, c in records], dtype="boolean")
    out["rate_sources"] = [" ".join(c.source_ids) for _, c in records]
    out["converted"] = pd.array([c.value for _, c in records], dtype="Float64")
    out["derivation_steps"] = pd.Series([c.steps for _, c in records], index=out.index, dtype=object)
    out["derivation"] = [render_derivation(c.steps) for _, c in records]
    return out


# --- population ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PopulationUsed:
    country: str
    year: int
    kind: str  # midyear or jan1
    value: int
    source_id: str


Population: TypeAlias = pd.DataFrame | Mapping[str, list[PopulationUsed]]


def population_index(population: Population) -> Mapping[str, list[PopulationUsed]]:
    """The usable population figures by country: mid-year estimates, and counts dated 1 January (or a bare
    year). Quarter-end counts are not a year's population and stay out."""
    if not isinstance(population, pd.DataFrame):
        return population
    index: dict[str, list[PopulationUsed]] = {}
    for country, date, kind, value, source_id in zip(
        population["country"],
        population["date"],
        population["kind"],
        population["value"],
        population["source_id"],
        strict=True,
    ):
        text = "" if pd.isna(date) else str(date)
        if pd.isna(value) or not text[:4].isdigit():
            continue
        if kind == "midyear" or (kind == "jan1" and (len(text) == 4 or text[4:] == "-01-01")):
            index.setdefault(str(country), []).append(
                PopulationUsed(str(country), int(text[:4]), str(kind), int(value), str(source_id))
            )
    return index


def population_for(population: Population, country: str, year: int) -> PopulationUsed | None:
    """Mid-year estimate for `year`, else 1 January of `year`, else the nearest year (mid-year before 1 January)."""
    candidates = population_index(population).get(country, [])
    if not candidates:
        return None
    return min(candidates, key=lambda p: (abs(p.year - year), p.kind != "midyear", p.year, p.source_id))


def per_inhabitant(converted: pd.DataFrame, population: Population, column: str = "converted") -> pd.DataFrame:
    """Add `population`, `population_year`, `population_kind`, `population_source` and `per_inhabitant`
    (`column` divided by the country's population in the figure's year); the derivation gains a step."""
    out = converted.copy()
    index = population_index(population)
    n = len(out)
    empty: list[Any] = [None] * n  # like a frame's column: its cells are untyped
    columns = {
        c: (list(out[c]) if c in out.columns else empty)
        for c in ("derivation_steps", column, "year", "country", "currency", "unit", "bound")
    }
    pops: list[PopulationUsed | None] = []
    values: list[float | None] = []
    steps_all: list[Derivation] = []
    for i in range(n):
        steps = tuple(columns["derivation_steps"][i] or ())
        value, year = columns[column][i], columns["year"][i]
        country = str(columns["country"][i])
        currency = columns["currency"][i] if isinstance(columns["currency"][i], str) else str(columns["unit"][i])
        bound = columns["bound"][i] if isinstance(columns["bound"][i], str) else "exact"
        known_year = year is not None and not pd.isna(year)
        pop = population_for(index, country, int(year)) if known_year else None
        name = Term(COUNTRY_NAMES.get(country, country))
        if value is None or pd.isna(value):
            pops.append(pop)
            values.append(None)
            steps_all.append(steps)
            continue
        if pop is None or pop.value <= 0:
            pops.append(None)
            values.append(None)
            steps_all.append((*steps, Step.of(T_POP_NONE, country=name)))
            continue
        result = float(value) / pop.value
        template = T_POP_MID if pop.kind == "midyear" else T_POP_JAN1
        added = [
            Step.of(
                template,
                country=name,
                pop_year=pop.year,
                population=Number(pop.value, 0),
                source=pop.source_id,
                result=Money(result, currency, bound),
            )
        ]
        if pop.year != int(year):
            added.append(Step.of(T_POP_NEAREST, year=int(year), pop_year=pop.year))
        pops.append(pop)
        values.append(result)
        steps_all.append(steps + tuple(added))
    out["population"] = pd.array([p.value if p else None for p in pops], dtype="Int64")
    out["population_year"] = pd.array([p.year if p else None for p in pops], dtype="Int64")
    out["population_kind"] = [p.kind if p else None for p in pops]
    out["population_source"] = [p.source_id if p else None for p in pops]
    out["per_inhabitant"] = pd.array(values, dtype="Float64")
    out["derivation_steps"] = pd.Series(steps_all, index=out.index, dtype=object)
    out["derivation"] = [render_derivation(s) for s in steps_all]
    return out


# --- bounds and shares --------------------------------------------------------------------------------------------

_UP = {"at_least": 1, "at_most": -1}


def ratio_bound(numerator: str | None, denominator: str | None) -> str:
    """The bound of numerator / denominator: over/under in the numerator carries over, in the denominator it flips;
    'approx' anywhere, or pulls in opposite directions, make the ratio approximate."""
    num, den = numerator or "exact", denominator or "exact"
    if "approx" in (num, den):
        return "approx"
    direction = {_UP.get(num, 0), -_UP.get(den, 0)} - {0}
    if not direction:
        return "exact"
    if len(direction) > 1:
        return "approx"
    return "at_least" if direction == {1} else "at_most"


def sum_bound(bounds: Iterable[str | None]) -> str:
    """The bound of a sum: all exact -> exact; all one direction (or exact) -> that direction; else approx."""
    kinds = {b or "exact" for b in bounds} - {"exact"}
    if not kinds:
        return "exact"
    if len(kinds) == 1 and kinds != {"approx"}:
        return kinds.pop()
    return "approx"
