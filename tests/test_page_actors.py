"""Page tests for "Danish actors and initiatives" (url_path actors), against the shipped data.

Expected values are read straight from the CSV files (not through the code under test), so a wrong join, filter or
format shows up as a failure.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from comparisons.evidence.base import load_evidence
from comparisons.i18n import gettext_for
from comparisons.i18n.formatting import fmt_value
from comparisons.models import actors as model
from tests.helpers import DATA, LANGS, all_text, copy_data, open_page, shipped_evidence

PAGE = "actors"
SUMMIT = "ev-dk-no-summit-2020"
MONEY_MARK = {"nb": ("mill.", "mrd."), "da": ("mio.", "mia."), "en": ("DKK\u00a0",)}


def rows(package: str, resource: str, root: Path = DATA) -> list[dict[str, str]]:
    with open(root / package / f"{resource}.csv", encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def danish_actors() -> list[dict[str, str]]:
    return [a for a in rows("denmark", "actors") if a["country"] == "DK"]


def all_relations() -> list[dict[str, str]]:
    return rows("norway", "relations") + rows("denmark", "relations")


def frame_with(at: AppTest, column: str) -> pd.DataFrame:
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert found, f"no table with a {column!r} column"
    return found[0]


def _lang(at: AppTest) -> str:
    value = at.query_params.get("lang", "en")
    return value if isinstance(value, str) else value[0]


def page_model(at: AppTest) -> model.ActorsPage:
    """The page's model for the filters the page shows now."""
    settings = model.Settings(
        tuple(sorted(at.multiselect(key="act_kind").value)),
        tuple(sorted(at.multiselect(key="act_role").value)),
        bool(at.toggle(key="act_summit").value),
    )
    root = os.environ.get("LUP_DATA_DIR")  # a test's own data root, as the page reads it
    ev = load_evidence(Path(root), validate=False) if root else shipped_evidence()
    return model.build(ev, _lang(at), settings)


def drawn(at: AppTest, shown: pd.DataFrame) -> pd.DataFrame:
    """The table the page draws that has `shown`'s columns, checked to be exactly the model's reader frame."""
    found = [d.value for d in at.dataframe if list(d.value.columns) == list(shown.columns)]
    assert found, f"no table with the columns {list(shown.columns)}"
    pd.testing.assert_frame_equal(found[0].reset_index(drop=True), shown.reset_index(drop=True), check_dtype=False)
    return found[0]


def register(at: AppTest) -> pd.DataFrame:
    """The register as the model holds it (ids and machine columns, rows in the page's order), after checking that
    the page draws the model's reader frame of it."""
    view = page_model(at).register
    drawn(at, view.table_shown)
    return view.table.reset_index(drop=True)


def key_figures(at: AppTest) -> pd.DataFrame:
    view = page_model(at).register
    drawn(at, view.figures_shown)
    return view.figures.reset_index(drop=True)


def initiatives(at: AppTest) -> pd.DataFrame:
    view = page_model(at).view
    drawn(at, view.initiatives_shown)
    return view.initiatives.reset_index(drop=True)


def no_html_anywhere(at: AppTest) -> None:
    for md in at.markdown:
        assert not md.proto.allow_html
    for cap in at.caption:
        assert not cap.proto.allow_html


@pytest.mark.parametrize("lang", LANGS)
def test_page_shows_the_register_in_every_language(lang: str) -> None:
    _ = gettext_for(lang)
    at = open_page(PAGE, lang)
    assert not at.exception
    assert not at.error
    assert at.title[0].value == _("Danish actors and initiatives")
    no_html_anywhere(at)

    table = register(at).set_index("actor_id")
    expected = {a["actor_id"]: a for a in danish_actors()}
    assert set(table.index) == set(expected)
    # Summaries in the chosen language, kinds translated (the label catalog already has Danish and Norwegian).
    for actor_id, row in expected.items():
        assert table.loc[actor_id, "summary"] == row[f"summary_{lang}"]
        assert table.loc[actor_id, "name"] == row["name"]
    kl_kind = table.loc["kl", "kind"]
    assert kl_kind == _("Municipal association")
    if lang != "en":
        assert kl_kind != "Municipal association"

    # Summit participants: exactly the Danish actors holding "participant" towards the summit event.
    participants = {r["subject"] for r in all_relations() if r["relation"] == "participant" and r["object"] == SUMMIT}
    ticked = set(table.index[table["summit"].astype(bool)])
    assert ticked == participants & set(expected)
    assert len(ticked) == 12  # the twelve Danish bodies named in source document 004

    # Roles in words: KL took part in the summit; the phrase names the event in the chosen language.
    event = next(e for e in rows("denmark", "events") if e["event_id"] == SUMMIT)
    assert _("participant in {object}").format(object=event[f"title_{lang}"]) in table.loc["kl", "roles"]


@pytest.mark.parametrize("lang", LANGS)
def test_key_figures_are_formatted_in_the_language_with_their_source(lang: str) -> None:
    at = open_page(PAGE, lang)
    figures = key_figures(at)
    money = [f for f in rows("denmark", "facts") if f["unit"] == "DKK" and f["subject"] == "co-pi"]
    assert money, "the data should hold CO-PI's funding in DKK"
    sources = {s["source_id"]: s for s in rows("denmark", "sources")}
    for fact in money:
        line = figures[figures["fact_id"] == fact["fact_id"]]
        assert len(line) == 1
        text = fmt_value(float(fact["value"]), "DKK", lang, fact["bound"])
        assert line.iloc[0]["figure"] == text
        assert any(mark in text for mark in MONEY_MARK[lang])
        assert line.iloc[0]["publisher"] == sources[fact["source_id"]]["publisher"]
        assert line.iloc[0]["year"].startswith(fact["period_start"][:4])
    # The same figure is summarised in the register row, with its year and publisher.
    copi = register(at).set_index("actor_id").loc["co-pi", "key_figures"]
    assert fmt_value(float(money[0]["value"]), "DKK", lang, money[0]["bound"]) in copi


@pytest.mark.parametrize("lang", LANGS)
def test_initiatives_table(lang: str) -> None:
    at = open_page(PAGE, lang)
    table = initiatives(at).set_index("initiative_id")
    expected = rows("denmark", "initiatives")
    assert set(table.index) == {i["initiative_id"] for i in expected}
    names = {  # the short name in the reader's language where the data has one
        a["actor_id"]: (a.get(f"short_name_{lang}") or a["short_name"] or a["name"])
        for a in rows("denmark", "actors") + rows("norway", "actors")
    }
    for i in expected:
        assert table.loc[i["initiative_id"], "summary"] == i[f"summary_{lang}"]
        owners = table.loc[i["initiative_id"], "owners"]
        assert owners == ", ".join(names.get(o, o) for o in i["owner"].split())


def test_filters_round_trip_through_the_url() -> None:
    params = {"act_kind": "ministry,agency", "act_role": "participant", "act_summit": "true"}
    at = open_page(PAGE, "en", params)
    assert not at.exception
    assert at.multiselect(key="act_kind").value == ["ministry", "agency"]
    assert at.multiselect(key="act_role").value == ["participant"]
    assert at.toggle(key="act_summit").value is True
    table = register(at)
    kinds = {a["actor_id"]: a["kind"] for a in danish_actors()}
    participants = {r["subject"] for r in all_relations() if r["relation"] == "participant" and r["object"] == SUMMIT}
    expected = {a for a, k in kinds.items() if k in ("ministry", "agency") and a in participants}
    assert set(table["actor_id"]) == expected and expected  # e.g. Erhvervsministeriet, UFM, Digitaliseringsstyrelsen
    assert table["summit"].all()
    # The URL holds the whole view, and reopening it gives the same table.
    assert {k: _param(at, k) for k in params} == params
    again = open_page(PAGE, "en", params)
    pd.testing.assert_frame_equal(register(again), table)


def test_changing_a_filter_updates_the_url() -> None:
    # English: under AppTest the sidebar's language picker is lost after switch_page, so a widget interaction
    # falls back to the default language (an AppTest quirk, cf. streamlit#11115; a browser keeps it).
    at = open_page(PAGE, "en")
    assert len(register(at)) == len(danish_actors())
    at.multiselect(key="act_kind").set_value(["business_association"]).run()
    at.toggle(key="act_summit").set_value(True).run()
    table = register(at)
    assert set(table["actor_id"]) == {"dansk-erhverv", "di", "dansk-byggeri"}
    assert _param(at, "act_kind") == "business_association"
    assert _param(at, "act_summit") == "true"
    reopened = open_page(PAGE, "en", {"act_kind": _param(at, "act_kind"), "act_summit": _param(at, "act_summit")})
    pd.testing.assert_frame_equal(register(reopened), table)


def _param(at: AppTest, key: str) -> str:
    value = at.query_params[key]
    return value[0] if isinstance(value, list) else str(value)


@pytest.mark.parametrize(
    "params",
    [
        {"act_kind": "<script>alert(1)</script>"},
        {"act_role": "owner,../../etc/passwd"},
        {"act_summit": "maybe"},
        {"act_kind": "ministry,,,nonsense", "act_role": "%00", "act_summit": "1e9"},
    ],
)
def test_hostile_params_fall_back_to_the_defaults(params: dict[str, str]) -> None:
    at = open_page(PAGE, "en", params)
    assert not at.exception and not at.error
    table = register(at)
    assert len(table) == len(danish_actors())  # defaults: no filter
    assert at.multiselect(key="act_kind").value == [] or "act_kind" not in params
    assert at.toggle(key="act_summit").value is False
    shown = all_text(at) + " ".join(str(t.value) for t in at.toast)
    for value in params.values():
        if len(value) > 3:
            assert value not in shown  # never echoed
    assert noted_as_invalid(at) == set(params)  # each bad value is reported by name (never by value)


def noted_as_invalid(at: AppTest) -> set[str]:
    """The parameters the page reported as not understood: in a toast, or (under AppTest, where switch_page runs
    the page without app.py's closing toast) still pending in session state."""
    keys: set[str] = set()
    for toast in at.toast:
        keys |= {k for k in ("act_kind", "act_role", "act_summit") if k in str(toast.value)}
    if "_url_notices" in at.session_state:
        keys |= set(at.session_state["_url_notices"])
    return keys


HOSTILE_NAMES = ("<script>alert(1)</script>", "[x](javascript:alert(1))")


def _append(path: Path, record: dict[str, str]) -> None:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh))
    with open(path, "a", encoding="utf-8", newline="") as fh:
        csv.DictWriter(fh, fieldnames=header).writerow({k: record.get(k, "") for k in header})


def test_hostile_names_render_as_literal_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_data(tmp_path)
    source_id = rows("denmark", "sources", root)[0]["source_id"]
    for n, name in enumerate(HOSTILE_NAMES):
        _append(
            root / "denmark" / "actors.csv",
            {
                "actor_id": f"hostile-{n}",
                "country": "DK",
                "name": name,
                "name_en": name,
                "kind": "agency",
                "summary_nb": name,
                "summary_da": name,
                "summary_en": f"**bold** {name}",
                "source_id": source_id,
                "url": "javascript:alert(1)",
            },
        )
        _append(
            root / "denmark" / "relations.csv",
            {
                "relation_id": f"r-hostile-{n}",
                "subject": f"hostile-{n}",
                "relation": "participant",
                "object": SUMMIT,
                "source_id": source_id,
            },
        )
    monkeypatch.setenv("LUP_DATA_DIR", str(root))
    at = open_page(PAGE, "en", {"act_summit": "true"})
    assert not at.exception and not at.error, [e.value for e in at.error]
    table = register(at).set_index("actor_id")
    for n, name in enumerate(HOSTILE_NAMES):
        assert table.loc[f"hostile-{n}", "name"] == name  # the literal text, in a dataframe cell
        assert table.loc[f"hostile-{n}", "summary"] == f"**bold** {name}"
        assert pd.isna(table.loc[f"hostile-{n}", "url"])  # a javascript: address is never a link
        assert bool(table.loc[f"hostile-{n}", "summit"])
    # Nowhere as Markdown or HTML: no element carries the raw text, and HTML is never allowed.
    no_html_anywhere(at)
    text = all_text(at)
    assert "<script>" not in text and "](javascript:" not in text
    assert len(table) == 12 + len(HOSTILE_NAMES)


def test_actors_views_are_built_once_per_data_version_language_and_setting() -> None:
    from comparisons.evidence.base import load_evidence
    from comparisons.models.actors import actors_view, register_view

    ev = load_evidence()
    actors_view.clear()
    register_view.clear()
    first = actors_view(ev, "nb")
    assert actors_view(ev, "nb") is first  # shared, not rebuilt
    assert actors_view(ev, "en") is not first  # another language is another entry
    table = register_view(ev, "nb", (), (), False)
    assert register_view(ev, "nb", (), (), False) is table
    assert register_view(ev, "nb", ("ministry",), (), False) is not table  # another filter
    assert register_view(ev, "nb", (), (), True) is not table
    assert register_view(ev, "da", (), (), False) is not table
    assert actors_view(ev, "nb") is first  # a filter leaves the rest of the page cached
    ev.version = "another-version"  # what a saved edit does to the key
    assert actors_view(ev, "nb") is not first
    assert register_view(ev, "nb", (), (), False) is not table
