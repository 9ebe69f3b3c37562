"""Read one data package: validate it against its own schema with frictionless, and load typed pandas frames.

A broken file never raises from here: every problem becomes a `Problem` naming file, row and column, and the
frames still load (bad cells become missing values) so that callers can decide what to show.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from comparisons.evidence.paths import UnsafePath
from comparisons.evidence.problems import Problem, problem
from comparisons.evidence.schema import Resource, read_descriptor, resources_of
from comparisons.i18n import N_

# Frictionless error types that repeat another, better-located error (a missing column reports every row).
_REDUNDANT = {"missing-cell", "extra-cell"}
# Header problems are found by `_header_problems`, by column name.
_HEADER_ERRORS = {"missing-label", "extra-label", "incorrect-label", "duplicate-label", "blank-label"}


@dataclass
class LoadedPackage:
    name: str
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    resources: dict[str, Resource] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def _frictionless_problems(
    package_dir: Path, package: str, skip_files: set[str], resources: dict[str, Resource]
) -> list[Problem]:
    """Type, constraint, primary- and foreign-key problems, as frictionless finds them.

    The schemas say `fieldsMatch: equal`: columns are matched by name, so a missing or moved column does not
    mislabel the ones after it; the header itself is checked by `_header_problems`.
    """
    import frictionless  # imported here: it is slow to import and only validation needs it

    problems: list[Problem] = []
    try:
        # Only this package's own files are read: the descriptor names them by relative path.
        report = frictionless.validate(str(package_dir / "datapackage.json"), limit_errors=10_000)
    except Exception as exc:  # noqa: BLE001 - any failure of the validator is a problem with the data
        return [
            problem(
                f"{package}/datapackage.json", None, None, N_("cannot be validated: {error}"), "descriptor", error=exc
            )
        ]
    for task in report.tasks:
        file = f"{package}/{Path(task.place).name}" if task.place else f"{package}/datapackage.json"
        if file in skip_files:  # already reported as missing or unreadable
            continue
        for err in task.errors:
            if err.type in _REDUNDANT or err.type in _HEADER_ERRORS:
                continue
            row = getattr(err, "row_number", None)
            column = getattr(err, "field_name", None) or getattr(err, "label", None)
            if err.type == "foreign-key":
                column = _key_columns(err)
            elif err.type == "primary-key" and task.name in resources:
                column = ", ".join(resources[task.name].primary_key) or None
            template, params = _plain_message(err)
            problems.append(problem(file, row, column, template, err.type, **params))
    for err in report.errors:
        problems.append(Problem(f"{package}/datapackage.json", None, None, err.message, err.type))
    return problems


def _key_columns(err: object) -> str | None:
    note = getattr(err, "note", "") or ""
    # frictionless names the key fields in its note, e.g. 'for "source_id": values "x" not found'
    if note.startswith('for "'):
        return note.split('"')[1]
    return None


def _plain_message(err: object) -> tuple[str, dict[str, object]]:
    """frictionless' message without its 'row at position' preamble (the location is given separately), as a
    template to translate and its values (frictionless' own notes stay in English)."""
    kind = getattr(err, "type", "")
    note = getattr(err, "note", "") or ""
    cell = repr(getattr(err, "cell", None))
    if kind == "type-error":
        return N_("{cell} is not a valid {type}"), {"cell": cell, "type": note.split("type is ")[-1].strip(chr(34))}
    if kind == "constraint-error":
        return N_("{cell} breaks a rule: {note}"), {"cell": cell, "note": note}
    if kind == "primary-key":
        return N_("duplicate id: another row has the same key"), {}
    if kind == "foreign-key":
        return N_("refers to something that does not exist ({note})"), {"note": note}
    if kind == "missing-label":
        return _MISSING_COLUMN, {}
    if kind == "extra-label":
        return _EXTRA_COLUMN, {}
    if kind in ("blank-row",):
        return N_("row is empty"), {}
    return "{message}", {"message": getattr(err, "message", str(err))}


_MISSING_COLUMN = N_("column is missing from the header")
_FILE_MISSING = N_("file is missing")
_CANNOT_READ = N_("cannot be read: {error}")
_EXTRA_COLUMN = N_("column is not in the schema")


def _header_problems(header: list[str], resource: Resource, file: str) -> list[Problem]:
    """Columns the schema requires that the header lacks, and columns it does not know (row 1)."""
    problems = []
    seen: set[str] = set()
    for name in header:
        if name in seen:
            problems.append(problem(file, 1, name, N_("column appears twice in the header"), "duplicate-label"))
        seen.add(name)
    for name in resource.field_names:
        if name not in seen:
            problems.append(problem(file, 1, name, _MISSING_COLUMN, "missing-label"))
    for name in header:
        if name not in resource.field_names:
            problems.append(problem(file, 1, name or "(blank)", _EXTRA_COLUMN, "extra-label"))
    return problems


def _read_csv(path: Path, resource: Resource) -> pd.DataFrame:
    """Read a CSV as text, then cast each column to its schema type; bad cells become missing values."""
    raw = pd.read_csv(io.StringIO(path.read_text(encoding="utf-8-sig")), dtype=str, keep_default_na=False)
    out = pd.DataFrame(index=raw.index)
    for f in resource.fields:
        col = raw[f.name] if f.name in raw.columns else pd.Series([""] * len(raw), index=raw.index)
        col = col.str.strip()
        if f.type in ("number", "integer", "year"):
            num = pd.to_numeric(col.where(col != ""), errors="coerce")
            if f.type != "number":
                num = num.where(num.isna() | (num == num.round()))
            out[f.name] = num.astype(f.dtype)
        elif f.type == "boolean":
            out[f.name] = col.str.lower().isin([v.lower() for v in resource.true_values]).astype("boolean")
        else:
            out[f.name] = col.astype("string")
    # Keep the spreadsheet row number (header = 1) so later checks can point at the right row.
    out["_row"] = pd.array(raw.index + 2, dtype="Int64")
    out.attrs["header"] = list(raw.columns)
    return out


def empty_frame(resource: Resource) -> pd.DataFrame:
    frame = pd.DataFrame({f.name: pd.Series(dtype=f.dtype) for f in resource.fields})
    frame["_row"] = pd.Series(dtype="Int64")
    return frame


def load_package(package_dir: Path, package: str, validate: bool = True) -> LoadedPackage:
    """Load every resource of one package. Never raises for bad data; see `LoadedPackage.problems`."""
    loaded = LoadedPackage(name=package)
    descriptor_file = f"{package}/datapackage.json"
    try:
        descriptor = read_descriptor(package_dir)
        # Checked before frictionless sees the descriptor: no remote path or schema, no file outside the package.
        resources = resources_of(descriptor, package, package_dir)
    except FileNotFoundError:
        loaded.problems.append(problem(descriptor_file, None, None, _FILE_MISSING, "missing-file"))
        return loaded
    except UnsafePath as exc:
        loaded.problems.append(problem(descriptor_file, None, None, N_("refused: {error}"), "unsafe-path", error=exc))
        return loaded
    except (OSError, ValueError, KeyError, TypeError) as exc:
        loaded.problems.append(problem(descriptor_file, None, None, _CANNOT_READ, "descriptor", error=exc))
        return loaded
    for res in resources:
        loaded.resources[res.name] = res
        path = package_dir / res.path  # checked by resources_of to lie inside the package folder
        file = f"{package}/{res.path}"
        try:
            frame = _read_csv(path, res)
            loaded.frames[res.name] = frame
            loaded.problems.extend(_header_problems(frame.attrs["header"], res, file))
        except FileNotFoundError:
            loaded.problems.append(problem(file, None, None, _FILE_MISSING, "missing-file"))
            loaded.frames[res.name] = empty_frame(res)
        except OSError as exc:  # the message without the server's path to the file
            loaded.problems.append(problem(file, None, None, _CANNOT_READ, "unreadable", error=exc.strerror or exc))
            loaded.frames[res.name] = empty_frame(res)
        except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
            loaded.problems.append(
                problem(file, None, None, N_("cannot be read as CSV: {error}"), "unreadable", error=exc)
            )
            loaded.frames[res.name] = empty_frame(res)
    if validate:
        already = {p.file for p in loaded.problems}
        loaded.problems.extend(_frictionless_problems(package_dir, package, already, loaded.resources))
    return loaded
