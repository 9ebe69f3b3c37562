"""A problem found in the data, named by file, row and column so that a person can find and fix it.

A problem's message is English (the CLI and logs print it); `text(lang)` gives it in a reader's language: the checks
build it with `problem()` from a template marked `N_()`, and the translation is filled in when it is shown. Texts
that come from a library (frictionless, the CSV parser, the operating system) are passed on as they are, inside a
translated frame where there is one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from comparisons.i18n import gettext_for


@dataclass(frozen=True, order=True)
class Problem:
    """One problem. `row` is the spreadsheet row (the header is row 1), None for a whole file or column."""

    file: str
    row: int | None
    column: str | None
    message: str
    code: str = "invalid"
    # The message's English template (a msgid) and its values, to translate it; "" when it has none.
    template: str = field(default="", compare=False)
    params: tuple[tuple[str, object], ...] = field(default=(), compare=False)

    def location(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def text(self, lang: str) -> str:
        """The message in `lang` (English when it has no template)."""
        if not self.template:
            return self.message
        return gettext_for(lang)(self.template).format(**dict(self.params))

    def __str__(self) -> str:
        return f"{self.location()}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {"file": self.file, "row": self.row, "column": self.column, "message": self.message, "code": self.code}


def problem(file: str, row: int | None, column: str | None, template: str, code: str, **params: object) -> Problem:
    """A problem whose message is `template` (English, marked `N_()` where it is written) filled with `params`."""
    return Problem(file, row, column, template.format(**params), code, template, tuple(params.items()))


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """Stable order: by file, then row (file-level first), then column."""
    return sorted(set(problems), key=lambda p: (p.file, p.row if p.row is not None else -1, p.column or "", p.message))
