"""Pure logic of the Nordic LUP workbench: load and validate the evidence base, normalise, compare, export.

Nothing in this package imports streamlit, so every function can be tested alone and used from the command line
(`python -m comparisons`).
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
