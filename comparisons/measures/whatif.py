"""What-if: a Danish LUP, projected transparently from Norwegian evidence.

Why this module exists: decision-makers asked what a Danish programme like Norway's LUP might reach, cost and save.
No source answers that, so the workbench offers a projection whose every input is either chosen by the reader or
taken from named facts, whose formulas are simple enough to say in words, and whose result shows how much it moves
when an input moves. Nothing here imports streamlit: the page, the command line and the tests share it.

The model, per programme year t = 1 .. horizon (all money in DKK):

- ramp(t) = t / (ramp_up + 1) during the first `ramp_up` years, 1 afterwards (0 ramp-up years: 1 from year 1).
- cost(t) = annual public funding.
- savings_b(t) = savings per krone of funding (bound b = low, central, high) x funding x ramp(t).
- net(t) = savings_central(t) - cost(t); every series is also summed over the years (cumulative).
- bodies reached: Norway's yearly pace (public bodies reached since 2010 / years LUP had run then) x the scale
  factor x ramp(t), summed over the years. The scale factor is Denmark's size relative to Norway on the chosen
  basis (procurement volume or population), but never more than the funding ratio (Danish funding / Norway's
  yearly state grant, both in NOK at the chosen year's rate): a programme cannot reach more bodies than its money
  serves at Norway's cost per body. On the "budget" basis the scale factor is the funding ratio itself.
- break-even year: the first year in which cumulative central savings reach cumulative cost (None if never).

Defaults come from facts (`derive_defaults`): savings per krone = a cumulative savings snapshot (NOK) / the sum of
the state grants to LUP known as facts for the years up to it (years without a grant figure are left out and
named, never filled in); the high bound is the claim "10 MNOK invested gives over 400 MNOK". Savings are cumulative
since 2010 while state grants began in 2016, and partner contributions are not counted, so these ratios lean high.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

import altair as alt
import pandas as pd

from comparisons.i18n import N_
from comparisons.measures import savings as sv
from comparisons.measures.normalise import (
    Money,
    Number,
    PopulationUsed,
    Step,
    Term,
    cross_rate,
    eur_rate,
    figure_year,
    population_for,
    rate_table,
    rate_years,
    render_derivation,
)
from comparisons.outputs.palette import BAND_FILL, COUNTRY_COLOURS, LOWER_HIGHER, NEUTRAL

BASES: tuple[str, ...] = ("procurement", "population", "budget")
BASIS_LABELS: dict[str, str] = {
    "procurement": N_("Public procurement volume"),
    "population": N_("Population"),
    "budget": N_("Equal budget (funding ratio)"),
}
MIN_YEARS, MAX_YEARS = 1, 30
MAX_FUNDING_DKK = 10_000_000_000.0  # widget and URL bound: DKK 10 bn a year
MAX_RATIO = 1000.0
# The range of each input, as the page's widgets and URL parsers allow it; the command line refuses the same.
INPUT_LIMITS: dict[str, tuple[float, float]] = {
    "funding_dkk": (0.0, MAX_FUNDING_DKK),
    "years": (MIN_YEARS, MAX_YEARS),
    "ramp_up": (0, MAX_YEARS),
    "savings_low": (0.0, MAX_RATIO),
    "savings_central": (0.0, MAX_RATIO),
    "savings_high": (0.0, MAX_RATIO),
}
DEFAULT_RAMP_UP = 3  # an assumption of the workbench, not a figure from a source (the page says so)
SWING = 0.2  # one-at-a-time sensitivity: +-20 %

# Where the facts are found (subject and metric ids in the data packages).
PROGRAMME = "lup"
NO_PUBLIC_SECTOR = "no-public-sector"
DK_PUBLIC_SECTOR = "dk-public-sector"
BOUND_PREFERENCE = {"exact": 0, "approx": 1, "at_least": 2, "at_most": 2}

# URL / scenario keys, in the order they are shown.
PARAM_KEYS: dict[str, str] = {
    "funding_dkk": "wi_funding",
    "years": "wi_years",
    "ramp_up": "wi_ramp",
    "savings_low": "wi_low",
    "savings_central": "wi_central",
    "savings_high": "wi_high",
    "basis": "wi_basis",
    "year": "wi_year",
}


class WhatIfInputError(ValueError):
    """An input the model cannot use. `steps` say which and why (English templates, translated by the page);
    str(error) is the same in English."""

    def __init__(self, steps: Step | Iterable[Step]):
        self.steps: tuple[Step, ...] = (steps,) if isinstance(steps, Step) else tuple(steps)
        super().__init__(render_derivation(self.steps))


# Messages (English msgids; the page translates them, the command line prints them as they are).
E_FUNDING_NAN = N_("Annual funding must be a number.")
E_FUNDING_NEG = N_("Annual funding cannot be negative (got {value}).")
E_YEARS_INT = N_("The horizon must be a whole number of years.")
E_YEARS_RANGE = N_("The horizon must be between {lo} and {hi} years (got {value}).")
E_RAMP_INT = N_("The ramp-up must be a whole number of years.")
E_RAMP_NEG = N_("The ramp-up cannot be negative (got {value}).")
E_RAMP_LONG = N_("The ramp-up ({ramp} years) cannot be longer than the horizon ({years} years).")
E_RATIO_NAN = N_("Savings per krone ({bound}) must be a number.")
E_RATIO_NEG = N_("Savings per krone ({bound}) cannot be negative (got {value}).")
E_HIGH_BELOW_LOW = N_("The high savings per krone ({high}) is below the low one ({low}): high must be at least low.")
E_CENTRAL_OUTSIDE = N_("The central savings per krone ({central}) must lie between low ({low}) and high ({high}).")
E_BASIS = N_("Unknown scaling basis: use procurement, population or budget.")
E_RATE = N_("The exchange rate (NOK per DKK) must be a positive number.")
E_NO_FIGURE = N_("The evidence gives no figure for {what}.")
E_NO_RATE = N_("No complete NOK and DKK exchange rates for {year} in reference/exchange_rates.csv.")
BOUND_NAMES: dict[str, str] = {"low": N_("low"), "central": N_("central"), "high": N_("high")}
WHAT_MISSING: dict[str, str] = {
    "pace": N_("the public bodies LUP reached and the years it had run (metrics bodies_reached, founded_year)"),
    "grant": N_("LUP's yearly state grant (metric state_grant, subject lup)"),
    "procurement": N_("public procurement of both countries (choose another basis)"),
    "population": N_("the population of both countries (choose another basis)"),
    "savings": N_("LUP's cumulative savings in NOK with a state grant before them (metric cumulative_savings)"),
    "claim": N_("a return claim for LUP (savings_claim with an investment_claim from the same source)"),
    "founded": N_("the year LUP was founded (metric founded_year)"),
    "rates": N_("complete NOK and DKK exchange rates (reference/exchange_rates.csv)"),
}


# --- inputs and calibration --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WhatIfInputs:
    """What the reader chooses. Ratios are savings (in any currency) per krone of public funding (same currency)."""

    funding_dkk: float
    years: int
    ramp_up: int
    savings_low: float
    savings_central: float
    savings_high: float
    basis: str = "procurement"
    year: int = 2020  # conversion year: the exchange rate and the Danish/Norwegian figures nearest to it
    nok_per_dkk: float = 1.0  # NOK per DKK in `year` (from the ECB annual averages)


@dataclass(frozen=True)
class Calibration:
    """Reference quantities the projection scales by; NaN where the evidence gives no figure."""

    bodies_reached_no: float  # public bodies that had used the method in Norway (cumulative)
    years_no: float  # years LUP had run when that count was made
    grant_no_nok: float  # Norway's yearly state grant to LUP, NOK (the latest known)
    procurement_no_nok: float = math.nan  # Norway's public procurement per year, NOK
    procurement_dk_dkk: float = math.nan  # Denmark's public procurement per year, DKK
    population_no: float = math.nan
    population_dk: float = math.nan

    @property
    def pace_no(self) -> float:
        """Public bodies Norway reached per year, on average."""
        return self.bodies_reached_no / self.years_no if self.years_no > 0 else math.nan


def _finite(x: Any) -> bool:  # any input: one that float() refuses is not finite
    try:
        return math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def _whole(x: object) -> bool:
    return isinstance(x, numbers.Real) and _finite(x) and math.trunc(x) == x


def validate(inputs: WhatIfInputs) -> None:
    """Raise WhatIfInputError naming every input that cannot be used (all problems at once)."""
    problems: list[Step] = []
    if not _finite(inputs.funding_dkk):
        problems.append(Step.of(E_FUNDING_NAN))
    elif inputs.funding_dkk < 0:
        problems.append(Step.of(E_FUNDING_NEG, value=Money(inputs.funding_dkk, "DKK")))
    if not _whole(inputs.years):
        problems.append(Step.of(E_YEARS_INT))
    elif not MIN_YEARS <= inputs.years <= MAX_YEARS:
        problems.append(Step.of(E_YEARS_RANGE, lo=MIN_YEARS, hi=MAX_YEARS, value=int(inputs.years)))
    if not _whole(inputs.ramp_up):
        problems.append(Step.of(E_RAMP_INT))
    elif inputs.ramp_up < 0:
        problems.append(Step.of(E_RAMP_NEG, value=int(inputs.ramp_up)))
    elif _whole(inputs.years) and inputs.ramp_up > inputs.years:
        problems.append(Step.of(E_RAMP_LONG, ramp=int(inputs.ramp_up), years=int(inputs.years)))
    ratios = {"low": inputs.savings_low, "central": inputs.savings_central, "high": inputs.savings_high}
    for name, value in ratios.items():
        if not _finite(value):
            problems.append(Step.of(E_RATIO_NAN, bound=Term(BOUND_NAMES[name])))
        elif value < 0:
            problems.append(Step.of(E_RATIO_NEG, bound=Term(BOUND_NAMES[name]), value=Number(value, 2)))
    if all(_finite(v) for v in ratios.values()):
        low, central, high = (Number(v, 2) for v in (inputs.savings_low, inputs.savings_central, inputs.savings_high))
        if inputs.savings_high < inputs.savings_low:
            problems.append(Step.of(E_HIGH_BELOW_LOW, high=high, low=low))
        elif not inputs.savings_low <= inputs.savings_central <= inputs.savings_high:
            problems.append(Step.of(E_CENTRAL_OUTSIDE, central=central, low=low, high=high))
    if inputs.basis not in BASES:
        problems.append(Step.of(E_BASIS))
    if not _finite(inputs.nok_per_dkk) or inputs.nok_per_dkk <= 0:
        problems.append(Step.of(E_RATE))
    if problems:
        raise WhatIfInputError(problems)


def _missing(what: str) -> WhatIfInputError:
    return WhatIfInputError(Step.of(E_NO_FIGURE, what=Term(WHAT_MISSING[what])))


def _check_calibration(inputs: WhatIfInputs, calib: Calibration) -> None:
    if not (_finite(calib.pace_no) and calib.pace_no >= 0):
        raise _missing("pace")
    if not (_finite(calib.grant_no_nok) and calib.grant_no_nok > 0):
        raise _missing("grant")
    if inputs.basis == "procurement" and not (
        _finite(calib.procurement_no_nok) and calib.procurement_no_nok > 0 and _finite(calib.procurement_dk_dkk)
    ):
        raise _missing("procurement")
    if inputs.basis == "population" and not (
        _finite(calib.population_no) and calib.population_no > 0 and _finite(calib.population_dk)
    ):
        raise _missing("population")


# --- the projection ----------------------------------------------------------------------------------------------


def ramp(t: int, ramp_up: int) -> float:
    """Share of full reach and effect in programme year t (1-based): t/(ramp_up+1) while ramping, then 1."""
    return 1.0 if t > ramp_up else t / (ramp_up + 1)


@dataclass(frozen=True)
class Scale:
    """Denmark relative to Norway: the basis ratio, the funding ratio, and the factor the projection uses."""

    basis_ratio: float
    funding_ratio: float
    factor: float


def scale_factor(inputs: WhatIfInputs, calib: Calibration) -> Scale:
    """The scale factor for bodies reached: min(basis ratio, funding ratio); the funding ratio alone on 'budget'."""
    funding_ratio = inputs.funding_dkk * inputs.nok_per_dkk / calib.grant_no_nok
    if inputs.basis == "procurement":
        basis_ratio = calib.procurement_dk_dkk * inputs.nok_per_dkk / calib.procurement_no_nok
    elif inputs.basis == "population":
        basis_ratio = calib.population_dk / calib.population_no
    else:
        basis_ratio = funding_ratio
    return Scale(basis_ratio, funding_ratio, min(basis_ratio, funding_ratio))


PROJECTION_COLUMNS = [
    "year",
    "ramp",
    "bodies_new",
    "bodies_reached",
    "savings_low",
    "savings_central",
    "savings_high",
    "cost",
    "net",
    "cum_savings_low",
    "cum_savings_central",
    "cum_savings_high",
    "cum_cost",
    "cum_net",
]


def project(inputs: WhatIfInputs, calib: Calibration) -> pd.DataFrame:
    """The yearly projection (one row per programme year), after validating the inputs.

    Columns: year, ramp, bodies_new, bodies_reached (cumulative), savings_low/central/high, cost, net (central)
    per year, and cum_* sums of each money series.
    """
    validate(inputs)
    _check_calibration(inputs, calib)
    scale = scale_factor(inputs, calib)
    rows = []
    for t in range(1, int(inputs.years) + 1):
        r = ramp(t, int(inputs.ramp_up))
        rows.append(
            {
                "year": t,
                "ramp": r,
                "bodies_new": calib.pace_no * scale.factor * r,
                "savings_low": inputs.savings_low * inputs.funding_dkk * r,
                "savings_central": inputs.savings_central * inputs.funding_dkk * r,
                "savings_high": inputs.savings_high * inputs.funding_dkk * r,
                "cost": float(inputs.funding_dkk),
            }
        )
    frame = pd.DataFrame.from_records(rows)
    frame["net"] = frame["savings_central"] - frame["cost"]
    frame["bodies_reached"] = frame["bodies_new"].cumsum()
    for col in ("savings_low", "savings_central", "savings_high", "cost", "net"):
        frame[f"cum_{col}"] = frame[col].cumsum()
    return frame[PROJECTION_COLUMNS]


def break_even_year(projection: pd.DataFrame) -> int | None:
    """First year in which cumulative central savings reach cumulative cost (money was spent); None if never."""
    hit = projection[(projection["cum_cost"] > 0) & (projection["cum_savings_central"] >= projection["cum_cost"])]
    return None if hit.empty else int(hit["year"].iloc[0])


@dataclass(frozen=True)
class Outcome:
    """The key outputs at the horizon."""

    bodies_reached: float
    savings_low: float
    savings_central: float
    savings_high: float
    cost: float
    net: float
    break_even_year: int | None


def outcome(inputs: WhatIfInputs, calib: Calibration) -> Outcome:
    proj = project(inputs, calib)
    last = proj.iloc[-1]
    return Outcome(
        float(last["bodies_reached"]),
        float(last["cum_savings_low"]),
        float(last["cum_savings_central"]),
        float(last["cum_savings_high"]),
        float(last["cum_cost"]),
        float(last["cum_net"]),
        break_even_year(proj),
    )


# --- sensitivity -------------------------------------------------------------------------------------------------

SENSITIVITY_LABELS: dict[str, str] = {
    "funding_dkk": N_("Annual public funding"),
    "savings_central": N_("Savings per krone (central → low / high)"),
    "ramp_up": N_("Ramp-up years"),
    "years": N_("Horizon"),
    "nok_per_dkk": N_("Exchange rate NOK per DKK"),
}


def _int_variants(value: int, lo: int, hi: int, swing: float) -> tuple[int, int]:
    """value -/+ swing, rounded, at least one step, kept within [lo, hi]."""
    down = min(round(value * (1 - swing)), value - 1)
    up = max(round(value * (1 + swing)), value + 1)
    return max(lo, down), min(hi, up)


def variants(inputs: WhatIfInputs, swing: float = SWING) -> dict[str, tuple[WhatIfInputs, WhatIfInputs]]:
    """For each input, the (lower, higher) scenario that varies it alone."""
    ramp_lo, ramp_hi = _int_variants(int(inputs.ramp_up), 0, int(inputs.years), swing)
    years_lo, years_hi = _int_variants(int(inputs.years), max(MIN_YEARS, int(inputs.ramp_up)), MAX_YEARS, swing)
    return {
        "funding_dkk": (
            replace(inputs, funding_dkk=inputs.funding_dkk * (1 - swing)),
            replace(inputs, funding_dkk=inputs.funding_dkk * (1 + swing)),
        ),
        "savings_central": (
            replace(inputs, savings_central=inputs.savings_low),
            replace(inputs, savings_central=inputs.savings_high),
        ),
        "ramp_up": (replace(inputs, ramp_up=ramp_lo), replace(inputs, ramp_up=ramp_hi)),
        "years": (replace(inputs, years=years_lo), replace(inputs, years=years_hi)),
        "nok_per_dkk": (
            replace(inputs, nok_per_dkk=inputs.nok_per_dkk * (1 - swing)),
            replace(inputs, nok_per_dkk=inputs.nok_per_dkk * (1 + swing)),
        ),
    }


def sensitivity(inputs: WhatIfInputs, calib: Calibration, swing: float = SWING) -> pd.DataFrame:
    """One-at-a-time sensitivity of cumulative central net benefit (and bodies reached) at the horizon.

    One row per input: its value in the lower and higher variant, the net benefit and bodies reached there, and the
    change against the base case. Sorted by impact (largest absolute change in net benefit, then in bodies reached),
    ready for a tornado chart.
    """
    base = outcome(inputs, calib)
    records = []
    for name, (low, high) in variants(inputs, swing).items():
        out_low, out_high = outcome(low, calib), outcome(high, calib)
        records.append(
            {
                "input": name,
                "label": SENSITIVITY_LABELS[name],
                "base_value": float(getattr(inputs, name)),
                "low_value": float(getattr(low, name)),
                "high_value": float(getattr(high, name)),
                "net_base": base.net,
                "net_low": out_low.net,
                "net_high": out_high.net,
                "delta_low": out_low.net - base.net,
                "delta_high": out_high.net - base.net,
                "bodies_delta_low": out_low.bodies_reached - base.bodies_reached,
                "bodies_delta_high": out_high.bodies_reached - base.bodies_reached,
            }
        )
    frame = pd.DataFrame.from_records(records)
    frame["impact"] = frame[["delta_low", "delta_high"]].abs().max(axis=1)
    frame["bodies_impact"] = frame[["bodies_delta_low", "bodies_delta_high"]].abs().max(axis=1)
    ordered = frame.sort_values(["impact", "bodies_impact", "input"], ascending=[False, False, True])
    return ordered.reset_index(drop=True)


# --- URL parameters of a scenario --------------------------------------------------------------------------------


def scenario_params(inputs: WhatIfInputs) -> dict[str, str]:
    """The URL query parameters that reopen this scenario (the page publishes exactly these strings)."""
    values = asdict(inputs)
    return {key: str(values[name]) for name, key in PARAM_KEYS.items()}


def scenario_query(inputs: WhatIfInputs, lang: str | None = None) -> str:
    """A shareable query string, e.g. '?lang=da&wi_funding=8000000.0&...'."""
    params = ({"lang": lang} if lang else {}) | scenario_params(inputs)
    return "?" + urlencode(params)


def compare_scenarios(scenarios: dict[str, tuple[WhatIfInputs, Outcome]], lang: str | None = None) -> pd.DataFrame:
    """Saved scenarios side by side: one row each with its inputs, key outputs and the query string that reopens it."""
    records = []
    for name, (inputs, result) in scenarios.items():
        records.append(
            {
                "scenario": name,
                "funding_dkk": float(inputs.funding_dkk),
                "years": int(inputs.years),
                "ramp_up": int(inputs.ramp_up),
                "savings_low": float(inputs.savings_low),
                "savings_central": float(inputs.savings_central),
                "savings_high": float(inputs.savings_high),
                "basis": inputs.basis,
                "year": int(inputs.year),
                "bodies_reached": result.bodies_reached,
                "cum_savings_low": result.savings_low,
                "cum_savings_central": result.savings_central,
                "cum_savings_high": result.savings_high,
                "cum_cost": result.cost,
                "cum_net": result.net,
                "break_even_year": result.break_even_year,
                "link": scenario_query(inputs, lang),
            }
        )
    frame = pd.DataFrame.from_records(records)
    if not frame.empty:
        frame["break_even_year"] = pd.array(frame["break_even_year"].tolist(), dtype="Int64")
    return frame


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


# --- charts (Altair) ---------------------------------------------------------------------------------------------


MILLION = 1_000_000.0


def band_frame(projection: pd.DataFrame, labels: dict[str, str], divisor: float = MILLION) -> pd.DataFrame:
    """Long frame for the band chart: one row per year and series (low-high band, central, cost), money / divisor."""
    money = ["cum_savings_low", "cum_savings_central", "cum_savings_high", "cum_cost"]
    base = projection[["year", *money]].copy()
    base[money] = base[money] / divisor
    band = base.assign(series=labels["band"], value=base["cum_savings_central"])
    central = base.assign(series=labels["central"], value=base["cum_savings_central"])
    cost = base.assign(series=labels["cost"], value=base["cum_cost"])
    return pd.concat([band, central, cost], ignore_index=True)


def band_chart(
    projection: pd.DataFrame, labels: dict[str, str], note: str, divisor: float = MILLION
) -> alt.LayerChart | alt.FacetChart:
    """Cumulative savings as a low-high band with the central line, and cumulative cost as a dashed line.

    Money is shown divided by `divisor` (millions by default; say so in labels["y"]). `labels`: title, x, y, band,
    central, cost, low, high, source (all translated); `note` names the sources of the ratios, in every tooltip.
    """
    data = band_frame(projection, labels, divisor).assign(note=note)
    colour = alt.Scale(
        domain=[labels["band"], labels["central"], labels["cost"]],
        range=[BAND_FILL, COUNTRY_COLOURS["DK"], NEUTRAL],
    )
    legend = alt.Legend(orient="bottom", direction="horizontal", labelLimit=280, title=None)
    x = alt.X("year:Q", title=labels["x"], axis=alt.Axis(format="d", tickMinStep=1))
    tooltip = [
        alt.Tooltip("year:Q", title=labels["x"], format="d"),
        alt.Tooltip("cum_savings_low:Q", title=labels["low"], format=",.1f"),
        alt.Tooltip("cum_savings_central:Q", title=labels["central"], format=",.1f"),
        alt.Tooltip("cum_savings_high:Q", title=labels["high"], format=",.1f"),
        alt.Tooltip("cum_cost:Q", title=labels["cost"], format=",.1f"),
        alt.Tooltip("note:N", title=labels.get("source", "Source")),
    ]
    area = (
        alt.Chart(data[data["series"] == labels["band"]])
        .mark_area(opacity=0.7)
        .encode(
            x=x,
            y=alt.Y("cum_savings_low:Q", title=labels["low"], axis=alt.Axis(format=",.0f", title=labels["y"])),
            y2=alt.Y2("cum_savings_high:Q", title=labels["high"]),
            color=alt.Color("series:N", title=labels["series"], scale=colour, legend=legend),
            tooltip=tooltip,
        )
    )
    # The band's light fill is below 3:1 on white; its low and high edges, dotted in the Danish colour, carry it.
    band_rows = alt.Chart(data[data["series"] == labels["band"]])
    edges = [
        band_rows.mark_line(color=COUNTRY_COLOURS["DK"], strokeDash=[2, 2], strokeWidth=1.5).encode(
            x=x, y=alt.Y(f"{field}:Q", title=labels[bound], axis=alt.Axis(title=labels["y"])), tooltip=tooltip
        )
        for field, bound in (("cum_savings_low", "low"), ("cum_savings_high", "high"))
    ]
    lines = (
        alt.Chart(data[data["series"] != labels["band"]])
        .mark_line(point=True)
        .encode(
            x=x,
            y=alt.Y("value:Q", title=labels["y"]),
            color=alt.Color("series:N", title=labels["series"], scale=colour, legend=legend),
            strokeDash=alt.condition(alt.datum.series == labels["cost"], alt.value([6, 4]), alt.value([1, 0])),
            tooltip=tooltip,
        )
    )
    return alt.layer(area, *edges, lines).properties(title=labels["title"], height=320)


def tornado_frame(
    sens: pd.DataFrame, gettext: Callable[[str], str], fmt: Callable[[str, float], str], labels: dict[str, str]
) -> pd.DataFrame:
    """Long frame for the tornado chart: two bars per input (lower and higher variant) with readable values."""
    records = []
    for _, row in sens.iterrows():
        name = gettext(row["label"])
        for side in ("low", "high"):
            records.append(
                {
                    "input": name,
                    "variant": labels[side],
                    "value": fmt(row["input"], row[f"{side}_value"]),
                    "base": fmt(row["input"], row["base_value"]),
                    "change": float(row[f"delta_{side}"]),
                    "bodies_change": float(row[f"bodies_delta_{side}"]),
                }
            )
    return pd.DataFrame.from_records(records, columns=["input", "variant", "value", "base", "change", "bodies_change"])


def tornado_chart(frame: pd.DataFrame, labels: dict[str, str], note: str, divisor: float = MILLION) -> alt.Chart:
    """Horizontal bars from zero: the change in cumulative net benefit when each input moves down or up alone.

    Money is divided by `divisor` (millions by default; say so in labels["x"]).
    """
    order = list(dict.fromkeys(frame["input"]))
    data = frame.assign(note=note, change=frame["change"] / divisor)
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("input:N", sort=order, title=labels["input"], axis=alt.Axis(labelLimit=260, title=None)),
            x=alt.X("change:Q", title=labels["x"], axis=alt.Axis(format=",.0f")),
            color=alt.Color(
                "variant:N",
                title=labels["variant"],
                scale=alt.Scale(domain=[labels["low"], labels["high"]], range=list(LOWER_HIGHER)),
                legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=400, title=None),
            ),
            yOffset=alt.YOffset("variant:N", title=labels["variant"]),
            tooltip=[
                alt.Tooltip("input:N", title=labels["input"]),
                alt.Tooltip("variant:N", title=labels["variant"]),
                alt.Tooltip("value:N", title=labels["value"]),
                alt.Tooltip("base:N", title=labels["base"]),
                alt.Tooltip("change:Q", title=labels["x"], format=",.1f"),
                alt.Tooltip("bodies_change:Q", title=labels["bodies"], format=",.1f"),
                alt.Tooltip("note:N", title=labels.get("source", "Source")),
            ],
        )
        .properties(title=labels["title"], height=alt.Step(18))
    )
