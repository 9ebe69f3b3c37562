"""The evidence ledger, conflict groups, state grants by year and savings ratios, against hand-made frames.

The frames mirror the shape of LUP's evidence (savings snapshots in NOK and EUR, a return claim, grants for some
years only), with round numbers so that every expected ratio can be checked by hand.
"""

from __future__ import annotations

import pandas as pd
import pytest

from comparisons.measures import results as rs

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
    grants = rs.state_grants_by_year(FACTS, 2016, 2021).set_index("year")
    assert grants.loc[2016, "fact_ids"] == "G16b"  # exact before "over"
    assert grants.loc[2016, "other_fact_ids"] == "G16a"
    assert grants.loc[2016, "status"] == rs.STATUS_FOUND
    assert grants.loc[2017, "value"] == 10e6
    assert grants.loc[2018, "status"] == rs.STATUS_MISSING and pd.isna(grants.loc[2018, "value"])
    assert grants.loc[2019, "status"] == rs.STATUS_PARTIAL and grants.loc[2019, "value"] == 8e6
    assert grants.loc[2019, "bound"] == "approx"
    assert grants.loc[2020, "fact_ids"] == "G20" and grants.loc[2020, "value"] == 12e6  # the whole, not the NFD part
    assert grants.loc[2021, "status"] == rs.STATUS_MISSING
    assert rs.first_grant_year(FACTS) == 2016
    assert rs.savings_start_year(FACTS) == 2010


# --- ratios -------------------------------------------------------------------------------------------------------


def test_savings_per_krone_of_grant_lists_inputs_and_leaves_gaps_unfilled():
    ratios = rs.savings_ratios(FACTS, RATES).set_index("ratio_id")
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
    ratios = rs.savings_ratios(facts, RATES).set_index("ratio_id")
    assert ratios.loc["grant-S", "ratio"] == pytest.approx(3.0) and ratios.loc["grant-S", "bound"] == "exact"
    assert "state grants started" not in ratios.loc["grant-S", "derivation"]  # savings start with the grants
    # 2018 has no grant: the known grants understate the true total, so 3.0 is at most the real ratio.
    assert ratios.loc["grant-T", "ratio"] == pytest.approx(3.0) and ratios.loc["grant-T", "bound"] == "at_most"


def test_the_return_claim_is_its_own_ratio_from_the_same_source():
    ratios = rs.savings_ratios(FACTS, RATES).set_index("ratio_id")
    claim = ratios.loc["claim-C-save"]
    assert claim["ratio"] == pytest.approx(40.0) and claim["bound"] == "at_least"
    assert claim["fact_ids"] == "C-save C-inv"  # not the 99 m investment from another source
    assert claim["kind"] == "claim"
    assert "as the same source states them = over 40" in claim["derivation"]
    assert list(ratios["kind"]) == ["savings_per_grant"] * 3 + ["claim"]


def test_no_grants_no_ratio():
    facts = frame(f("S", "cumulative_savings", 90e6, "NOK", "2010", "2015"))
    ratios = rs.savings_ratios(facts, RATES)
    assert len(ratios) == 1 and pd.isna(ratios.iloc[0]["ratio"])
    assert "no state grant" in ratios.iloc[0]["derivation"]


def test_inputs_are_not_modified():
    before = FACTS.copy()
    rs.savings_ratios(FACTS, RATES)
    rs.conflict_groups(rs.evidence_ledger(FACTS, METRICS), RATES)
    pd.testing.assert_frame_equal(FACTS, before)


# ---- savings_ratios: the grant facts read once give exactly what reading them for every savings figure gave


def _reference_savings_ratio(
    saving: pd.Series, facts: pd.DataFrame, rates: pd.DataFrame, first: int | None, programme: str
) -> rs.Ratio:
    fact_id = str(saving["fact_id"])
    year = rs.figure_year(saving["period_end"], saving["period_start"], saving.get("as_of"))
    start = rs.figure_year(saving["period_start"])
    bound = str(saving["bound"]) if isinstance(saving["bound"], str) else "exact"
    label = rs.Step.of(rs.R_SAVINGS_LABEL, fact_id=fact_id)
    currency = rs.COUNTRY_CURRENCY.get(str(saving["country"]), str(saving["unit"]))
    if first is None or year is None or year < first:
        step = rs.Step.of(rs.R_NO_GRANTS, fact_id=fact_id, first=first or "–", last=year or "–")
        return rs.Ratio(
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
    grants = rs.state_grants_by_year(facts, first, year, programme)
    conv = rs.convert_one(fact_id, float(saving["value"]), str(saving["unit"]), currency, year, rates, bound)
    known = grants[grants["status"] != rs.STATUS_MISSING]
    missing = tuple(int(y) for y in grants.loc[grants["status"] == rs.STATUS_MISSING, "year"])
    partial = grants[grants["status"] == rs.STATUS_PARTIAL]
    steps: list[rs.Step] = [] if str(saving["unit"]) == currency else list(conv.steps)
    grant_ids = tuple(i for ids in known["fact_ids"] for i in ids.split())
    # Grants are in the programme's currency; any other currency would be converted at its own year's rate.
    grant_total = 0.0
    for g in known.itertuples(index=False):
        if g.currency == currency:
            grant_total += float(g.value)
        else:
            c = rs.convert_one(g.fact_ids, float(g.value), g.currency, currency, int(g.year), rates, g.bound)
            grant_total += float(c.value or 0.0)
            steps.extend(c.steps)
    if known.empty or conv.value is None or grant_total <= 0:
        steps.append(rs.Step.of(rs.R_NO_GRANTS, fact_id=fact_id, first=first, last=year))
        return rs.Ratio(
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
    den_bound = rs.sum_bound(list(known["bound"].astype(str)) + (["at_least"] if missing else []))
    value = conv.value / grant_total
    ratio_b = rs.ratio_bound(bound, den_bound)
    steps.insert(
        0,
        rs.Step.of(
            rs.R_SAVINGS,
            fact_id=fact_id,
            savings=rs.Money(conv.value, currency, bound),
            first=first,
            last=year,
            grants=rs.Money(grant_total, currency, den_bound),
            grant_ids=" ".join(grant_ids),
            result=rs.Number(value, 2, ratio_b),
        ),
    )
    if missing:
        steps.append(rs.Step.of(rs.R_MISSING, years=rs._year_list(list(missing))))
    for p in partial.itertuples(index=False):
        steps.append(rs.Step.of(rs.R_PARTIAL, year=int(p.year), fact_ids=p.fact_ids))
    if start is not None and start < first:
        steps.append(rs.Step.of(rs.R_SINCE, start=start, first=first))
    return rs.Ratio(
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


def _reference_claim_ratio(claim: pd.Series, investments: pd.DataFrame, rates: pd.DataFrame) -> rs.Ratio | None:
    same = investments[(investments["source_id"] == claim["source_id"]) & (investments["subject"] == claim["subject"])]
    if same.empty:
        return None
    inv = rs._prefer(same).iloc[0]
    fact_id, inv_id = str(claim["fact_id"]), str(inv["fact_id"])
    year = rs.figure_year(claim["period_end"], claim["period_start"], claim.get("as_of"))
    c_bound = str(claim["bound"]) if isinstance(claim["bound"], str) else "exact"
    i_bound = str(inv["bound"]) if isinstance(inv["bound"], str) else "exact"
    currency = str(inv["unit"])
    conv = rs.convert_one(fact_id, float(claim["value"]), str(claim["unit"]), currency, year, rates, c_bound)
    steps: list[rs.Step] = [] if str(claim["unit"]) == currency else list(conv.steps)
    label = rs.Step.of(rs.R_CLAIM_LABEL, fact_id=fact_id)
    if conv.value is None or not float(inv["value"]):
        return rs.Ratio(
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
    bound = rs.ratio_bound(c_bound, i_bound)
    steps.insert(
        0,
        rs.Step.of(
            rs.R_CLAIM,
            fact_id=fact_id,
            savings=rs.Money(float(claim["value"]), str(claim["unit"]), c_bound),
            investment_id=inv_id,
            investment=rs.Money(float(inv["value"]), currency, i_bound),
            result=rs.Number(value, 2, bound),
        ),
    )
    steps.append(rs.Step.of(rs.R_CLAIM_PERIOD))
    return rs.Ratio(
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


def _reference_savings_ratios(facts: pd.DataFrame, rates: pd.DataFrame, programme: str = rs.PROGRAMME) -> pd.DataFrame:
    """savings_ratios as it was: the grant facts read again for every savings figure.

    Savings per krone of state grant for each of the programme's savings figures, then each return claim.

    Columns: ratio_id, kind, label_step, fact_ids (all inputs, space separated), numerator_fact_ids,
    denominator_fact_ids, numerator, denominator, currency, ratio, bound, first_year, last_year, missing_years,
    derivation_steps, derivation (English).
    """
    first = rs.first_grant_year(facts, programme)
    savings = facts[(facts["metric"] == rs.SAVINGS_METRIC) & (facts["subject"] == programme)]
    savings = savings.assign(_end=rs._sort_key_text(savings["period_end"])).sort_values(["_end", "fact_id"])
    ratios = [_reference_savings_ratio(row, facts, rates, first, programme) for _, row in savings.iterrows()]
    claims = facts[facts["metric"] == rs.CLAIM_SAVINGS]
    investments = facts[facts["metric"] == rs.CLAIM_INVESTMENT]
    for _, claim in claims.sort_values("fact_id").iterrows():
        ratio = _reference_claim_ratio(claim, investments, rates)
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
            "derivation": [rs.render_derivation(r.steps) for r in ratios],
        }
    )
    return out


def _synthetic(subjects: str):
    from tests.synthetic import synthetic_evidence

    return synthetic_evidence(3, subjects)


def test_savings_ratios_same_as_before_on_shipped_data() -> None:
    from comparisons.measures.normalise import rate_table
    from tests.helpers import shipped_evidence

    ev = shipped_evidence()
    rates = rate_table(ev["exchange_rates"])
    new = rs.savings_ratios(ev["facts"], rates)
    assert new["ratio"].notna().any()
    pd.testing.assert_frame_equal(new, _reference_savings_ratios(ev["facts"], rates))
    no_grants = ev["facts"][ev["facts"]["metric"] != rs.GRANT_METRIC]
    pd.testing.assert_frame_equal(rs.savings_ratios(no_grants, rates), _reference_savings_ratios(no_grants, rates))


@pytest.mark.parametrize("subjects", ["same", "copies"])
def test_savings_ratios_and_grants_same_as_before_on_synthetic_data(subjects: str) -> None:
    from comparisons.measures.normalise import rate_table

    ev = _synthetic(subjects)
    rates = rate_table(ev["exchange_rates"])
    pd.testing.assert_frame_equal(rs.savings_ratios(ev["facts"], rates), _reference_savings_ratios(ev["facts"], rates))
    grants = rs.state_grants_by_year(ev["facts"], 2014, 2024)
    assert (grants["status"] != rs.STATUS_MISSING).any()


def test_claim_ratios_same_as_before_when_sources_or_subjects_are_missing() -> None:
    from comparisons.measures.normalise import rate_table
    from tests.helpers import shipped_evidence

    ev = shipped_evidence()
    rates = rate_table(ev["exchange_rates"])
    facts = ev["facts"].copy()
    claims = facts.index[facts["metric"].isin([rs.CLAIM_SAVINGS, rs.CLAIM_INVESTMENT])]
    assert len(claims) >= 2
    for column in ("source_id", "subject"):
        for rows in (claims[:1], claims[-1:], claims):
            changed = facts.copy()
            changed.loc[rows, column] = pd.NA
            pd.testing.assert_frame_equal(rs.savings_ratios(changed, rates), _reference_savings_ratios(changed, rates))
