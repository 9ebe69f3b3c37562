"""Unit tests for comparisons.partners on small hand-made frames (independent of the shipped data)."""

from __future__ import annotations

import pandas as pd

from comparisons import partners as pt

FACT_COLUMNS = ["fact_id", "country", "subject", "metric", "value", "bound", "unit", "period_start", "period_end",
                "as_of", "source_id", "quote", "publisher", "source_title"]


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
    assert list(named["label"]) == ["Statens vegvesen", "Møre og Romsdal fylkeskommune", "Vestland fylkeskommune", "NTNU"]
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
    assert fact["fact_id"] == "NO-F" and others == 5
    fact, others = pt.latest_for_metric(partner_facts(), "partner_count", "NO")  # any subject
    assert fact["fact_id"] == "NO-F" and others == 6
    assert pt.latest_for_metric(partner_facts(), "partner_count", "DK") == (None, 0)
    assert pt.latest_for_metric(partner_facts(), pt.STATE_AGENCIES_METRIC, "DK") == (None, 0)


def test_county_coverage() -> None:
    f = facts(
        [
            ("NO-P", "NO", "lup", "county_partners", 11, "exact", "count", "2023", "2023", "2023", "s", "q", "L", "t"),
            ("NO-C", "NO", "no", "counties_count", 11, "exact", "count", "2023", "2023", "2023", "s", "q", "L", "t"),
            ("NO-O", "NO", "no", "counties_count", 19, "exact", "count", "2019", "2019", "2019", "s", "q", "L", "t"),
            ("NO-Q", "NO", "lup", "county_partners", 7, "exact", "count", "2023-05", "2023-05", "2023", "s", "q", "L", "t"),
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
