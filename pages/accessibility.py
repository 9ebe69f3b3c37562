"""The accessibility statement (WCAG 2.1 AA, as Danish public bodies publish one), in the reader's language.

The statement is a document per language in docs/accessibility/ (also linked from the README), shown as written.
"""

from __future__ import annotations

import streamlit as st

from ui.a11y import statement
from ui.context import lang, start_page

_ = start_page()
st.title(_("Accessibility statement"))
st.markdown(statement(lang()))
