"""Read the Frictionless descriptors: the one definition of every resource's columns and types.

Code asks this module for field names, types, enums and labels; it never repeats them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from comparisons.evidence.paths import DEFAULT_DATA_ROOT, DESCRIPTOR, PACKAGES

# Frictionless field type -> pandas dtype. Text uses pandas' Arrow-backed string dtype.
PANDAS_DTYPES: dict[str, str] = {
    "string": "string",
    "number": "Float64",
    "integer": "Int64",
    "boolean": "boolean",
    "year": "Int64",
}


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    required: bool
    enum: tuple[str, ...] | None
    description: str

    @property
    def dtype(self) -> str:
        return PANDAS_DTYPES.get(self.type, "string")


@dataclass(frozen=True)
class Resource:
    package: str
    name: str
    path: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    true_values: tuple[str, ...] = ("true",)

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.package}/{self.name} has no field {name!r}")


def _field(raw: dict[str, Any]) -> Field:
    constraints = raw.get("constraints", {})
    enum = constraints.get("enum")
    return Field(
        name=raw["name"],
        type=raw.get("type", "string"),
        required=bool(constraints.get("required", False)),
        enum=tuple(enum) if enum else None,
        description=raw.get("description", ""),
    )


def read_descriptor(package_dir: Path) -> dict[str, Any]:
    """The parsed datapackage.json of one package (raises OSError or ValueError when unreadable)."""
    with open(package_dir / DESCRIPTOR, encoding="utf-8") as fh:
        return json.load(fh)


def resources_of(descriptor: dict[str, Any], package: str) -> list[Resource]:
    out = []
    for raw in descriptor.get("resources", []):
        schema = raw.get("schema", {})
        true_values = tuple(
            v for f in schema.get("fields", []) for v in f.get("trueValues", []) if f.get("type") == "boolean"
        )
        out.append(
            Resource(
                package=package,
                name=raw["name"],
                path=raw["path"],
                fields=tuple(_field(f) for f in schema.get("fields", [])),
                primary_key=tuple(schema.get("primaryKey", []) or []),
                true_values=true_values or ("true",),
            )
        )
    return out


@lru_cache(maxsize=8)
def _shipped_resources(root: str) -> dict[tuple[str, str], Resource]:
    found: dict[tuple[str, str], Resource] = {}
    for package in PACKAGES:
        for res in resources_of(read_descriptor(Path(root) / package), package):
            found[(package, res.name)] = res
    return found


def shipped_resource(package: str, name: str, root: Path = DEFAULT_DATA_ROOT) -> Resource:
    """The schema of a resource as shipped with the app (used to know column order when data is broken)."""
    return _shipped_resources(str(root))[(package, name)]


def enum_of(package: str, resource: str, field: str, root: Path = DEFAULT_DATA_ROOT) -> tuple[str, ...]:
    """Allowed values of an enum field, from the shipped descriptor."""
    values = shipped_resource(package, resource, root).field(field).enum
    if values is None:
        raise KeyError(f"{package}/{resource}.{field} is not an enum")
    return values
