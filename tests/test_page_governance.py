"""The Governance page in every language, against the shipped data: timeline, owners in a year (kept in the URL),
conflicting sources, milestones and the crosswalk with its gaps."""

from __future__ import annotations

import io
import json
from datetime import date

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from comparisons.i18n import gettext_for
from comparisons.i18n.labels import FIT
from tests.helpers import LANGS, MONTHS, all_text, open_page, shipped_evidence

PAGE = "governance"
TITLE = "Governance: who owns and steers LUP"
THIS_YEAR = date.today().year
evidence = shipped_evidence


def written_day(text: str, lang: str) -> str:
    """'2019-03-28' as each language writes a day, spelled out here independently of the formatting module."""
    y, m, d = (int(p) for p in text.split("-"))
    month = MONTHS[lang][m - 1]
    return f"{d} {month} {y}" if lang == "en" else f"{d}. {month} {y}"


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    """The first dataframe on the page that has `column`."""
    for frame in at.dataframe:
        if column in frame.value.columns:
            return frame.value
    raise AssertionError(f"no table with column {column!r}")


def chart_datasets(at: AppTest) -> tuple[dict, list[pd.DataFrame]]:
    chart = at.get("vega_lite_chart")[0].proto
    frames = [pa.ipc.open_stream(io.BytesIO(d.data.data)).read_pandas() for d in chart.datasets]
    return json.loads(chart.spec), frames


def notice_given(at: AppTest, key: str) -> bool:
    """The link's bad value was noted for the notice (shown as a toast by app.py once the page has run)."""
    pending = at.session_state.get("_url_notices", set())
    return key in pending or any(key in t.value for t in at.toast)


@pytest.mark.parametrize("lang", LANGS)
def test_governance_page_in_every_language(lang: str) -> None:
    _ = gettext_for(lang)
    at = open_page(PAGE, lang)
    assert not at.exception
    assert at.title[0].value == _(TITLE)
    ev = evidence()

    # Timeline: one row per owner relation, open ends marked in the reader's language, number locale applied.
    spec, frames = chart_datasets(at)
    bars = next(f for f in frames if "relation_id" in f.columns and "marker" not in f.columns)
    assert {"KS", "NHO", "Difi", "DFØ", "Digdir"} <= set(bars["actor"])
    assert set(bars["relation"]) <= {"founder", "owner", "steering_group", "collaborator"}
    open_ends = next(f for f in frames if "marker" in f.columns)
    assert set(open_ends["marker"]) == {_("end not known")}
    assert "Difi" not in set(open_ends["actor"])  # Difi's roles ended with Difi
    assert spec["config"]["locale"]["number"]["decimal"] == ("." if lang == "en" else ",")
    assert len(spec["layer"]) == 5  # bars, open ends, founders, role markers, successions

    # Milestones: every event of LUP, titled in the chosen language, dates written the language's way.
    events = ev["events"][ev["events"]["subject"] == "lup"]
    milestones = table_with(at, _("Milestone"))
    assert sorted(milestones[_("Milestone")]) == sorted(events[f"title_{lang}"])
    full_dates = [d for d in events["date"] if len(d) == 10]
    assert full_dates, "expected at least one milestone with a full date"
    assert written_day(full_dates[0], lang) in set(milestones[_("Date")])

    # Crosswalk: every role in the chosen language, fit as a coloured label, gaps counted.
    counterparts = ev["counterparts"]
    cross = table_with(at, _("LUP role"))
    assert sorted(cross[_("LUP role")]) == sorted(counterparts[f"role_{lang}"])
    assert {tuple(v) for v in cross[_("Fit")]} <= {(_(FIT[f]),) for f in FIT}
    gaps = int(
        ((counterparts["fit"] == "none") | (counterparts["danish_candidates"].fillna("").str.strip() == "")).sum()
    )
    assert int(cross[_("Gap")].sum()) == gaps
    metric = next(m for m in at.metric if m.label == _("Roles without a Danish counterpart"))
    assert metric.value == _("{gaps} of {roles}").format(gaps=gaps, roles=len(counterparts))


def test_default_year_is_this_year_and_lands_in_the_url() -> None:
    at = open_page(PAGE, "en")
    assert not at.exception
    assert at.slider[0].value == THIS_YEAR
    assert _params(at)["gov_year"] == str(THIS_YEAR)
    owners = table_with(at, "Sources disagree")
    assert {"KS", "NHO", "IN", "RCN"} <= set(owners["Body"])
    assert "Difi" not in set(owners["Body"])  # dissolved in 2020
    assert not {"DFØ", "Digdir"} & set(owners["Body"])  # named as owners only until 2022 and 2020
    seats = owners[owners["Role"] != "Founder"]
    # each seat counted this year is named by a source of the last two years (the rule `validate` warns about)
    assert all(str(text)[-4:] >= str(THIS_YEAR - 2) for text in seats["Last named by"]), list(seats["Last named by"])


def _params(at: AppTest) -> dict[str, str]:
    return {k: (v if isinstance(v, str) else v[0]) for k, v in at.query_params.items()}


def test_year_in_the_link_round_trips() -> None:
    _ = gettext_for("nb")
    at = open_page(PAGE, "nb", {"gov_year": "2019"})
    assert not at.exception
    assert at.slider[0].value == 2019
    owners = table_with(at, _("Sources disagree"))
    assert set(owners[_("Body")]) == {"KS", "NHO", "Difi", "IN", "Forskningsrådet"}  # short names in nb
    params = _params(at)
    assert params["gov_year"] == "2019" and params["lang"] == "nb"
    again = open_page(PAGE, params.pop("lang"), params)  # the link the page wrote reopens the same view
    assert again.slider[0].value == 2019
    pd.testing.assert_frame_equal(table_with(again, _("Sources disagree")), owners)


def test_moving_the_slider_writes_the_year_into_the_link() -> None:
    at = open_page(PAGE, "en")
    at.slider[0].set_value(2016).run()
    assert not at.exception
    assert _params(at)["gov_year"] == "2016"
    moved = table_with(at, "Sources disagree")
    assert set(moved["Body"]) == {"KS", "NHO", "Difi"}
    again = open_page(PAGE, "en", {"gov_year": "2016"})
    pd.testing.assert_frame_equal(table_with(again, "Sources disagree"), moved)


def test_conflicting_sources_stay_visible() -> None:
    at = open_page(PAGE, "da", {"gov_year": "2020"})
    _ = gettext_for("da")
    assert not at.exception
    owners = table_with(at, _("Sources disagree"))
    disputed = set(owners.loc[owners[_("Sources disagree")], _("Body")])
    assert {"Digdir", "DFØ"} <= disputed  # doc-004 names Digdir where Norwegian sources name DFØ
    assert not owners.loc[owners[_("Body")] == "KS", _("Sources disagree")].any()
    note = table_with(at, _("Why flagged"))
    assert {"Digdir", "DFØ"} <= set(note[_("Body")])
    assert list(note[_("Body")]).count("Digdir") == 1  # one row per relation, its reasons joined
    digdir = note[note[_("Body")] == "Digdir"]
    assert digdir[_("Publisher")].str.contains("COI").any()
    assert any("DFØ" in text for text in note[_("Disagrees with")])


@pytest.mark.parametrize("bad", ["abc", "1900", "2019.5", "", "<script>alert(1)</script>", "9" * 40, "2019,2020"])
def test_hostile_year_falls_back_to_this_year(bad: str) -> None:
    at = open_page(PAGE, "en", {"gov_year": bad})
    assert not at.exception
    assert at.slider[0].value == THIS_YEAR
    assert _params(at)["gov_year"] == str(THIS_YEAR)
    assert notice_given(at, "gov_year")
    assert "<script>" not in all_text(at)


def test_sparse_data_still_draws_the_page(tmp_path, monkeypatch) -> None:
    """One owner, no successions, no conflicts: the page draws without the succession layer and says so."""
    from tests.minimal_data import write_minimal_root

    monkeypatch.setenv("LUP_DATA_DIR", str(write_minimal_root(tmp_path / "data")))
    at = open_page(PAGE, "da")
    _ = gettext_for("da")
    assert not at.exception
    assert not at.error
    spec, _frames = chart_datasets(at)
    assert len(spec["layer"]) == 4  # no succession rule
    owners = table_with(at, _("Sources disagree"))
    assert list(owners[_("Body")]) == ["KS"]
    assert _("No relation in the evidence base is contradicted by another source.") in all_text(at)
    assert list(table_with(at, _("Milestone"))[_("Milestone")]) == ["LUP startede"]


def test_text_from_the_data_is_never_markup(tmp_path, monkeypatch) -> None:
    from tests.helpers import copy_data
    from tests.minimal_data import edit_csv

    root = copy_data(tmp_path)

    def evil_actor(rows):
        for row in rows:
            if row["actor_id"] == "difi":
                row["short_name"] = "[evil](https://evil.example)"

    shared = set(pd.read_csv(root / "denmark" / "sources.csv", dtype=str)["source_id"])

    def evil_source(rows):  # sources shared with the Danish package must stay identical
        for row in rows:
            if row["source_id"] not in shared:
                row["publisher"] = "<img src=x onerror=alert(1)>**bold**"

    edit_csv(root / "norway" / "actors.csv", evil_actor)
    edit_csv(root / "norway" / "sources.csv", evil_source)
    monkeypatch.setenv("LUP_DATA_DIR", str(root))
    at = open_page(PAGE, "en")
    assert not at.exception and not at.error
    text = all_text(at)
    assert "[evil](" not in text  # escaped: \[evil\]\(...
    assert "<img" not in text.replace("\\<img", "")
    assert "**bold**" not in text
    assert "evil" in text  # shown, as plain text


def test_governance_views_are_built_once_per_data_version_language_and_setting() -> None:
    from comparisons.evidence.base import load_evidence
    from comparisons.models.governance import governance_view, owners_view

    ev = load_evidence()
    today = date.today()
    governance_view.clear()
    owners_view.clear()
    first = governance_view(ev, "nb", today)
    assert governance_view(ev, "nb", today) is first  # shared, not rebuilt
    assert governance_view(ev, "en", today) is not first  # another language is another entry
    owners = owners_view(ev, "nb", 2019, today)
    assert owners_view(ev, "nb", 2019, today) is owners
    assert owners_view(ev, "nb", 2016, today) is not owners  # another year
    assert owners_view(ev, "da", 2019, today) is not owners
    assert governance_view(ev, "nb", today) is first  # moving the year leaves the rest of the page cached
    ev.version = "another-version"  # what a saved edit does to the key
    assert governance_view(ev, "nb", today) is not first
    assert owners_view(ev, "nb", 2019, today) is not owners
