"""The split the design asks for: comparisons/ never imports streamlit, each subpackage imports only what its
docstring allows, and no page default is stated outside its model."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from comparisons import models

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "comparisons"


def imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(REPO)))
def test_comparisons_never_imports_streamlit_or_ui(path: Path) -> None:
    bad = {m for m in imports(path) if m.split(".")[0] in ("streamlit", "ui", "pages")}
    assert not bad, bad


# What a subpackage may not import (its docstring says so): the layers above it.
FORBIDDEN = {
    "i18n": ("comparisons.evidence", "comparisons.measures", "comparisons.models", "comparisons.outputs"),
    "evidence": ("comparisons.measures", "comparisons.models", "comparisons.outputs"),
    "measures": ("comparisons.models",),
}


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_each_layer_imports_only_layers_below_it(package: str) -> None:
    for path in sorted((PACKAGE / package).rglob("*.py")):
        bad = {m for m in imports(path) if m.startswith(FORBIDDEN[package])}
        assert not bad, (str(path.relative_to(REPO)), bad)


def test_every_page_of_the_app_has_a_model_with_settings_defaults_and_build() -> None:
    from ui.nav import DOCUMENT_PAGES, PAGES

    assert [p.url_path for p in PAGES if p not in DOCUMENT_PAGES] == [p.url_path for p in models.PAGES]
    for spec in models.PAGES:
        module = spec.model()
        assert callable(module.default_settings) and callable(module.build), spec.url_path
        assert (REPO / "pages" / f"{spec.module}.py").is_file()


def test_no_page_states_a_default_its_model_declares() -> None:
    """Pages seed their controls from their model's default_settings, not from constants of their own."""
    for spec in models.PAGES:
        text = (REPO / "pages" / f"{spec.module}.py").read_text(encoding="utf-8")
        assert "DEFAULT_CURRENCY" not in text and "date.today()" not in text, spec.url_path
        for seed in re.findall(r"urlstate\.seed\(([^\n]*)\)", text):
            default = seed.rsplit(",", 1)[-1].strip()
            assert not re.fullmatch(r"\[\]|False|True|\"[^\"]*\"|'[^']*'|-?\d+", default), (spec.url_path, seed)
