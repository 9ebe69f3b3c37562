"""What a reader sees on arrival holds no plumbing (issue 19): on every page the app lists, in nb, da and en, no
fact or source id, file path, None/nan or internal name in titles, labels, captions, metric values or table cells,
and on the Danish and Norwegian pages no English term the data has a translation for. Ids stay where a curator
looks for them: inside the citation pop-over (closed on arrival), on the Sources page's tables and in exports.

The ids and names looked for are read from the shipped data, so a new fact or source is covered without a change
here."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from comparisons.models import PAGES
from tests.helpers import LANGS, open_page, shipped_evidence

# A fact id, whole or cut off at its last part ("NO-DOC004-"): a country code, a group, a number.
FACT_ID = re.compile(r"(?<![\w-])(?:NO|DK|EU|SE|FI|INT)-[A-Z0-9]+-(?:[0-9]+[A-Z]?)?(?![\w])")
FILE_PATH = re.compile(r"(?<![\w/])(?:data|comparisons|ui|pages)/[\w./-]+|\b[\w-]+\.(?:csv|json|txt|parquet|py)\b")
URL = re.compile(r"https?://\S+")
MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~<>])")
MISSING = re.compile(r"(?<![\w-])(?:None|nan|NaN|NaT|<NA>|null)(?![\w-])")
# A hedged plural ("holder(s)", "Norsk(e) indehaver(e)", "rad(er)", "celle(r)"): the count is known (ngettext) or
# the wording is neutral.
HEDGE = re.compile(r"\w\((?:s|e|er|r|n|en|ne|es|ene)\)", re.IGNORECASE)
# English terms the data or the code has a translation for, seen on Danish and Norwegian pages (issue 19).
ENGLISH = (
    "DK public sector",
    "DK municipalities",
    "(now CO-PI)",
    "RCN",
    "not found",
    "Derived by the workbench",
    "relation(s)",
)


@lru_cache(maxsize=1)
def internal_names() -> re.Pattern[str]:
    """Every source id, and every actor, subject and metric id that is not also a word a reader would write."""
    ev = shipped_evidence()
    ids = set(ev["sources"]["source_id"].astype(str))
    ids |= {a for a in ev["actors"]["actor_id"].astype(str) if "-" in a or "_" in a}
    ids |= {m for m in ev["metrics"]["metric_id"].astype(str) if "_" in m}
    ids |= {s for s in ev["facts"]["subject"].astype(str) if "-" in s or "_" in s}
    words = "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{words})(?![\w-])")


def on_arrival(node: Any) -> Iterator[Any]:
    """Every element under `node` a reader sees without opening anything: pop-overs (closed on arrival, where a
    curator finds the ids) are left out."""
    for child in getattr(node, "children", {}).values():
        if getattr(child, "type", "") == "popover":
            continue
        if hasattr(child, "children"):
            yield from on_arrival(child)
        else:
            yield child


def unescaped(text: str) -> str:
    """Markdown as a reader sees it: an id escaped for Markdown ("NO\\-RES\\-08") is drawn as "NO-RES-08"."""
    return MD_ESCAPE.sub(r"\1", text)


TEXTS = ("title", "header", "subheader", "caption", "markdown", "info", "warning", "success")
WIDGETS = (
    "selectbox",
    "multiselect",
    "radio",
    "number_input",
    "text_input",
    "slider",
    "select_slider",
    "toggle",
    "checkbox",
)


def shown(at: AppTest, tables: bool = True) -> list[tuple[str, str]]:
    """(where, text) for every title, label, caption, metric value and table cell the page shows on arrival."""
    out: list[tuple[str, str]] = []
    for element in on_arrival(at._tree):
        kind = getattr(element, "type", "")
        if kind in TEXTS:
            out.append((kind, unescaped(str(element.value))))
        elif kind == "metric":
            out += [("metric label", unescaped(str(element.label))), ("metric value", str(element.value))]
        elif kind in WIDGETS:
            out.append((f"{kind} label", unescaped(str(element.label))))
            for option in getattr(element, "options", None) or []:
                out.append((f"{kind} option", str(option)))
            if kind == "text_input" and element.value:  # the number fields: a value the page wrote
                out.append((f"{kind} value", str(element.value)))
        elif kind in ("dataframe", "table") and tables:
            frame = element.value
            out += [("column", str(c)) for c in frame.columns]
            for column in frame.columns:
                out += [(f"cell {column}", cell_text(v)) for v in frame[column].tolist()]
    return out


def cell_text(value: object) -> str:
    """A cell as a reader sees it: a missing value would be drawn as "None" (or blank for a float NaN)."""
    if value is None:
        return "None"
    if isinstance(value, float) and value != value:
        return "nan"
    return "" if value is pd.NA else str(value)


def problems(at: AppTest, lang: str, url_path: str) -> list[str]:
    found: list[str] = []
    names = internal_names()
    for where, text in shown(at, tables=url_path != "sources"):
        if not text:
            continue
        text = URL.sub("", text)  # a web address may hold an id ("co-pi.dk"): it is a link, not plumbing
        checks = (("fact id", FACT_ID), ("path", FILE_PATH), ("missing", MISSING), ("id", names), ("hedge", HEDGE))
        for label, pattern in checks:
            for match in pattern.finditer(text):
                found.append(f"{where}: {label} {match.group(0)!r} in {text[:120]!r}")
        if lang != "en":
            found += [f"{where}: English {t!r} in {text[:120]!r}" for t in ENGLISH if t in text]
    return found


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("url_path", [p.url_path for p in PAGES])
def test_no_plumbing_in_what_a_reader_sees_on_arrival(url_path: str, lang: str) -> None:
    at = open_page(url_path, lang)
    assert not at.exception
    found = problems(at, lang, url_path)
    assert not found, f"problems on {url_path} ({lang}), {len(found)}:\n" + "\n".join(dict.fromkeys(found[:40]))


@pytest.mark.parametrize("lang", LANGS)
def test_no_hedged_plural_in_any_message(lang: str) -> None:
    """Every message of the catalogs, also those a page shows only after an action (a save, an import, an answer),
    says "1 row" or "2 rows", or words it without a count, never "row(s)" or "rad(er)"."""
    from babel.messages.pofile import read_po

    from comparisons.i18n import LOCALES_DIR

    with (LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    hedged = []
    for message in catalog:
        texts = [*(message.id if isinstance(message.id, tuple) else (message.id,))]
        texts += [*(message.string if isinstance(message.string, tuple) else (message.string,))]
        hedged += [t for t in texts if t and HEDGE.search(t)]
    assert not hedged, hedged
