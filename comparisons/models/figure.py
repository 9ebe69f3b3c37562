"""A figure card's texts: the value in the reader's language, its date and publisher, and its full citation.

Page models format their cards once (`figure_text`); ui.figure draws them, the pack and the briefs print them.

Everything from the data is shown as plain text (st.text / st.caption of escaped Markdown), never as HTML. The
two helpers here are the one way data goes into Markdown anywhere in the app: `escape_md` for text, `md_link` for
a web address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from comparisons.i18n import gettext_for, ngettext_for
from comparisons.i18n.formatting import fmt_period, fmt_span, fmt_value
from comparisons.i18n.labels import RELIABILITY

# Every character that starts Markdown, HTML, LaTeX, an entity (&), an autolinked address (: @ .) or one of
# Streamlit's own directives (:red[...], :material/icon:) when it begins or ends a construct; escaped, each is shown
# as itself.
_MD_SPECIAL = "\\`*_{}[]<>()#+-.!|$~:&@"
# A web address that can be a link as it is: http(s), then no space, bracket, quote, angle bracket or backslash
# (each of which could end the link early and let the rest of the address draw an image or another link).
_LINKABLE = re.compile(r"https?://[^\s<>()\[\]{}\\\"'`]+", re.IGNORECASE)


def escape_md(text: object) -> str:
    """Text from the data, safe inside Markdown: no links, images, HTML or LaTeX from a name or quote."""
    s = "" if text is None or text != text else str(text)
    return "".join("\\" + c if c in _MD_SPECIAL else c for c in s)


def md_link(url: object, text: object = None) -> str:
    """A web address from the data as Markdown: a link only when it is http(s) with no space, bracket or quote;
    anything else (javascript:, an address that breaks out of the link) is escaped plain text. '' when missing.
    `text` is the link's text (escaped; the address itself when not given)."""
    s = url.strip() if isinstance(url, str) else ""  # None, NaN and pd.NA are no address
    label = escape_md(s if text is None else text)
    return f"[{label}]({s})" if _LINKABLE.fullmatch(s) else label


@dataclass(frozen=True)
class FigureCard:
    """A figure card's texts, formatted once in a page's model (comparisons.models) and drawn on every rerun.

    Formatting a card (babel, pandas lookups, the citation's lines) was about a third of a cached page's rerun
    time (benchmarks/pages.py, py-spy), so it happens where the page's other content is built."""

    label: str  # Markdown (st.metric draws it so): data in it escaped with escape_md
    value: str  # the figure in the reader's language, or "not found"
    line: str  # under the value: period, publisher, other figures, and an optional derived line
    key: str
    fact_id: str | None = None  # None when no source gives the figure
    cite_head: str = ""  # Markdown: the source's title and link, and the quote
    cite_details: str = ""  # caption: publisher, dates, reliability, document, validity, notes, derivation
    missing_source: str = ""  # a warning instead of the citation when the cited source is not in the evidence
    quote_lang: str = ""  # the source's language (its title and quote), e.g. "nb"; "" when unknown


def _citation(fact: pd.Series, source: pd.Series | None, lang: str, derivation: str | None) -> tuple[str, str, str]:
    """The sources panel of one figure as (head, details, missing-source warning)."""
    _ = gettext_for(lang)
    if source is None:
        return "", "", _("Source {source_id} not found.").format(source_id=escape_md(fact["source_id"]))
    head = [f"**{escape_md(source['title'])}**"]
    if md_link(source.get("url")):
        head.append(md_link(source.get("url")))
    text = "  \n".join(head)
    if isinstance(fact.get("quote"), str) and fact["quote"]:
        text += f"\n\n> {escape_md(fact['quote'])}"
    details = [
        join_parts(
            escape_md(source["publisher"]),
            _("published {date}").format(date=fmt_period(source["published"], lang)),
            _(RELIABILITY.get(str(source["reliability"]), str(source["reliability"]))),
        )
    ]
    if isinstance(source.get("document"), str) and source["document"]:
        details.append(_("Document: {name}").format(name=escape_md(source["document"])))
    details.append(
        _("Valid for {period}; figure {fact_id}.").format(
            period=fmt_span(fact["period_start"], fact["period_end"], lang), fact_id=escape_md(fact["fact_id"])
        )
    )
    if isinstance(fact.get("note"), str) and fact["note"]:
        details.append(escape_md(fact["note"]))
    if isinstance(fact.get("derived_from"), str) and fact["derived_from"]:
        details.append(_("Derived from: {ids}").format(ids=escape_md(fact["derived_from"])))
    if derivation:
        details.append(_("How the converted value was derived: {steps}").format(steps=derivation))
    return text, "  \n".join(details), ""


def source_citation(source: pd.Series, lang: str, note: str = "") -> tuple[str, str]:
    """The sources panel of something cited that is not a figure (a role, a counterpart, an event) as (head,
    details): the source's title and link, then publisher, date and reliability, then `note` (Markdown)."""
    _ = gettext_for(lang)
    head = [f"**{escape_md(source['title'])}**"]
    if md_link(source.get("url")):
        head.append(md_link(source.get("url")))
    details = [
        join_parts(
            escape_md(source["publisher"]),
            _("published {date}").format(date=fmt_period(source["published"], lang)),
            _(RELIABILITY.get(str(source["reliability"]), str(source["reliability"]))),
        )
    ]
    if note:
        details.append(note)
    return "  \n".join(head), "  \n".join(details)


def join_parts(*parts: object) -> str:
    """Parts of a label or caption joined by " · ", leaving out empty ones (a missing short name or date left a
    dangling "·" at the end of a card's label)."""
    return " · ".join(str(p).strip() for p in parts if isinstance(p, str) and p.strip())


def figure_text(
    label: str,
    fact: pd.Series | None,
    source: pd.Series | None,
    lang: str,
    other_figures: int = 0,
    key: str = "",
    derived: str | None = None,
    derivation: str | None = None,
) -> FigureCard:
    """The card of one figure in `lang`: its value, validity and publisher, and its citation; "not found" when
    no source gives the figure (`fact` None).

    `derived` is an optional line shown under the caption, e.g. the value converted to another currency, and
    `derivation` says how it was derived (shown with the citation).
    """
    _ = gettext_for(lang)
    if fact is None:
        return FigureCard(label, _("not found"), _("No source in the evidence base gives this figure."), key)
    ngettext = ngettext_for(lang)  # by this name, so the catalog extractor finds the plural forms
    publisher = escape_md(source["publisher"]) if source is not None else "?"
    # Escaped: a date such as "28. mars 2019" at the start of a Markdown line would begin a numbered list.
    line = join_parts(escape_md(fmt_span(fact["period_start"], fact["period_end"], lang)), publisher)
    if other_figures:
        others = ngettext(
            "{n} other figure for this measure", "{n} other figures for this measure", int(other_figures)
        ).format(n=other_figures)
        line = join_parts(line, others)
    head, details, missing = _citation(fact, source, lang, derivation)
    quote_lang = str(source.get("language") or "") if source is not None else ""
    return FigureCard(
        label,
        fmt_value(fact["value"], fact["unit"], lang, fact["bound"]),
        f"{line}  \n{derived}" if derived else line,
        key or str(fact["fact_id"]),
        str(fact["fact_id"]),
        head,
        details,
        missing,
        quote_lang if is_language_code(quote_lang) else "",
    )


def is_language_code(code: str) -> bool:
    """A BCP 47 primary language subtag such as "nb" or "da" (sources.csv also has "data" for datasets)."""
    return len(code) in (2, 3) and code.isascii() and code.isalpha() and code.islower()
