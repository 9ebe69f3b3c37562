"""Properties of the what-if model that hold for every valid input (hypothesis).

- low <= central <= high, every year and cumulatively;
- more funding never lowers savings, cost or bodies reached, and moves net benefit in the direction of its sign;
- a higher savings ratio never lowers savings or net benefit;
- the break-even year is exactly the first year where cumulative savings reach cumulative cost;
- invalid inputs (high below low, negative funding, horizon outside 1-30, ramp-up beyond the horizon) always raise.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from comparisons.measures import whatif
from comparisons.measures.whatif import Calibration, WhatIfInputError, WhatIfInputs

REL = 1e-9


def le(a: float, b: float, scale: float = 0.0) -> bool:
    """a <= b up to floating-point rounding; `scale` is the size of the terms a difference was computed from
    (a net of savings and costs near 1e11 carries their rounding, however small the net)."""
    return a <= b + REL * max(1.0, abs(a), abs(b), abs(scale))


money = st.floats(min_value=0, max_value=whatif.MAX_FUNDING_DKK, allow_nan=False, allow_infinity=False)
ratio = st.floats(min_value=0, max_value=100, allow_nan=False, allow_infinity=False)
positive = st.floats(min_value=1e-3, max_value=1e13, allow_nan=False, allow_infinity=False)


@st.composite
def calibrations(draw: st.DrawFn) -> Calibration:
    return Calibration(
        bodies_reached_no=draw(st.floats(min_value=0, max_value=10_000)),
        years_no=draw(st.integers(min_value=1, max_value=30)),
        grant_no_nok=draw(positive),
        procurement_no_nok=draw(positive),
        procurement_dk_dkk=draw(st.floats(min_value=0, max_value=1e13)),
        population_no=draw(positive),
        population_dk=draw(st.floats(min_value=0, max_value=1e9)),
    )


@st.composite
def scenarios(draw: st.DrawFn) -> WhatIfInputs:
    years = draw(st.integers(min_value=whatif.MIN_YEARS, max_value=whatif.MAX_YEARS))
    low, central, high = sorted(draw(st.lists(ratio, min_size=3, max_size=3)))
    return WhatIfInputs(
        funding_dkk=draw(money),
        years=years,
        ramp_up=draw(st.integers(min_value=0, max_value=years)),
        savings_low=low,
        savings_central=central,
        savings_high=high,
        basis=draw(st.sampled_from(whatif.BASES)),
        year=2020,
        nok_per_dkk=draw(st.floats(min_value=0.1, max_value=10)),
    )


@settings(max_examples=200, deadline=None)
@given(scenarios(), calibrations())
def test_low_central_high_are_ordered(inputs: WhatIfInputs, calib: Calibration) -> None:
    p = whatif.project(inputs, calib)
    for prefix in ("", "cum_"):
        assert all(le(a, b) for a, b in zip(p[f"{prefix}savings_low"], p[f"{prefix}savings_central"], strict=True))
        assert all(le(a, b) for a, b in zip(p[f"{prefix}savings_central"], p[f"{prefix}savings_high"], strict=True))
    assert (p["bodies_reached"].diff().dropna() >= -REL).all()  # cumulative never falls
    assert len(p) == inputs.years


@settings(max_examples=200, deadline=None)
@given(scenarios(), calibrations(), money)
def test_monotone_in_funding(inputs: WhatIfInputs, calib: Calibration, other: float) -> None:
    lo, hi = sorted((inputs.funding_dkk, other))
    a = whatif.outcome(replace(inputs, funding_dkk=lo), calib)
    b = whatif.outcome(replace(inputs, funding_dkk=hi), calib)
    for field in ("savings_low", "savings_central", "savings_high", "cost", "bodies_reached"):
        assert le(getattr(a, field), getattr(b, field)), field
    # Net benefit is funding x (central x sum of ramp shares - years): it moves with funding in the sign of that bracket.
    shares = sum(whatif.ramp(t, inputs.ramp_up) for t in range(1, inputs.years + 1))
    bracket = inputs.savings_central * shares - inputs.years
    terms = max(a.cost, b.cost, a.savings_central, b.savings_central)
    if bracket >= 0:
        assert le(a.net, b.net, terms)
    else:
        assert le(b.net, a.net, terms)


@settings(max_examples=200, deadline=None)
@given(scenarios(), calibrations(), st.floats(min_value=1, max_value=5))
def test_monotone_in_savings_ratio(inputs: WhatIfInputs, calib: Calibration, factor: float) -> None:
    base = whatif.outcome(inputs, calib)
    # All three ratios scaled up together.
    up = replace(
        inputs,
        savings_low=inputs.savings_low * factor,
        savings_central=inputs.savings_central * factor,
        savings_high=inputs.savings_high * factor,
    )
    more = whatif.outcome(up, calib)
    terms = max(base.cost, more.savings_central)
    for field in ("savings_low", "savings_central", "savings_high", "net"):
        assert le(getattr(base, field), getattr(more, field), terms), field
    assert more.cost == base.cost and more.bodies_reached == base.bodies_reached
    # The central ratio moved up within its bounds.
    central_up = whatif.outcome(replace(inputs, savings_central=inputs.savings_high), calib)
    assert le(base.savings_central, central_up.savings_central)
    assert le(base.net, central_up.net, max(base.cost, central_up.savings_central))


@settings(max_examples=200, deadline=None)
@given(scenarios(), calibrations())
def test_break_even_is_the_first_year_savings_reach_cost(inputs: WhatIfInputs, calib: Calibration) -> None:
    p = whatif.project(inputs, calib)
    year = whatif.break_even_year(p)
    reached = [(s >= c and c > 0) for s, c in zip(p["cum_savings_central"], p["cum_cost"], strict=True)]
    assert year == (reached.index(True) + 1 if any(reached) else None)


@settings(max_examples=100, deadline=None)
@given(scenarios(), calibrations())
def test_zero_funding_is_zero(inputs: WhatIfInputs, calib: Calibration) -> None:
    result = whatif.outcome(replace(inputs, funding_dkk=0.0), calib)
    assert (result.savings_low, result.savings_central, result.savings_high, result.cost, result.net) == (0, 0, 0, 0, 0)
    assert result.bodies_reached == 0 and result.break_even_year is None


@settings(max_examples=100, deadline=None)
@given(scenarios(), calibrations())
def test_sensitivity_is_sorted_and_consistent(inputs: WhatIfInputs, calib: Calibration) -> None:
    s = whatif.sensitivity(inputs, calib)
    assert set(s["input"]) == set(whatif.SENSITIVITY_LABELS)
    assert all(le(b, a) for a, b in zip(s["impact"], s["impact"].iloc[1:], strict=False))
    base = whatif.outcome(inputs, calib).net
    assert s["net_base"].eq(base).all()
    funding = s.set_index("input").loc["funding_dkk"]
    assert le(funding["delta_low"] * funding["delta_high"], 0)  # down and up move net benefit in opposite directions


@settings(max_examples=100, deadline=None)
@given(scenarios(), st.data())
def test_invalid_inputs_always_raise(inputs: WhatIfInputs, data: st.DataObject) -> None:
    low = data.draw(st.floats(min_value=0.01, max_value=100))
    high = data.draw(st.floats(min_value=0, max_value=low, exclude_max=True))
    assume(high < low)
    bad = [
        replace(inputs, savings_low=low, savings_central=low, savings_high=high),
        replace(inputs, funding_dkk=-data.draw(st.floats(min_value=1e-6, max_value=1e12))),
        replace(inputs, years=data.draw(st.one_of(st.integers(max_value=0), st.integers(min_value=31))), ramp_up=0),
        replace(inputs, ramp_up=inputs.years + data.draw(st.integers(min_value=1, max_value=50))),
    ]
    for case in bad:
        with pytest.raises(WhatIfInputError):
            whatif.validate(case)
