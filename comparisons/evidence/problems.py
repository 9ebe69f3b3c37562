"""A problem found in the data, named by file, row and column so that a person can find and fix it."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One problem. `row` is the spreadsheet row (the header is row 1), None for a whole file or column."""

    file: str
    row: int | None
    column: str | None
    message: str
    code: str = "invalid"

    def location(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.location()}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """Stable order: by file, then row (file-level first), then column."""
    return sorted(set(problems), key=lambda p: (p.file, p.row if p.row is not None else -1, p.column or "", p.message))
