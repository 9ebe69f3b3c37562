"""The evidence base: all three packages loaded, checked, and joined into the tables the pages use."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from comparisons.evidence.checks import ALL_CHECKS, DERIVED_KIND
from comparisons.evidence.package import empty_frame, load_package
from comparisons.evidence.paths import DEFAULT_DATA_ROOT, PACKAGES, inside
from comparisons.evidence.problems import Problem, problem, sort_problems
from comparisons.evidence.schema import shipped_resource
from comparisons.i18n import N_, gettext_for
from comparisons.i18n.labels import DERIVED_SOURCE_TEXTS

# Resources every page may rely on, and the package whose schema defines each (for empty frames).
RESOURCE_HOME: dict[str, str] = {
    "sources": "norway",
    "facts": "norway",
    "actors": "norway",
    "relations": "norway",
    "events": "norway",
    "counterparts": "denmark",
    "preconditions": "denmark",
    "initiatives": "denmark",
    "metrics": "reference",
    "exchange_rates": "reference",
    "population": "reference",
}


@dataclass
class Evidence:
    """Every resource as one frame (with `package` and `_row` columns), the problems found, and a data version."""

    root: Path
    tables: dict[str, pd.DataFrame]
    problems: list[Problem] = field(default_factory=list)
    version: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]


def data_version(root: Path) -> str:
    """A short hash of every file in the data packages: changes whenever any figure or source changes."""
    digest = hashlib.sha256()
    for package in PACKAGES:
        folder = root / package
        if not folder.is_dir():
            continue
        files = (p for p in folder.iterdir() if p.is_file() and p.suffix in (".csv", ".json"))
        for path in sorted(p for p in files if inside(folder, p)):  # a link to a file elsewhere is not read
            digest.update(f"{package}/{path.name}\0".encode())
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()[:12]


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if len(f.columns)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def load_evidence(root: Path | str = DEFAULT_DATA_ROOT, validate: bool = True) -> Evidence:
    """Load, validate and check the whole evidence base under `root`. Never raises for bad data."""
    root = Path(root)
    problems: list[Problem] = []
    collected: dict[str, list[pd.DataFrame]] = {name: [] for name in RESOURCE_HOME}
    for package in PACKAGES:
        loaded = load_package(root / package, package, validate=validate)
        problems.extend(loaded.problems)
        for name, frame in loaded.frames.items():
            collected.setdefault(name, []).append(frame.assign(package=package))
    tables: dict[str, pd.DataFrame] = {}
    for name, frames in collected.items():
        if frames:
            tables[name] = _concat(frames)
        else:
            home = RESOURCE_HOME.get(name, "norway")
            tables[name] = empty_frame(shipped_resource(home, name)).assign(package=pd.Series(dtype="string"))
    for check in ALL_CHECKS:
        try:
            problems.extend(check(tables))
        except (KeyError, ValueError, TypeError) as exc:
            # A check that cannot run because a column is missing: the column problem is reported already.
            problems.append(
                problem(
                    "(all packages)",
                    None,
                    None,
                    N_("{check} could not run: {error}"),
                    "check",
                    check=check.__name__,
                    error=exc,
                )
            )
    # Sources shared by packages are listed once.
    tables["sources"] = tables["sources"].drop_duplicates(subset=["source_id"], keep="first").reset_index(drop=True)
    problems = _relative(problems, root)
    return Evidence(root=root, tables=tables, problems=sort_problems(problems), version=data_version(root))


def _relative(problems: list[Problem], root: Path) -> list[Problem]:
    """Problems name files relative to the data root: the server's own folders are not shown to readers (a
    frictionless or OS message may quote the absolute path)."""
    prefixes = sorted({f"{p}{sep}" for p in (str(root), str(root.resolve())) for sep in ("/", "\\")}, key=len)

    def strip(text: str) -> str:
        for prefix in reversed(prefixes):
            text = text.replace(prefix, "")
        return text

    out = []
    for p in problems:
        message = strip(p.message)
        # The values of a translated message too (an OS error quotes the path).
        params = tuple((k, strip(str(v))) for k, v in p.params)
        changed = message != p.message or params != tuple((k, str(v)) for k, v in p.params)
        out.append(replace(p, message=message, params=params) if changed else p)
    return out


def sources_in(sources: pd.DataFrame, lang: str | None) -> pd.DataFrame:
    """The sources with the workbench's own derived source (kind "derived") titled and published in `lang`: the one
    place its English title becomes the reader's ("Beregninger i det nordiske LUP-værktøj"), for pages and exports
    alike. Other sources keep their title as published. `lang` None: as in the data."""
    if lang is None or "kind" not in sources.columns or not (sources["kind"] == DERIVED_KIND).any():
        return sources
    _ = gettext_for(lang)
    out = sources.copy()
    derived = out["kind"] == DERIVED_KIND
    for column in DERIVED_SOURCE_TEXTS:  # the data's English text is the msgid (comparisons.i18n.labels)
        out.loc[derived, column] = [_(str(v)) for v in out.loc[derived, column]]
    return out


def facts_with_sources(ev: Evidence, lang: str | None = None) -> pd.DataFrame:
    """Facts joined with the title, publisher, date, url/document and reliability of their source (the derived
    source's title and publisher in `lang` when given: `sources_in`)."""
    src = sources_in(ev["sources"], lang)[
        ["source_id", "title", "publisher", "published", "url", "document", "reliability", "kind", "language"]
    ]
    src = src.rename(columns={"title": "source_title", "published": "source_published", "kind": "source_kind"})
    facts = ev["facts"].drop(columns=["_row"], errors="ignore")
    return facts.merge(src, on="source_id", how="left")
