"""Translation and locale: gettext catalogs for the three languages (this module), catalog upkeep (`catalog`),
labels of enum values (`labels`) and numbers, money and dates per locale (`formatting`).

May import: babel only. Everything else in `comparisons` may import this package.

Translations come from gettext catalogs under comparisons/i18n/locales/.

One `Translations` object per language, built once from the .po file (compiled in memory, so no binary .mo files
live in git). Callers ask for the translator of *their* language on every run; nothing is installed process-wide,
so one user's language never leaks into another user's session.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LANGUAGES: tuple[str, ...] = ("nb", "da", "en")
DEFAULT_LANGUAGE = "en"
LOCALES_DIR = Path(__file__).resolve().parent / "locales"
DOMAIN = "messages"

# Names of the languages in themselves, for the language picker.
LANGUAGE_NAMES: dict[str, str] = {"nb": "Norsk bokmål", "da": "Dansk", "en": "English"}


def po_path(lang: str) -> Path:
    return LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=len(LANGUAGES))
def translations(lang: str) -> NullTranslations:
    """The translator for `lang` (English source strings pass through when a catalog has no entry)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")
    path = po_path(lang)
    if not path.exists():
        return NullTranslations()
    with open(path, "rb") as fh:
        catalog = read_po(fh, locale=lang)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return Translations(fp=buf, domain=DOMAIN)


def gettext_for(lang: str):  # returns the bound gettext method
    """The `_` function for one language: `_ = gettext_for("da"); _("Overview")`."""
    return translations(lang).gettext


def ngettext_for(lang: str):
    return translations(lang).ngettext


def language_from_locale(locale: str | None) -> str:
    """Map a browser locale ('nb-NO', 'da', 'no', 'nn-NO', 'en-US') to one of our languages; English otherwise."""
    if not locale:
        return DEFAULT_LANGUAGE
    primary = locale.replace("_", "-").split("-")[0].lower()
    if primary in ("nb", "no", "nn"):
        return "nb"
    if primary == "da":
        return "da"
    return DEFAULT_LANGUAGE


def pick(row: object, stem: str, lang: str) -> str:
    """The `stem_<lang>` column of a row (summary_da, title_nb ...), falling back to English."""
    get = row.get if hasattr(row, "get") else lambda k, d=None: getattr(row, k, d)
    for key in (f"{stem}_{lang}", f"{stem}_en"):
        value = get(key)
        if not _missing(value) and str(value).strip():
            return str(value)
    return ""


def _missing(value: object) -> bool:
    """None, NaN or pandas' NA (whose truth value is ambiguous, so it cannot be compared)."""
    if value is None:
        return True
    try:
        return bool(value != value)
    except TypeError:
        return True


def N_(message: str) -> str:  # the gettext convention
    """Mark a string for translation where it is defined; translate it where it is shown."""
    return message
