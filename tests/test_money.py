"""Conversion, per-inhabitant and share-of-total normalisation, against small hand-made frames.

Every expectation below is computed by hand from the rates and populations in the frames, so a wrong formula, a
wrong rate year or a silent fallback fails a test.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from comparisons.measures import money as nz
from comparisons.measures import procurement as pv

SRC = "ecb-test"


def plain(text: str) -> str:
    """babel writes non-breaking spaces; compare with ordinary ones."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def rates_frame(rows: list[tuple[int, str, float, bool]], days: int | None = 250) -> pd.DataFrame:
    """Reference-style rates: (year, quote, rate, partial) with base EUR."""
    return pd.DataFrame(
        {
            "year": pd.array([r[0] for r in rows], dtype="Int64"),
            "base": "EUR",
            "quote": [r[1] for r in rows],
            "rate": pd.array([r[2] for r in rows], dtype="Float64"),
            "days": pd.array([89 if r[3] else days for r in rows], dtype="Int64"),
            "partial": pd.array([r[3] for r in rows], dtype="boolean"),
            "method": "ecb_annual_mean",
            "source_id": SRC,
        }
    )


RATES = rates_frame(
    [
        (2019, "NOK", 10.0, False),
        (2019, "DKK", 7.5, False),
        (2020, "NOK", 10.5, False),
        (2020, "DKK", 7.45, False),
        (2025, "NOK", 11.0, True),
        (2025, "DKK", 7.5, True),
    ]
)

POPULATION = pd.DataFrame(
    {
        "country": ["NO", "NO", "NO", "DK", "DK", "DK"],
        "date": ["2020", "2020-01-01", "2021-01-01", "2019-01-01", "2019-09-30", "2023"],
        "kind": ["midyear", "jan1", "jan1", "jan1", "quarter_end", "midyear"],
        "value": pd.array([5_000_000, 4_000_000, 5_500_000, 5_800_000, 9_999_999, 6_000_000], dtype="Int64"),
        "source_id": ["wb", "ssb", "ssb", "dst", "dst-q", "wb"],
        "quote": "",
    }
)


def fact(
    fact_id: str,
    value: float,
    unit: str,
    end: str,
    country: str = "NO",
    bound: str = "exact",
    start: str | None = None,
    metric: str = "procurement_volume",
    subject: str = "no-public-sector",
) -> dict:
    return {
        "fact_id": fact_id,
        "country": country,
        "subject": subject,
        "metric": metric,
        "value": value,
        "bound": bound,
        "unit": unit,
        "period_start": start or end,
        "period_end": end,
        "as_of": end,
    }


def facts_frame(*rows: dict) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows))
    frame["value"] = frame["value"].astype("Float64")
    return frame


# --- rates --------------------------------------------------------------------------------------------------------


def test_eur_rate_and_cross_rate_through_the_euro():
    nok, eur = nz.eur_rate(RATES, "NOK", 2019), nz.eur_rate(RATES, "EUR", 2019)
    assert nok is not None and nok.rate == 10.0
    assert eur is not None and eur.rate == 1.0
    assert nz.eur_rate(RATES, "NOK", 2018) is None
    assert nz.cross_rate(RATES, "NOK", "DKK", 2019) == pytest.approx(0.75)  # 7.5 / 10
    assert nz.cross_rate(RATES, "DKK", "NOK", 2020) == pytest.approx(10.5 / 7.45)
    assert nz.cross_rate(RATES, "EUR", "DKK", 2020) == pytest.approx(7.45)
    assert nz.cross_rate(RATES, "SEK", "NOK", 2020) is None
    assert nz.convert_amount(1000, "NOK", "EUR", 2020, RATES) == pytest.approx(1000 / 10.5)


def test_nearest_rate_year_prefers_the_year_then_the_closest_complete_then_earlier():
    assert nz.nearest_rate_year(RATES, 2020, ["NOK"]) == 2020
    assert nz.nearest_rate_year(RATES, 2022, ["NOK"]) == 2020  # 2 away, against 2025 three away
    assert nz.nearest_rate_year(RATES, 2010, ["NOK", "DKK"]) == 2019
    odd = rates_frame([(2018, "NOK", 9.0, True), (2020, "NOK", 10.0, False), (2022, "NOK", 11.0, False)])
    assert nz.nearest_rate_year(odd, 2019, ["NOK"]) == 2020  # equally near: the complete year wins
    assert nz.nearest_rate_year(odd, 2021, ["NOK"]) == 2020  # equally near and complete: the earlier
    assert nz.nearest_rate_year(odd, 2021, ["DKK"]) is None


def test_rate_years_need_every_currency():
    only_nok = rates_frame([(2018, "NOK", 9.0, False), (2019, "NOK", 9.5, False), (2019, "DKK", 7.4, False)])
    assert nz.rate_years(only_nok, ["NOK", "DKK", "EUR"]) == [2019]
    assert nz.rate_years(only_nok, ["EUR"]) == [2018, 2019]


# --- convert_facts ------------------------------------------------------------------------------------------------


def test_convert_each_figure_at_its_own_year():
    out = nz.convert_facts(
        facts_frame(fact("A", 1000.0, "NOK", "2019"), fact("B", 1000.0, "NOK", "2020-09")), RATES, "DKK"
    )
    a, b = out.iloc[0], out.iloc[1]
    assert a["converted"] == pytest.approx(750.0)
    assert b["converted"] == pytest.approx(1000 * 7.45 / 10.5)
    assert (a["rate_year"], b["rate_year"]) == (2019, 2020)
    assert not a["rate_fallback"] and not a["rate_partial"]
    text = b["derivation"]
    assert "B:" in text and "10.5" in text and "7.45" in text and "2020" in text and SRC in text
    assert out["currency"].eq("DKK").all()


def test_convert_at_a_chosen_year_says_so():
    out = nz.convert_facts(facts_frame(fact("A", 1000.0, "NOK", "2020")), RATES, "EUR", rate_year=2019)
    row = out.iloc[0]
    assert row["converted"] == pytest.approx(100.0)
    assert row["rate_year"] == 2019
    assert "converted at the 2019 average rate" in row["derivation"]


def test_missing_year_falls_back_to_the_nearest_and_says_so():
    out = nz.convert_facts(facts_frame(fact("A", 1000.0, "NOK", "2022")), RATES, "EUR")
    row = out.iloc[0]
    assert row["rate_year"] == 2020 and bool(row["rate_fallback"])
    assert row["converted"] == pytest.approx(1000 / 10.5)
    assert "no rate for 2022" in row["derivation"] and "nearest year with a rate, 2020" in row["derivation"]


def test_partial_year_rate_is_flagged():
    out = nz.convert_facts(facts_frame(fact("A", 1100.0, "NOK", "2025")), RATES, "EUR")
    row = out.iloc[0]
    assert bool(row["rate_partial"])
    assert row["converted"] == pytest.approx(100.0)
    assert "part of the year only (89 days)" in row["derivation"]


def test_same_currency_non_money_and_unknown_currency():
    out = nz.convert_facts(
        facts_frame(fact("A", 5.0, "NOK", "2020"), fact("B", 7.0, "count", "2020"), fact("C", 9.0, "SEK", "2020")),
        RATES,
        "NOK",
    )
    assert out.loc[0, "converted"] == 5.0 and out.loc[0, "rate"] == 1.0 and pd.isna(out.loc[0, "rate_year"])
    assert "already in NOK" in out.loc[0, "derivation"]
    assert pd.isna(out.loc[1, "converted"]) and "not a money figure" in out.loc[1, "derivation"]
    assert pd.isna(out.loc[2, "converted"]) and "no exchange rate from SEK to NOK" in out.loc[2, "derivation"]


def test_bound_travels_into_the_derivation_and_input_is_not_modified():
    facts = facts_frame(fact("A", 400e6, "NOK", "2019", bound="at_least"))
    before = facts.copy()
    out = nz.convert_facts(facts, RATES, "EUR")
    text = plain(out.iloc[0]["derivation"])
    assert "over NOK 400M" in text and "= over EUR 40M" in text
    pd.testing.assert_frame_equal(facts, before)


def test_figure_year_reads_end_then_start_then_as_of():
    assert nz.figure_year("2020-09", "2010") == 2020
    assert nz.figure_year(None, "2014") == 2014
    assert nz.figure_year(pd.NA, None, "2019-10") == 2019
    assert nz.figure_year("", None, None) is None


# --- population ---------------------------------------------------------------------------------------------------


def test_population_prefers_midyear_then_jan1_then_nearest():
    mid = nz.population_for(POPULATION, "NO", 2020)
    assert mid is not None and (mid.kind, mid.value, mid.year) == ("midyear", 5_000_000, 2020)
    jan = nz.population_for(POPULATION, "NO", 2021)
    assert jan is not None and (jan.kind, jan.value) == ("jan1", 5_500_000)
    # 2019 in Denmark: a 1 January count exists; the quarter-end count is never used.
    dk = nz.population_for(POPULATION, "DK", 2019)
    assert dk is not None and (dk.kind, dk.value) == ("jan1", 5_800_000)
    near = nz.population_for(POPULATION, "DK", 2025)
    assert near is not None and (near.year, near.kind) == (2023, "midyear")
    assert nz.population_for(POPULATION, "SE", 2020) is None


def test_per_inhabitant_divides_and_names_the_population_used():
    conv = nz.convert_facts(
        facts_frame(fact("A", 1e9, "NOK", "2020"), fact("B", 1e9, "NOK", "2021"), fact("C", 6e9, "DKK", "2025", "DK")),
        RATES,
        "NOK",
    )
    out = nz.per_inhabitant(conv, POPULATION)
    assert out.loc[0, "per_inhabitant"] == pytest.approx(200.0)  # 1e9 / 5e6 (mid-year, not the 4e6 of 1 January)
    assert "mid-year population of Norway in 2020: 5,000,000 (source wb)" in out.loc[0, "derivation"]
    assert out.loc[1, "per_inhabitant"] == pytest.approx(1e9 / 5.5e6)
    assert "on 1 January 2021" in out.loc[1, "derivation"]
    # DKK 6e9 at 2025 (partial) rates: 6e9 / 7.5 * 11 NOK, over the 2023 population (nearest), said.
    assert out.loc[2, "per_inhabitant"] == pytest.approx(6e9 / 7.5 * 11.0 / 6e6)
    assert out.loc[2, "population_year"] == 2023
    assert "no population figure for 2025" in out.loc[2, "derivation"]


def test_per_inhabitant_without_population_says_so():
    conv = nz.convert_facts(facts_frame(fact("A", 1e9, "NOK", "2020", country="SE")), RATES, "NOK")
    out = nz.per_inhabitant(conv, POPULATION)
    assert pd.isna(out.loc[0, "per_inhabitant"])
    assert "No population figure for Sweden was found" in out.loc[0, "derivation"]


# --- bounds and shares --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("num", "den", "expected"),
    [
        ("exact", "exact", "exact"),
        ("at_least", "exact", "at_least"),
        ("exact", "at_least", "at_most"),
        ("at_most", "exact", "at_most"),
        ("exact", "at_most", "at_least"),
        ("at_least", "at_most", "at_least"),
        ("at_least", "at_least", "approx"),
        ("approx", "exact", "approx"),
        (None, None, "exact"),
    ],
)
def test_ratio_bound(num, den, expected):
    assert nz.ratio_bound(num, den) == expected


def test_sum_bound():
    assert nz.sum_bound(["exact", "exact"]) == "exact"
    assert nz.sum_bound(["exact", "at_least"]) == "at_least"
    assert nz.sum_bound(["at_least", "at_most"]) == "approx"
    assert nz.sum_bound(["approx", "exact"]) == "approx"


def test_shares_of_total_one_row_per_total_never_averaged():
    parts = facts_frame(
        fact("P1", 100.0, "DKK", "2020", "DK", metric="procurement_volume_local"),
        fact("P2", 50.0, "DKK", "2016", "DK", metric="procurement_volume_state"),
        fact("P3", 10.5, "NOK", "2020", metric="procurement_volume_local"),
    )
    totals = facts_frame(
        fact("T1", 400.0, "DKK", "2020", "DK", bound="approx"),
        fact("T2", 500.0, "DKK", "2020", "DK"),
        fact("T3", 10.0, "EUR", "2020"),
    )
    out = pv.shares_of_total(parts, totals, RATES)
    p1 = out[out["fact_id"] == "P1"].set_index("total_fact_id")
    assert p1.loc["T1", "share"] == pytest.approx(25.0) and p1.loc["T1", "bound"] == "approx"
    assert p1.loc["T2", "share"] == pytest.approx(20.0) and p1.loc["T2", "bound"] == "exact"
    p2 = out[out["fact_id"] == "P2"].iloc[0]
    assert pd.isna(p2["share"]) and "No total procurement figure for Denmark in 2016" in p2["derivation"]
    p3 = out[out["fact_id"] == "P3"].iloc[0]
    assert p3["share"] == pytest.approx(10.0)  # NOK 10.5 = EUR 1 at 2020 rates, of EUR 10
    assert "÷ 10.5 NOK per EUR" in p3["derivation"] and "= 10%" in p3["derivation"]


# --- rendering in the reader's language ---------------------------------------------------------------------------


def test_render_translates_templates_and_formats_parameters_per_language():
    out = nz.convert_facts(facts_frame(fact("A", 1e9, "NOK", "2020")), RATES, "EUR")
    steps = out.iloc[0]["derivation_steps"]
    fake = {nz.T_TO_EUR: "OVERSATT {fact_id} {amount} / {rate_from} = {result}"}
    text = nz.render_derivation(steps, lambda s: fake.get(s, s), "nb")
    assert plain(text) == "OVERSATT A 1 mrd. NOK / 10,5 = 95,2 mill. EUR"
    assert nz.render_step(nz.Step.of("{c}", c=nz.Term("Norway")), lambda s: {"Norway": "Norge"}.get(s, s)) == "Norge"
    assert plain(nz.render_param(nz.Percent(36.842105), str, "da")) == "36,8 %"
    assert nz.render_param(nz.Number(7.931, 2, "at_most"), str, "en") == "under 7.93"


# --- procurement view ---------------------------------------------------------------------------------------------


def test_procurement_totals_keep_every_conflicting_figure_and_pick_the_shown_value():
    facts = facts_frame(
        fact("N1", 500e9, "NOK", "2020"),
        fact("N2", 650e9, "NOK", "2020", bound="approx"),
        fact("D1", 380e9, "DKK", "2020", "DK", subject="dk-public-sector"),
        fact("X", 15e9, "NOK", "2020", metric="procurement_volume_local", subject="no-local-government"),
        fact("R", 1e9, "NOK", "2020", subject="rogaland-local-government"),
    )
    absolute = pv.procurement_totals(facts, RATES, POPULATION, "EUR")
    assert list(absolute["fact_id"]) == ["N1", "N2", "D1"]  # Norway first, both 2020 figures kept
    assert absolute.set_index("fact_id").loc["D1", "shown"] == pytest.approx(380e9 / 7.45)
    per_head = pv.procurement_totals(facts, RATES, POPULATION, "NOK", norm="per_inhabitant")
    assert per_head.set_index("fact_id").loc["N1", "shown"] == pytest.approx(500e9 / 5e6)
    subs = pv.procurement_subtotals(facts, RATES, POPULATION, "NOK")
    assert list(subs["fact_id"]) == ["X"]


def test_procurement_chart_has_one_point_per_figure_and_no_line():
    points = pd.DataFrame(
        {
            "country_name": ["Norway", "Norway"],
            "year": [2020, 2020],
            "y": [5e11, 6.5e11],
            "bound_label": ["exact", "approximately"],
            "publisher": ["A", "B"],
        }
    )
    from comparisons.outputs.charts import country_colour

    chart = pv.procurement_chart(
        points,
        country_colour({"NO": "Norway", "DK": "Denmark"}),
        {"x": "Year", "y": "bn", "country": "Country", "bound": "Bound"},
        [("publisher", "Publisher")],
        scale=1e9,
    )
    spec = chart.to_dict()
    assert spec["mark"]["type"] == "point"
    assert [t["field"] for t in spec["encoding"]["tooltip"]] == ["publisher"]
    assert spec["encoding"]["color"]["scale"]["range"] == ["#0072B2", "#D55E00"]
    values = next(iter(spec["datasets"].values()))
    assert [v["y"] for v in values] == [500.0, 650.0]


# --- properties ---------------------------------------------------------------------------------------------------

CURRENCY = st.sampled_from(["NOK", "DKK", "EUR"])
RATE = st.floats(min_value=0.01, max_value=1000, allow_nan=False, allow_infinity=False)
AMOUNT = st.floats(min_value=-1e13, max_value=1e13, allow_nan=False, allow_infinity=False)


@st.composite
def random_rates(draw: st.DrawFn) -> tuple[pd.DataFrame, int]:
    year = draw(st.integers(2000, 2030))
    nok, dkk = draw(RATE), draw(RATE)
    # Prepared once with rate_table (what the page does), so each example costs one frame, not one per call.
    return nz.rate_table(rates_frame([(year, "NOK", nok, draw(st.booleans())), (year, "DKK", dkk, False)])), year


@settings(max_examples=150, deadline=None)
@given(random_rates(), CURRENCY, CURRENCY, AMOUNT)
def test_round_trip_returns_the_value(rates_year, a, b, value):
    rates, year = rates_year
    there = nz.convert_amount(value, a, b, year, rates)
    assert there is not None  # every currency has a rate in `year`
    back = nz.convert_amount(there, b, a, year, rates)
    assert back is not None and math.isclose(back, value, rel_tol=1e-9, abs_tol=1e-6)


@settings(max_examples=150, deadline=None)
@given(random_rates(), CURRENCY, CURRENCY, AMOUNT, AMOUNT, st.floats(-1e3, 1e3, allow_nan=False))
def test_conversion_is_linear(rates_year, a, b, x, y, k):
    rates, year = rates_year
    combined = nz.convert_amount(k * x + y, a, b, year, rates)
    x_there, y_there = nz.convert_amount(x, a, b, year, rates), nz.convert_amount(y, a, b, year, rates)
    rate = nz.cross_rate(rates, a, b, year)
    assert combined is not None and x_there is not None and y_there is not None and rate is not None
    separate = k * x_there + y_there
    scale = max(abs(k * x), abs(y), 1.0) * rate
    assert math.isclose(combined, separate, rel_tol=1e-9, abs_tol=1e-9 * scale)


@settings(max_examples=150, deadline=None)
@given(random_rates(), CURRENCY, CURRENCY, CURRENCY, AMOUNT)
def test_cross_rates_are_consistent(rates_year, a, b, c, value):
    rates, year = rates_year
    at_b = nz.convert_amount(value, a, b, year, rates)
    assert at_b is not None
    via_b = nz.convert_amount(at_b, b, c, year, rates)
    direct = nz.convert_amount(value, a, c, year, rates)
    assert via_b is not None and direct is not None and math.isclose(via_b, direct, rel_tol=1e-9, abs_tol=1e-6)


@settings(max_examples=60, deadline=None)
@given(random_rates(), CURRENCY, CURRENCY, st.floats(0, 1e13, allow_nan=False), st.integers(1990, 2040))
def test_convert_facts_agrees_with_convert_amount_and_names_its_inputs(rates_year, a, b, value, year):
    rates, rate_year = rates_year
    out = nz.convert_facts(facts_frame(fact("F-1", value, a, str(year))), rates, b)
    row = out.iloc[0]
    # Only one year has rates, so every figure falls back to it (and says so) unless it is that year.
    expected = nz.convert_amount(value, a, b, rate_year, rates)
    assert expected is not None and math.isclose(float(row["converted"]), expected, rel_tol=1e-12, abs_tol=1e-9)
    assert row["derivation"].startswith("F-1")
    if a != b:
        assert row["rate_year"] == rate_year
        assert bool(row["rate_fallback"]) == (year != rate_year)
        assert (f"no rate for {year}" in row["derivation"]) == (year != rate_year)


def test_a_chosen_year_without_rates_falls_back_and_says_so():
    out = nz.convert_facts(facts_frame(fact("A", 1000.0, "NOK", "2019")), RATES, "EUR", rate_year=2023)
    row = out.iloc[0]
    assert row["rate_year"] == 2025 and bool(row["rate_fallback"]) and bool(row["rate_partial"])  # 2 from 2023
    assert "There is no rate for 2023; the nearest year with a rate, 2025, was used." in row["derivation"]
    assert "converted at the 2023 average rate" in row["derivation"]


# ---- shares_of_total: looking totals up by (country, year) gives exactly what scanning them per part gave


def _reference_shares_of_total(parts: pd.DataFrame, totals: pd.DataFrame, rates) -> pd.DataFrame:
    """shares_of_total as it was before the lookup: every part scans every total; derivations rendered uncached."""
    from comparisons.i18n.formatting import fmt_percent, fmt_value
    from comparisons.measures.money import COUNTRY_NAMES, Money, Percent, Step, Term, figure_year, ratio_bound

    def render(steps) -> str:
        def param(value: object) -> str:
            if isinstance(value, nz.Money):
                return fmt_value(value.value, value.currency, "en", value.bound, compact=True)
            if isinstance(value, nz.Number):
                prefix = nz.BOUND_PREFIX["en"].get(value.bound, "")
                return prefix + nz.fmt_number(value.value, "en", decimals=value.decimals)
            if isinstance(value, nz.Percent):
                from decimal import Decimal

                return fmt_percent(Decimal(str(round(value.value, 1))), "en")
            if isinstance(value, nz.Term):
                return value.msgid
            return str(value)

        return " ".join(s.template.format(**{k: param(v) for k, v in s.params}) for s in steps)

    table = nz.RateIndex.of(rates)
    records = []
    total_years = [figure_year(r.period_end, r.period_start, getattr(r, "as_of", None)) for r in totals.itertuples()]
    for part in parts.itertuples(index=False):
        year = figure_year(part.period_end, part.period_start, getattr(part, "as_of", None))
        country = str(part.country)
        name = Term(COUNTRY_NAMES.get(country, country))
        same = totals[(totals["country"].astype(str) == country).to_numpy() & [y == year for y in total_years]]
        part_bound = part.bound if isinstance(part.bound, str) else "exact"
        if same.empty or year is None:
            records.append(
                {
                    "fact_id": part.fact_id,
                    "total_fact_id": None,
                    "year": year,
                    "share": None,
                    "bound": None,
                    "derivation_steps": (Step.of(pv.T_SHARE_NONE, country=name, year=year),),
                }
            )
            continue
        for total in same.itertuples(index=False):
            total_bound = total.bound if isinstance(total.bound, str) else "exact"
            conv = nz.convert_one(
                str(part.fact_id), float(part.value), str(part.unit), str(total.unit), year, table, part_bound
            )
            if conv.value is None or not total.value:
                records.append(
                    {
                        "fact_id": part.fact_id,
                        "total_fact_id": total.fact_id,
                        "year": year,
                        "share": None,
                        "bound": None,
                        "derivation_steps": conv.steps,
                    }
                )
                continue
            share = 100.0 * conv.value / float(total.value)
            bound = ratio_bound(part_bound, total_bound)
            step = Step.of(
                pv.T_SHARE,
                fact_id=part.fact_id,
                amount=Money(float(part.value), str(part.unit), part_bound),
                total_id=total.fact_id,
                total=Money(float(total.value), str(total.unit), total_bound),
                country=name,
                year=year,
                result=Percent(share),
            )
            steps = (step,) if part.unit == total.unit else (*conv.steps, step)
            records.append(
                {
                    "fact_id": part.fact_id,
                    "total_fact_id": total.fact_id,
                    "year": year,
                    "share": share,
                    "bound": bound,
                    "derivation_steps": steps,
                }
            )
    out = pd.DataFrame.from_records(
        records, columns=["fact_id", "total_fact_id", "year", "share", "bound", "derivation_steps"]
    )
    out["year"] = pd.array(out["year"], dtype="Int64")
    out["share"] = pd.array(out["share"], dtype="Float64")
    out["derivation"] = [render(s) for s in out["derivation_steps"]]
    return out


def _procurement_inputs(ev):
    from comparisons.evidence.base import facts_with_sources

    facts = facts_with_sources(ev)
    rates = nz.rate_table(ev["exchange_rates"])
    subtotals = pv.procurement_subtotals(facts, rates, ev["population"], "EUR")
    totals = facts[(facts["metric"] == pv.TOTAL_METRIC) & facts["subject"].isin(set(pv.TOTAL_SUBJECTS.values()))]
    return subtotals, totals, rates


def test_shares_of_total_same_as_scan_on_shipped_data() -> None:
    from tests.helpers import shipped_evidence

    subtotals, totals, rates = _procurement_inputs(shipped_evidence())
    new = pv.shares_of_total(subtotals, totals, rates)
    assert new["share"].notna().any()
    pd.testing.assert_frame_equal(new, _reference_shares_of_total(subtotals, totals, rates))
    # Other parts and totals: every money figure against every money figure, in another order.
    money = totals.iloc[::-1]
    pd.testing.assert_frame_equal(
        pv.shares_of_total(subtotals.iloc[::-1], money, rates),
        _reference_shares_of_total(subtotals.iloc[::-1], money, rates),
    )


@pytest.mark.parametrize("subjects", ["same", "copies"])
def test_shares_of_total_same_as_scan_on_synthetic_data(subjects: str) -> None:
    from tests.synthetic import synthetic_evidence

    subtotals, totals, rates = _procurement_inputs(synthetic_evidence(3, subjects))
    pd.testing.assert_frame_equal(
        pv.shares_of_total(subtotals, totals, rates), _reference_shares_of_total(subtotals, totals, rates)
    )


def test_render_param_cache_keeps_equal_but_different_values_apart() -> None:
    assert nz.render_param(nz.Money(0.0, "NOK"), lambda s: s, "en") == nz.render_param(nz.Money(0.0, "NOK"), str, "en")
    for a, b in ((nz.Number(1, 0), nz.Number(1.0, 0)), (nz.Money(-0.0, "EUR"), nz.Money(0.0, "EUR"))):
        assert nz.render_param(a, str, "en") == nz.render_param(a, str, "en")
        assert nz.render_param(b, str, "nb") == nz._render_number(b, "nb")
        assert nz.render_param(a, str, "nb") == nz._render_number(a, "nb")
