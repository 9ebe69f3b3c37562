"""Keeping the gettext catalogs in step with the code (`python -m comparisons i18n check|update`).

- `extract_messages` finds every string marked with `_()`, `N_()` or `ngettext()` in app.py, pages/, ui/ and
  comparisons/ (babel's extractor).
- `update_catalogs` adds new strings to the nb, da and en catalogs, drops obsolete ones and fills English with the
  source text; translators then fill the empty nb and da entries in the .po files. Locations name the file only
  (no line numbers), so that editing code does not rewrite every catalog.
- `untranslated` lists every string a catalog lacks or leaves empty; the test suite fails on any.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from comparisons import REPO_ROOT
from comparisons.i18n import DOMAIN, LANGUAGES, po_path

KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
SCANNED = ("app.py", "pages", "ui", "comparisons")


# A message: its msgid, or (singular, plural) for ngettext.
MessageId = str | tuple[str, str]


def _order(msgid: MessageId) -> str:
    return msgid if isinstance(msgid, str) else msgid[0]


def message_texts(msgid: MessageId) -> tuple[str, ...]:
    """The English texts of a message: one, or singular and plural."""
    return (msgid,) if isinstance(msgid, str) else msgid


def _translated(string: object) -> bool:
    """A catalog entry's translation is complete: its text, or every plural form, is filled in."""
    return all(string) if isinstance(string, tuple | list) else bool(string)


def extract_messages(repo: Path = REPO_ROOT) -> dict[MessageId, list[str]]:
    """msgid (or (singular, plural) of an ngettext call) -> places it is used ('pages/overview.py:12')."""
    found: dict[MessageId, list[str]] = {}
    for target in SCANNED:
        path = repo / target
        if path.is_file():
            results = [(path.name, *r) for r in _extract_file(path)]
        else:
            results = [
                (f"{target}/{fname}", lineno, message, comments, context)
                for fname, lineno, message, comments, context in extract_from_dir(
                    str(path), method_map=[("**.py", "python")], keywords=KEYWORDS
                )
            ]
        for place, lineno, message, _comments, _context in results:
            if isinstance(message, tuple):  # ngettext: one plural entry, not two singular ones
                if len(message) >= 2 and message[0] and message[1]:
                    found.setdefault((message[0], message[1]), []).append(f"{place}:{lineno}")
            elif message:
                found.setdefault(message, []).append(f"{place}:{lineno}")
    return found


def _extract_file(path: Path) -> list[tuple]:
    from babel.messages.extract import extract

    with open(path, "rb") as fh:
        return list(extract("python", fh, keywords=KEYWORDS))


def _read(lang: str) -> Catalog:
    path = po_path(lang)
    if not path.exists():
        return Catalog(locale=lang, domain=DOMAIN, project="Nordic LUP workbench")
    with open(path, "rb") as fh:
        return read_po(fh, locale=lang)


def update_catalogs(repo: Path = REPO_ROOT) -> dict[str, int]:
    """Bring every catalog in step with the code; returns how many strings each still lacks."""
    messages = extract_messages(repo)
    missing: dict[str, int] = {}
    for lang in LANGUAGES:
        old = _read(lang)
        # The old creation date is kept, so that an update that changes no string changes no file.
        new = Catalog(
            locale=lang, domain=DOMAIN, project="Nordic LUP workbench", fuzzy=False, creation_date=old.creation_date
        )
        for msgid in sorted(messages, key=_order):
            previous = old.get(msgid)
            empty: str | tuple[str, str] = "" if isinstance(msgid, str) else ("", "")
            text = empty
            # Kept when it is of the same kind (a singular msgid that became a plural one is translated again).
            if (
                previous is not None
                and not previous.fuzzy
                and _translated(previous.string)
                and isinstance(previous.string, str) == isinstance(msgid, str)
            ):
                kept = previous.string
                text = kept if isinstance(kept, str) else (str(kept[0]), str(kept[1]))  # type: ignore[index]
            if lang == "en":
                text = msgid
            files = dict.fromkeys(p.rsplit(":", 1)[0] for p in messages[msgid])
            # babel annotates lineno as int, but its writer skips a falsy one: None means "no line number".
            new.add(msgid, text, locations=[(f, None) for f in list(files)[:3]])  # type: ignore[misc]
        path = po_path(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as fh:
            write_po(fh, new, width=120, sort_output=True, omit_header=False, include_lineno=False)
        missing[lang] = sum(1 for m in new if m.id and not _translated(m.string))
    return missing


def untranslated(repo: Path = REPO_ROOT) -> dict[str, list[str]]:
    """lang -> msgids used in code that its catalog lacks or leaves empty (or marks fuzzy); a plural message by its
    singular, also when only one of its forms is missing or the catalog holds it as a singular entry."""
    messages = extract_messages(repo)
    out: dict[str, list[str]] = {}
    for lang in LANGUAGES:
        catalog = _read(lang)
        gaps = []
        for msgid in sorted(messages, key=_order):
            entry = catalog.get(msgid)
            if (
                entry is None
                or entry.fuzzy
                or not _translated(entry.string)
                or isinstance(entry.string, str) != isinstance(msgid, str)
            ):
                gaps.append(_order(msgid))
        out[lang] = gaps
    return out
