"""Unit tests for comparisons.measures.partners on small hand-made frames (independent of the shipped data)."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from comparisons.measures import partners as pt

FACT_COLUMNS = [
    "fact_id",
    "country",
    "subject",
    "metric",
    "value",
    "bound",
    "unit",
    "period_start",
    "period_end",
    "as_of",
    "source_id",
    "quote",
    "publisher",
    "source_title",
]


def facts(rows: list[tuple]) -> pd.DataFrame:
    """Rows of facts_with_sources (the columns used here), typed like the loader's."""
    frame = pd.DataFrame(rows, columns=FACT_COLUMNS)
    frame = frame.astype({c: "string" for c in FACT_COLUMNS if c != "value"})
    frame["value"] = frame["value"].astype("Float64")
    return frame


def partner_facts() -> pd.DataFrame:
    p = "partner_count"
    return facts(
        [
            ("NO-A", "NO", "lup", p, 30, "exact", "count", "2019-03-28", "2019-03-28", "2019", "s1", "q", "LUP", "t1"),
            ("NO-B", "NO", "lup", p, 30, "exact", "count", "2020-09", "2020-09", "2020-09", "s2", "q", "COI", "t2"),
            ("NO-C", "NO", "lup", p, 29, "exact", "count", "2021-05", "2021-05", "2021-05", "s3", "q", "KS", "t3"),
            ("NO-D", "NO", "lup", p, 26, "exact", "count", "2021", "2021", "2021", "s4", "q", "LUP", "t4"),
            ("NO-E", "NO", "lup", p, 35, "exact", "count", "2023", "2023", "2024", "s5", "q", "LUP", "t5"),
            ("NO-F", "NO", "lup", p, 35, "exact", "count", "2025", "2025", "2025", "s6", "q", "Anbud365", "t6"),
            ("NO-X", "NO", "other", p, 99, "exact", "count", "2021", "2021", "2021", "s6", "q", "X", "t"),
            ("NO-Y", "NO", "lup", "owner_count", 5, "exact", "count", "2021", "2021", "2021", "s6", "q", "X", "t"),
        ]
    )


def test_count_series_oldest_first_at_the_middle_of_each_period() -> None:
    series = pt.count_series(partner_facts())
    assert list(series["fact_id"]) == ["NO-A", "NO-B", "NO-C", "NO-D", "NO-E", "NO-F"]
    by_id = series.set_index("fact_id")
    assert by_id.loc["NO-A", "mid_date"] == pd.Timestamp("2019-03-28")
    assert by_id.loc["NO-B", "mid_date"] == pd.Timestamp("2020-09-15 12:00")  # middle of September
    assert by_id.loc["NO-D", "start_date"] == pd.Timestamp("2021-01-01")
    assert by_id.loc["NO-D", "end_date"] == pd.Timestamp("2021-12-31")


def test_close_figures_that_differ_are_flagged_both() -> None:
    series = pt.count_series(partner_facts())
    flagged = set(series.loc[series["conflict"], "fact_id"])
    # 30 (Sept 2020) vs 29 (May 2021) vs 26 (2021) are close and differ; 30 in 2019 and 2020 agree;
    # 26 (2021) vs 35 (2023) have the whole of 2022 between them: growth, not a conflict.
    assert flagged == {"NO-B", "NO-C", "NO-D"}


def test_close_disagreements_pairs_and_gaps() -> None:
    pairs = pt.close_disagreements(pt.count_series(partner_facts()))
    got = {(a, b): g for a, b, g in zip(pairs["fact_id"], pairs["other_fact_id"], pairs["gap_days"], strict=True)}
    assert got == {("NO-B", "NO-C"): 213, ("NO-B", "NO-D"): 93, ("NO-C", "NO-D"): 0}
    # within three years: A-C, A-D, B-C, B-D, B-E, C-D, C-E, D-E (E-F agree; A-E, A-F, B-F, C-F, D-F too far)
    assert pt.close_disagreements(pt.count_series(partner_facts()), close_days=365 * 3).shape[0] == 8


def test_count_series_of_nothing_is_empty() -> None:
    series = pt.count_series(partner_facts().iloc[0:0])
    assert series.empty
    assert "conflict" in series.columns


def test_count_chart_spec() -> None:
    series = pt.count_series(partner_facts())
    series["value_text"] = series["value"].astype(int).astype(str)
    series["period_text"] = series["period_start"]
    series["as_of_text"] = series["as_of"]
    flags = {False: "figure", True: "disagrees"}
    series["flag"] = series["conflict"].map(flags)
    titles = dict.fromkeys(["value", "date", "period", "source", "publisher", "published", "flag"], "t")
    spec = pt.count_chart(series, titles, flags).to_dict()
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["line", "rule", "point", "text"]
    points = spec["layer"][2]["encoding"]
    assert points["shape"]["scale"]["domain"] == ["figure", "disagrees"]
    assert {t["field"] for t in points["tooltip"]} >= {"source_title", "publisher", "as_of_text", "period_text"}
    assert spec["layer"][2]["encoding"]["y"]["scale"]["domain"] == [0, 35 * 1.15]


def relations(rows: list[tuple]) -> pd.DataFrame:
    cols = ["relation_id", "subject", "relation", "object", "start", "end", "source_id", "note"]
    return pd.DataFrame(rows, columns=cols).astype("string")


def actors() -> pd.DataFrame:
    return pd.DataFrame(
        [
            ("vestland", "Vestland fylkeskommune", "", "county"),
            ("more", "Møre og Romsdal fylkeskommune", "", "county"),
            ("ntnu", "Norges teknisk-naturvitenskapelige universitet", "NTNU", "university"),
            ("svv", "Statens vegvesen", "", "agency"),
            ("ks", "KS", "KS", "municipal_association"),
        ],
        columns=["actor_id", "name", "short_name", "kind"],
    ).astype("string")


def partner_relations() -> pd.DataFrame:
    return relations(
        [
            ("r1", "vestland", "partner", "lup", "2023", "", "s1", ""),
            ("r2", "more", "partner", "lup", "2016", "", "s2", ""),
            ("r3", "ntnu", "partner", "lup", "2016-09-01", "", "s3", ""),
            ("r4", "svv", "partner", "lup", "", "", "s4", ""),
            ("r5", "ks", "owner", "lup", "2010", "", "s5", ""),  # an owner, not a partner
            ("r6", "svv", "partner", "other", "2019", "", "s4", ""),  # a partner of something else
        ]
    )


def test_named_partners_and_their_kinds() -> None:
    named = pt.named_partners(partner_relations(), actors())
    assert list(named["subject"]) == ["svv", "more", "vestland", "ntnu"]  # by kind, then name
    assert list(named["label"]) == [
        "Statens vegvesen",
        "Møre og Romsdal fylkeskommune",
        "Vestland fylkeskommune",
        "NTNU",
    ]
    counts = pt.kind_counts(named)
    assert list(counts["kind"]) == ["county", "agency", "university"]
    assert list(counts["count"]) == [2, 1, 1]
    assert counts.loc[0, "names"] == "Møre og Romsdal fylkeskommune, Vestland fylkeskommune"


def test_kind_counts_of_nothing_and_chart() -> None:
    assert pt.kind_counts(pt.named_partners(partner_relations().iloc[0:0], actors())).empty
    counts = pt.kind_counts(pt.named_partners(partner_relations(), actors()))
    counts["kind_label"] = counts["kind"].str.upper()
    spec = pt.kind_chart(counts, {"count": "n", "kind": "k", "names": "names"}).to_dict()
    assert spec["encoding"]["x"]["axis"]["values"] == [0, 1, 2]
    assert spec["encoding"]["y"]["field"] == "kind_label"


def test_latest_for_metric_picks_the_latest_period_and_counts_the_others() -> None:
    fact, others = pt.latest_for_metric(partner_facts(), "partner_count", "NO", "lup")
    assert fact is not None and fact["fact_id"] == "NO-F" and others == 5
    fact, others = pt.latest_for_metric(partner_facts(), "partner_count", "NO")  # any subject
    assert fact is not None and fact["fact_id"] == "NO-F" and others == 6
    assert pt.latest_for_metric(partner_facts(), "partner_count", "DK") == (None, 0)
    assert pt.latest_for_metric(partner_facts(), pt.STATE_AGENCIES_METRIC, "DK") == (None, 0)


def test_county_coverage() -> None:
    f = facts(
        [
            ("NO-P", "NO", "lup", "county_partners", 11, "exact", "count", "2023", "2023", "2023", "s", "q", "L", "t"),
            ("NO-C", "NO", "no", "counties_count", 11, "exact", "count", "2023", "2023", "2023", "s", "q", "L", "t"),
            ("NO-O", "NO", "no", "counties_count", 19, "exact", "count", "2019", "2019", "2019", "s", "q", "L", "t"),
            (
                "NO-Q",
                "NO",
                "lup",
                "county_partners",
                7,
                "exact",
                "count",
                "2023-05",
                "2023-05",
                "2023",
                "s",
                "q",
                "L",
                "t",
            ),
        ]
    ).set_index("fact_id", drop=False)
    assert pt.county_coverage(f.loc["NO-P"], f.loc["NO-C"]) == "all"
    assert pt.county_coverage(f.loc["NO-Q"], f.loc["NO-C"]) == "some"
    assert pt.county_coverage(f.loc["NO-P"], f.loc["NO-O"]) is None  # different years: no comparison
    assert pt.county_coverage(None, f.loc["NO-C"]) is None


def test_with_texts_in_each_language() -> None:
    series = pt.count_series(partner_facts())
    flags = {False: "ok", True: "disagrees"}
    nb = pt.with_texts(series, "nb", flags).set_index("fact_id")
    en = pt.with_texts(series, "en", flags).set_index("fact_id")
    assert nb.loc["NO-A", "period_text"] == "28. mars 2019"
    assert en.loc["NO-A", "period_text"] == "28 March 2019"
    assert nb.loc["NO-B", "as_of_text"] == "september 2020"
    assert nb.loc["NO-C", "value_text"] == "29"
    assert list(nb["flag"]) == ["ok", "disagrees", "disagrees", "disagrees", "ok", "ok"]
    assert "value_text" not in series.columns  # the input is left as it was


# ---- close_disagreements: the numpy comparison gives exactly what comparing every pair of rows gave


def _reference_close_disagreements(series: pd.DataFrame, close_days: int = pt.CLOSE_DAYS) -> pd.DataFrame:
    """close_disagreements as it was: every pair of rows, as Series, in Python."""

    def gap_days(a: pd.Series, b: pd.Series) -> int:
        if a["end_date"] < b["start_date"]:
            return int((b["start_date"] - a["end_date"]).days)
        if b["end_date"] < a["start_date"]:
            return int((a["start_date"] - b["end_date"]).days)
        return 0

    records = []
    frame_rows = [series.iloc[i] for i in range(len(series))]
    for i, a in enumerate(frame_rows):
        for b in frame_rows[i + 1 :]:
            if pd.isna(a["start_date"]) or pd.isna(b["start_date"]) or a["value"] == b["value"]:
                continue
            gap = gap_days(a, b)
            if gap <= close_days:
                records.append(
                    {
                        "fact_id": a["fact_id"],
                        "value": a["value"],
                        "other_fact_id": b["fact_id"],
                        "other_value": b["value"],
                        "gap_days": gap,
                    }
                )
    return pd.DataFrame.from_records(records, columns=["fact_id", "value", "other_fact_id", "other_value", "gap_days"])


def _reference_count_series(facts: pd.DataFrame, subject: str = pt.PROGRAMME, metric: str = pt.PARTNER_COUNT):
    keep = facts[(facts["subject"] == subject) & (facts["metric"] == metric)].copy()
    keep["start_date"] = pd.to_datetime(keep["period_start"].map(pt.period_first_day))
    keep["end_date"] = pd.to_datetime(keep["period_end"].map(pt.period_last_day))
    keep["mid_date"] = keep["start_date"] + (keep["end_date"] - keep["start_date"]) / 2
    keep = keep.sort_values(["mid_date", "as_of", "fact_id"]).reset_index(drop=True)
    pairs = _reference_close_disagreements(keep)
    keep["conflict"] = keep["fact_id"].isin(set(pairs["fact_id"]) | set(pairs["other_fact_id"]))
    return keep


def _shipped_facts() -> pd.DataFrame:
    from comparisons.evidence.base import facts_with_sources
    from tests.helpers import shipped_evidence

    return facts_with_sources(shipped_evidence())


@pytest.mark.parametrize("close_days", [pt.CLOSE_DAYS, 0, 30, 5000])
def test_close_disagreements_same_as_pairwise_on_shipped_data(close_days: int) -> None:
    facts = _shipped_facts()
    series = pt.count_series(facts)
    assert not pt.close_disagreements(series).empty
    pd.testing.assert_frame_equal(
        pt.close_disagreements(series, close_days), _reference_close_disagreements(series, close_days)
    )
    # Every figure of each metric as one series: other counts, other dates, repeated values.
    for (subject, metric), _block in facts.groupby(["subject", "metric"]):
        s = pt.count_series(facts, subject, metric)
        pd.testing.assert_frame_equal(
            pt.close_disagreements(s, close_days), _reference_close_disagreements(s, close_days)
        )


@pytest.mark.parametrize("subjects", ["same", "copies"])
def test_count_series_same_as_pairwise_on_synthetic_data(subjects: str) -> None:
    from comparisons.evidence.base import facts_with_sources
    from tests.synthetic import synthetic_evidence

    facts = facts_with_sources(synthetic_evidence(3, subjects))
    pd.testing.assert_frame_equal(pt.count_series(facts), _reference_count_series(facts))
    pd.testing.assert_frame_equal(
        pt.count_series(facts, "lup", "owner_count"), _reference_count_series(facts, "lup", "owner_count")
    )


_DATES = ["2019", "2020", "2020-09", "2021-05", "2021-12-31", "2023", "", None, "bad"]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(_DATES),
            st.sampled_from(_DATES),
            st.sampled_from([1.0, 2.0, 29.0, 30.0, float("nan"), None]),
        ),
        max_size=10,
    ),
    st.booleans(),
    st.sampled_from([pt.CLOSE_DAYS, 0, 100]),
)
def test_close_disagreements_same_as_pairwise_on_generated_series(rows: list, extension: bool, close_days: int) -> None:
    frame = pd.DataFrame(
        {
            "fact_id": [f"F{i}" for i in range(len(rows))],
            "value": pd.array([r[2] for r in rows], dtype="Float64" if extension else "float64"),
            "start_date": pd.to_datetime(pd.Series([r[0] for r in rows], dtype=object).map(pt.period_first_day)),
            "end_date": pd.to_datetime(pd.Series([r[1] for r in rows], dtype=object).map(pt.period_last_day)),
        }
    )
    # The reference compared figures without a value too (NaN "disagreed" with everything, NA raised TypeError);
    # now they are left out, so the reference sees only the figures that have one.
    expected = _reference_close_disagreements(frame[frame["value"].notna()], close_days)
    result = pt.close_disagreements(frame, close_days)
    pd.testing.assert_frame_equal(result, expected)
    missing = set(frame.loc[frame["value"].isna(), "fact_id"])
    assert not missing & (set(result["fact_id"]) | set(result["other_fact_id"]))


@pytest.mark.parametrize("dtype", ["Float64", "float64"])
def test_a_dated_figure_without_a_value_is_not_compared(dtype: str) -> None:
    """Once a TypeError (NA) or a disagreement with every other figure (NaN); now simply left out."""
    frame = pd.DataFrame(
        {
            "fact_id": ["A", "B", "C"],
            "value": pd.array([10.0, None, 12.0], dtype=dtype),
            "start_date": pd.to_datetime(["2020-01-01", "2020-01-01", "2020-02-01"]),
            "end_date": pd.to_datetime(["2020-12-31", "2020-12-31", "2020-12-31"]),
        }
    )
    pairs = pt.close_disagreements(frame)
    assert list(zip(pairs["fact_id"], pairs["other_fact_id"], pairs["gap_days"], strict=False)) == [("A", "C", 0)]
