"""Figure cards: their texts formatted once (ui.figure.figure_text), and their citations drawn only when opened."""

from __future__ import annotations

import pandas as pd
import pytest

from comparisons.i18n import gettext_for
from comparisons.models.figure import figure_text
from tests.helpers import open_all, open_page, openable_keys
from ui.nav import PAGES

FACT = pd.Series(
    {
        "fact_id": "NO-X-1",
        "value": 1234.5,
        "unit": "NOK",
        "bound": "exact",
        "period_start": "2021-01-01",
        "period_end": "2021-12-31",
        "source_id": "s1",
        "quote": "Om lag [1 234](javascript:x) kroner",
        "note": "",
        "derived_from": "",
        "as_of": "2022-01-01",
    }
)
SOURCE = pd.Series(
    {
        "title": "Årsrapport *2021*",
        "url": "https://example.org/a",
        "publisher": "LUP",
        "published": "2022-03",
        "reliability": "primary",
        "document": "doc-1.txt",
    }
)


def test_a_figure_shows_value_period_publisher_and_its_citation() -> None:
    card = figure_text(
        "Savings", FACT, SOURCE, "nb", other_figures=2, key="k", derived="≈ EUR 100", derivation="rate 11.6"
    )
    assert card.fact_id == "NO-X-1" and card.key == "k"
    assert "1" in card.value and "NOK" in card.value
    first, second = card.line.split("  \n")
    assert "2021" in first and "LUP" in first and "2" in first
    assert second == "≈ EUR 100"
    # Data is escaped: a title or quote cannot become a link, emphasis or HTML.
    assert r"**Årsrapport \*2021\***" in card.cite_head
    assert r"[https\://example\.org/a](https://example.org/a)" in card.cite_head
    assert r"\[1 234\]\(javascript\:x\)" in card.cite_head
    details = card.cite_details.replace("\\", "")
    assert "doc-1.txt" in details and "NO-X-1" in details and "rate 11.6" in details and "2022" in details
    assert card.missing_source == ""


@pytest.mark.parametrize("lang", ["nb", "da", "en"])
def test_a_date_at_the_start_of_the_caption_does_not_become_a_numbered_list(lang: str) -> None:
    """ "28. mars 2019" (nb, da) at the start of a Markdown line was drawn as item 28 of a numbered list."""
    import markdown_it

    day = FACT.copy()
    day["period_start"] = day["period_end"] = "2019-03-28"
    card = figure_text("Partners", day, SOURCE, lang)
    html = markdown_it.MarkdownIt().render(card.line)
    assert "<ol" not in html and "<li" not in html, html
    assert "28" in html and "2019" in html and "LUP" in html


@pytest.mark.parametrize("lang", ["nb", "da", "en"])
def test_no_figure_says_not_found_and_a_missing_source_says_so(lang: str) -> None:
    _ = gettext_for(lang)
    missing = figure_text("Savings", None, None, lang, key="k")
    assert missing.value == _("not found") and missing.fact_id is None and missing.cite_head == ""
    unsourced = figure_text("Savings", FACT, None, lang)
    assert unsourced.key == "NO-X-1"  # the figure's id when no key is given
    assert unsourced.missing_source == _("Source {source_id} not found.").format(source_id="s1")
    assert unsourced.line.endswith(" · ?")


@pytest.mark.parametrize("page", ["overview", "partners", "procurement", "results"])
def test_citations_are_drawn_when_their_popover_is_opened(page: str) -> None:
    at = open_page(page, "da")
    keys = openable_keys(at, "cite-")
    assert keys, "no figure card with a source"
    closed = len(at.markdown) + len(at.caption)
    opened = open_all(at, "cite-")
    assert not opened.exception and not opened.error
    texts = [m.value for m in opened.markdown]
    titles = [t for t in texts if t.startswith("**")]  # a citation's head: the source's title in bold
    assert len(titles) >= len(keys) - len(opened.warning)
    assert len(opened.markdown) + len(opened.caption) > closed + len(keys)  # a head and a caption per card
    _ = gettext_for("da")
    details = [c.value for c in opened.caption if _("published {date}").split("{")[0].strip() in c.value]
    assert details, "no citation names its publication date"


@pytest.mark.parametrize("lang", ["nb", "da"])
@pytest.mark.parametrize("page", [p.url_path for p in PAGES])
def test_no_text_on_a_page_starts_a_line_with_a_number_and_a_period(page: str, lang: str) -> None:
    """Norwegian and Danish dates ("28. mars") and ordinals at the start of a Markdown line become numbered lists;
    every page's texts, with its citations open, are checked for them."""
    import re

    at = open_all(open_page(page, lang), "cite-")
    assert not at.exception
    for kind in ("markdown", "caption", "info", "warning", "success", "error"):
        for element in getattr(at, kind):
            for line in str(element.value).split("\n"):
                assert not re.match(r"\s*\d+\.\s", line), (kind, line)
