"""Export: the decision pack (XLSX workbook + DOCX brief) in the reader's language, and every table of the
registry (comparisons.outputs.tables) with a preview and its downloads in five formats, each in an expander drawn when
opened."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import streamlit as st

from comparisons.models import export as model
from comparisons.outputs.pack import build_pack
from ui import lazy
from ui.context import lang, start_page
from ui.data import require_evidence
from ui.downloads import deferred, pack_slot, prepare_pack_in_background, registry_download_bar
from ui.memo import dataframe

PACK_KEY = "exp_pack"  # session state: the (data version, language) whose pack this session asked for
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

_ = start_page()
lg = lang()
ev = require_evidence()

prepare_pack_in_background(str(ev.root), ev.version, ev)

st.title(_("Export"))
st.caption(
    _(
        "Everything the workbench shows, ready for Excel, Word and slides. Every file names the sources of its "
        "figures, the time the data was taken and the data version, so a figure can be traced after it leaves "
        "the app."
    )
)

# --- the decision pack --------------------------------------------------------------------------------------------
st.header(_("The decision pack"))
st.caption(
    _(
        "One Excel workbook (a sheet per comparison, the conflicting figures, the assumptions and every source) and "
        "one Word brief (key comparison, charts, the what-if with its default inputs, conflicts, open questions and "
        "sources), in the language chosen in the sidebar."
    )
)

slot = pack_slot(str(ev.root), ev.version, lg)
asked = st.button(_("Build the decision pack"), key="exp-pack-build", type="primary", icon=":material/description:")
if asked:
    st.session_state[PACK_KEY] = (ev.version, lg)
if st.session_state.get(PACK_KEY) == (ev.version, lg):
    pack = slot.get()
    if pack is None:
        bar = st.progress(0.0, text=_("Building the decision pack…"))

        def report(fraction: float, message: str) -> None:
            bar.progress(min(max(float(fraction), 0.0), 1.0), text=message)

        try:
            pack = build_pack(ev, lg, datetime.now(UTC).replace(microsecond=0), progress=report)
        except Exception as exc:  # a message, never a traceback
            logging.getLogger("lup.export").exception("decision pack (%s, %s) failed", ev.version, lg)
            bar.empty()
            st.error(_("The decision pack could not be built: {error}").format(error=type(exc).__name__))
            st.stop()
        slot.put(pack)
        bar.empty()
    st.success(
        _("The decision pack is ready: data as of {as_of}, data version {version}.").format(
            as_of=pack.stamp.as_of, version=pack.stamp.data_version
        ),
        icon=":material/task_alt:",
    )
    for note in pack.notes:
        st.warning(note)
    col_xlsx, col_docx = st.columns(2)
    with col_xlsx:
        st.download_button(
            _("Workbook (XLSX)"),
            data=deferred(pack.xlsx),
            file_name=pack.xlsx_name,
            mime=XLSX_MIME,
            key="exp-pack-xlsx",
            on_click="ignore",
            icon=":material/table_view:",
            width="stretch",
            help=_("Saves {file}").format(file=f"`{pack.xlsx_name}`"),
        )
    with col_docx:
        st.download_button(
            _("Brief (DOCX)"),
            data=deferred(pack.docx),
            file_name=pack.docx_name,
            mime=DOCX_MIME,
            key="exp-pack-docx",
            on_click="ignore",
            icon=":material/article:",
            width="stretch",
            help=_("Saves {file}").format(file=f"`{pack.docx_name}`"),
        )

# --- every table --------------------------------------------------------------------------------------------------
st.header(_("Every table"))
view = model.build(ev, lg, model.default_settings(ev, lg)).view
st.caption(view.intro)
for table in view.tables:
    # Drawn only while open, like the download popovers: nine tables with their previews and download bars on
    # every rerun were most of this page's rerun time (benchmarks/pages.py).
    with lazy.expander(table.title, f"exp-open-{table.name}", icon=":material/table:") as open_:
        if open_:
            st.caption(table.caption)
            registry_download_bar(table.name, f"exp-{table.name}", ev=ev)
            dataframe(table.preview, hide_index=True, width="stretch", key=f"exp-preview-{table.name}")
