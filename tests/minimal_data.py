"""A tiny, valid data root (the shipped descriptors with a handful of rows), for tests that break things."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from comparisons.evidence.paths import DEFAULT_DATA_ROOT, PACKAGES
from comparisons.evidence.schema import read_descriptor, resources_of

SOURCE = {
    "source_id": "doc-004",
    "title": "Norsk-dansk topmøde om innovative offentlige indkøb",
    "publisher": "COI",
    "url": "https://co-pi.dk/x",
    "document": "004_0ea15bb8b611e70a.txt",
    "published": "2020-09",
    "published_inferred": "true",
    "language": "da",
    "kind": "article",
    "reliability": "primary",
    "note": "",
}
DERIVED = {
    "source_id": "workbench-derived",
    "title": "Workbench calculations",
    "publisher": "Nordic LUP workbench",
    "url": "",
    "document": "",
    "published": "2026",
    "published_inferred": "false",
    "language": "en",
    "kind": "derived",
    "reliability": "primary",
    "note": "",
}

ROWS: dict[str, dict[str, list[dict[str, str]]]] = {
    "norway": {
        "sources": [SOURCE, DERIVED],
        "actors": [
            {
                "actor_id": "lup",
                "country": "NO",
                "name": "Leverandørutviklingsprogrammet",
                "name_en": "LUP",
                "short_name": "LUP",
                "kind": "programme",
                "founded": "2010",
                "ended": "",
                "url": "",
                "summary_nb": "Et program.",
                "summary_da": "Et program.",
                "summary_en": "A programme.",
                "source_id": "doc-004",
            },
            {
                "actor_id": "ks",
                "country": "NO",
                "name": "KS",
                "name_en": "KS",
                "short_name": "KS",
                "kind": "municipal_association",
                "founded": "",
                "ended": "",
                "url": "",
                "summary_nb": "KS.",
                "summary_da": "KS.",
                "summary_en": "KS.",
                "source_id": "doc-004",
            },
        ],
        "facts": [
            {
                "fact_id": "NO-DOC004-01",
                "country": "NO",
                "subject": "lup",
                "metric": "cumulative_savings",
                "value": "334000000",
                "bound": "exact",
                "unit": "NOK",
                "period_start": "2010",
                "period_end": "2020-09",
                "as_of": "2020-09",
                "source_id": "doc-004",
                "quote": "har ført til i alt 334 millioner norske kroner i offentlige besparelser",
                "quote_check": "",
                "note": "",
                "derived_from": "",
            },
            {
                "fact_id": "NO-DOC004-02",
                "country": "NO",
                "subject": "lup",
                "metric": "partner_count",
                "value": "30",
                "bound": "exact",
                "unit": "count",
                "period_start": "2020-09",
                "period_end": "2020-09",
                "as_of": "2020-09",
                "source_id": "doc-004",
                "quote": "Derudover har LUP 30 medfinansierende partnere",
                "quote_check": "",
                "note": "",
                "derived_from": "",
            },
            {
                "fact_id": "NO-DER-01",
                "country": "NO",
                "subject": "lup",
                "metric": "partner_count",
                "value": "30",
                "bound": "exact",
                "unit": "count",
                "period_start": "2020",
                "period_end": "2020",
                "as_of": "2026",
                "source_id": "workbench-derived",
                "quote": "",
                "quote_check": "",
                "note": "Copied from NO-DOC004-02.",
                "derived_from": "NO-DOC004-02",
            },
        ],
        "relations": [
            {
                "relation_id": "r-ks-owner-lup",
                "subject": "ks",
                "relation": "owner",
                "object": "lup",
                "start": "2010",
                "end": "",
                "source_id": "doc-004",
                "note": "",
            },
        ],
        "events": [
            {
                "event_id": "ev-lup-founded",
                "country": "NO",
                "date": "2010",
                "subject": "lup",
                "title_nb": "LUP startet",
                "title_da": "LUP startede",
                "title_en": "LUP started",
                "source_id": "doc-004",
                "note": "",
            },
        ],
    },
    "denmark": {
        "sources": [SOURCE, DERIVED],
        "actors": [
            {
                "actor_id": "coi",
                "country": "DK",
                "name": "Center for Offentlig Innovation",
                "name_en": "COI",
                "short_name": "COI",
                "kind": "innovation_centre",
                "founded": "2014",
                "ended": "",
                "url": "",
                "summary_nb": "Et senter.",
                "summary_da": "Et center.",
                "summary_en": "A centre.",
                "source_id": "doc-004",
            },
        ],
        "facts": [
            {
                "fact_id": "DK-DOC004-01",
                "country": "DK",
                "subject": "coi",
                "metric": "procurement_volume",
                "value": "300000000000",
                "bound": "at_least",
                "unit": "DKK",
                "period_start": "2020",
                "period_end": "2020",
                "as_of": "2020-09",
                "source_id": "doc-004",
                "quote": "hvert år køber ind for langt mere end 300 mia. kr. hos private leverandører",
                "quote_check": "",
                "note": "",
                "derived_from": "",
            },
        ],
        "relations": [
            {
                "relation_id": "r-coi-host",
                "subject": "coi",
                "relation": "host",
                "object": "ev-summit",
                "start": "2020-09-09",
                "end": "",
                "source_id": "doc-004",
                "note": "",
            },
        ],
        "events": [
            {
                "event_id": "ev-summit",
                "country": "DK",
                "date": "2020-09-09",
                "subject": "coi",
                "title_nb": "Toppmøte",
                "title_da": "Topmøde",
                "title_en": "Summit",
                "source_id": "doc-004",
                "note": "",
            },
        ],
        "counterparts": [
            {
                "role_id": "municipal-owner",
                "role_nb": "Kommunal eier",
                "role_da": "Kommunal ejer",
                "role_en": "Municipal owner",
                "norwegian_holder": "ks",
                "danish_candidates": "coi",
                "fit": "partial",
                "why_nb": "x",
                "why_da": "x",
                "why_en": "x",
                "source_id": "doc-004",
            },
        ],
        "preconditions": [
            {
                "precondition_id": "centre",
                "label_nb": "Senter",
                "label_da": "Center",
                "label_en": "Centre",
                "status": "present",
                "evidence_nb": "x",
                "evidence_da": "x",
                "evidence_en": "x",
                "fact_ids": "DK-DOC004-01",
                "source_id": "doc-004",
            },
        ],
        "initiatives": [
            {
                "initiative_id": "summit",
                "name": "Topmøde",
                "name_en": "Summit",
                "kind": "network",
                "owner": "coi",
                "start": "2020",
                "end": "",
                "summary_nb": "x",
                "summary_da": "x",
                "summary_en": "x",
                "url": "",
                "source_id": "doc-004",
            },
        ],
    },
    "reference": {
        "sources": [
            {
                "source_id": "ecb",
                "title": "ECB reference rates",
                "publisher": "European Central Bank",
                "url": "https://www.ecb.europa.eu/",
                "document": "",
                "published": "2025-05-09",
                "published_inferred": "false",
                "language": "data",
                "kind": "dataset",
                "reliability": "primary",
                "note": "",
            },
        ],
        "exchange_rates": [
            {
                "year": "2020",
                "base": "EUR",
                "quote": "NOK",
                "rate": "10.7228",
                "days": "257",
                "partial": "false",
                "method": "ecb_annual_mean",
                "source_id": "ecb",
            },
            {
                "year": "2020",
                "base": "EUR",
                "quote": "DKK",
                "rate": "7.4542",
                "days": "257",
                "partial": "false",
                "method": "ecb_annual_mean",
                "source_id": "ecb",
            },
        ],
        "population": [
            {
                "country": "DK",
                "date": "2020-01-01",
                "kind": "jan1",
                "value": "5822763",
                "source_id": "ecb",
                "quote": "1. januar 2020 var befolkningen 5.822.763 personer",
            },
        ],
    },
}


def write_minimal_root(target: Path) -> Path:
    """Write the tiny data root under `target` (metrics.csv is the shipped one) and return it."""
    for package in PACKAGES:
        folder = target / package
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(DEFAULT_DATA_ROOT / package / "datapackage.json", folder / "datapackage.json")
        for res in resources_of(read_descriptor(folder), package):
            if res.name == "metrics":
                shutil.copy(DEFAULT_DATA_ROOT / package / "metrics.csv", folder / "metrics.csv")
                continue
            with open(folder / res.path, "w", encoding="utf-8", newline="") as fh:
                writer = csv.DictWriter(fh, fieldnames=res.field_names, lineterminator="\n")
                writer.writeheader()
                writer.writerows(ROWS[package].get(res.name, []))
    return target


def edit_csv(path: Path, edit) -> None:  # edit(rows: list[dict]) -> list[dict] | None
    """Rewrite a CSV through a function of its rows (keeping the header unless the rows drop a column)."""
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rows = edit(rows) or rows
    fields = list(rows[0].keys())
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
