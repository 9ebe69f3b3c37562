"""The evidence ledger, conflict groups, state grants by year and savings ratios, against hand-made frames.

The frames mirror the shape of LUP's evidence (savings snapshots in NOK and EUR, a return claim, grants for some
years only), with round numbers so that every expected ratio can be checked by hand.
"""

from __future__ import annotations

import pandas as pd
import pytest

from comparisons.measures import results as rs
from comparisons.measures import savings as sv

RATES = pd.DataFrame(
    {
        "year": pd.array([2020, 2020, 2021, 2021], dtype="Int64"),
        "base": "EUR",
        "quote": ["NOK", "DKK", "NOK", "DKK"],
        "rate": pd.array([10.0, 7.5, 10.0, 7.5], dtype="Float64"),
        "days": pd.array([250] * 4, dtype="Int64"),
        "partial": pd.array([False] * 4, dtype="boolean"),
        "method": "ecb_annual_mean",
        "source_id": "ecb",
    }
)

METRICS = pd.DataFrame(
    {
        "metric_id": [
            "cumulative_savings",
            "savings_claim",
            "investment_claim",
            "bodies_reached",
            "state_grant",
            "jobs_created",
            "new_results_metric",
        ],
        "topic": ["results", "results", "funding", "reach", "funding", "results", "results"],
        "quantity": ["money", "money", "money", "count", "money", "count", "count"],
        "label_nb": ["Besparelser", "Påstått besparelse", "Investering", "Virksomheter", "Tilskudd", "Jobber", "Ny"],
        "label_da": ["Besparelser", "Påstået besparelse", "Investering", "Virksomheder", "Tilskud", "Job", "Ny"],
        "label_en": ["Savings", "Claimed savings", "Investment", "Bodies", "Grant", "Jobs", "New"],
        "definition_en": ["Savings since start.", "Claim.", "Investment.", "Bodies.", "Grant.", "Jobs.", "New."],
    }
)


def f(
    fact_id: str,
    metric: str,
    value: float,
    unit: str,
    start: str,
    end: str,
    *,
    subject: str = "lup",
    bound: str = "exact",
    source: str = "s1",
    as_of: str | None = None,
    country: str = "NO",
) -> dict:
    return {
        "fact_id": fact_id,
        "country": country,
        "subject": subject,
        "metric": metric,
        "value": value,
        "bound": bound,
        "unit": unit,
        "period_start": start,
        "period_end": end,
        "as_of": as_of or end,
        "source_id": source,
        "quote": "q",
        "note": "",
        "derived_from": "",
    }


def frame(*rows: dict) -> pd.DataFrame:
    out = pd.DataFrame(list(rows))
    out["value"] = out["value"].astype("Float64")
    return out


GRANTS = [
    f("G16a", "state_grant", 10e6, "NOK", "2016", "2016", bound="at_least", source="s-old", as_of="2015-10"),
    f("G16b", "state_grant", 10e6, "NOK", "2016", "2016", source="s-new", as_of="2016-10"),
    f("G17", "state_grant", 10e6, "NOK", "2017", "2017"),
    # 2018: no grant in any source.
    f("G19-nfd", "state_grant", 8e6, "NOK", "2019", "2019", subject="nfd", bound="approx"),
    f("G20", "state_grant", 12e6, "NOK", "2020", "2020"),
    f("G20-nfd", "state_grant", 11e6, "NOK", "2020", "2020", subject="nfd"),
]
FACTS = frame(
    f("S19", "cumulative_savings", 180e6, "NOK", "2010", "2019", bound="at_least", source="ks"),
    f("S20", "cumulative_savings", 400e6, "NOK", "2010", "2020-09", source="coi"),
    f("S21", "cumulative_savings", 40e6, "EUR", "2010", "2021", source="lup-en"),
    f("C-save", "savings_claim", 400e6, "NOK", "2010", "2019", bound="at_least", source="summit"),
    f("C-inv", "investment_claim", 10e6, "NOK", "2010", "2019", source="summit"),
    f("C-inv-other", "investment_claim", 99e6, "NOK", "2010", "2019", source="elsewhere"),
    f("B1", "bodies_reached", 145, "count", "2010", "2019"),
    f("B2", "bodies_reached", 234, "count", "2010", "2020-09", source="coi"),
    f("B3", "bodies_reached", 234, "count", "2010", "2021", source="lup-en"),
    f("J1", "jobs_created", 250, "count", "2010", "2019"),
    f("J2", "jobs_created", 250, "count", "2010", "2019", source="other"),
    f("N1", "new_results_metric", 3, "count", "2020", "2020"),
    f("DK1", "cumulative_savings", 1e9, "DKK", "2020", "2020", subject="dk-regions", country="DK"),
    *GRANTS,
)


# --- ledger and conflicts -----------------------------------------------------------------------------------------


def test_ledger_holds_every_results_figure_in_measure_order_then_date():
    ledger = rs.evidence_ledger(FACTS, METRICS)
    assert "G17" not in set(ledger["fact_id"])  # grants are funding, not results
    assert set(ledger["fact_id"]) == {
        "S19",
        "S20",
        "S21",
        "C-save",
        "C-inv",
        "C-inv-other",
        "B1",
        "B2",
        "B3",
        "J1",
        "J2",
        "N1",
        "DK1",
    }
    order = list(ledger["fact_id"])
    # Savings group first (the claim sits in it by date), then the investment, bodies, jobs, the new metric last.
    assert order.index("S19") < order.index("S20") < order.index("S21") < order.index("C-inv")
    assert order.index("C-save") < order.index("S20")
    assert order.index("B3") < order.index("J1") < order.index("N1")
    row = ledger.set_index("fact_id").loc["C-save"]
    assert row["group"] == "cumulative_savings" and row["label_nb"] == "Påstått besparelse"
    assert row["definition_en"] == "Claim." and row["year"] == 2019


def test_conflicts_keep_every_differing_figure_side_by_side():
    ledger = rs.evidence_ledger(FACTS, METRICS)
    conflicts = rs.conflict_groups(ledger, RATES)
    groups = {k: list(g["fact_id"]) for k, g in conflicts.groupby("group_key", sort=False)}
    assert groups["NO/lup/cumulative_savings"] == ["S19", "C-save", "S20", "S21"]
    assert groups["NO/lup/bodies_reached"] == ["B1", "B2", "B3"]  # equal later values stay, each with its source
    assert "NO/lup/jobs_created" not in groups  # two sources agree: no conflict
    assert "DK/dk-regions/cumulative_savings" not in groups  # a single figure
    assert "NO/lup/investment_claim" in groups  # 10 vs 99 from different sources
    savings = conflicts[conflicts["group_key"] == "NO/lup/cumulative_savings"].set_index("fact_id")
    assert savings.loc["S21", "equivalent"] == pytest.approx(400e6)  # EUR 40 m at 10 NOK per EUR (2021)
    assert savings.loc["S21", "equivalent_currency"] == "NOK"
    assert (
        "S21: EUR" in savings.loc["S21", "equivalent_derivation"]
        and "2021" in savings.loc["S21", "equivalent_derivation"]
    )
    assert pd.isna(savings.loc["S20", "equivalent"])  # already NOK: nothing derived
    assert (savings["group_size"] == 4).all()
    assert list(savings["value"]) == [180e6, 400e6, 400e6, 40e6]  # nothing averaged, nothing dropped


# --- grants -------------------------------------------------------------------------------------------------------


def test_state_grants_by_year_uses_facts_only_and_marks_gaps():
    grants = sv.state_grants_by_year(FACTS, 2016, 2021).set_index("year")
    assert grants.loc[2016, "fact_ids"] == "G16b"  # exact before "over"
    assert grants.loc[2016, "other_fact_ids"] == "G16a"
    assert grants.loc[2016, "status"] == sv.STATUS_FOUND
    assert grants.loc[2017, "value"] == 10e6
    assert grants.loc[2018, "status"] == sv.STATUS_MISSING and pd.isna(grants.loc[2018, "value"])
    assert grants.loc[2019, "status"] == sv.STATUS_PARTIAL and grants.loc[2019, "value"] == 8e6
    assert grants.loc[2019, "bound"] == "approx"
    assert grants.loc[2020, "fact_ids"] == "G20" and grants.loc[2020, "value"] == 12e6  # the whole, not the NFD part
    assert grants.loc[2021, "status"] == sv.STATUS_MISSING
    assert sv.first_grant_year(FACTS) == 2016
    assert sv.savings_start_year(FACTS) == 2010


# --- ratios -------------------------------------------------------------------------------------------------------


def test_savings_per_krone_of_grant_lists_inputs_and_leaves_gaps_unfilled():
    ratios = sv.savings_ratios(FACTS, RATES).set_index("ratio_id")
    r20 = ratios.loc["grant-S20"]
    # 400 m / (10 + 10 + 8 + 12) m = 10, grants 2016-2020 with 2018 not found and 2019 only in part.
    assert r20["ratio"] == pytest.approx(400 / 40)
    assert r20["denominator"] == pytest.approx(40e6)
    assert r20["fact_ids"].split() == ["S20", "G16b", "G17", "G19-nfd", "G20"]
    assert r20["missing_years"] == (2018,)
    assert (r20["first_year"], r20["last_year"]) == (2016, 2020)
    assert r20["bound"] == "approx"  # the 2019 part is approximate
    text = r20["derivation"]
    assert "No state grant figure was found for 2018" in text and "not filled in" in text
    assert "For 2019 only part of the grant is known (G19-nfd)" in text
    assert "cumulative since 2010, but state grants started in 2016" in text
    r21 = ratios.loc["grant-S21"]
    assert r21["numerator"] == pytest.approx(400e6)  # EUR 40 m at the 2021 rate
    assert r21["missing_years"] == (2018, 2021)
    assert "S21: EUR" in r21["derivation"]


def test_exact_inputs_give_an_exact_ratio_and_missing_years_an_upper_bound():
    facts = frame(
        f("S", "cumulative_savings", 90e6, "NOK", "2016", "2017"),
        f("G16", "state_grant", 10e6, "NOK", "2016", "2016"),
        f("G17", "state_grant", 20e6, "NOK", "2017", "2017"),
        f("T", "cumulative_savings", 90e6, "NOK", "2016", "2018"),
    )
    ratios = sv.savings_ratios(facts, RATES).set_index("ratio_id")
    assert ratios.loc["grant-S", "ratio"] == pytest.approx(3.0) and ratios.loc["grant-S", "bound"] == "exact"
    assert "state grants started" not in ratios.loc["grant-S", "derivation"]  # savings start with the grants
    # 2018 has no grant: the known grants understate the true total, so 3.0 is at most the real ratio.
    assert ratios.loc["grant-T", "ratio"] == pytest.approx(3.0) and ratios.loc["grant-T", "bound"] == "at_most"


def test_the_return_claim_is_its_own_ratio_from_the_same_source():
    ratios = sv.savings_ratios(FACTS, RATES).set_index("ratio_id")
    claim = ratios.loc["claim-C-save"]
    assert claim["ratio"] == pytest.approx(40.0) and claim["bound"] == "at_least"
    assert claim["fact_ids"] == "C-save C-inv"  # not the 99 m investment from another source
    assert claim["kind"] == "claim"
    assert "as the same source states them = over 40" in claim["derivation"]
    assert list(ratios["kind"]) == ["savings_per_grant"] * 3 + ["claim"]


def test_no_grants_no_ratio():
    facts = frame(f("S", "cumulative_savings", 90e6, "NOK", "2010", "2015"))
    ratios = sv.savings_ratios(facts, RATES)
    assert len(ratios) == 1 and pd.isna(ratios.iloc[0]["ratio"])
    assert "no state grant" in ratios.iloc[0]["derivation"]


def test_inputs_are_not_modified():
    before = FACTS.copy()
    sv.savings_ratios(FACTS, RATES)
    rs.conflict_groups(rs.evidence_ledger(FACTS, METRICS), RATES)
    pd.testing.assert_frame_equal(FACTS, before)
