"""Texts of every page's model in every language (issue 19): no label or caption begins or ends with a dangling
"·" (a missing short name left "Offentlige indkøb om året · "), and no "(s)"/"(er)" plural hedges ("2 relation(er)"):
plurals are ngettext messages."""

from __future__ import annotations

import dataclasses
import importlib
import re
from collections.abc import Iterator
from functools import lru_cache

import pytest

from comparisons import models
from comparisons.evidence.base import Evidence, load_evidence
from tests.helpers import DATA, LANGS

HEDGE = re.compile(r"\w\((s|er|ar|e|r)\)(?!\w)")


@lru_cache(maxsize=1)
def evidence() -> Evidence:
    return load_evidence(DATA, validate=False)


def texts(obj: object, path: str = "") -> Iterator[tuple[str, str]]:
    """Every string a page model holds, with where it is (tables are checked by the page tests)."""
    if isinstance(obj, str):
        yield path, obj
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            yield from texts(getattr(obj, f.name), f"{path}.{f.name}")
    elif isinstance(obj, list | tuple):
        for i, item in enumerate(obj):
            yield from texts(item, f"{path}[{i}]")
    elif isinstance(obj, dict):
        for key, item in obj.items():
            yield from texts(item, f"{path}[{key}]")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", [p.module for p in models.PAGES])
def test_no_dangling_separator_or_plural_hedge(page: str, lang: str) -> None:
    ev = evidence()
    model = importlib.import_module(f"comparisons.models.{page}")
    built = model.build(ev, lang, model.default_settings(ev, lang))
    dangling = [
        (where, text) for where, text in texts(built) if text.strip().endswith("·") or text.strip().startswith("·")
    ]
    assert not dangling, dangling[:5]
    hedges = [(where, text) for where, text in texts(built) if HEDGE.search(text)]
    assert not hedges, hedges[:5]
