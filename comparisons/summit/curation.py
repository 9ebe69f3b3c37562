"""A participant's suggestion accepted into the Danish register: only through comparisons.evidence.store.

The curator completes the row (a suggestion is a name and a link, a register row needs ids, kinds and texts in
three languages) and, where the link is a new publication, its source row. Both are saved with the store's own
guarantees: checked with the app's loader on a private copy (a problem refuses the save and names file, row and
column), written atomically, logged in changelog.jsonl with the curator's name, and refused when someone saved
the table after the curator opened it. Only then is the suggestion marked accepted, with where it went.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd

from comparisons.evidence import store
from comparisons.summit import service
from comparisons.summit.db import SummitDB

PACKAGE = "denmark"
TARGETS: dict[str, str] = {"actor": "actors", "initiative": "initiatives", "figure": "facts"}


@dataclass(frozen=True)
class Draft:
    """What the curator starts from: the target table's row and a source row, prefilled from the suggestion, and
    the tables as loaded (their hashes go with the save)."""

    table: str
    row: dict[str, str]
    source: dict[str, str]
    loaded: dict[str, store.Loaded]


def source_id_for(suggestion: service.SuggestionRecord) -> str:
    return f"summit-{suggestion.event.lower()}-{suggestion.suggestion_id}"


def draft(root: Path, suggestion: service.SuggestionRecord, table: str | None = None) -> Draft:
    table = table or TARGETS.get(suggestion.kind, "actors")
    loaded = {name: store.load_table(root, PACKAGE, name) for name in dict.fromkeys((table, "sources"))}
    row = dict.fromkeys(loaded[table].resource.field_names, "")
    sid = source_id_for(suggestion)
    prefill = {
        "actors": {"country": "DK", "name": suggestion.text, "name_en": suggestion.text, "url": suggestion.url},
        "initiatives": {"name": suggestion.text, "name_en": suggestion.text, "url": suggestion.url},
        "facts": {"country": "DK", "as_of": date.today().isoformat(), "note": suggestion.text},
    }[table]
    row.update({k: v for k, v in prefill.items() if k in row})
    if "source_id" in row:
        row["source_id"] = sid
    source = dict.fromkeys(loaded["sources"].resource.field_names, "")
    source.update(
        {
            "source_id": sid,
            "title": suggestion.text,
            "publisher": urlparse(suggestion.url).netloc.removeprefix("www."),  # a guess for the curator to check
            "url": suggestion.url,
            "published": date.today().isoformat(),
            "published_inferred": "true",
            "language": "da",
            "kind": "article",
            "reliability": "secondary",
            "note": f"Suggested at the summit {suggestion.event} by {suggestion.participant}; check the date.",
        }
    )
    return Draft(table, row, {k: v for k, v in source.items() if k in source}, loaded)


def _appended(loaded: store.Loaded, row: dict[str, str]) -> pd.DataFrame:
    new = pd.DataFrame([{f: str(row.get(f, "") or "") for f in loaded.resource.field_names}]).astype("string")
    return pd.concat([loaded.frame, new], ignore_index=True)


def accept(
    db: SummitDB,
    root: Path,
    suggestion_id: int,
    drafted: Draft,
    row: dict[str, str],
    source: dict[str, str] | None,
    who: str,
) -> str:
    """Save the source (when given and new) and the row through the store, then mark the suggestion accepted.
    Returns where it went ("actors/dk-xyz"). Raises store.SaveRejected or store.SaveConflict (nothing of that
    table written; the suggestion stays pending), or service.SummitError."""
    who = service.plain_text(who, service.MAX_NAME, "The curator's name", required=True)
    summary = f"summit suggestion {suggestion_id}"
    if source is not None and str(source.get("source_id", "")).strip():
        sources = drafted.loaded["sources"]
        if str(source["source_id"]) not in set(sources.frame["source_id"]):
            store.save_table(root, PACKAGE, "sources", _appended(sources, source), sources.base_hash, who, summary)
    target = drafted.loaded[drafted.table]
    if drafted.table == "sources":  # the table changed just above: start from the file as it is now
        target = store.load_table(root, PACKAGE, "sources")
    store.save_table(root, PACKAGE, drafted.table, _appended(target, row), target.base_hash, who, summary)
    key = "|".join(str(row.get(k, "")) for k in target.resource.primary_key)
    record = f"{drafted.table}/{key}"
    service.decide(db, suggestion_id, "accepted", who, record=record)
    return record
