"""Pure logic of the Nordic LUP workbench: load and validate the evidence base, normalise, compare, export.

Nothing in this package imports streamlit, so every function can be tested alone and used from the command line
(`python -m comparisons`). Its subpackages, each with a docstring saying what it may import: `i18n` (translation and
locale), `evidence` (the evidence base), `measures` (each measure defined once), `models` (one model per page),
`outputs` (exports, charts, the pack, briefs) and `summit` (the summit workspace).
"""

from pathlib import Path

__all__ = ["REPO_ROOT", "__version__"]
__version__ = "0.1.0"

# The repository's root: the data, the locales and the summit database are found from here.
REPO_ROOT = Path(__file__).resolve().parent.parent
