"""The transferability check (comparisons/measures/transfer.py): preconditions by status and the crosswalk's gaps.

Expected values are read from the CSV files directly, and a small hand-made case pins the rules.
"""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from comparisons.evidence.base import load_evidence
from comparisons.measures import transfer
from comparisons.outputs.palette import STATUS_COLOURS
from tests.helpers import DATA, LANGS


def rows(package: str, resource: str) -> list[dict[str, str]]:
    with open(DATA / package / f"{resource}.csv", encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


SOURCES = pd.DataFrame(
    [
        {"source_id": "s1", "title": "Title one", "publisher": "Pub one"},
        {"source_id": "s2", "title": "Title two", "publisher": "Pub two"},
    ]
)
PRE = pd.DataFrame(
    [
        {
            "precondition_id": "b",
            "label_nb": "B nb",
            "label_da": "B da",
            "label_en": "B en",
            "status": "present",
            "evidence_nb": "e nb",
            "evidence_da": "e da",
            "evidence_en": "e en",
            "fact_ids": "X-1",
            "source_id": "s1",
        },
        {
            "precondition_id": "a",
            "label_nb": "A nb",
            "label_da": "A da",
            "label_en": "A en",
            "status": "missing",
            "evidence_nb": "f nb",
            "evidence_da": "",
            "evidence_en": "f en",
            "fact_ids": None,
            "source_id": "s2",
        },
        {
            "precondition_id": "c",
            "label_nb": "C nb",
            "label_da": "C da",
            "label_en": "C en",
            "status": "missing",
            "evidence_nb": "g",
            "evidence_da": "g",
            "evidence_en": "g",
            "fact_ids": "",
            "source_id": "s1",
        },
    ]
)
COUNTERPARTS = pd.DataFrame(
    [
        {
            "role_id": "r1",
            "role_nb": "R1 nb",
            "role_da": "R1 da",
            "role_en": "R1 en",
            "norwegian_holder": "nho",
            "danish_candidates": "di",
            "fit": "partial",
            "why_nb": "w",
            "why_da": "w",
            "why_en": "w",
            "source_id": "s1",
        },
        {
            "role_id": "r2",
            "role_nb": "R2 nb",
            "role_da": "R2 da",
            "role_en": "R2 en",
            "norwegian_holder": "ks nho",
            "danish_candidates": None,
            "fit": "partial",
            "why_nb": "x",
            "why_da": "x da",
            "why_en": "x",
            "source_id": "s2",
        },
        {
            "role_id": "r3",
            "role_nb": "R3 nb",
            "role_da": "R3 da",
            "role_en": "R3 en",
            "norwegian_holder": "ks",
            "danish_candidates": "kl",
            "fit": "none",
            "why_nb": "y",
            "why_da": "y",
            "why_en": "y",
            "source_id": "s1",
        },
    ]
)
ACTORS = pd.DataFrame(
    [
        {"actor_id": "nho", "name": "Næringslivets Hovedorganisasjon", "short_name": "NHO"},
        {"actor_id": "ks", "name": "Kommunesektorens organisasjon", "short_name": ""},
        {"actor_id": "kl", "name": "Kommunernes Landsforening", "short_name": "KL"},
    ]
)


def test_preconditions_view_orders_gaps_first_and_picks_the_language() -> None:
    view = transfer.preconditions_view(PRE, SOURCES, "da")
    assert view["precondition_id"].tolist() == ["a", "c", "b"]  # missing (by id), then present
    assert view["label"].tolist() == ["A da", "C da", "B da"]
    assert view["evidence"].tolist() == ["f en", "g", "e da"]  # empty Danish evidence falls back to English
    assert view["source_title"].tolist() == ["Title two", "Title one", "Title one"]
    assert view["publisher"].iloc[0] == "Pub two"


def test_status_counts_list_every_status() -> None:
    counts = transfer.status_counts(PRE)
    assert counts.to_dict("records") == [
        {"status": "present", "count": 1},
        {"status": "partial", "count": 0},
        {"status": "missing", "count": 2},
    ]


def test_role_gaps_are_fit_none_or_no_candidate() -> None:
    gaps = transfer.role_gaps(COUNTERPARTS, ACTORS, SOURCES, "da")
    assert gaps["role_id"].tolist() == ["r2", "r3"]
    assert gaps["role"].tolist() == ["R2 da", "R3 da"]
    assert gaps["norwegian_holder"].iloc[0] == "Kommunesektorens organisasjon, NHO"  # name where no short name
    assert gaps["danish_candidates"].tolist() == ["", "KL"]
    assert gaps["why"].iloc[0] == "x da"
    assert gaps["source_title"].tolist() == ["Title two", "Title one"]
    summary = transfer.transfer_summary(PRE, COUNTERPARTS)
    assert summary == {"present": 1, "partial": 0, "missing": 2, "preconditions": 3, "roles": 3, "role_gaps": 2}


def test_status_chart_colours_follow_the_status_order() -> None:
    spec = transfer.status_chart(
        transfer.status_counts(PRE),
        lambda s: s.upper(),
        {"title": "t", "x": "n", "status": "s", "source": "src", "note": "n"},
    ).to_dict()
    scale = spec["encoding"]["color"]["scale"]
    assert scale["domain"] == ["PRESENT", "PARTIAL", "MISSING"]
    assert scale["range"] == [STATUS_COLOURS["present"], STATUS_COLOURS["partial"], STATUS_COLOURS["missing"]]


@pytest.mark.parametrize("lang", LANGS)
def test_shipped_preconditions_and_gaps(lang: str) -> None:
    ev = load_evidence(DATA)
    expected = rows("denmark", "preconditions")
    view = transfer.preconditions_view(ev["preconditions"], ev["sources"], lang).set_index("precondition_id")
    assert set(view.index) == {p["precondition_id"] for p in expected}
    titles = {s["source_id"]: s["title"] for s in rows("denmark", "sources")}
    for p in expected:
        assert view.loc[p["precondition_id"], "status"] == p["status"]
        assert view.loc[p["precondition_id"], "evidence"] == (p[f"evidence_{lang}"] or p["evidence_en"])
        assert view.loc[p["precondition_id"], "source_title"] == titles[p["source_id"]]
    gaps = transfer.role_gaps(ev["counterparts"], ev["actors"], ev["sources"], lang)
    expected_gaps = {
        c["role_id"]
        for c in rows("denmark", "counterparts")
        if c["fit"] == "none" or not c["danish_candidates"].strip()
    }
    assert set(gaps["role_id"]) == expected_gaps
    assert expected_gaps, "the shipped crosswalk names at least one role without a Danish holder"
