"""Curate the Danish register: edit a table of the denmark package in place, or import rows from an Excel file.

Only reachable when editing is switched on (ui/editing.py); otherwise the page draws nothing editable. Every save
goes through comparisons.evidence.store: checked with the app's own loader on a private copy, written atomically, logged in
changelog.jsonl, and refused when someone else saved the file since this session loaded it (both versions are shown
and the refused rows are in the log). Text from the data or from an uploaded file is shown as table cells or
escaped Markdown only.
"""

from __future__ import annotations

import hashlib
import io

import pandas as pd
import streamlit as st

from comparisons.evidence import importer, store
from comparisons.evidence.problems import Problem
from comparisons.evidence.schema import Resource
from comparisons.i18n import N_, ngettext_for
from comparisons.models.figure import escape_md
from ui import urlstate
from ui.context import data_root, lang, start_page
from ui.data import clear_cache
from ui.editing import editing_enabled

PACKAGE = "denmark"
TABLES: dict[str, str] = {
    "actors": N_("Danish actors"),
    "initiatives": N_("Initiatives"),
    "counterparts": N_("Counterparts of LUP's roles"),
    "preconditions": N_("Preconditions"),
    "facts": N_("Facts"),
}
TABLE_KEY = "cur_table"
WHO_KEY = "cur_who"
LOADED_KEY = "cur_loaded"  # {table: store.Loaded}: the version this session's editor started from
OUTCOME_KEY = "cur_outcome"  # {table: {...}}: the last refused save (problems or a conflict)
FLASH_KEY = "cur_flash"
UPLOAD_GEN_KEY = "cur_upload_gen"  # {table: n}: a new uploader after an applied import
REQUEST_KEY = "cur_request"  # (action, table, token) of a Save or Apply click, until it is handled
READ_KEY = "cur_read"  # {(file hash, encoding): ReadTable or the ImportError_}: an upload is parsed once
PLAN_KEY = "cur_plan"  # (key, ImportPlan): the last plan, until the file, encoding, mapping or table changes
MAX_UPLOAD_MB = importer.MAX_BYTES // (1024 * 1024)
ENCODING_NAMES: dict[str, str] = {
    "utf-8-sig": "UTF-8 (BOM)",
    "utf-8": "UTF-8",
    "utf-16": "UTF-16",
    "cp1252": N_("Windows-1252 (Western European)"),
    "iso-8859-2": N_("ISO-8859-2 (Latin-2, Central European)"),
    "cp1250": N_("Windows-1250 (Central European)"),
}

_ = start_page()

st.title(_("Curate the Danish register"))
if not editing_enabled():
    st.info(
        _(
            "Editing is switched off in this app, so nothing can be changed here. Whoever runs the app can switch it "
            "on; see “Editing the data” in the README."
        )
    )
    st.stop()

root = data_root()

st.caption(
    _(
        "Edit a table of the Danish package, or import rows from a CSV or Excel file. Every save is checked with the "
        "same rules as the app, written in one step, and recorded with your name in the change log. If someone else "
        "saved the same table after you opened it, your save is refused and both versions are shown."
    )
)

urlstate.seed(TABLE_KEY, urlstate.choice_parser(list(TABLES)), "actors")
col_table, col_who = st.columns(2)
with col_table:
    table = st.selectbox(_("Table"), list(TABLES), format_func=lambda t: _(TABLES[t]), key=TABLE_KEY)
with col_who:
    who = st.text_input(
        _("Your name (required)"), key=WHO_KEY, max_chars=80, help=_("Recorded in the change log with every save.")
    )
urlstate.publish(TABLE_KEY, table)
who = (who or "").strip()


def _loaded(name: str) -> store.Loaded:
    """The table as this session first loaded it; its hash goes with every save, so a later change is noticed."""
    cache: dict[str, store.Loaded] = st.session_state.setdefault(LOADED_KEY, {})
    if name not in cache:
        cache[name] = store.load_table(root, PACKAGE, name)
    return cache[name]


def _reload(name: str) -> None:
    """Forget this session's copy (and any refused save) so the table is read again from the file."""
    st.session_state.setdefault(LOADED_KEY, {}).pop(name, None)
    st.session_state.setdefault(OUTCOME_KEY, {}).pop(name, None)


def _request(action: str, name: str, token: str = "") -> None:
    """Button callback: remember the request in session state, where it survives a rerun before the body runs
    (a button's own True lasts for one run only)."""
    st.session_state[REQUEST_KEY] = (action, name, token)


def _requested(action: str, name: str, token: str = "") -> bool:
    """True once for a request made by `_request` with the same arguments."""
    if st.session_state.get(REQUEST_KEY) == (action, name, token):
        del st.session_state[REQUEST_KEY]
        return True
    return False


def _read_upload(data: bytes, name: str, encoding: str | None) -> importer.ReadTable | importer.ImportError_:
    """The upload read once per file (by its hash) and encoding, kept in the session: every rerun (each letter
    typed in the name field) would otherwise parse it again, which took up to half a minute for a large workbook."""
    cache: dict[tuple[str, str | None], importer.ReadTable | importer.ImportError_] = st.session_state.setdefault(
        READ_KEY, {}
    )
    key = (hashlib.sha256(data).hexdigest(), encoding)
    if key not in cache:
        try:
            cache[key] = importer.read_table(data, name, encoding)
        except importer.ImportError_ as exc:
            cache[key] = exc
        while len(cache) > 4:  # a few files back, not every file of the session
            cache.pop(next(iter(cache)))
    return cache[key]


def _plan(
    read: importer.ReadTable, loaded: store.Loaded, name: str, mapping: dict[str, str], file_key: object
) -> importer.ImportPlan:
    """The import plan, made again only when the file, its encoding, the mapping or the table changed."""
    key = (file_key, tuple(mapping.items()), loaded.base_hash, loaded.resource.name)
    held = st.session_state.get(PLAN_KEY)
    if held is None or held[0] != key:
        held = (key, importer.plan_import(read, loaded.frame, loaded.resource, name, mapping))
        st.session_state[PLAN_KEY] = held
    return held[1]


def _frame_of(text: str) -> pd.DataFrame:
    try:
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False).astype("string")
    except (ValueError, pd.errors.ParserError):
        return pd.DataFrame()


def _key_at(frame: pd.DataFrame, res: Resource, row: int | None) -> str:
    """The id of the row a problem names (row 2 is the first row under the header)."""
    if row is None or not 2 <= row < len(frame) + 2:
        return ""
    record = frame.iloc[row - 2]
    return " | ".join(str(record.get(k, "")) for k in res.primary_key)


def _problem_table(problems: list[Problem], frame: pd.DataFrame | None = None, res: Resource | None = None) -> None:
    own = f"{PACKAGE}/{res.path}" if res is not None else ""
    rows = {
        _("File"): [p.file for p in problems],
        _("Row"): pd.array([p.row for p in problems], dtype="Int64"),
        _("Column"): [p.column or "" for p in problems],
    }
    if frame is not None and res is not None:
        rows[_("ID in that row")] = [_key_at(frame, res, p.row) if p.file == own else "" for p in problems]
    rows[_("Problem")] = [p.text(lang()) for p in problems]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def _changes_table(changes: pd.DataFrame, before: str, after: str, kinds: dict[str, str]) -> None:
    shown = pd.DataFrame(
        {
            _("ID"): changes["key"],
            _("Change"): [_(kinds.get(str(c), str(c))) for c in changes["change"]],
            _("Column"): changes["column"],
            before: changes["before"],
            after: changes["after"],
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch")


PENDING_KINDS = {"added": N_("new row"), "changed": N_("changed"), "removed": N_("deleted row")}
CONFLICT_KINDS = {
    "added": N_("only in your version"),
    "changed": N_("different"),
    "removed": N_("only in the file now"),
}
IMPORT_KINDS = {"changed": N_("changed")}


def _save(name: str, frame: pd.DataFrame, base_hash: str, summary: str) -> bool:
    """Save through the store; a refusal is kept in session state (shown above the tabs) and False returned."""
    outcomes: dict[str, dict] = st.session_state.setdefault(OUTCOME_KEY, {})
    outcomes.pop(name, None)
    frame = frame.reset_index(drop=True)
    try:
        with st.spinner(_("Checking and saving…")):
            store.save_table(root, PACKAGE, name, frame, base_hash, who, summary=summary)
    except store.SaveRejected as exc:
        outcomes[name] = {"kind": "rejected", "problems": exc.problems, "frame": frame}
        return False
    except store.SaveConflict as exc:
        outcomes[name] = {"kind": "conflict", "file": exc.file, "current": exc.current_text, "yours": frame}
        return False
    clear_cache()
    _reload(name)
    return True


try:
    loaded = _loaded(table)
except Exception:  # noqa: BLE001 - a missing or unreadable file: a message, never a traceback
    st.error(_("The table {table} could not be read from the data folder.").format(table=_(TABLES[table])))
    st.stop()
res = loaded.resource
data_file = f"{PACKAGE}/{res.path}"

flash = st.session_state.pop(FLASH_KEY, None)
if flash:
    st.success(flash)

outcome = st.session_state.get(OUTCOME_KEY, {}).get(table)
if outcome and outcome["kind"] == "rejected":
    problems = outcome["problems"]
    ngettext = ngettext_for(lang())  # by this name, so the catalog extractor finds the plural forms
    st.error(
        ngettext(
            "Not saved: the change would give {count} problem. Fix it and save again; nothing was written.",
            "Not saved: the change would give {count} problems. Fix them and save again; nothing was written.",
            len(problems),
        ).format(count=len(problems))
    )
    _problem_table(problems, outcome["frame"], res)
elif outcome and outcome["kind"] == "conflict":
    current = _frame_of(outcome["current"])
    yours = outcome["yours"]
    st.error(
        _(
            "Not saved: someone else saved {file} after you opened it, and your save would overwrite their change. "
            "Nothing was written. Your version is kept in the change log; compare the two below, then reload the "
            "table and make your change again."
        ).format(file=escape_md(outcome["file"]))
    )
    st.header(_("What differs between the file now and your version"))
    _changes_table(
        importer.cell_changes(current, yours, res), _("In the file now"), _("In your version"), CONFLICT_KINDS
    )
    tab_now, tab_yours = st.tabs([_("The file now"), _("Your version")])
    with tab_now:
        st.dataframe(current, hide_index=True, width="stretch")
    with tab_yours:
        st.dataframe(yours, hide_index=True, width="stretch")
    st.button(
        _("Reload the table from the file"), key=f"cur_reload_{table}", on_click=_reload, args=(table,), type="primary"
    )

tab_edit, tab_import = st.tabs([_("Edit"), _("Import a file")])

with tab_edit:
    st.caption(
        _("{rows} rows in {file}. Add rows at the bottom of the table; select rows to delete them.").format(
            rows=len(loaded.frame), file=escape_md(data_file)
        )
    )
    config = {}
    for fld in res.fields:
        help_text = fld.description or None
        if fld.enum:
            config[fld.name] = st.column_config.SelectboxColumn(fld.name, options=list(fld.enum), help=help_text)
        else:
            config[fld.name] = st.column_config.TextColumn(fld.name, help=help_text, pinned=fld.name in res.primary_key)
    edited = st.data_editor(
        loaded.frame,
        key=f"cur_editor_{table}_{loaded.base_hash[:12]}",
        num_rows="dynamic",
        hide_index=True,
        column_config=config,
        width="stretch",
    )
    # Rows added and left empty are not rows.
    cells = edited.astype("string").fillna("")
    edited = edited[[any(str(v).strip() for v in row) for row in cells.itertuples(index=False)]]
    pending = importer.cell_changes(loaded.frame, edited, res)
    if len(pending):
        st.caption(
            _("Unsaved changes. Cells: {cells}; rows: {rows}.").format(
                cells=len(pending), rows=pending["key"].nunique()
            )
        )
        with st.expander(_("Your unsaved changes")):
            _changes_table(pending, _("Before"), _("After"), PENDING_KINDS)
    st.button(
        _("Save"),
        key=f"cur_save_{table}",
        type="primary",
        icon=":material/save:",
        on_click=_request,
        args=("save", table),
    )
    if _requested("save", table):
        if not who:
            st.error(_("Enter your name before saving; it is recorded in the change log."))
        elif not len(pending):
            st.info(_("Nothing to save: the table is unchanged."))
        else:
            if _save(table, edited, loaded.base_hash, summary="edit"):
                ngettext = ngettext_for(lang())
                st.session_state[FLASH_KEY] = ngettext(
                    "Saved {cells} change to {file}. Every page now shows the new data.",
                    "Saved {cells} changes to {file}. Every page now shows the new data.",
                    len(pending),
                ).format(cells=len(pending), file=escape_md(data_file))
            st.rerun()

with tab_import:
    st.caption(
        _(
            "A CSV file (Excel's Danish or Norwegian CSV with semicolons and decimal commas works) or an .xlsx "
            "workbook, at most {mb} MB. Rows are matched to the table by {key}: new ids are added, known ids are "
            "changed in the columns the file has. Nothing is saved until you apply the import."
        ).format(mb=MAX_UPLOAD_MB, key=escape_md(", ".join(res.primary_key)))
    )
    generation = st.session_state.setdefault(UPLOAD_GEN_KEY, {}).get(table, 0)
    uploaded = st.file_uploader(
        _("CSV or Excel file"),
        type=["csv", "xlsx"],
        max_upload_size=MAX_UPLOAD_MB,
        key=f"cur_upload_{table}_{generation}",
    )
    if uploaded is not None:
        name = uploaded.name or "upload"
        data = uploaded.getvalue()
        chosen_encoding: str | None = None
        result: importer.ReadTable | importer.ImportError_ | None = _read_upload(data, name, None)
        if isinstance(result, importer.EncodingUnsure):
            # Not UTF-8, and Western and Central European letters share the same bytes: the person decides.
            st.warning(
                _(
                    "{file} is not UTF-8, and its letters can be read in more than one way. Choose the encoding "
                    "in which the lines below show the right letters."
                ).format(file=escape_md(name))
            )
            st.dataframe(
                pd.DataFrame(
                    {
                        _("Line"): [line for line, _texts in result.samples],
                        **{_(ENCODING_NAMES[c]): [t[c] for _l, t in result.samples] for c in result.choices},
                    }
                ),
                hide_index=True,
                width="stretch",
            )
            chosen_encoding = st.selectbox(
                _("Encoding of the file"),
                result.choices,
                index=None,
                placeholder=_("Choose an encoding"),
                format_func=lambda c: _(ENCODING_NAMES[c]),
                key=f"cur_encoding_{uploaded.file_id}",
            )
            result = _read_upload(data, name, chosen_encoding) if chosen_encoding else None
        read: importer.ReadTable | None = result if isinstance(result, importer.ReadTable) else None
        if isinstance(result, importer.ImportError_):
            st.error(
                _("{file} cannot be imported: {reason}. Nothing was written.").format(
                    file=escape_md(name), reason=escape_md(str(result))
                )
            )
        if read is not None:
            separators = {";": _("semicolon"), ",": _("comma"), "\t": _("tab")}
            st.caption(
                _("{file}. Rows: {rows}; columns: {columns}; {format}.").format(
                    file=escape_md(name),
                    rows=len(read.frame),
                    columns=len(read.frame.columns),
                    format=_("Excel workbook")
                    if read.encoding == "xlsx"
                    else _("text in {encoding}, separated by {separator}, decimal {decimal}").format(
                        encoding=_(ENCODING_NAMES[read.encoding]) if read.encoding in ENCODING_NAMES else read.encoding,
                        separator=separators.get(read.separator, read.separator),
                        decimal=_("comma") if read.decimal == "," else _("point"),
                    ),
                )
            )
            auto = importer.auto_mapping(list(read.frame.columns), res)
            options = ["", *res.field_names]
            mapping: dict[str, str] = {}
            all_known = len(auto) == len(read.frame.columns)
            with st.expander(_("Columns: which column of the file goes where"), expanded=not all_known):
                cols = st.columns(2)
                for i, column in enumerate(read.frame.columns):
                    with cols[i % 2]:
                        target = st.selectbox(
                            escape_md(column),
                            options,
                            index=options.index(auto[column]) if column in auto else 0,
                            format_func=lambda v: v if v else _("(not imported)"),
                            key=f"cur_map_{uploaded.file_id}_{i}",
                        )
                    if target:
                        mapping[column] = target
            plan = _plan(read, loaded, name, mapping, (uploaded.file_id, chosen_encoding))
            if plan.ignored_columns:
                st.caption(_("Not imported: {columns}").format(columns=escape_md(", ".join(plan.ignored_columns))))
            if not plan.ok:
                ngettext = ngettext_for(lang())
                st.error(
                    ngettext(
                        "{file} has {count} problem. Nothing can be imported until it is fixed.",
                        "{file} has {count} problems. Nothing can be imported until they are fixed.",
                        len(plan.problems),
                    ).format(file=escape_md(name), count=len(plan.problems))
                )
                _problem_table(plan.problems)
            elif not plan.touches:
                ngettext = ngettext_for(lang())
                st.info(
                    ngettext(
                        "Nothing to import: the file's {count} row is already in the table as it is.",
                        "Nothing to import: all {count} rows of the file are already in the table as they are.",
                        plan.unchanged,
                    ).format(count=plan.unchanged)
                )
            else:
                st.header(_("Preview"))
                st.markdown(
                    _("Rows to add: {added}; to change: {changed}; already the same: {unchanged}.").format(
                        added=len(plan.added), changed=len(plan.changed), unchanged=plan.unchanged
                    )
                )
                if len(plan.added):
                    st.caption(_("Rows to add"))
                    st.dataframe(plan.added, hide_index=True, width="stretch")
                if len(plan.changed):
                    st.caption(_("Changes to existing rows"))
                    _changes_table(
                        importer.cell_changes(plan.before, plan.changed, res), _("Before"), _("After"), IMPORT_KINDS
                    )
                if len(pending):
                    st.warning(_("You have unsaved edits in the table above; applying the import discards them."))
                st.button(
                    _("Apply the import"),
                    key=f"cur_apply_{uploaded.file_id}",
                    type="primary",
                    on_click=_request,
                    args=("apply", table, uploaded.file_id),
                )
                if _requested("apply", table, uploaded.file_id):
                    if not who:
                        st.error(_("Enter your name before saving; it is recorded in the change log."))
                    else:
                        new = importer.apply_plan(loaded.frame, plan)
                        saved = _save(table, new, loaded.base_hash, summary=f"import {name}")
                        refused = st.session_state.get(OUTCOME_KEY, {}).get(table)
                        if refused and refused["kind"] == "rejected":  # named by the rows of the imported file
                            refused["problems"] = importer.in_file_rows(refused["problems"], plan, new, name)
                        if saved:
                            st.session_state[UPLOAD_GEN_KEY][table] = generation + 1
                            st.session_state[FLASH_KEY] = _(
                                "Imported {file}. Rows added: {added}; changed: {changed}. "
                                "Every page now shows the new data."
                            ).format(file=escape_md(name), added=len(plan.added), changed=len(plan.changed))
                        st.rerun()

# A request the page could not serve in this run (another table, a file since removed) is dropped.
st.session_state.pop(REQUEST_KEY, None)
