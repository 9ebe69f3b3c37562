"""Nordic LUP workbench: entry point. Sets up the page, the language and the navigation, then runs the page."""

import logging

import streamlit as st

from ui import a11y, context, gate, nav, warmup


def main() -> None:
    # A fresh server's first session arrives through Streamlit's legacy pages/ routing; rerun it as a normal
    # st.navigation run before any widget exists, so widget identities match every later run.
    context.ensure_app_frame()
    st.set_page_config(page_title=a11y.APP_NAME, page_icon=a11y.ICON_URL, layout="wide")

    lang = context.language_picker()
    _ = context.gettext()
    page = nav.navigation(_)
    # The tab's title names the page, <html lang> follows the language, and the style rule fixes Streamlit's contrast.
    a11y.page_frame(lang, page.title, nav.link_path(page))  # "" for the default page (and its alias), as its link
    st.sidebar.caption(
        _("Norway's LUP beside Danish actors and initiatives. Every figure carries its source and date.")
    )
    try:
        page.run()
    except Exception:  # users get a message, never a traceback; st.stop/rerun are BaseExceptions
        logging.getLogger("lup.app").exception("page %s failed", page.url_path)
        st.error(_("Something went wrong while drawing this page. The figures are unchanged; please reload."))
    else:
        warmup.after_run()  # the other languages' views, built once the first reader's page is drawn
    finally:
        context.notify_ignored_params(_)


# A few runs at a time per server (ui/gate.py): many at once slowed each other down until the server fell behind.
with gate.admitted():
    main()
