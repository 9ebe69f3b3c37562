"""The comparability mark (comparisons/measures/comparability.py), computed from the shipped facts."""

from __future__ import annotations

import pytest

from comparisons.evidence.base import load_evidence
from comparisons.measures.comparability import Side, compare, mark_of


@pytest.fixture(scope="module")
def ev():
    return load_evidence()


def _fact(ev, fact_id: str):
    return ev["facts"].set_index("fact_id").loc[fact_id]


def test_owners_2025_against_2023_are_not_like_for_like(ev) -> None:
    mark = mark_of(ev, _fact(ev, "NO-GOV-14"), _fact(ev, "DK-COPI-20"))
    assert mark.comparable is False
    assert mark.note("en").startswith("2025 vs 2023")
    assert "programme vs innovation centre" in mark.note("en")
    assert mark.text("da").startswith("ikke sammenlignelige: 2025 mod 2023")


def test_funding_basis_state_only_against_state_municipal_and_regional(ev) -> None:
    # LUP's 2020 state grant against CO-PI's 2022 money from the state, KL and Danske Regioner (funder relations)
    mark = mark_of(ev, _fact(ev, "NO-FUN-18"), _fact(ev, "DK-COPI-01"))
    assert mark.comparable is False
    note = mark.note("en")
    assert "2020 vs 2022" in note
    assert "paid by the state vs by the state + municipalities + regions" in note
    assert "different measures" not in note  # the funding reason already says what differs
    assert "betalt af staten mod af staten + kommuner + regioner" in mark.note("da")


def test_scope_municipalities_alone_is_narrower_than_municipalities_and_counties(ev) -> None:
    narrower = mark_of(ev, _fact(ev, "NO-DOC003-04"), _fact(ev, "DK-KL-05"))
    assert narrower.comparable is False
    assert "covers municipalities + regions vs municipalities" in narrower.note("en")
    assert "2021 vs 2024" in narrower.note("en")
    same = mark_of(ev, _fact(ev, "NO-DOC003-04"), _fact(ev, "DK-PP-14"))  # 2021 vs 2020, both levels
    assert same.comparable is True and same.note("en") == "" and same.text("nb") == "sammenlignbare"


def test_a_missing_side_cannot_be_compared(ev) -> None:
    mark = mark_of(ev, None, _fact(ev, "DK-EU-08"))
    assert mark.comparable is None
    assert mark.text("en") == "cannot be compared: no Norwegian figure"
    assert mark_of(ev, _fact(ev, "NO-GOV-14"), None).note("da") == "intet dansk tal"


@pytest.mark.parametrize(
    ("no_year", "dk_year", "comparable"), [(2020, 2021, True), (2021, 2020, True), (2020, 2022, False)]
)
def test_same_year_means_within_one_year(no_year: int, dk_year: int, comparable: bool) -> None:
    no = Side(no_year, "procurement_volume", "no-public-sector", "public_sector:all")
    dk = Side(dk_year, "procurement_volume", "dk-public-sector", "public_sector:all")
    assert compare(no, dk).comparable is comparable


def test_unknown_year_is_not_like_for_like() -> None:
    no = Side(None, "owner_count", "lup", "programme")
    dk = Side(2023, "owner_count", "co-pi", "programme")
    mark = compare(no, dk)
    assert mark.comparable is False and mark.note("en") == "? vs 2023"
