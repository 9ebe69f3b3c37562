"""Every figure in the five source documents is in the evidence base, citing its document.

The list below is the inventory: each figure as the document writes it, and where it lives (a fact with its metric
and value, a relation or an event with its date). When ../shared/sources is present (as in CI), the test also
checks that each written form really is in the document, so the inventory cannot drift from the sources.
"""

from __future__ import annotations

import pytest

from comparisons.evidence.base import load_evidence
from tests.helpers import REPO

SHARED_SOURCES = REPO.parent / "shared" / "sources"
DOCS = {
    "doc-000": "000_4a53f7552f95b963.txt",
    "doc-001": "001_4dd77d511ae9a7f5.txt",
    "doc-002": "002_f2fc216a0c378ee6.txt",
    "doc-003": "003_6dfad028769a9a90.txt",
    "doc-004": "004_0ea15bb8b611e70a.txt",
}

# (source, as written in the document, where it is: ("fact", metric, value) | ("relation", subject, relation, start)
#  | ("event", date))
INVENTORY: list[tuple[str, str, tuple]] = [
    ("doc-000", "i 2010 av KS og NHO", ("fact", "founded_year", 2010)),
    ("doc-000", "i 2010 av KS og NHO", ("relation", "ks", "founder", "2010")),
    ("doc-000", "i 2015 invitert inn i programmets styringsgruppe", ("relation", "difi", "steering_group", "2015")),
    (
        "doc-000",
        "i 2018 kom Innovasjon Norge og Norges forskningsråd",
        ("relation", "forskningsradet", "steering_group", "2018"),
    ),
    ("doc-000", "29 partnere", ("fact", "partner_count", 29)),
    ("doc-001", "etablert i 2010", ("fact", "founded_year", 2010)),
    ("doc-001", "sidan 2016", ("relation", "more-og-romsdal", "partner", "2016")),
    ("doc-001", "(2020-2024)", ("event", "2020")),
    ("doc-002", "28.3.2019", ("event", "2019-03-28")),
    ("doc-002", "de 30 partnerne", ("fact", "partner_count", 30)),
    ("doc-002", "10 års arbeid", ("fact", "years_in_operation", 10)),
    ("doc-002", "I 2010 startet", ("fact", "founded_year", 2010)),
    ("doc-002", "10 millioner investert", ("fact", "investment_claim", 10_000_000)),
    ("doc-002", "over 400 millioner kroner", ("fact", "savings_claim", 400_000_000)),
    ("doc-003", "I 2023 har vi alle fylkeskommunene", ("fact", "county_partners", 11)),
    ("doc-003", "I 2023 har vi alle fylkeskommunene", ("event", "2023")),
    ("doc-003", "over 250 milliarder kroner", ("fact", "procurement_volume_local", 250_000_000_000)),
    ("doc-003", "elleve fylker", ("fact", "counties_count", 11)),
    ("doc-003", "Hver region har sin dedikerte innovasjonspådriver", ("fact", "innovation_driver_regions", 11)),
    ("doc-004", "den 9. september", ("event", "2020-09-09")),
    ("doc-004", "siden 2010", ("fact", "founded_year", 2010)),
    ("doc-004", "30 medfinansierende partnere", ("fact", "partner_count", 30)),
    ("doc-004", "234 offentlige arbejdspladser", ("fact", "bodies_reached", 234)),
    ("doc-004", "334 millioner norske kroner", ("fact", "cumulative_savings", 334_000_000)),
    ("doc-004", "langt mere end 300 mia. kr.", ("fact", "procurement_volume", 300_000_000_000)),
    ("doc-004", "andet møde i år", ("fact", "meetings", 2)),
    ("doc-004", "Finansministeriet, KL og Danske Regioner", ("relation", "kl", "owner", "")),
]

# Numbers in the documents that are not figures, and why.
NOT_FIGURES = {
    "doc-002": ["17.mai (a national holiday in a turn of phrase)"],
    "doc-004": ["M_wD8Zz5UMs (a video id)"],
}


@pytest.fixture(scope="module")
def ev():
    return load_evidence()


@pytest.mark.parametrize(("source", "written", "where"), INVENTORY, ids=[f"{s}:{w}" for s, w, _ in INVENTORY])
def test_figure_is_in_the_evidence_base(ev, source: str, written: str, where: tuple) -> None:
    kind = where[0]
    if kind == "fact":
        _, metric, value = where
        facts = ev["facts"]
        found = facts[(facts["source_id"] == source) & (facts["metric"] == metric) & (facts["value"] == value)]
        assert len(found), f"no fact {metric}={value} citing {source} ({written!r})"
    elif kind == "relation":
        _, subject, relation, start = where
        rel = ev["relations"]
        found = rel[(rel["source_id"] == source) & (rel["subject"] == subject) & (rel["relation"] == relation)]
        if start:
            found = found[found["start"].astype(str).str.startswith(start)]
        assert len(found), f"no relation {subject} {relation} from {start} citing {source} ({written!r})"
    else:
        _, date = where
        events = ev["events"]
        found = events[(events["source_id"] == source) & (events["date"].astype(str).str.startswith(date))]
        assert len(found), f"no event dated {date} citing {source} ({written!r})"


@pytest.mark.skipif(not SHARED_SOURCES.is_dir(), reason="../shared/sources is not beside the checkout")
@pytest.mark.parametrize(("source", "written"), sorted({(s, w) for s, w, _ in INVENTORY}))
def test_inventory_quotes_the_document(source: str, written: str) -> None:
    text = " ".join((SHARED_SOURCES / DOCS[source]).read_text(encoding="utf-8").split())
    assert written in text


def test_each_document_is_a_source_with_its_file_name(ev) -> None:
    sources = ev["sources"].set_index("source_id")
    for source, name in DOCS.items():
        assert sources.loc[source, "document"] == name
    assert {s for s, _, _ in INVENTORY} == set(DOCS)


def test_every_fact_citing_a_document_is_in_the_inventory(ev) -> None:
    """The reverse direction: no figure attributed to a document that the inventory does not list."""
    facts = ev["facts"]
    listed = {(s, w[1], w[2]) for s, _, w in INVENTORY if w[0] == "fact"}
    cited = facts[facts["source_id"].isin(DOCS)]
    extra = [
        (r.fact_id, r.metric, r.value)
        for r in cited.itertuples()
        if (r.source_id, r.metric, r.value) not in listed
        and r.metric not in ("owner_count", "participant_organisations")
    ]
    # owner counts and the participant count are counts of names the documents list, not written figures
    assert extra == []
