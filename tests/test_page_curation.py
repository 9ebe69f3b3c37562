"""The curation page: read-only unless switched on, editing and importing through the store, and two sessions
that edit the same table at once. Every test works on a private copy of the data (LUP_DATA_DIR)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from comparisons.evidence import store
from comparisons.i18n import gettext_for
from tests.helpers import LANGS, REPO, TIMEOUT, all_text, copy_data

CURATION = "pages/curation.py"
TITLE = "Curate the Danish register"
NEW_ACTOR = {
    "actor_id": "aeroe-kommune",
    "country": "DK",
    "name": "Ærø Kommune",
    "name_en": "Ærø Municipality",
    "short_name": "",
    "kind": "municipality",
    "founded": "",
    "ended": "",
    "url": "",
    "summary_nb": "Kommune på Ærø.",
    "summary_da": "Kommune på Ærø.",
    "summary_en": "Municipality on Ærø.",
    "source_id": "doc-004",
}


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private data root, with editing switched on."""
    data = copy_data(tmp_path)
    monkeypatch.setenv("LUP_DATA_DIR", str(data))
    monkeypatch.setenv("LUP_EDITING", "1")
    return data


@pytest.fixture
def read_only_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = copy_data(tmp_path)
    monkeypatch.setenv("LUP_DATA_DIR", str(data))
    monkeypatch.delenv("LUP_EDITING", raising=False)
    return data


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".write.lock"
    }


def app(lang: str = "en", params: dict[str, str] | None = None, secrets: dict[str, object] | None = None) -> AppTest:
    """The app from its entry point, first run done (on the default page)."""
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT)
    at.query_params["lang"] = lang
    for key, value in (params or {}).items():
        at.query_params[key] = value
    for key, secret in (secrets or {}).items():
        at.secrets[key] = secret
    return at.run()


def open_curation(lang: str = "en", params: dict[str, str] | None = None, **kw: Any) -> AppTest:
    at = app(lang, params, **kw)
    return at.switch_page(CURATION).run()


def editor_key(root: Path, table: str = "actors") -> str:
    return f"cur_editor_{table}_{store.load_table(root, 'denmark', table).base_hash[:12]}"


def edit(
    at: AppTest,
    root: Path,
    rows: dict[int, dict[str, str]] | None = None,
    added: list | None = None,
    deleted: list[int] | None = None,
    table: str = "actors",
) -> AppTest:
    """Seed the data editor's edit state, as a person typing into it would."""
    at.session_state[editor_key(root, table)] = {
        "edited_rows": rows or {},
        "added_rows": added or [],
        "deleted_rows": deleted or [],
    }
    return at.run()


def save(at: AppTest, who: str | None = "anna", table: str = "actors") -> AppTest:
    if who is not None:
        at.text_input(key="cur_who").input(who)
    return at.button(key=f"cur_save_{table}").click().run()


def row_of(root: Path, actor_id: str) -> pd.Series:
    frame = store.load_table(root, "denmark", "actors").frame
    return frame[frame["actor_id"] == actor_id].iloc[0]


def tables(at: AppTest) -> list[pd.DataFrame]:
    """The read-only tables on the page, in order (at.dataframe also lists the data editor)."""
    return [df.value for df in at.dataframe if df.editing_mode == "read_only"]


def frame_values(at: AppTest) -> str:
    """Every cell of every table on the page, as one text."""
    return "\n".join(df.value.astype(str).to_csv(index=False) for df in at.dataframe)


# --- read-only by default ----------------------------------------------------------------------------------------


def test_read_only_by_default_no_route_no_link_nothing_editable(read_only_root: Path) -> None:
    at = app()
    assert not at.exception
    labels = [p.label for p in at.page_link]
    assert labels and TITLE not in labels
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(CURATION)
    # The page file itself, run directly, draws nothing editable.
    page = AppTest.from_file(str(REPO / CURATION), default_timeout=TIMEOUT).run()
    assert not page.exception
    assert page.info and "switched off" in page.info[0].value
    assert not page.data_editor and not page.file_uploader and not page.button and not page.text_input


@pytest.mark.parametrize("value", ["", "0", "false", "no", "maybe"])
def test_only_an_explicit_on_switches_editing_on(read_only_root: Path, monkeypatch, value: str) -> None:
    monkeypatch.setenv("LUP_EDITING", value)
    at = app()
    assert TITLE not in [p.label for p in at.page_link]


def test_secrets_switch_editing_on_and_env_zero_overrides(read_only_root: Path, monkeypatch) -> None:
    at = app(secrets={"editing": True})
    assert TITLE in [p.label for p in at.page_link]
    at.switch_page(CURATION).run()
    assert not at.exception and len(at.data_editor) == 1
    monkeypatch.setenv("LUP_EDITING", "0")
    at = app(secrets={"editing": True})
    assert TITLE not in [p.label for p in at.page_link]


# --- the page in every language ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_page_in_every_language(root: Path, lang: str) -> None:
    _ = gettext_for(lang)
    at = app(lang)
    assert _(TITLE) in [p.label for p in at.page_link]
    at.switch_page(CURATION).run()
    assert not at.exception and not at.error
    assert [t.value for t in at.title] == [_(TITLE)]
    [editor] = at.data_editor
    assert editor.editing_mode == "dynamic"
    shown = editor.value
    on_disk = store.load_table(root, "denmark", "actors").frame
    assert list(shown["actor_id"]) == list(on_disk["actor_id"]) and len(shown) == len(on_disk) > 20
    assert [b.label for b in at.button] == [_("Save")]
    assert len(at.file_uploader) == 1 and at.file_uploader[0].allowed_type == [".csv", ".xlsx"]
    assert at.selectbox(key="cur_table").value == "actors"
    assert at.selectbox(key="cur_table").options == [  # shown with translated names
        _("Danish actors"),
        _("Initiatives"),
        _("Counterparts of LUP's roles"),
        _("Preconditions"),
        _("Facts"),
    ]


def test_url_round_trip(root: Path) -> None:
    at = open_curation(params={"cur_table": "facts"})
    assert not at.exception
    assert at.selectbox(key="cur_table").value == "facts"
    facts = store.load_table(root, "denmark", "facts").frame
    assert list(at.data_editor[0].value["fact_id"]) == list(facts["fact_id"])
    assert at.query_params["cur_table"] == ["facts"] or at.query_params["cur_table"] == "facts"
    at.selectbox(key="cur_table").set_value("preconditions").run()
    assert "precondition_id" in at.data_editor[0].value.columns
    assert at.query_params["cur_table"] in (["preconditions"], "preconditions")


def test_hostile_table_parameter_falls_back(root: Path) -> None:
    at = open_curation(params={"cur_table": "<script>alert(1)</script>"})
    assert not at.exception
    assert at.selectbox(key="cur_table").value == "actors"
    assert at.toast and "cur_table" in at.toast[0].value
    assert "<script>" not in all_text(at)


# --- editing -----------------------------------------------------------------------------------------------------


def test_save_an_edit_and_a_new_row_every_page_sees_it(root: Path) -> None:
    at = open_curation()
    hostile = "<img src=x onerror=alert(1)> **COI** [x](javascript:alert(1))"
    edit(at, root, rows={0: {"name": hostile}}, added=[NEW_ACTOR])
    first_id = store.load_table(root, "denmark", "actors").frame.loc[0, "actor_id"]
    assert any("Unsaved" in c.value for c in at.caption)
    save(at, "anna")
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.success and "Saved" in at.success[0].value
    assert row_of(root, first_id)["name"] == hostile
    assert row_of(root, "aeroe-kommune")["name"] == "Ærø Kommune"
    [entry] = store.read_log(root, "denmark")
    assert entry["who"] == "anna" and entry["action"] == "saved"
    assert sorted(r["change"] for r in entry["rows"]) == ["added", "changed"]
    # the editor now starts from the saved file (a new base), with no pending changes
    assert next(iter(at.data_editor[0].value["name"])) == hostile
    assert not any("Unsaved" in c.value for c in at.caption)
    # untrusted text only ever in table cells, never as Markdown or HTML
    assert "<img" not in all_text(at) and "**COI**" not in all_text(at)
    # another page of the same app shows the new data
    at.switch_page("pages/actors.py").run()
    assert not at.exception
    assert "Ærø Kommune" in frame_values(at) or "Ærø Kommune" in all_text(at)


def test_a_deleted_row_is_saved_and_logged_with_its_content(root: Path) -> None:
    loaded = store.load_table(root, "denmark", "actors")
    with_new = pd.concat([loaded.frame, pd.DataFrame([NEW_ACTOR])], ignore_index=True)
    store.save_table(root, "denmark", "actors", with_new, loaded.base_hash, "setup")  # an actor nobody refers to
    at = open_curation()
    save(edit(at, root, deleted=[len(with_new) - 1]))
    assert at.success, [e.value for e in at.error]
    assert "aeroe-kommune" not in set(store.load_table(root, "denmark", "actors").frame["actor_id"])
    [row] = store.read_log(root, "denmark")[-1]["rows"]
    assert row["change"] == "removed" and row["before"]["name"] == "Ærø Kommune"


def test_save_needs_a_name(root: Path) -> None:
    before = snapshot(root)
    at = edit(open_curation(), root, rows={0: {"name": "Renamed"}})
    save(at, who=None)
    assert at.error and "name" in at.error[0].value
    assert snapshot(root) == before


def test_rejected_save_names_row_and_column_and_writes_nothing(root: Path) -> None:
    before = snapshot(root)
    at = edit(open_curation(), root, rows={0: {"kind": "pirate_ship"}, 2: {"name_en": ""}})
    save(at)
    assert not at.exception
    assert at.error and "2 problems" in at.error[0].value
    problems = tables(at)[0]
    assert list(problems.columns) == ["File", "Row", "Column", "ID in that row", "Problem"]
    frame = store.load_table(root, "denmark", "actors").frame
    located = set(zip(problems["File"], problems["Row"], problems["Column"], problems["ID in that row"], strict=True))
    assert located == {
        ("denmark/actors.csv", 2, "kind", frame.loc[0, "actor_id"]),
        ("denmark/actors.csv", 4, "name_en", frame.loc[2, "actor_id"]),
    }
    assert snapshot(root) == before


def test_two_sessions_the_second_save_is_refused_and_both_changes_are_recoverable(root: Path) -> None:
    """Anna and Bo open the same table; Anna saves first. Bo's save is refused with both versions shown, nothing
    of Anna's is overwritten, Bo's rows are in the change log, and after a reload Bo can make the change again."""
    coi = int(
        store.load_table(root, "denmark", "actors").frame.index[
            store.load_table(root, "denmark", "actors").frame["actor_id"] == "coi"
        ][0]
    )
    anna, bo = open_curation(), open_curation()
    edit(anna, root, rows={coi: {"name": "First edit by Anna"}})
    edit(bo, root, rows={coi: {"name_en": "Second edit by Bo"}})  # the key is Bo's base, loaded before Anna saved
    bo_key = editor_key(root)
    save(anna, "anna")
    assert anna.success
    save(bo, "bo")
    assert not bo.exception
    assert bo.error and "someone else saved denmark/actors\\.csv" in bo.error[0].value
    # both versions are shown: the cell diff and the two whole tables
    diff, now, yours = tables(bo)[:3]
    assert list(diff.columns) == ["ID", "Change", "Column", "In the file now", "In your version"]
    cells = {(r["ID"], r["Column"]): (r["In the file now"], r["In your version"]) for _, r in diff.iterrows()}
    assert cells[("coi", "name")] == ("First edit by Anna", "Center for Offentlig Innovation")
    assert cells[("coi", "name_en")][1] == "Second edit by Bo"
    assert now.loc[now["actor_id"] == "coi", "name"].item() == "First edit by Anna"
    assert yours.loc[yours["actor_id"] == "coi", "name_en"].item() == "Second edit by Bo"
    # the file has Anna's change only; the log has Anna's save and Bo's refused rows
    assert row_of(root, "coi")["name"] == "First edit by Anna"
    assert row_of(root, "coi")["name_en"] != "Second edit by Bo"
    log = store.read_log(root, "denmark")
    assert [(e["action"], e["who"]) for e in log] == [("saved", "anna"), ("refused-conflict", "bo")]
    assert log[1]["rows"][0]["after"]["name_en"] == "Second edit by Bo"
    # Bo reloads: the editor starts from Anna's version, and Bo's change can be made again
    bo.button(key="cur_reload_actors").click().run()
    assert not bo.error
    assert editor_key(root) != bo_key
    assert bo.data_editor[0].value.loc[coi, "name"] == "First edit by Anna"
    save(edit(bo, root, rows={coi: {"name_en": "Second edit by Bo"}}), "bo")
    assert bo.success
    assert (row_of(root, "coi")["name"], row_of(root, "coi")["name_en"]) == ("First edit by Anna", "Second edit by Bo")
    assert [e["action"] for e in store.read_log(root, "denmark")] == ["saved", "refused-conflict", "saved"]


# --- importing ---------------------------------------------------------------------------------------------------


def danish_csv(rows: list[dict[str, str]], columns: list[str] | None = None) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(
        buf, fieldnames=columns or list(rows[0]), delimiter=";", lineterminator="\r\n", extrasaction="ignore"
    )
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode("cp1252")


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    return at.file_uploader[0].upload(name, data, "text/csv").run()


def test_import_preview_then_apply(root: Path) -> None:
    current = store.load_table(root, "denmark", "actors").frame
    changed = current.iloc[0].to_dict() | {"name_en": "Renamed in Excel"}
    data = danish_csv([changed, NEW_ACTOR])
    at = upload(open_curation(), "aktører.csv", data)
    assert not at.exception and not at.error
    assert any("Rows to add: 1; to change: 1" in m.value for m in at.markdown)
    assert any("Windows-1252" in c.value and "semicolon" in c.value for c in at.caption)
    added, changes = tables(at)[:2]
    assert list(added["actor_id"]) == ["aeroe-kommune"] and added.loc[0, "name"] == "Ærø Kommune"
    assert changes.values.tolist() == [
        [current.loc[0, "actor_id"], "changed", "name_en", current.loc[0, "name_en"], "Renamed in Excel"]
    ]
    assert snapshot(root) == snapshot(root)  # nothing is written by a preview
    assert not store.read_log(root, "denmark")
    at.text_input(key="cur_who").input("carl")
    at.button(key=next(b.key for b in at.button if b.key and b.key.startswith("cur_apply_"))).click().run()
    assert not at.exception and at.success and "Imported" in at.success[0].value
    assert row_of(root, "aeroe-kommune")["name"] == "Ærø Kommune"
    assert row_of(root, current.loc[0, "actor_id"])["name_en"] == "Renamed in Excel"
    [entry] = store.read_log(root, "denmark")
    assert entry["who"] == "carl" and entry["summary"] == "import aktører.csv"
    assert not any(b.key and b.key.startswith("cur_apply_") for b in at.button)  # a fresh uploader


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        ("empty.csv", b"  \n", "empty"),
        ("big.csv", b"actor_id;name\n" + b"x;" + b"y" * (6 * 1024 * 1024) + b"\n", "at most 5 MB"),
    ],
)
def test_unreadable_uploads_are_refused_with_the_file_name(root: Path, name: str, data: bytes, expected: str) -> None:
    before = snapshot(root)
    at = upload(open_curation(), name, data)
    assert not at.exception
    assert at.error and name.replace(".", "\\.") in at.error[0].value and expected in at.error[0].value
    assert not any(b.key and b.key.startswith("cur_apply_") for b in at.button)
    assert snapshot(root) == before


def test_file_problems_are_listed_by_file_row_and_column_and_nothing_can_be_applied(root: Path) -> None:
    bad = [NEW_ACTOR, NEW_ACTOR]  # no `kind` column (the repeated id is checked once the columns are right)
    data = danish_csv(bad, [c for c in NEW_ACTOR if c != "kind"])
    before = snapshot(root)
    at = upload(open_curation(), "to_fix.csv", data)
    assert at.error and "to\\_fix\\.csv has 1 problem. Nothing" in at.error[0].value
    problems = tables(at)[0]
    located = set(zip(problems["File"], problems["Row"], problems["Column"], strict=True))
    assert ("to_fix.csv", 1, "kind") in located
    assert not any(b.key and b.key.startswith("cur_apply_") for b in at.button)
    assert snapshot(root) == before


def test_column_mapping_can_be_adjusted(root: Path) -> None:
    renamed = {("Navn" if k == "name" else k): v for k, v in NEW_ACTOR.items()}
    at = upload(open_curation(), "navne.csv", danish_csv([renamed]))
    assert at.error  # `name` is required and "Navn" is not recognised on its own
    navn = next(s for s in at.selectbox if s.label == "Navn")
    assert navn.value == ""
    navn.set_value("name").run()
    assert not at.error
    assert tables(at)[0].loc[0, "name"] == "Ærø Kommune"


def test_import_rejected_by_the_loader_writes_nothing(root: Path) -> None:
    before = snapshot(root)
    at = upload(open_curation(), "kind.csv", danish_csv([NEW_ACTOR | {"kind": "pirate_ship"}]))
    at.text_input(key="cur_who").input("carl")
    at.button(key=next(b.key for b in at.button if b.key and b.key.startswith("cur_apply_"))).click().run()
    assert not at.exception
    assert at.error and "Not saved" in at.error[0].value
    problems = tables(at)[0]
    rows = len(store.load_table(root, "denmark", "actors").frame)
    # named by the imported file's own row (its first row under the header), and where it would land in the table
    located = list(zip(problems["File"], problems["Row"], problems["Column"], problems["Problem"], strict=True))
    assert any(
        (file, row, column) == ("kind.csv", 2, "kind") and f"(row {rows + 2} of denmark/actors.csv" in message
        for file, row, column, message in located
    ), located
    assert snapshot(root) == before


def test_hostile_file_name_and_headers_are_shown_as_text(root: Path) -> None:
    name = "**bold**<script>alert(1)</script>[x](javascript:alert(1)).csv"
    header_row = NEW_ACTOR | {"<b>Extra</b> [link](http://evil)": "x"}
    at = upload(open_curation(), name, danish_csv([header_row]))
    assert not at.exception
    text = all_text(at)
    assert "<script>" not in text and "**bold**" not in text and "](javascript" not in text and "<b>" not in text
    labels = [s.label for s in at.selectbox]
    assert "\\<b\\>Extra\\</b\\> \\[link\\]\\(http\\://evil\\)" in labels


@pytest.mark.legacy_routing
def test_save_survives_the_first_session_rerun(root: Path) -> None:
    """On a fresh server's first session the app reruns a deep-linked page once (ui.context.ensure_app_frame); a
    Save click is kept as a request in session state, so that rerun does not lose it."""
    at = edit(open_curation(), root, rows={0: {"name_en": "Saved through the rerun"}})
    save(at, "anna")
    assert at.success, [e.value for e in at.error]
    assert store.load_table(root, "denmark", "actors").frame.loc[0, "name_en"] == "Saved through the rerun"
