"""The organiser's part of the Options page: create an event, follow it live, hide comments, decide suggestions
(accepted ones go into the Danish register through comparisons.evidence.store), close it, and download the answers
and the decision pack with "What the summit said". Drawn only when ui.summit.organiser_allowed() says so.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from comparisons.evidence import store
from comparisons.evidence.base import Evidence
from comparisons.i18n import ngettext_for
from comparisons.models.figure import escape_md
from comparisons.models.parts import chart_view
from comparisons.outputs.exports import Stamp, to_csv, to_xlsx
from comparisons.summit import curation, results, service
from comparisons.summit.page import OptionsView
from ui import summit
from ui.charts import draw_chart
from ui.context import data_root, gettext, lang
from ui.data import clear_cache

WHO_KEY = "opt_org_who"
DRAFTS_KEY = "opt_org_drafts"  # {(suggestion id, table): curation.Draft}: the tables as the curator opened them
PACK_KEY = "opt_org_pack"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _create_event(db, lg: str) -> None:
    _ = gettext()
    with st.form(key="opt-org-create", clear_on_submit=True):
        st.markdown("**" + escape_md(_("Create an event")) + "**")
        code = st.text_input(_("Short code (letters, digits, hyphens)"), max_chars=service.MAX_CODE)
        title = st.text_input(_("Title"), max_chars=service.MAX_TITLE)
        made = st.form_submit_button(_("Create the event"))
    if made:
        try:
            event = service.create_event(db, code, title)
            st.success(
                _("Event {code} created. Participants open this page with ?event={code}.").format(code=event.code)
            )
        except service.SummitError as exc:
            st.error(exc.translated(_))
    events = service.events(db)
    if events:
        st.markdown(
            "\n".join(
                f"- [{e.code}](/options?event={e.code}&lang={lg}): {escape_md(e.title)}"
                + (" · " + escape_md(_("closed")) if e.closed else "")
                for e in events
            )
        )


def _comments(db, event: service.EventInfo, view: OptionsView, records: list[service.AnswerRecord]) -> None:
    _ = gettext()
    titles = {qv.question.id: qv.question.title for qv in view.questions}
    with_comments = [r for r in records if r.comment]
    st.subheader(_("Comments"))
    if not with_comments:
        st.caption(_("No comments yet."))
        return
    st.caption(_("Tick a comment to hide it from the pack; it is kept, and can be shown again."))
    hidden_col = _("Hidden")
    frame = pd.DataFrame(
        {
            _("Question"): [titles.get(r.question_id, r.question_id) for r in with_comments],
            _("Participant"): [r.participant for r in with_comments],
            _("Comment"): [r.comment for r in with_comments],
            hidden_col: [r.comment_hidden for r in with_comments],
        }
    )
    edited = st.data_editor(
        frame,
        hide_index=True,
        width="stretch",
        disabled=[c for c in frame.columns if c != hidden_col],
        key=f"opt-org-comments-{event.code}-{len(with_comments)}",
    )
    changed = [
        (r, bool(h)) for r, h in zip(with_comments, edited[hidden_col], strict=True) if bool(h) != r.comment_hidden
    ]
    if changed and st.button(_("Apply"), key="opt-org-hide"):
        for record, hidden in changed:
            service.hide_comment(db, event.code, record.answer_id, hidden)
        st.rerun()


def _suggestions(db, event: service.EventInfo) -> None:
    _ = gettext()
    st.subheader(_("Suggestions"))
    queue = service.suggestions(db, event.code)
    if not queue:
        st.caption(_("No suggestions yet."))
        return
    st.dataframe(
        pd.DataFrame(
            {
                _("Status"): [s.status for s in queue],
                _("What it is"): [_(service.SUGGESTION_KINDS.get(s.kind, s.kind)) for s in queue],
                _("Suggestion"): [s.text for s in queue],
                _("Link"): [s.url for s in queue],
                _("Participant"): [s.participant for s in queue],
                _("Decision"): [s.record or s.reason for s in queue],
            }
        ),
        hide_index=True,
        width="stretch",
        key="opt-org-queue",
    )
    pending = [s for s in queue if s.status == "pending"]
    if not pending:
        return
    st.text_input(_("Your name (required)"), key=WHO_KEY, max_chars=service.MAX_NAME)
    who = str(st.session_state.get(WHO_KEY, "")).strip()
    root = data_root()
    drafts: dict = st.session_state.setdefault(DRAFTS_KEY, {})
    for s in pending:
        with st.expander(_("Suggestion {n}: {text}").format(n=s.suggestion_id, text=escape_md(s.text))):
            st.text(s.url)
            tables = list(dict.fromkeys([curation.TARGETS.get(s.kind, "actors"), *curation.TARGETS.values()]))
            table = st.selectbox(_("Into the table"), tables, key=f"opt-org-into-{s.suggestion_id}")
            key = (s.suggestion_id, table)
            if key not in drafts:
                drafts[key] = curation.draft(root, s, table)
            draft = drafts[key]
            st.caption(_("Complete the row; it is checked with the same rules as every other save."))
            row = st.data_editor(
                pd.DataFrame([draft.row]), hide_index=True, key=f"opt-org-row-{s.suggestion_id}-{table}"
            )
            st.caption(_("The source (left out if its ID is already in the sources table)."))
            source = st.data_editor(
                pd.DataFrame([draft.source]), hide_index=True, key=f"opt-org-src-{s.suggestion_id}-{table}"
            )
            accept, reject = st.columns(2)
            with accept:
                if st.button(_("Accept into the register"), key=f"opt-org-accept-{s.suggestion_id}", type="primary"):
                    if not who:
                        st.error(_("Enter your name before saving; it is recorded in the change log."))
                    else:
                        _accept(db, root, s, draft, row, source, who, drafts, key)
            with reject:
                reason = st.text_input(
                    _("Reason for rejecting"), key=f"opt-org-reason-{s.suggestion_id}", max_chars=service.MAX_REASON
                )
                if st.button(_("Reject"), key=f"opt-org-reject-{s.suggestion_id}"):
                    try:
                        service.decide(db, s.suggestion_id, "rejected", who, reason=reason)
                        st.rerun()
                    except service.SummitError as exc:
                        st.error(exc.translated(_))


def _accept(db, root, s, draft, row: pd.DataFrame, source: pd.DataFrame, who: str, drafts: dict, key: tuple) -> None:
    _ = gettext()
    values = {k: "" if pd.isna(v) else str(v) for k, v in row.iloc[0].items()}
    src = {k: "" if pd.isna(v) else str(v) for k, v in source.iloc[0].items()}
    try:
        record = curation.accept(db, root, s.suggestion_id, draft, values, src, who)
    except store.SaveRejected as exc:
        ngettext = ngettext_for(lang())  # by this name, so the catalog extractor finds the plural forms
        st.error(
            ngettext(
                "Not saved: the change would give {count} problem. Fix it and save again; nothing was written.",
                "Not saved: the change would give {count} problems. Fix them and save again; nothing was written.",
                len(exc.problems),
            ).format(count=len(exc.problems))
        )
        st.dataframe(
            pd.DataFrame(
                {
                    _("File"): [p.file for p in exc.problems],
                    _("Row"): [p.row for p in exc.problems],
                    _("Column"): [p.column or "" for p in exc.problems],
                    _("Problem"): [p.text(lang()) for p in exc.problems],
                }
            ),
            hide_index=True,
        )
        return
    except store.SaveConflict as exc:
        drafts.pop(key, None)
        st.error(
            _(
                "Not saved: someone else saved {file} after you opened it. Nothing was written; open the suggestion again."
            ).format(file=escape_md(exc.file))
        )
        return
    except service.SummitError as exc:
        st.error(exc.translated(_))
        return
    drafts.pop(key, None)
    clear_cache()
    st.success(_("Accepted into {record}. Every page now shows the new data.").format(record=escape_md(record)))


def _downloads(db, ev: Evidence, lg: str, event: service.EventInfo, view: OptionsView) -> None:
    _ = gettext()
    st.subheader(_("Downloads"))

    def answers_table():
        stamp = Stamp.of(_now(), ev.version)
        return results.answers_table(
            service.answers(db, event.code), [qv.question for qv in view.questions], event, lg, stamp
        )

    name = f"summit-answers-{event.code.lower()}-{lg}"
    csv_col, xlsx_col = st.columns(2)
    csv_col.download_button(
        _("Answers (CSV)"),
        data=lambda: to_csv(answers_table()),
        file_name=f"{name}.csv",
        mime="text/csv",
        key="opt-org-csv",
        on_click="ignore",
        width="stretch",
    )
    xlsx_col.download_button(
        _("Answers (XLSX)"),
        data=lambda: to_xlsx(answers_table()),
        file_name=f"{name}.xlsx",
        mime=XLSX_MIME,
        key="opt-org-xlsx",
        on_click="ignore",
        width="stretch",
    )
    if st.button(
        _("Build the decision pack with what the summit said"), key="opt-org-pack-build", icon=":material/description:"
    ):
        from comparisons.outputs.pack import build_pack

        with st.spinner(_("Building the decision pack…")):
            section = results.summit_section(db, event.code, ev, lg)
            st.session_state[PACK_KEY] = build_pack(ev, lg, _now(), summit=section)
    pack = st.session_state.get(PACK_KEY)
    if pack is not None and pack.lang == lg:
        xlsx, docx = pack.xlsx, pack.docx
        a, b = st.columns(2)
        a.download_button(
            _("Workbook (XLSX)"),
            data=lambda: xlsx,
            file_name=pack.xlsx_name,
            mime=XLSX_MIME,
            key="opt-org-pack-xlsx",
            on_click="ignore",
            width="stretch",
        )
        b.download_button(
            _("Brief (DOCX)"),
            data=lambda: docx,
            file_name=pack.docx_name,
            mime=DOCX_MIME,
            key="opt-org-pack-docx",
            on_click="ignore",
            width="stretch",
        )


def organiser_section(ev: Evidence, lg: str, view: OptionsView, event: service.EventInfo | None) -> None:
    _ = gettext()
    st.divider()
    st.header(_("Organiser"), anchor="organiser")
    db = summit.database()
    if db is None:
        st.error(_("The summit database cannot be reached just now. Please try again later."))
        return
    _create_event(db, lg)
    if event is None:
        return
    event = service.event_info(db, event.code)  # fresh: it may have been closed in another session
    records = service.answers(db, event.code)
    count, answers = service.participant_count(db, event.code), len(records)
    state = _("closed") if event.closed else _("open")
    c1, c2, c3 = st.columns(3)
    c1.metric(_("Participants"), count)
    c2.metric(_("Answers"), answers)
    c3.metric(_("Event"), state)
    st.caption(_("Counts as of this page's last refresh; refresh to see new answers."))
    tallies = results.tally(records, {qv.question.id: qv.question.rule for qv in view.questions})
    for qv in view.questions:
        q, t = qv.question, tallies.get(qv.question.id)
        st.markdown("**" + escape_md(q.title) + "**")
        if t is None or not t.respondents:
            st.caption(_("No answers."))
            continue
        ngettext = ngettext_for(lg)
        st.caption(
            ngettext("{n} answer; how sure: {certainty}.", "{n} answers; how sure: {certainty}.", t.respondents).format(
                n=t.respondents, certainty=results.certainty_text(t, lg)
            )
        )
        draw_chart(chart_view(results.result_chart(t, q, lg), lg), key=f"opt-org-chart-{q.id}")
        st.dataframe(results.result_frame(t, q, lg), hide_index=True, width="stretch", key=f"opt-org-table-{q.id}")
    _comments(db, event, view, records)
    _suggestions(db, event)
    _downloads(db, ev, lg, event, view)
    if not event.closed:
        st.subheader(_("Close the event"))
        sure = st.checkbox(_("Yes, close it: no more answers or suggestions"), key="opt-org-close-sure")
        if st.button(_("Close the event"), key="opt-org-close", disabled=not sure):
            service.close_event(db, event.code)
            st.rerun()
