"""Options for a Danish LUP: each design question with Norway's answer, the Danish options with their fit and sources
and, for funding, the What-if's consequences; with an event link (?event=CODE) participants answer and then see the
room's view. The organiser view (ui/summit_organiser.py) is there only where editing is on or with the organiser key.

Everything a participant writes is shown back as plain text (table cells or st.text), never as Markdown or HTML.
"""

from __future__ import annotations

import streamlit as st

from comparisons.i18n import ngettext_for
from comparisons.models import options as model
from comparisons.models.figure import escape_md
from comparisons.models.parts import chart_view
from comparisons.summit import questions as qs
from comparisons.summit import results, service
from ui import lazy, summit
from ui.charts import draw_chart
from ui.context import lang, start_page
from ui.data import require_evidence
from ui.memo import dataframe
from ui.summit_organiser import organiser_section

NAME_KEY = "opt_name"

_ = start_page()
lg = lang()
ev = require_evidence()
view = model.build(ev, lg, model.default_settings(ev, lg)).view

st.title(_("Options for a Danish LUP"))
st.caption(view.intro)

# --- the event, when the link names one ---------------------------------------------------------------------------
db = None
event: service.EventInfo | None = None
raw_code = summit.query(summit.EVENT_PARAM)
if raw_code:
    db = summit.database()
    if db is None:
        st.error(
            _("The summit database cannot be reached just now, so answers cannot be given. Please try again later.")
        )
    else:
        try:
            event = service.event_info(db, raw_code)
        except service.SummitError:
            st.warning(_("The link names an event that does not exist. Check the link you were given."))

handle = summit.participant_handle() if event is not None else ""
mine: dict[str, service.AnswerRecord] = {}
if event is not None and db is not None:
    st.info(
        _("Summit: {title}. {state}").format(
            title=escape_md(event.title),
            state=_("This event is closed; the answers are kept.")
            if event.closed
            else _("Give your name once, then answer any question below; you can change an answer at any time."),
        ),
        icon=":material/groups:",
    )
    if handle:
        mine = {a.question_id: a for a in service.answers(db, event.code, handle)}
        if NAME_KEY not in st.session_state:
            st.session_state[NAME_KEY] = service.participant_name(db, event.code, handle) or ""
    if not event.closed:
        st.text_input(
            _("Your name as others will see it"),
            key=NAME_KEY,
            max_chars=service.MAX_NAME,
            help=_("No account: a display name only. Your answers are kept with it for this event."),
        )

_room: dict[str, results.QuestionTally] | None = None


def room() -> dict[str, results.QuestionTally]:
    """The room's tally, read once per run (and again after this participant's own answer)."""
    global _room
    if _room is None and db is not None and event is not None:
        _room = results.tally(
            service.answers(db, event.code), {qv.question.id: qv.question.rule for qv in view.questions}
        )
    return _room or {}


def answer_form(q: qs.Question) -> None:
    """The participant's form for one question; after an answer, the room's view."""
    global _room
    assert db is not None and event is not None
    before = mine.get(q.id)
    labels = {o.id: o.label for o in q.options}
    ids = list(labels)
    if not event.closed:
        with st.form(key=f"opt-form-{q.id}", border=True):
            st.markdown("**" + escape_md(_("Your answer")) + "**")
            if q.kind == qs.SINGLE:
                index = ids.index(before.choices[0]) if before and before.choices and before.choices[0] in ids else None
                picked = st.radio(q.prompt, ids, index=index, format_func=lambda i: labels[i], key=f"opt-pick-{q.id}")
                choices = [picked] if picked else []
            else:
                default = [c for c in (before.choices if before else ()) if c in ids]
                choices = st.multiselect(
                    q.prompt,
                    ids,
                    default=default,
                    max_selections=q.rule.most,
                    format_func=lambda i: labels[i],
                    key=f"opt-rank-{q.id}",
                    placeholder=_("Choose in order of preference"),
                )
            certainty = st.radio(
                _("How sure are you?"),
                list(service.CERTAINTY),
                index=list(service.CERTAINTY).index(before.certainty) if before else 1,
                format_func=lambda level: _(service.CERTAINTY[level]),
                horizontal=True,
                key=f"opt-sure-{q.id}",
            )
            comment = st.text_area(
                _("Comment (optional)"),
                value=before.comment if before else "",
                max_chars=service.MAX_COMMENT,
                key=f"opt-comment-{q.id}",
            )
            sent = st.form_submit_button(_("Save my answer"), type="primary")
        if sent:
            name = str(st.session_state.get(NAME_KEY, "")).strip()
            if not name:
                st.error(_("Give your name at the top of the page first."))
            elif not choices:
                st.error(_("Choose at least one option."))
            else:
                who = summit.participant_handle(create=True)
                try:
                    mine[q.id] = service.answer(
                        db, event.code, who, name, q.id, choices, {q.id: q.rule}, certainty, comment
                    )
                    _room = None
                    st.success(_("Saved. Your answer replaces any earlier one to this question."))
                except service.SummitError as exc:
                    st.error(exc.translated(_))
                except Exception:  # noqa: BLE001 - a message, never a traceback
                    summit.log.exception("saving an answer failed")
                    st.error(_("Your answer could not be saved just now. Please try again."))
    if q.id in mine:
        tally = room().get(q.id)
        if tally is not None and tally.respondents:
            st.markdown("**" + escape_md(_("What the room thinks so far")) + "**")
            ngettext = ngettext_for(lg)  # by this name, so the catalog extractor finds the plural forms
            st.caption(
                ngettext(
                    "{n} answer; how sure: {certainty}.", "{n} answers; how sure: {certainty}.", tally.respondents
                ).format(n=tally.respondents, certainty=results.certainty_text(tally, lg))
            )
            draw_chart(chart_view(results.result_chart(tally, q, lg), lg), key=f"opt-room-{q.id}")
            st.dataframe(
                results.result_frame(tally, q, lg), hide_index=True, width="stretch", key=f"opt-room-table-{q.id}"
            )


# --- the questions --------------------------------------------------------------------------------------------------
for qv in view.questions:
    q = qv.question
    st.header(q.title, anchor=f"q-{q.id}")
    st.markdown("**" + escape_md(_("What Norway did")) + "**")
    if len(qv.norway):
        dataframe(qv.norway, hide_index=True, width="stretch", key=f"opt-norway-{q.id}")
    if qv.norway_facts is not None:
        dataframe(qv.norway_facts, hide_index=True, width="stretch", key=f"opt-facts-{q.id}")
    st.markdown("**" + escape_md(_("The Danish options")) + "**")
    dataframe(qv.options, hide_index=True, width="stretch", key=f"opt-options-{q.id}")
    if qv.consequences is not None:
        st.markdown("**" + escape_md(_("What the What-if projects for each funding option")) + "**")
        dataframe(qv.consequences, hide_index=True, width="stretch", key=f"opt-whatif-{q.id}")
    if qv.consequences_caption:
        st.caption(qv.consequences_caption)
    if qv.preconditions is not None:
        with lazy.expander(_("What LUP relies on here, and whether Denmark has it"), f"opt-pre-open-{q.id}") as open_:
            if open_:
                dataframe(qv.preconditions, hide_index=True, width="stretch", key=f"opt-pre-{q.id}")
    if event is not None and db is not None:
        answer_form(q)

# --- suggestions ----------------------------------------------------------------------------------------------------
if event is not None and db is not None and not event.closed:
    st.header(_("Suggest a Danish actor, initiative or figure"))
    st.caption(
        _(
            "With a link to where it is published. A curator checks every suggestion before anything is added to "
            "the evidence base."
        )
    )
    with st.form(key="opt-suggest", clear_on_submit=True):
        kind = st.selectbox(
            _("What it is"), list(service.SUGGESTION_KINDS), format_func=lambda k: _(service.SUGGESTION_KINDS[k])
        )
        what = st.text_input(_("Name or short description"), max_chars=service.MAX_SUGGESTION)
        url = st.text_input(_("Link to the source"), max_chars=service.MAX_URL, placeholder="https://")
        sent = st.form_submit_button(_("Send the suggestion"))
    if sent:
        name = str(st.session_state.get(NAME_KEY, "")).strip()
        if not name:
            st.error(_("Give your name at the top of the page first."))
        else:
            try:
                service.suggest(db, event.code, summit.participant_handle(create=True), name, kind, what, url)
                st.success(_("Thank you. A curator will look at your suggestion."))
            except service.SummitError as exc:
                st.error(exc.translated(_))

# --- the organiser --------------------------------------------------------------------------------------------------
if summit.organiser_key() and not summit.organiser_allowed():
    with st.expander(_("Organiser")):
        st.text_input(_("Organiser key"), type="password", key=summit.KEY_STATE)
if summit.organiser_allowed():
    organiser_section(ev, lg, view, event)
