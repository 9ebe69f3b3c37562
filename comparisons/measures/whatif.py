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
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from typing import Any
from urllib.parse import urlencode

import pandas as pd

from comparisons.i18n import N_
from comparisons.measures.money import (
    Money,
    Number,
    Step,
    Term,
    render_derivation,
)

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
