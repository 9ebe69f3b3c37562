"""Read the Frictionless descriptors: the one definition of every resource's columns and types.

Code asks this module for field names, types, enums and labels; it never repeats them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from comparisons.evidence.paths import DEFAULT_DATA_ROOT, DESCRIPTOR, PACKAGES, UnsafePath, is_remote, resource_file

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


# Descriptor keys whose string value frictionless would open as a file or fetch as a URL.
_REFERENCES = ("profile", "$schema")
_INLINE_ONLY = ("schema", "dialect", "checklist", "pipeline")


def _check_descriptor(descriptor: object, package: str) -> list[dict[str, Any]]:
    """The descriptor's resources, after refusing anything frictionless would fetch or open outside the package:
    a remote profile, a schema or dialect given by reference instead of inline, a remote or absolute path."""
    if not isinstance(descriptor, dict):
        raise ValueError(f"{package}/{DESCRIPTOR} is not a JSON object")
    for key in _REFERENCES:
        if isinstance(descriptor.get(key), str) and is_remote(descriptor[key]):
            raise UnsafePath(f"{key} {descriptor[key]!r} is remote; only the standard profiles are allowed")
    resources = descriptor.get("resources", [])
    if not isinstance(resources, list) or not all(isinstance(r, dict) for r in resources):
        raise ValueError("resources must be a list of objects")
    for raw in resources:
        name = raw.get("name", "?")
        for key in _REFERENCES:
            if isinstance(raw.get(key), str) and is_remote(raw[key]):
                raise UnsafePath(f"resource {name}: {key} {raw[key]!r} is remote")
        for key in _INLINE_ONLY:
            if key in raw and not isinstance(raw[key], dict):
                raise UnsafePath(f"resource {name}: {key} must be written out in {DESCRIPTOR}, not {raw[key]!r}")
        path = raw.get("path")
        if not isinstance(path, str) or is_remote(path) or Path(path).is_absolute():
            resource_file(Path("."), str(name), path)  # raises with the reason
        fields = raw.get("schema", {}).get("fields", [])
        if not isinstance(fields, list) or not all(isinstance(f, dict) and "name" in f for f in fields):
            raise ValueError(f"resource {name}: schema fields must be a list of objects with a name")
    return resources


def resources_of(descriptor: dict[str, Any], package: str, package_dir: Path | None = None) -> list[Resource]:
    """Every resource of a parsed descriptor. Raises ValueError (UnsafePath for a path outside `package_dir`, a
    remote path or schema) when the descriptor is malformed, so nothing is ever opened outside the package."""
    out = []
    for raw in _check_descriptor(descriptor, package):
        if package_dir is not None:
            resource_file(package_dir, str(raw.get("name", "?")), raw["path"])
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
