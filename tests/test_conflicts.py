"""Unit tests for comparisons.evidence.conflicts on small hand-made frames (expected groups worked out by hand)."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from comparisons.evidence import conflicts as cf


def fact(
    fact_id: str,
    value: float,
    unit: str = "count",
    start: str = "2020",
    end: str | None = None,
    *,
    subject: str = "lup",
    metric: str = "partner_count",
    as_of: str | None = None,
    derived_from: str = "",
    source_id: str = "s1",
    bound: str = "exact",
) -> dict:
    return {
        "fact_id": fact_id,
        "country": "NO",
        "subject": subject,
        "metric": metric,
        "value": value,
        "bound": bound,
        "unit": unit,
        "period_start": start,
        "period_end": end or start,
        "as_of": as_of or (end or start),
        "source_id": source_id,
        "quote": "",
        "note": "",
        "derived_from": derived_from,
    }


def facts(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


def groups(frame: pd.DataFrame) -> dict[str, list[str]]:
    return {cid: sorted(g["fact_id"]) for cid, g in frame.groupby("conflict_id")}


# ---- periods_close


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (("2020", "2020"), ("2020-09", "2020-09"), True),  # a month inside the year overlaps it
        (("2019", "2019"), ("2020", "2020"), False),  # consecutive years: a series, ends 366 days apart
        (("2020", "2020"), ("2021", "2021"), False),  # ends exactly 365 days apart: not "less than a year"
        (("2020-09", "2020-09"), ("2021-05", "2021-05"), True),  # ends 8 months apart
        (("2020-09-09", "2020-09-09"), ("2021-12", "2021-12"), False),  # ends 478 days apart, no overlap
        (("2015", "2018"), ("2017", "2017"), True),  # a year inside a longer period
        (("2010", "2019"), ("2010", "2021"), True),  # running totals from the same start overlap
    ],
)
def test_periods_close(a: tuple[str, str], b: tuple[str, str], expected: bool) -> None:
    assert cf.periods_close(a[0], a[1], b[0], b[1]) is expected
    assert cf.periods_close(b[0], b[1], a[0], a[1]) is expected  # symmetric


def test_periods_close_rejects_unreadable_dates() -> None:
    assert cf.periods_close("2020", "garbage", "2020", "2020") is False


def test_values_differ() -> None:
    assert cf.values_differ(30, "count", 29, "count") == "values"
    assert cf.values_differ(30, "count", 30.0, "count") is None
    assert cf.values_differ(334e6, "NOK", 36e6, "EUR") == "units"
    assert cf.values_differ(36e6, "NOK", 36e6, "EUR") == "units"  # same number, other currency: still listed
    assert cf.values_differ(float("nan"), "count", 3, "count") is None


# ---- fact_conflicts


def test_partner_counts_that_disagree_form_one_group_and_the_series_stays_out() -> None:
    frame = facts(
        fact("NO-P-1", 30, start="2020-09"),
        fact("NO-P-2", 29, start="2021-05"),
        fact("NO-P-3", 26, start="2021"),
        fact("NO-P-4", 20, start="2017"),  # 2017: far from the others, not in the group
        fact("NO-P-5", 30, start="2020-10"),  # agrees with NO-P-1 but differs from 29 and 26: joins via them
    )
    found = cf.fact_conflicts(frame)
    assert groups(found) == {"C1": ["NO-P-1", "NO-P-2", "NO-P-3", "NO-P-5"]}
    assert set(found["conflict_kind"]) == {"values"}
    assert set(found["conflict_size"]) == {4}
    # ordered by period_end within the group: 2020-09, 2020-10, 2021-05, 2021
    assert found["fact_id"].tolist() == ["NO-P-1", "NO-P-5", "NO-P-2", "NO-P-3"]


def test_equal_figures_are_no_conflict() -> None:
    frame = facts(fact("NO-A-1", 5, start="2018", source_id="a"), fact("NO-A-2", 5, start="2018", source_id="b"))
    assert cf.fact_conflicts(frame).empty


def test_different_units_are_listed_unconverted() -> None:
    frame = facts(
        fact("NO-S-1", 334e6, "NOK", "2010", "2020-09", metric="cumulative_savings"),
        fact("NO-S-2", 36e6, "EUR", "2010", "2021", metric="cumulative_savings"),
    )
    found = cf.fact_conflicts(frame)
    assert groups(found) == {"C1": ["NO-S-1", "NO-S-2"]}
    assert found["conflict_kind"].unique().tolist() == ["units"]
    assert found["value"].tolist() == [334e6, 36e6]  # nothing averaged or converted


def test_subject_and_metric_separate_groups() -> None:
    frame = facts(
        fact("NO-A-1", 30, start="2020"),
        fact("NO-A-2", 31, start="2020", metric="bodies_reached"),
        fact("NO-A-3", 32, start="2020", subject="ks"),
    )
    assert cf.fact_conflicts(frame).empty


def test_group_ids_follow_subject_then_metric() -> None:
    frame = facts(
        fact("NO-B-1", 1, start="2020", subject="nho"),
        fact("NO-B-2", 2, start="2020", subject="nho"),
        fact("NO-A-1", 1, start="2020", subject="ks"),
        fact("NO-A-2", 2, start="2020", subject="ks"),
    )
    assert groups(cf.fact_conflicts(frame)) == {"C1": ["NO-A-1", "NO-A-2"], "C2": ["NO-B-1", "NO-B-2"]}


def test_a_derived_fact_does_not_conflict_with_its_inputs() -> None:
    frame = facts(
        fact("NO-F-1", 10e6, "NOK", "2020", metric="state_grant"),
        fact("NO-F-2", 1.55e6, "NOK", "2020", metric="state_grant"),
        fact("NO-F-3", 11.55e6, "NOK", "2020", metric="state_grant", derived_from="NO-F-1 NO-F-2"),
    )
    found = cf.fact_conflicts(frame)
    # F-1 and F-2 still differ from each other (they are parts, but the rule cannot know): one pair only.
    assert groups(found) == {"C1": ["NO-F-1", "NO-F-2"]}


def test_running_totals_are_marked_as_such_and_a_falling_total_is_not() -> None:
    growing = facts(
        fact("NO-R-1", 145, start="2010", end="2019", metric="bodies_reached"),
        fact("NO-R-2", 234, start="2010", end="2021", metric="bodies_reached"),
    )
    assert cf.fact_conflicts(growing)["conflict_kind"].unique().tolist() == ["running_totals"]
    falling = facts(
        fact("NO-R-1", 234, start="2010", end="2019", metric="bodies_reached"),
        fact("NO-R-2", 145, start="2010", end="2021", metric="bodies_reached"),
    )
    assert cf.fact_conflicts(falling)["conflict_kind"].unique().tolist() == ["values"]
    same_end = facts(
        fact("NO-R-1", 200, start="2010", end="2018", metric="pilot_projects"),
        fact("NO-R-2", 120, start="2010", end="2018", metric="pilot_projects"),
    )
    assert cf.fact_conflicts(same_end)["conflict_kind"].unique().tolist() == ["values"]


def test_empty_and_single_facts_give_an_empty_frame_with_the_columns() -> None:
    frame = facts(fact("NO-A-1", 1))
    found = cf.fact_conflicts(frame)
    assert found.empty and {"conflict_id", "conflict_kind", "conflict_size", "fact_id"} <= set(found.columns)


def test_fact_conflict_view_formats_in_the_language_and_keeps_numbers() -> None:
    frame = facts(
        fact("NO-S-1", 334e6, "NOK", "2010", "2020-09", metric="cumulative_savings"),
        fact("NO-S-2", 36e6, "EUR", "2010", "2021", metric="cumulative_savings"),
    ).assign(publisher=["COI", "LUP"], source_title=["A", "B"], reliability=["primary", "secondary"])
    view = cf.fact_conflict_view(cf.fact_conflicts(frame), "nb", gettext=lambda s: s.upper())
    assert view["figure"].tolist() == ["334\u00a0mill.\u00a0NOK", "36\u00a0mill.\u00a0EUR"]
    assert view["value"].tolist() == [334e6, 36e6]
    assert view["reliability"].tolist() == ["PRIMARY SOURCE", "SECONDARY SOURCE"]
    assert view["period"].tolist()[0] == "2010\u2009–\u2009september 2020"
    assert view["as_of"].tolist() == ["september 2020", "2021"]


def test_conflict_headings_name_subject_and_metric() -> None:
    frame = facts(fact("NO-A-1", 30, start="2020"), fact("NO-A-2", 29, start="2020"))
    metrics = pd.DataFrame(
        [{"metric_id": "partner_count", "label_nb": "Partnere", "label_da": "Partnere", "label_en": "Partners"}]
    )
    heads = cf.conflict_headings(cf.fact_conflicts(frame), metrics, {"lup": "LUP"}, "nb")
    assert heads.to_dict("records") == [
        {"conflict_id": "C1", "subject": "LUP", "metric": "Partnere", "kind": "values", "size": 2}
    ]


# ---- relations


def rel(relation_id: str, subject: str, relation: str, obj: str, start: str = "", end: str = "") -> dict:
    return {
        "relation_id": relation_id,
        "subject": subject,
        "relation": relation,
        "object": obj,
        "start": start,
        "end": end,
        "source_id": "s1",
        "note": "",
    }


LUP_OWNERS = [
    rel("r1", "ks", "owner", "lup", "2010"),
    rel("r2", "nho", "owner", "lup", "2010"),
    rel("r3", "difi", "owner", "lup", "2015", "2020-01-01"),
    rel("r4", "innovasjon-norge", "owner", "lup", "2018"),
    rel("r5", "difi", "succeeded_by", "digdir", "2020-01-01"),
    rel("r6", "difi", "succeeded_by", "dfo", "2020-09-01"),
]


def test_two_successors_owning_at_once_conflict_but_co_owners_do_not() -> None:
    frame = pd.DataFrame(
        [*LUP_OWNERS, rel("r7", "digdir", "owner", "lup", "2020"), rel("r8", "dfo", "owner", "lup", "2020")]
    )
    found = cf.relation_conflicts(frame)
    assert {cid: sorted(g["relation_id"]) for cid, g in found.groupby("conflict_id")} == {"R1": ["r7", "r8"]}
    assert found["conflict_kind"].unique().tolist() == ["succession"]


def test_a_clean_handover_is_no_conflict() -> None:
    frame = pd.DataFrame(
        [
            *LUP_OWNERS,
            rel("r7", "digdir", "owner", "lup", "2020-01-01", "2020-09-01"),
            rel("r8", "dfo", "owner", "lup", "2020-09-01"),
        ]
    )
    assert cf.relation_conflicts(frame).empty


def test_predecessor_without_end_overlaps_its_successor() -> None:
    frame = pd.DataFrame(
        [
            rel("r1", "difi", "owner", "lup", "2015"),
            rel("r2", "difi", "succeeded_by", "dfo", "2020"),
            rel("r3", "dfo", "owner", "lup", "2020"),
        ]
    )
    found = cf.relation_conflicts(frame)
    assert sorted(found["relation_id"]) == ["r1", "r3"]


def test_single_holder_roles_conflict_without_succession() -> None:
    frame = pd.DataFrame(
        [
            rel("r1", "nho", "project_manager", "lup", "2010"),
            rel("r2", "ks", "project_manager", "lup", "2012", "2013"),
            rel("r3", "ks", "chair", "lup", "2010", "2012"),
            rel("r4", "nho", "chair", "lup", "2012"),
        ]
    )
    found = cf.relation_conflicts(frame)
    assert {cid: sorted(g["relation_id"]) for cid, g in found.groupby("conflict_id")} == {"R1": ["r1", "r2"]}
    assert found["conflict_kind"].unique().tolist() == ["single_holder"]


def test_spans_are_half_open() -> None:
    assert cf.spans_overlap("2015", "2020", "2020", "") is False
    assert cf.spans_overlap("", "", "2020", "") is True  # unknown dates: may overlap anything
    assert cf.spans_overlap("2015", "2021", "2020", "") is True


def test_relation_conflict_view_names_holders_and_sources() -> None:
    frame = pd.DataFrame(
        [
            rel("r7", "digdir", "owner", "lup", "2020"),
            rel("r8", "dfo", "owner", "lup", "2020"),
            rel("r6", "difi", "succeeded_by", "dfo", "2020"),
            rel("r5", "difi", "succeeded_by", "digdir", "2020"),
        ]
    )
    sources = pd.DataFrame([{"source_id": "s1", "publisher": "KS", "title": "RNB"}])
    frame.loc[frame["relation_id"] == "r8", "start"] = "2020-09-01"
    view = cf.relation_conflict_view(cf.relation_conflicts(frame), sources, {"dfo": "DFØ", "digdir": "Digdir"}, "da")
    assert view["holder"].tolist() == ["Digdir", "DFØ"]  # by start
    assert set(view["publisher"]) == {"KS"} and view["start"].tolist() == ["2020", "1. september 2020"]
    assert set(view["end"]) == {""}


# ---- fact_conflicts: the class-wise (numpy) search gives exactly what comparing every pair gave


def _reference_fact_conflicts(facts: pd.DataFrame, close_days: int = cf.CLOSE_DAYS) -> pd.DataFrame:
    """fact_conflicts as it was before it compared classes of facts with numpy: every pair, in Python."""
    text = cf._text
    columns = [*facts.columns, "conflict_id", "conflict_kind", "conflict_size"]
    f = facts[facts["fact_id"].notna()].copy()
    f["_subject"] = f["subject"].map(text)
    f["_metric"] = f["metric"].map(text)
    groups = []
    for (subject, metric), block in f.groupby(["_subject", "_metric"], sort=True):
        if len(block) < 2:
            continue
        records = block.to_dict("records")
        ids = [str(r["fact_id"]) for r in records]
        derived = {str(r["fact_id"]): set(text(r.get("derived_from")).split()) for r in records}
        edges = []
        for i, a in enumerate(records):
            for b in records[i + 1 :]:
                ia, ib = str(a["fact_id"]), str(b["fact_id"])
                if ib in derived[ia] or ia in derived[ib]:
                    continue
                if not cf.periods_close(
                    text(a["period_start"]),
                    text(a["period_end"]),
                    text(b["period_start"]),
                    text(b["period_end"]),
                    close_days,
                ):
                    continue
                if cf.values_differ(a["value"], text(a["unit"]), b["value"], text(b["unit"])):
                    edges.append((ia, ib))
        for component in cf._components(ids, edges):
            members = block[block["fact_id"].astype(str).isin(component)].copy()
            members["_end"] = members["period_end"].map(text).str.pad(10, "right", "9")
            members["_asof"] = members["as_of"].map(text)
            members = members.sort_values(["_end", "_asof", "fact_id"]).drop(columns=["_end", "_asof"])
            groups.append(((subject, metric, text(members.iloc[0]["period_end"])), members))
    if not groups:
        return pd.DataFrame(columns=columns)
    out = []
    for n, (_key, members) in enumerate(sorted(groups, key=lambda g: g[0]), start=1):
        out.append(
            members.assign(
                conflict_id=f"C{n}", conflict_kind=cf.fact_conflict_kind(members), conflict_size=len(members)
            )
        )
    return pd.concat(out, ignore_index=True).drop(columns=["_subject", "_metric"])[columns]


def test_fact_conflicts_same_as_pairwise_on_shipped_data() -> None:
    from comparisons.evidence.base import facts_with_sources
    from tests.helpers import shipped_evidence

    facts = facts_with_sources(shipped_evidence())
    new = cf.fact_conflicts(facts)
    assert len(new)  # the shipped data has conflicts, so the comparison means something
    pd.testing.assert_frame_equal(new, _reference_fact_conflicts(facts))


@pytest.mark.parametrize("subjects", ["same", "copies"])
def test_fact_conflicts_same_as_pairwise_on_synthetic_data(subjects: str) -> None:
    from comparisons.evidence.base import facts_with_sources
    from tests.synthetic import synthetic_evidence

    facts = facts_with_sources(synthetic_evidence(3, subjects))
    pd.testing.assert_frame_equal(cf.fact_conflicts(facts), _reference_fact_conflicts(facts))
    part = facts.iloc[::-1].iloc[::2]  # another order and another index
    pd.testing.assert_frame_equal(cf.fact_conflicts(part), _reference_fact_conflicts(part))


_PERIODS = ["2019", "2020", "2020-09", "2021-05", "2021", "2010", "2020-02-29", "2021-02-29", "garbage", "", None]
_VALUES = [1.0, 2.0, 2.0 + 1e-10, 2.5, 0.0, -0.0, 1e-13, float("nan"), float("inf"), float("-inf"), None]


@st.composite
def _fact_frames(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(0, 12))
    ids = [f"F{draw(st.integers(0, 14))}" if draw(st.booleans()) else f"U{i}" for i in range(n)]
    rows = []
    for i in range(n):
        start = draw(st.sampled_from(_PERIODS))
        rows.append(
            {
                "fact_id": None if draw(st.integers(0, 20)) == 0 else ids[i],
                "subject": draw(st.sampled_from(["lup", "coi", None])),
                "metric": draw(st.sampled_from(["partner_count", "owner_count"])),
                "value": draw(st.sampled_from(_VALUES)),
                "unit": draw(st.sampled_from(["count", "NOK", "EUR", None])),
                "period_start": start,
                "period_end": draw(st.sampled_from([start, *_PERIODS])),
                "as_of": draw(st.sampled_from(["2020", "2021-03", None])),
                "derived_from": " ".join(draw(st.lists(st.sampled_from(ids), max_size=2))) if ids else "",
            }
        )
    frame = pd.DataFrame(
        rows,
        columns=[
            "fact_id",
            "subject",
            "metric",
            "value",
            "unit",
            "period_start",
            "period_end",
            "as_of",
            "derived_from",
        ],
    )
    if draw(st.booleans()):  # the dtypes evidence.load_evidence gives
        frame = frame.astype(
            {
                "fact_id": "string",
                "subject": "string",
                "metric": "string",
                "value": "Float64",
                "unit": "string",
                "period_start": "string",
                "period_end": "string",
                "as_of": "string",
                "derived_from": "string",
            }
        )
    return frame


@settings(max_examples=300, deadline=None)
@given(_fact_frames(), st.sampled_from([cf.CLOSE_DAYS, 0, 30, 4000]))
def test_fact_conflicts_same_as_pairwise_on_generated_frames(facts: pd.DataFrame, close_days: int) -> None:
    try:
        expected = _reference_fact_conflicts(facts, close_days)
    except (TypeError, ValueError) as exc:  # frames the old code could not handle: the new one must fail alike
        with pytest.raises(type(exc)):
            cf.fact_conflicts(facts, close_days)
        return
    pd.testing.assert_frame_equal(cf.fact_conflicts(facts, close_days), expected)


# ---- relation_conflicts: blocks found once and compared on plain lists give exactly what the per-block frames gave


def _reference_relation_conflicts(relations: pd.DataFrame) -> pd.DataFrame:
    """relation_conflicts as it was before: every (object, relation) block as a frame, its rows as dicts."""
    text = cf._text
    columns = [*relations.columns, "conflict_id", "conflict_kind", "conflict_size"]
    links = cf.succession_links(relations)
    rel = relations[~relations["relation"].astype("string").isin(cf.SUCCESSION).fillna(False)].copy()
    rel["_object"] = rel["object"].map(text)
    rel["_relation"] = rel["relation"].map(text)
    found = []
    for (_obj, relation), block in rel.groupby(["_object", "_relation"], sort=True):
        if block["subject"].nunique() < 2:
            continue
        records = block.to_dict("records")
        ids = [str(r["relation_id"]) for r in records]
        edges = []
        for i, a in enumerate(records):
            for b in records[i + 1 :]:
                sa, sb = text(a["subject"]), text(b["subject"])
                if sa == sb:
                    continue
                if relation not in cf.SINGLE_HOLDER and frozenset((sa, sb)) not in links:
                    continue
                if cf.spans_overlap(text(a["start"]), text(a["end"]), text(b["start"]), text(b["end"])):
                    edges.append((str(a["relation_id"]), str(b["relation_id"])))
        for component in cf._components(ids, edges):
            members = block[block["relation_id"].astype(str).isin(component)].copy()
            members["_start"] = members["start"].map(text)
            members = members.sort_values(["_start", "subject", "relation_id"]).drop(columns=["_start"])
            kind = "single_holder" if relation in cf.SINGLE_HOLDER else "succession"
            found.append(members.assign(conflict_kind=kind))
    if not found:
        return pd.DataFrame(columns=columns)
    out = [m.assign(conflict_id=f"R{n}", conflict_size=len(m)) for n, m in enumerate(found, start=1)]
    return pd.concat(out, ignore_index=True).drop(columns=["_object", "_relation"])[columns]


def test_relation_conflicts_same_as_before_on_shipped_data() -> None:
    from tests.helpers import shipped_evidence

    relations = shipped_evidence()["relations"]
    new = cf.relation_conflicts(relations)
    assert len(new)
    pd.testing.assert_frame_equal(new, _reference_relation_conflicts(relations))
    for part in (relations.iloc[::-1], relations.iloc[::2], relations.iloc[:0]):
        pd.testing.assert_frame_equal(cf.relation_conflicts(part), _reference_relation_conflicts(part))


@pytest.mark.parametrize("subjects", ["same", "copies"])
def test_relation_conflicts_same_as_before_on_synthetic_data(subjects: str) -> None:
    from tests.synthetic import synthetic_evidence

    relations = synthetic_evidence(3, subjects)["relations"]
    pd.testing.assert_frame_equal(cf.relation_conflicts(relations), _reference_relation_conflicts(relations))
    # Every holder made a chair: single-holder blocks with many subjects.
    chairs = relations.assign(relation=relations["relation"].where(relations["relation"] == "succeeded_by", "chair"))
    pd.testing.assert_frame_equal(cf.relation_conflicts(chairs), _reference_relation_conflicts(chairs))
