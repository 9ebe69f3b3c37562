"""The summit workspace: what the participants of a summit think about the options for a Danish LUP.

- `questions`: the design questions and their options, derived from the evidence (roles crosswalk, preconditions,
  and the What-if model for the funding options); the one place questions are defined.
- `models`, `db`, `migrations/`: the database (SQLAlchemy 2, Alembic). SQLite under var/ by default, PostgreSQL
  with LUP_DATABASE_URL, so that several app servers can share one summit.
- `service`: events, participants, one answer per participant and question, results, suggestions, rate limits.
- `results`: the room's aggregate, the answers as an export table, and the pack's "What the summit said".
- `curation`: a suggestion accepted into the Danish register, through comparisons.evidence.store only.
- `cli`: `python -m comparisons summit create|answer|results|close`.

The evidence base stays in the CSV packages; the database holds only summit input and the suggestion queue.

May import: sqlalchemy, alembic, pandas, `comparisons.evidence`, `comparisons.i18n`, `comparisons.measures`,
`comparisons.outputs`. Never streamlit.
"""
