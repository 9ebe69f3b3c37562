"""Translations: complete catalogs, per-session translators, browser-locale defaults."""

from __future__ import annotations

import threading

import pytest

from comparisons import i18n
from comparisons.i18n import catalog


def test_no_catalog_string_is_untranslated() -> None:
    gaps = catalog.untranslated()
    assert gaps == {lang: [] for lang in i18n.LANGUAGES}, {k: v[:10] for k, v in gaps.items() if v}


def test_plural_messages_follow_the_count() -> None:
    """ngettext messages are plural entries in the catalogs: one form for 1, another for more ("2 relation(er)")."""
    one, many = "{n} other figure for this measure", "{n} other figures for this measure"
    assert (one, many) in catalog.extract_messages()
    da = i18n.ngettext_for("da")
    assert da(one, many, 1).format(n=1) == "1 andet tal for dette mål"
    assert da(one, many, 3).format(n=3) == "3 andre tal for dette mål"
    nb = i18n.ngettext_for("nb")
    assert nb(one, many, 1).format(n=1) == "1 annet tall for dette målet"
    assert nb(one, many, 2).format(n=2) == "2 andre tall for dette målet"
    assert i18n.ngettext_for("en")(one, many, 2).format(n=2) == "2 other figures for this measure"


def test_catalogs_translate_known_strings() -> None:
    assert i18n.gettext_for("nb")("Norway") == "Norge"
    assert i18n.gettext_for("da")("Norway") == "Norge"
    assert i18n.gettext_for("da")("Denmark") == "Danmark"
    assert i18n.gettext_for("en")("Denmark") == "Denmark"


def test_placeholders_survive_translation() -> None:
    import re

    for lang in ("nb", "da"):
        _ = i18n.gettext_for(lang)
        ngettext = i18n.ngettext_for(lang)
        for msgid in catalog.extract_messages():
            if isinstance(msgid, tuple):  # every plural form keeps the placeholders
                for n in (1, 2, 5):
                    shown = ngettext(msgid[0], msgid[1], n)
                    assert set(re.findall(r"{\w+}", shown)) == set(re.findall(r"{\w+}", msgid[0])), (lang, msgid)
                continue
            assert set(re.findall(r"{\w+}", _(msgid))) == set(re.findall(r"{\w+}", msgid)), (lang, msgid)


def test_translators_do_not_leak_between_threads() -> None:
    """Two sessions in two threads, two languages: each keeps its own (no process-wide install())."""
    results: dict[str, list[str]] = {"nb": [], "en": []}

    def worker(lang: str) -> None:
        _ = i18n.gettext_for(lang)
        for _i in range(200):
            results[lang].append(_("Denmark"))

    threads = [threading.Thread(target=worker, args=(lang,)) for lang in results]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert set(results["nb"]) == {"Danmark"} and set(results["en"]) == {"Denmark"}
    import builtins

    assert not hasattr(builtins, "_")


@pytest.mark.parametrize(
    ("locale", "lang"),
    [
        ("nb-NO", "nb"),
        ("no", "nb"),
        ("nn-NO", "nb"),
        ("da-DK", "da"),
        ("da", "da"),
        ("en-US", "en"),
        ("de-DE", "en"),
        (None, "en"),
        ("", "en"),
    ],
)
def test_language_from_browser_locale(locale: str | None, lang: str) -> None:
    assert i18n.language_from_locale(locale) == lang


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown language"):
        i18n.translations("xx")


def test_pick_falls_back_to_english_for_missing_values() -> None:
    import pandas as pd

    row = pd.Series({"summary_da": pd.NA, "summary_nb": "  ", "summary_en": "In English"}, dtype="string")
    assert i18n.pick(row, "summary", "da") == "In English"
    assert i18n.pick(row, "summary", "nb") == "In English"
    assert i18n.pick({"title_da": "Dansk"}, "title", "da") == "Dansk"
    assert i18n.pick({}, "title", "nb") == ""
