"""The what-if model (comparisons/measures/whatif.py): hand-computed cases, validation, defaults traced to shipped facts, CLI.

Hand-computed reference case (CAL, BASE below):
Norway reached 100 bodies in 10 years (10 a year) on a state grant of NOK 10 m; procurement NOK 500 bn vs DKK 250 bn;
population 5 m vs 6 m; 1.5 NOK per DKK. Funding DKK 10 m, savings per krone 2 / 3 / 5.
- procurement ratio = 250 bn x 1.5 / 500 bn = 0.75; funding ratio = 10 m x 1.5 / 10 m = 1.5; factor = 0.75.
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import replace

import pandas as pd
import pytest

from comparisons import cli
from comparisons.evidence.base import load_evidence
from comparisons.measures import savings as sv
from comparisons.measures import whatif
from comparisons.measures import whatif_defaults as wd
from comparisons.measures.money import rate_table
from comparisons.measures.whatif import Calibration, WhatIfInputError, WhatIfInputs
from comparisons.outputs import whatif_charts as wc
from tests.helpers import DATA

CAL = Calibration(
    bodies_reached_no=100,
    years_no=10,
    grant_no_nok=10_000_000,
    procurement_no_nok=500e9,
    procurement_dk_dkk=250e9,
    population_no=5e6,
    population_dk=6e6,
)
BASE = WhatIfInputs(
    funding_dkk=10_000_000,
    years=3,
    ramp_up=0,
    savings_low=2,
    savings_central=3,
    savings_high=5,
    basis="procurement",
    year=2020,
    nok_per_dkk=1.5,
)


# --- hand-computed projections -------------------------------------------------------------------------------------


def test_no_ramp_three_years() -> None:
    p = whatif.project(BASE, CAL)
    assert list(p["year"]) == [1, 2, 3]
    assert list(p["ramp"]) == [1.0, 1.0, 1.0]
    assert list(p["savings_central"]) == [30e6] * 3
    assert list(p["savings_low"]) == [20e6] * 3 and list(p["savings_high"]) == [50e6] * 3
    assert list(p["cost"]) == [10e6] * 3
    assert list(p["net"]) == [20e6] * 3
    assert list(p["cum_net"]) == [20e6, 40e6, 60e6]
    assert list(p["cum_cost"]) == [10e6, 20e6, 30e6]
    assert p["bodies_new"].tolist() == pytest.approx([7.5, 7.5, 7.5])  # 10 a year x 0.75
    assert p["bodies_reached"].tolist() == pytest.approx([7.5, 15, 22.5])
    assert whatif.break_even_year(p) == 1


def test_zero_funding_gives_zero_savings_cost_and_reach() -> None:
    p = whatif.project(replace(BASE, funding_dkk=0.0), CAL)
    for col in ("savings_low", "savings_central", "savings_high", "cost", "net", "cum_net", "bodies_reached"):
        assert (p[col] == 0).all(), col
    assert whatif.break_even_year(p) is None  # nothing spent, nothing to break even on
    result = whatif.outcome(replace(BASE, funding_dkk=0.0), CAL)
    assert (result.savings_central, result.cost, result.net, result.bodies_reached) == (0, 0, 0, 0)


def test_one_year_horizon() -> None:
    one = replace(BASE, years=1)
    p = whatif.project(one, CAL)
    assert len(p) == 1
    assert p.iloc[0]["cum_savings_central"] == 30e6 and p.iloc[0]["cum_cost"] == 10e6
    # With a one-year ramp-up the single year runs at half strength: 3 x 10 m x 1/2 = 15 m.
    half = whatif.project(replace(one, ramp_up=1), CAL)
    assert half.iloc[0]["ramp"] == 0.5
    assert half.iloc[0]["savings_central"] == 15e6
    assert half.iloc[0]["bodies_reached"] == pytest.approx(3.75)
    assert whatif.break_even_year(half) == 1


def test_ramp_up_shares_and_break_even() -> None:
    # Ramp-up 3 over 4 years: shares 1/4, 2/4, 3/4, 1 (sum 2.5).
    inputs = replace(BASE, years=4, ramp_up=3)
    p = whatif.project(inputs, CAL)
    assert p["ramp"].tolist() == [0.25, 0.5, 0.75, 1.0]
    assert p["savings_central"].tolist() == [7.5e6, 15e6, 22.5e6, 30e6]
    assert p.iloc[-1]["cum_savings_central"] == 75e6
    assert p.iloc[-1]["cum_cost"] == 40e6
    assert p.iloc[-1]["bodies_reached"] == pytest.approx(7.5 * 2.5)
    # Year 1: 7.5 m < 10 m; year 2: 22.5 m >= 20 m.
    assert whatif.break_even_year(p) == 2
    # The ramp-up lowers the result against no ramp-up (75 m vs 120 m of savings).
    assert whatif.outcome(replace(inputs, ramp_up=0), CAL).savings_central == 120e6


def test_never_breaking_even() -> None:
    p = whatif.project(replace(BASE, years=4, ramp_up=3, savings_low=0.5, savings_central=1), CAL)
    # Savings 2.5, 5, 7.5, 10 m against 10 m a year: cumulative 25 m < 40 m.
    assert p.iloc[-1]["cum_savings_central"] == 25e6
    assert whatif.break_even_year(p) is None


@pytest.mark.parametrize(
    ("basis", "funding", "per_year"),
    [
        ("procurement", 10e6, 7.5),  # min(0.75, 1.5)
        ("procurement", 2e6, 3.0),  # funding ratio 2 m x 1.5 / 10 m = 0.3 caps the basis ratio 0.75
        ("population", 10e6, 12.0),  # min(6/5, 1.5)
        ("budget", 10e6, 15.0),  # the funding ratio itself
        ("budget", 4e6, 6.0),  # 4 m x 1.5 / 10 m = 0.6
    ],
)
def test_scale_factor_per_basis(basis: str, funding: float, per_year: float) -> None:
    p = whatif.project(replace(BASE, basis=basis, funding_dkk=funding), CAL)
    assert p["bodies_new"].tolist() == pytest.approx([per_year] * 3)


def test_exchange_rate_changes_reach_only() -> None:
    a = whatif.outcome(BASE, CAL)
    b = whatif.outcome(replace(BASE, nok_per_dkk=1.0), CAL)  # procurement ratio 0.5, funding ratio 1.0
    assert a.net == b.net
    assert b.bodies_reached == pytest.approx(3 * 10 * 0.5)


# --- validation ----------------------------------------------------------------------------------------------------


def test_high_below_low_is_rejected_with_a_clear_message() -> None:
    with pytest.raises(WhatIfInputError) as info:
        whatif.project(replace(BASE, savings_low=5, savings_central=5, savings_high=2), CAL)
    message = str(info.value)
    assert "high savings per krone (2) is below the low one (5)" in message
    assert "high must be at least low" in message
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"funding_dkk": -1.0}, "Annual funding cannot be negative"),
        ({"funding_dkk": math.nan}, "Annual funding must be a number"),
        ({"years": 0}, "horizon must be between 1 and 30 years (got 0)"),
        ({"years": 31}, "horizon must be between 1 and 30 years (got 31)"),
        ({"years": 2.5}, "horizon must be a whole number"),
        ({"ramp_up": 4}, "ramp-up (4 years) cannot be longer than the horizon (3 years)"),
        ({"ramp_up": -1}, "ramp-up cannot be negative"),
        ({"savings_central": 6}, "central savings per krone (6) must lie between low (2) and high (5)"),
        ({"savings_low": -1}, "Savings per krone (low) cannot be negative"),
        ({"basis": "gdp"}, "Unknown scaling basis"),
        ({"nok_per_dkk": 0}, "exchange rate (NOK per DKK) must be a positive number"),
    ],
)
def test_bad_inputs_are_rejected(change: dict, fragment: str) -> None:
    with pytest.raises(WhatIfInputError, match=None) as info:
        whatif.project(replace(BASE, **change), CAL)
    assert fragment in str(info.value)


def test_every_problem_is_named_at_once() -> None:
    with pytest.raises(WhatIfInputError) as info:
        whatif.validate(replace(BASE, funding_dkk=-5, years=40, savings_high=1))
    assert len(info.value.steps) == 3


def test_missing_calibration_is_named() -> None:
    with pytest.raises(WhatIfInputError, match="public procurement of both countries"):
        whatif.project(BASE, replace(CAL, procurement_dk_dkk=math.nan))
    # Another basis still works without procurement figures.
    assert whatif.outcome(replace(BASE, basis="population"), replace(CAL, procurement_dk_dkk=math.nan)).net == 60e6


def test_the_error_translates() -> None:
    from comparisons.i18n import gettext_for
    from comparisons.measures.money import render_derivation

    with pytest.raises(WhatIfInputError) as info:
        whatif.validate(replace(BASE, savings_low=2.5, savings_high=1.25))
    english = render_derivation(info.value.steps)
    danish = render_derivation(info.value.steps, gettext_for("da"), "da")
    assert english == str(info.value)
    assert "(1.25)" in english and "(2.5)" in english
    assert "(1,25)" in danish and "(2,5)" in danish  # numbers in Danish style whatever the sentence's language


# --- sensitivity ---------------------------------------------------------------------------------------------------


def test_sensitivity_hand_computed_and_sorted() -> None:
    # Base net benefit: 10 m x (3 x 3 - 3) = 60 m.
    s = whatif.sensitivity(BASE, CAL).set_index("input")
    assert s.loc["funding_dkk", ["delta_low", "delta_high"]].tolist() == pytest.approx([-12e6, 12e6])
    assert s.loc["savings_central", ["low_value", "high_value"]].tolist() == [2, 5]
    assert s.loc["savings_central", ["delta_low", "delta_high"]].tolist() == pytest.approx([-30e6, 60e6])
    assert s.loc["years", ["low_value", "high_value"]].tolist() == [2, 4]
    assert s.loc["years", ["delta_low", "delta_high"]].tolist() == pytest.approx([-20e6, 20e6])
    # Ramp-up 0 cannot go lower; one year up gives shares 1/2, 1, 1: 3 x 10 m x 2.5 - 30 m = 45 m.
    assert s.loc["ramp_up", ["low_value", "high_value"]].tolist() == [0, 1]
    assert s.loc["ramp_up", ["delta_low", "delta_high"]].tolist() == pytest.approx([0, -15e6])
    assert s.loc["nok_per_dkk", ["delta_low", "delta_high"]].tolist() == [0, 0]
    assert s.loc["nok_per_dkk", "bodies_delta_low"] < 0 < s.loc["nok_per_dkk", "bodies_delta_high"]
    order = whatif.sensitivity(BASE, CAL)["input"].tolist()
    assert order == ["savings_central", "years", "ramp_up", "funding_dkk", "nok_per_dkk"]


def test_tornado_and_band_charts_build() -> None:
    labels = {
        k: k
        for k in (
            "title",
            "x",
            "y",
            "band",
            "central",
            "cost",
            "low",
            "high",
            "source",
            "series",
            "input",
            "variant",
            "value",
            "base",
            "bodies",
        )
    }
    p = whatif.project(BASE, CAL)
    spec = wc.band_chart(p, labels, "note").to_dict()
    assert spec["layer"][0]["mark"]["type"] == "area"
    band = wc.band_frame(p, labels)
    assert band.loc[band["series"] == "central", "cum_savings_central"].tolist() == pytest.approx(
        [30, 60, 90]
    )  # millions
    frame = wc.tornado_frame(whatif.sensitivity(BASE, CAL), lambda s: s, lambda name, v: f"{v:g}", labels)
    assert len(frame) == 10 and frame["input"].iloc[0] == whatif.SENSITIVITY_LABELS["savings_central"]
    assert wc.tornado_chart(frame, labels, "note").to_dict()["mark"]["type"] == "bar"


# --- scenarios in the URL ------------------------------------------------------------------------------------------


def test_scenario_params_and_query() -> None:
    params = whatif.scenario_params(BASE)
    assert params == {
        "wi_funding": "10000000",
        "wi_years": "3",
        "wi_ramp": "0",
        "wi_low": "2",
        "wi_central": "3",
        "wi_high": "5",
        "wi_basis": "procurement",
        "wi_year": "2020",
    }
    assert whatif.scenario_query(BASE, "da").startswith("?lang=da&wi_funding=10000000&wi_years=3")


def test_compare_scenarios() -> None:
    named = {
        "a": (BASE, whatif.outcome(BASE, CAL)),
        "b": (replace(BASE, funding_dkk=0.0), whatif.outcome(replace(BASE, funding_dkk=0.0), CAL)),
    }
    table = whatif.compare_scenarios(named, "nb")
    assert table["scenario"].tolist() == ["a", "b"]
    assert table["cum_net"].tolist() == [60e6, 0]
    assert table["break_even_year"].iloc[0] == 1 and pd.isna(table["break_even_year"].iloc[1])
    assert table["link"].iloc[0].startswith("?lang=nb&")


# --- defaults from the shipped evidence ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> tuple:
    ev = load_evidence(DATA)
    return ev, wd.derive_defaults(ev.tables)


def _facts() -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for package in ("norway", "denmark"):
        with open(DATA / package / "facts.csv", encoding="utf-8-sig", newline="") as fh:
            rows += list(csv.DictReader(fh))
    return rows


def test_every_default_traces_to_existing_fact_ids(shipped: tuple) -> None:
    _ev, d = shipped
    facts = {f["fact_id"]: f for f in _facts()}
    ids = wd.default_fact_ids(d)
    assert ids and ids <= set(facts), ids - set(facts)
    for key in ("funding", "horizon", "low", "central", "high", "pace"):
        assert getattr(d, key).fact_ids, key


def test_savings_defaults_are_the_results_pages_named_ratios(shipped: tuple) -> None:
    """One definition: low, central and high are rows of comparisons.measures.savings.savings_ratios, which the
    Results page lists, with the same inputs, and rounded only for the input widget."""
    ev, d = shipped
    ratios = sv.savings_ratios(ev["facts"], rate_table(ev["exchange_rates"])).set_index("ratio_id")
    for key in ("low", "central", "high"):
        deriv = getattr(d, key)
        row = ratios.loc[deriv.ratio_id]
        assert deriv.value == round(float(row["ratio"]), 2)
        assert deriv.numerator_ids == tuple(row["numerator_fact_ids"].split())
        assert deriv.denominator_ids == tuple(row["denominator_fact_ids"].split())
        assert deriv.denominator == float(row["denominator"])
    facts = {f["fact_id"]: f for f in _facts()}
    # Central is the latest savings figure given in NOK (334 MNOK, source document 004 in 2020); low the lowest.
    own = ratios[(ratios["kind"] == "savings_per_grant") & (ratios["numerator_unit"] == "NOK")]
    assert d.central.ratio_id == own["last_year"].astype(int).idxmax()
    assert d.low.ratio_id == own["ratio"].astype(float).idxmin()
    assert facts[d.central.numerator_ids[0]]["unit"] == "NOK"
    s, i = facts[d.high.numerator_ids[0]], facts[d.high.denominator_ids[0]]
    assert (s["metric"], i["metric"]) == ("savings_claim", "investment_claim") and s["source_id"] == i["source_id"]
    assert d.low.value <= d.central.value <= d.high.value


def test_shipped_defaults_match_the_brief(shipped: tuple) -> None:
    """The figures the brief names: >183 MNOK, 334 MNOK (2020), 10 MNOK -> over 400 MNOK; 2018 has no grant fact."""
    _ev, d = shipped
    assert d.low.numerator == 183_000_000 and d.low.numerator_bound == "at_least"
    assert d.central.numerator == 334_000_000 and d.central.span[1] == 2020
    assert d.high.value == 40
    assert 2018 in d.central.missing_years
    assert d.year == 2020
    assert d.calibration.bodies_reached_no == 234


def test_shipped_defaults_run(shipped: tuple) -> None:
    ev, d = shipped
    for basis in whatif.BASES:
        result = whatif.outcome(d.inputs(basis), d.calibration)
        assert result.bodies_reached > 0 and result.cost == d.funding.value * d.horizon.value
    # Another conversion year changes the rate and the figures nearest to it.
    other = wd.derive_defaults(ev.tables, 2015)
    assert other.year == 2015 and other.nok_per_dkk != d.nok_per_dkk
    rates = pd.read_csv(DATA / "reference" / "exchange_rates.csv")
    r = rates[rates["year"] == 2015].set_index("quote")["rate"]
    assert other.nok_per_dkk == pytest.approx(r["NOK"] / r["DKK"])


# --- command line --------------------------------------------------------------------------------------------------


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["whatif", *argv], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_cli_table_with_break_even() -> None:
    code, out, _err = run(
        "--funding", "8000000", "--years", "4", "--ramp-up", "3", "--low", "0.5", "--central", "1", "--high", "2"
    )
    assert code == 0
    # Savings 2, 4, 6, 8 m against 8 m a year: cumulative 20 m < 32 m.
    assert "break-even year: none within 4 years" in out
    assert out.splitlines()[0].split()[:4] == ["year", "bodies_reached", "savings_low", "savings_central"]


def test_cli_json_matches_the_model(shipped: tuple) -> None:
    _ev, d = shipped
    code, out, _err = run("--format", "json", "--years", "5", "--basis", "population")
    assert code == 0
    records = json.loads(out)
    expected = whatif.project(replace(d.inputs("population"), years=5), d.calibration)
    assert [r["year"] for r in records] == [1, 2, 3, 4, 5]
    assert records[-1]["cum_net"] == round(expected.iloc[-1]["cum_net"])
    assert records[0]["break_even_year"] == whatif.break_even_year(expected)


def test_cli_csv() -> None:
    code, out, _err = run(
        "--format", "csv", "--years", "2", "--ramp-up", "0", "--funding", "1000000", "--central", "10"
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 2 and float(rows[0]["savings_central"]) == 10_000_000 and rows[0]["break_even_year"] == "1"


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (("--high", "1"), "below the low one"),
        (("--funding", "-5"), "--funding must be between 0 and"),
        (("--years", "0"), "between 1 and 30"),
        (("--years", "3", "--ramp-up", "5"), "cannot be longer than the horizon"),
        (("--basis", "gdp"), "Unknown scaling basis"),
        (("--year", "1990"), "no complete NOK and DKK exchange rates for 1990"),
        (("--years", "ten"), "invalid int value"),
    ],
)
def test_cli_bad_values_exit_2(argv: tuple[str, ...], fragment: str, capsys: pytest.CaptureFixture) -> None:
    code, _out, err = run(*argv)
    assert code == 2
    assert fragment in err + capsys.readouterr().err
