"""Where the evidence disagrees with itself: figures and relations that cannot all be right at once.

Principle 1 of the design keeps every figure, with its date, when sources disagree; this module finds those
places so that the Sources page can show them side by side (never averaged, never dropped).

- Fact conflicts: facts about the same subject and metric whose periods overlap, or whose period_end dates are
  less than a year apart, but whose values differ (compared within one unit) or whose units differ (334 MNOK
  beside EUR 36 m is listed as it is: nothing is converted). A derived fact is not in conflict with the facts it
  was computed from.
- Relation conflicts: the same relation towards the same object, held by different subjects over overlapping
  periods, where the two holders cannot both be right: roles with a single holder (chair, vice-chair, project
  manager, host), or holders linked by succession (one succeeded or merged into the other, or both succeeded the
  same predecessor: Digdir vs DFØ as owner of LUP in 2020). Co-owners of a partnership are not a conflict.

Pairs that disagree are joined into groups (connected components), so three figures for one measure form one
group. Each output row is one fact or relation, with a `conflict_id` naming its group. Running totals from the
same start (2010–2019 and 2010–2021) always overlap; such a group is still listed, but marked as running totals
when the later totals are never smaller, so the reader can tell growth from contradiction.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable
from datetime import date
from typing import Any

import pandas as pd

from comparisons.evidence.checks import period_bounds
from comparisons.i18n import N_, pick
from comparisons.i18n.formatting import fmt_period, fmt_span, fmt_value
from comparisons.i18n.labels import RELIABILITY

# A year: period ends closer than this may describe the same moment in different words.
CLOSE_DAYS = 365
SINGLE_HOLDER: frozenset[str] = frozenset({"chair", "vice_chair", "project_manager", "host"})
SUCCESSION: frozenset[str] = frozenset({"succeeded_by", "merged_into"})

FACT_CONFLICT_KINDS: dict[str, str] = {
    "values": N_("The figures differ for the same time"),
    "units": N_("Given in different units (not converted)"),
    "running_totals": N_("Totals from the same start to different dates: a later total may simply be larger"),
}
RELATION_CONFLICT_KINDS: dict[str, str] = {
    "single_holder": N_("A role with one holder, held by two at once"),
    "succession": N_("Predecessor and successor, or two successors, hold the same role at once"),
}

_FAR_PAST = date(1, 1, 1)
_FAR_FUTURE = date(9999, 12, 31)


def _text(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()


def _bounds(text: str) -> tuple[date, date] | None:
    try:
        return period_bounds(text) if text else None
    except (ValueError, TypeError):
        return None


def _components(nodes: Iterable[Hashable], edges: Iterable[tuple[Hashable, Hashable]]) -> list[list[Hashable]]:
    """Connected components of size two or more, each in the order the nodes were given."""
    order = list(nodes)
    parent = {n: n for n in order}

    def find(n: Hashable) -> Hashable:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[rb] = ra
    groups: dict[Hashable, list[Hashable]] = {}
    for n in order:
        groups.setdefault(find(n), []).append(n)
    return [g for g in groups.values() if len(g) > 1]


# --------------------------------------------------------------------------------------------------------------
# Facts


def periods_close(start_a: str, end_a: str, start_b: str, end_b: str, close_days: int = CLOSE_DAYS) -> bool:
    """True when two facts' periods overlap, or their period_end dates are less than `close_days` apart.

    Whole years written as 2019 and 2020 are neither (a yearly series is not a conflict); 2020 and 2021-05 are.
    """
    a0, b0 = _bounds(start_a), _bounds(start_b)
    a1, b1 = _bounds(end_a), _bounds(end_b)
    if a0 is None or a1 is None or b0 is None or b1 is None:
        return False
    if a0[0] <= b1[1] and b0[0] <= a1[1]:
        return True
    return abs((a1[1] - b1[1]).days) < close_days


def values_differ(value_a: Any, unit_a: str, value_b: Any, unit_b: str) -> str | None:
    """'units' when the units differ, 'values' when the values in one unit differ, None when they agree.

    The values are cells as read (Any): one that is not a number makes the pair agree."""
    if unit_a != unit_b:
        return "units"
    try:
        va, vb = float(value_a), float(value_b)
    except (TypeError, ValueError):
        return None
    if math.isnan(va) or math.isnan(vb):
        return None
    return None if math.isclose(va, vb, rel_tol=1e-9, abs_tol=1e-12) else "values"


def fact_conflict_kind(group: pd.DataFrame) -> str:
    """What sort of disagreement a group of facts is.

    'units' when it mixes units (nothing is converted); 'running_totals' when every figure counts from the same
    start to a different end and the totals never fall as the end moves on (145 bodies reached 2010–2019, 234 in
    2010–2021: a later total may simply be larger, so this is shown but is not a contradiction); 'values' otherwise.
    """
    if group["unit"].map(_text).nunique() > 1:
        return "units"
    starts = group["period_start"].map(_text)
    if starts.nunique() == 1:
        by_end = group.assign(
            _end=group["period_end"].map(_text).str.pad(10, "right", "9"), _v=group["value"].astype(float)
        )
        per_end = by_end.groupby("_end")["_v"].agg(["min", "max"]).sort_index()
        same_end_agree = bool((per_end["min"] == per_end["max"]).all())
        if same_end_agree and per_end["max"].is_monotonic_increasing and len(per_end) > 1:
            return "running_totals"
    return "values"


def _float_or_none(value: object) -> float | None:
    """The value as values_differ reads it: None when it is not a number or is NaN."""
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else v


class _FactClasses:
    """The facts of one subject and metric, merged into classes that are interchangeable for `periods_close` and
    `values_differ` (same period texts, unit and value), so that disagreements are found class by class with numpy
    rather than pair by pair in Python. Facts a derivation links (either side) stay classes of their own, since
    the pairs they form are exempt one by one.
    """

    CHUNK = 512  # rows of the pairwise matrix computed at once

    def __init__(
        self,
        starts: list[str],
        ends: list[str],
        units: list[str],
        values: list[object],
        ids: list[str],
        derived: list[set[str]],
        close_days: int,
    ) -> None:
        import numpy as np

        idset = set(ids)
        named = set().union(*derived) if derived else set()
        keys: dict[object, int] = {}
        self.of_fact: list[int] = []
        reps: list[int] = []
        for i in range(len(ids)):
            linked = bool(derived[i] & idset) or ids[i] in named
            key: object = ("#derived", i) if linked else (starts[i], ends[i], units[i], _float_or_none(values[i]))
            c = keys.get(key)
            if c is None:
                c = keys[key] = len(reps)
                reps.append(i)
            self.of_fact.append(c)
        k = len(reps)
        valid = np.zeros(k, dtype=bool)
        first = np.zeros(k, dtype=np.int64)
        last = np.zeros(k, dtype=np.int64)
        unit_codes: dict[str, int] = {}
        unit = np.zeros(k, dtype=np.int64)
        has_value = np.zeros(k, dtype=bool)
        value = np.zeros(k, dtype=float)
        for c, i in enumerate(reps):
            s, e = _bounds(starts[i]), _bounds(ends[i])
            if s is not None and e is not None:
                valid[c], first[c], last[c] = True, s[0].toordinal(), e[1].toordinal()
            unit[c] = unit_codes.setdefault(units[i], len(unit_codes))
            v = _float_or_none(values[i])
            if v is not None:
                has_value[c], value[c] = True, v
        self.k, self.valid, self.first, self.last = k, valid, first, last
        self.unit, self.has_value, self.value, self.close_days = unit, has_value, value, close_days
        # Pairs a derivation exempts (`b` computed from `a` or the reverse), as class indices (both singletons).
        position = {fid: n for n, fid in enumerate(ids)}
        self.exempt: dict[int, set[int]] = {}
        for i, inputs in enumerate(derived):
            for fid in inputs:
                j = position.get(fid)
                if j is not None and j != i:
                    a, b = self.of_fact[i], self.of_fact[j]
                    self.exempt.setdefault(a, set()).add(b)
                    self.exempt.setdefault(b, set()).add(a)

    def edges(self, rows):  # (numpy arrays)
        """Boolean matrix (len(rows), k): class rows[r] disagrees with class c (periods close, values differ)."""
        import numpy as np

        v, f, la, u, hv, val = self.valid, self.first, self.last, self.unit, self.has_value, self.value
        close = (
            v[rows, None]
            & v[None, :]
            & (
                ((f[rows, None] <= la[None, :]) & (f[None, :] <= la[rows, None]))
                | (np.abs(la[rows, None] - la[None, :]) < self.close_days)
            )
        )
        a, b = val[rows, None], val[None, :]
        with np.errstate(invalid="ignore", over="ignore"):
            d = np.abs(b - a)
            # math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12), infinities included.
            same = (a == b) | (
                np.isfinite(a) & np.isfinite(b) & ((d <= np.abs(1e-9 * b)) | (d <= np.abs(1e-9 * a)) | (d <= 1e-12))
            )
        differ = (u[rows, None] != u[None, :]) | (hv[rows, None] & hv[None, :] & ~same)
        out = close & differ
        for r, c in enumerate(rows.tolist()):
            for other in self.exempt.get(c, ()):
                out[r, other] = False
        return out

    def components(self) -> list[list[int]]:
        """Connected components of the facts with two or more members: fact positions in the order given,
        components in the order of their first fact (as `_components` orders them)."""
        import numpy as np

        label = np.full(self.k, -1, dtype=np.int64)
        for root in range(self.k):
            if label[root] >= 0:
                continue
            label[root] = root
            frontier = np.array([root], dtype=np.int64)
            while frontier.size:
                found = np.zeros(self.k, dtype=bool)
                for lo in range(0, frontier.size, self.CHUNK):
                    found |= self.edges(frontier[lo : lo + self.CHUNK]).any(axis=0)
                frontier = np.flatnonzero(found & (label < 0))
                label[frontier] = root
        # A class that reached no other class is not in conflict (its facts agree with one another).
        sizes = np.bincount(label, minlength=self.k)
        groups: dict[int, list[int]] = {}
        for i, c in enumerate(self.of_fact):
            root = int(label[c])
            if sizes[root] > 1:
                groups.setdefault(root, []).append(i)
        return list(groups.values())


def _pairwise_components(
    records: list[dict], ids: list[str], derived: dict[str, set[str]], close_days: int
) -> list[list[Hashable]]:
    """Components by comparing every pair of facts (used when fact ids repeat within a block)."""
    edges = []
    for i, a in enumerate(records):
        for b in records[i + 1 :]:
            ia, ib = str(a["fact_id"]), str(b["fact_id"])
            if ib in derived[ia] or ia in derived[ib]:
                continue
            if not periods_close(
                _text(a["period_start"]),
                _text(a["period_end"]),
                _text(b["period_start"]),
                _text(b["period_end"]),
                close_days,
            ):
                continue
            if values_differ(a["value"], _text(a["unit"]), b["value"], _text(b["unit"])):
                edges.append((ia, ib))
    return _components(ids, edges)


def fact_conflicts(facts: pd.DataFrame, close_days: int = CLOSE_DAYS) -> pd.DataFrame:
    """Groups of facts that disagree (see the module docstring), one row per fact, all input columns kept.

    Added columns: `conflict_id` (C1, C2 … in order of subject, metric and first period), `conflict_kind`
    (see `fact_conflict_kind`) and `conflict_size`. Within a group, rows are ordered by
    period_end, then as_of, then fact_id.
    """
    columns = [*facts.columns, "conflict_id", "conflict_kind", "conflict_size"]
    f = facts[facts["fact_id"].notna()].copy()
    f["_subject"] = f["subject"].map(_text)
    f["_metric"] = f["metric"].map(_text)
    # Only subjects and metrics with two or more facts can disagree.
    f = f[f.groupby(["_subject", "_metric"], sort=False)["fact_id"].transform("size") > 1]
    groups: list[tuple[tuple[str, str, str], pd.DataFrame]] = []
    for (subject, metric), block in f.groupby(["_subject", "_metric"], sort=True):
        ids = [str(x) for x in block["fact_id"]]
        derived_col = block["derived_from"] if "derived_from" in block.columns else [None] * len(ids)
        derived_from = [set(_text(x).split()) for x in derived_col]
        if len(set(ids)) == len(ids):
            classes = _FactClasses(
                [_text(x) for x in block["period_start"]],
                [_text(x) for x in block["period_end"]],
                [_text(x) for x in block["unit"]],
                block["value"].tolist(),
                ids,
                derived_from,
                close_days,
            )
            masks = []
            for positions in classes.components():
                mask = [False] * len(ids)
                for p in positions:
                    mask[p] = True
                masks.append(mask)
        else:
            records = block.to_dict("records")
            derived = {str(r["fact_id"]): set(_text(r.get("derived_from")).split()) for r in records}
            masks = [
                block["fact_id"].astype(str).isin(c).tolist()
                for c in _pairwise_components(records, ids, derived, close_days)
            ]
        for mask in masks:
            members = block[mask].copy()
            members["_end"] = members["period_end"].map(_text).str.pad(10, "right", "9")
            members["_asof"] = members["as_of"].map(_text)
            members = members.sort_values(["_end", "_asof", "fact_id"]).drop(columns=["_end", "_asof"])
            first = _text(members.iloc[0]["period_end"])
            groups.append(((subject, metric, first), members))
    if not groups:
        return pd.DataFrame(columns=columns)
    out = []
    for n, (_key, members) in enumerate(sorted(groups, key=lambda g: g[0]), start=1):
        members = members.assign(
            conflict_id=f"C{n}", conflict_kind=fact_conflict_kind(members), conflict_size=len(members)
        )
        out.append(members)
    return pd.concat(out, ignore_index=True).drop(columns=["_subject", "_metric"])[columns]


def fact_conflict_view(conflicts: pd.DataFrame, lang: str, gettext: Callable[[str], str] = lambda s: s) -> pd.DataFrame:
    """The figures of one or more conflict groups as a display table: figure in `lang` (and the numeric value),
    period, as of, publisher, source title, reliability (translated), note. Needs `facts_with_sources` columns."""
    rows = [
        {
            "conflict_id": r["conflict_id"],
            "fact_id": _text(r["fact_id"]),
            "figure": fmt_value(r["value"], _text(r["unit"]), lang, _text(r["bound"]) or "exact"),
            "value": None if _text(r["value"]) == "" else float(r["value"]),
            "unit": _text(r["unit"]),
            "period": fmt_span(_text(r["period_start"]), _text(r["period_end"]), lang),
            "as_of": fmt_period(_text(r["as_of"]), lang),
            "publisher": _text(r.get("publisher")),
            "source_title": _text(r.get("source_title")),
            "reliability": gettext(RELIABILITY[_text(r.get("reliability"))])
            if _text(r.get("reliability")) in RELIABILITY
            else _text(r.get("reliability")),
            "note": _text(r.get("note")),
        }
        for _, r in conflicts.iterrows()
    ]
    out = pd.DataFrame(
        rows,
        columns=[
            "conflict_id",
            "fact_id",
            "figure",
            "value",
            "unit",
            "period",
            "as_of",
            "publisher",
            "source_title",
            "reliability",
            "note",
        ],
    )
    out["value"] = out["value"].astype("Float64")
    return out


def conflict_headings(conflicts: pd.DataFrame, metrics: pd.DataFrame, names: dict[str, str], lang: str) -> pd.DataFrame:
    """One row per fact conflict group: conflict_id, subject name, metric label in `lang`, kind, size."""
    labels = {str(r["metric_id"]): pick(r, "label", lang) for _, r in metrics.iterrows()}
    if conflicts.empty:
        return pd.DataFrame(columns=["conflict_id", "subject", "metric", "kind", "size"])
    first = conflicts.drop_duplicates("conflict_id")
    return pd.DataFrame(
        {
            "conflict_id": first["conflict_id"].tolist(),
            "subject": [names.get(_text(s), _text(s)) for s in first["subject"]],
            "metric": [labels.get(_text(m), _text(m)) for m in first["metric"]],
            "kind": first["conflict_kind"].tolist(),
            "size": [int(n) for n in first["conflict_size"]],
        }
    )


# --------------------------------------------------------------------------------------------------------------
# Relations


def _span(start: str, end: str) -> tuple[date, date]:
    """A relation's time as a half-open interval [start, end): unknown start is the far past, no end the future.

    Half-open, so that a handover written as 'end 2020-09' and 'start 2020-09' is not an overlap.
    """
    s, e = _bounds(start), _bounds(end)
    return (s[0] if s else _FAR_PAST), (e[0] if e else _FAR_FUTURE)


def spans_overlap(start_a: str, end_a: str, start_b: str, end_b: str) -> bool:
    a0, a1 = _span(start_a, end_a)
    b0, b1 = _span(start_b, end_b)
    return a0 < b1 and b0 < a1


def succession_links(relations: pd.DataFrame) -> set[frozenset[str]]:
    """Pairs of actors linked by succession: A succeeded by (or merged into) B, and B, C both successors of A."""
    rel = relations[relations["relation"].astype("string").isin(SUCCESSION).fillna(False)]
    links: set[frozenset[str]] = set()
    successors: dict[str, set[str]] = {}
    for subject, obj in zip(rel["subject"], rel["object"], strict=True):
        a, b = _text(subject), _text(obj)
        if a and b and a != b:
            links.add(frozenset((a, b)))
            successors.setdefault(a, set()).add(b)
    for heirs in successors.values():
        heirs_sorted = sorted(heirs)
        for i, x in enumerate(heirs_sorted):
            for y in heirs_sorted[i + 1 :]:
                links.add(frozenset((x, y)))
    return links


def relation_conflicts(relations: pd.DataFrame) -> pd.DataFrame:
    """Groups of relations that disagree (see the module docstring), one row per relation, input columns kept.

    Added columns: `conflict_id` (R1, R2 … by object and relation), `conflict_kind` ('single_holder' or
    'succession') and `conflict_size`. Succession relations themselves are never in conflict.
    """
    import numpy as np

    columns = [*relations.columns, "conflict_id", "conflict_kind", "conflict_size"]
    links = succession_links(relations)
    linked = set().union(*links) if links else set()
    rel = relations[~relations["relation"].astype("string").isin(SUCCESSION).fillna(False)].copy()
    rel["_object"] = rel["object"].map(_text)
    rel["_relation"] = rel["relation"].map(_text)
    # Only an object and relation held by two or more subjects can be in conflict.
    grouped = rel.groupby(["_object", "_relation"], sort=True)
    rel = rel[(grouped["subject"].transform("nunique") >= 2).to_numpy()]
    codes = rel.groupby(["_object", "_relation"], sort=True).ngroup().to_numpy()
    order = np.argsort(codes, kind="stable")
    bounds = np.flatnonzero(np.diff(codes[order])) + 1
    objects, relation_names = rel["_object"].tolist(), rel["_relation"].tolist()
    subjects = [_text(x) for x in rel["subject"]]
    rids = [str(x) for x in rel["relation_id"]]
    starts, ends = [_text(x) for x in rel["start"]], [_text(x) for x in rel["end"]]
    found: list[tuple[tuple[str, str], pd.DataFrame]] = []
    for block in np.split(order, bounds) if len(order) else []:
        rows = block.tolist()
        obj, relation = objects[rows[0]], relation_names[rows[0]]
        single = relation in SINGLE_HOLDER
        if not single and not any(subjects[i] in linked for i in rows):
            continue  # no single holder and no succession among the holders: nothing can disagree
        ids = [rids[i] for i in rows]
        edges = []
        for n, a in enumerate(rows):
            for b in rows[n + 1 :]:
                sa, sb = subjects[a], subjects[b]
                if sa == sb:
                    continue
                if not single and frozenset((sa, sb)) not in links:
                    continue
                if spans_overlap(starts[a], ends[a], starts[b], ends[b]):
                    edges.append((rids[a], rids[b]))
        for component in _components(ids, edges):
            wanted = set(component)
            members = rel.iloc[[i for i in rows if rids[i] in wanted]].copy()
            members["_start"] = members["start"].map(_text)
            members = members.sort_values(["_start", "subject", "relation_id"]).drop(columns=["_start"])
            kind = "single_holder" if single else "succession"
            found.append(((obj, relation), members.assign(conflict_kind=kind)))
    if not found:
        return pd.DataFrame(columns=columns)
    out = []
    for n, (_key, members) in enumerate(found, start=1):
        out.append(members.assign(conflict_id=f"R{n}", conflict_size=len(members)))
    return pd.concat(out, ignore_index=True).drop(columns=["_object", "_relation"])[columns]


def relation_conflict_view(
    conflicts: pd.DataFrame, sources: pd.DataFrame, names: dict[str, str], lang: str
) -> pd.DataFrame:
    """Relation conflicts as a display table: holder by name, start and end written in `lang` ('' when unknown),
    publisher and title of the source, note."""
    src = {str(r["source_id"]): r for _, r in sources.iterrows()}
    rows = []
    for _, r in conflicts.iterrows():
        s = src.get(_text(r["source_id"]))
        rows.append(
            {
                "conflict_id": r["conflict_id"],
                "relation_id": _text(r["relation_id"]),
                "holder": names.get(_text(r["subject"]), _text(r["subject"])),
                "start": fmt_period(_text(r["start"]), lang) if _text(r["start"]) else "",
                "end": fmt_period(_text(r["end"]), lang) if _text(r["end"]) else "",
                "publisher": "" if s is None else _text(s["publisher"]),
                "source_title": "" if s is None else _text(s["title"]),
                "note": _text(r.get("note")),
            }
        )
    return pd.DataFrame(
        rows, columns=["conflict_id", "relation_id", "holder", "start", "end", "publisher", "source_title", "note"]
    )
