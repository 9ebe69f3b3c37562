"""Unit tests for comparisons.measures.governance on small hand-made frames (independent of the shipped data)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from comparisons.measures import governance as gv

TODAY = date(2026, 6, 30)


def relations(rows: list[tuple]) -> pd.DataFrame:
    """relation_id, subject, relation, object, start, end, source_id, note -> a frame typed like the loader's."""
    cols = ["relation_id", "subject", "relation", "object", "start", "end", "source_id", "note"]
    frame = pd.DataFrame(rows, columns=cols).astype("string")
    frame["_row"] = pd.array(range(2, len(rows) + 2), dtype="Int64")
    frame["package"] = "norway"
    return frame


def actors() -> pd.DataFrame:
    return pd.DataFrame(
        [
            ("lup", "Nasjonalt program for leverandørutvikling", "LUP", "programme"),
            ("ks", "KS – Kommunesektorens organisasjon", "KS", "municipal_association"),
            ("nho", "Næringslivets Hovedorganisasjon", "NHO", "business_association"),
            ("difi", "Direktoratet for forvaltning og IKT", "Difi", "agency"),
            ("digdir", "Digitaliseringsdirektoratet", "Digdir", "agency"),
            ("dfo", "Direktoratet for forvaltning og økonomistyring", "DFØ", "agency"),
            ("kl", "Kommunernes Landsforening", "KL", "municipal_association"),
            ("di", "Dansk Industri", "", "business_association"),
            ("coi", "Center for Offentlig Innovation", "COI", "innovation_centre"),
            ("co-pi", "Center for Offentlig-Privat Innovation", "CO-PI", "innovation_centre"),
        ],
        columns=["actor_id", "name", "short_name", "kind"],
    ).astype("string")


def sources() -> pd.DataFrame:
    return pd.DataFrame(
        [
            ("s-ks", "KS page", "KS", "2021-05"),
            ("s-lup", "LUP summit", "LUP", "2019"),
            ("s-coi", "Topmøde", "COI", "2020-09"),
            ("s-cw", "Samling", "Computerworld", "2020"),
            ("s-rev", "Altinn og Difi", "Revisorforeningen", "2019"),
        ],
        columns=["source_id", "title", "publisher", "published"],
    ).astype("string")


def sample() -> pd.DataFrame:
    return relations(
        [
            ("r1", "ks", "founder", "lup", "2010", "", "s-ks", ""),
            ("r2", "ks", "owner", "lup", "2010", "", "s-ks", ""),
            ("r3", "difi", "steering_group", "lup", "2015", "2019", "s-ks", ""),
            (
                "r4",
                "digdir",
                "owner",
                "lup",
                "2020",
                "",
                "s-coi",
                "Only the Danish article names Digdir; the sources differ.",
            ),
            ("r5", "dfo", "owner", "lup", "2020", "2022", "s-ks", ""),
            ("r6", "dfo", "collaborator", "lup", "2025", "", "s-lup", ""),
            ("r7", "coi", "collaborator", "lup", "2020", "2022", "s-coi", ""),  # never an owner: not on the timeline
            ("r8", "difi", "succeeded_by", "digdir", "2020-01-01", "", "s-rev", ""),
            ("r9", "difi", "succeeded_by", "dfo", "2020-09-01", "", "s-cw", ""),
            ("r10", "coi", "succeeded_by", "co-pi", "2022-02", "", "s-coi", ""),
            ("r11", "nho", "partner", "lup", "2010", "", "s-ks", ""),  # not a governance role
            ("r12", "nho", "owner", "other-programme", "2010", "", "s-ks", ""),  # another object
            ("r13", "kl", "owner", "lup", "", "", "s-coi", ""),  # no start: cannot be placed in a year
        ]
    )


# --- dates ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2019", "2019-01-01", "2019-12-31"),
        ("2020-02", "2020-02-01", "2020-02-29"),  # leap year
        ("2021-02", "2021-02-01", "2021-02-28"),
        ("2020-09-01", "2020-09-01", "2020-09-01"),
    ],
)
def test_period_days(text: str, first: str, last: str) -> None:
    assert gv.period_first_day(text) == pd.Timestamp(first)
    assert gv.period_last_day(text) == pd.Timestamp(last)


@pytest.mark.parametrize("text", ["", None, pd.NA, "20x0", "2020-13", "2020-02-30"])
def test_period_days_of_empty_or_bad_text_are_missing(text: object) -> None:
    assert pd.isna(gv.period_first_day(text))
    assert pd.isna(gv.period_last_day(text))


def test_actor_labels_prefer_short_name_then_name() -> None:
    labels = gv.actor_labels(actors())
    assert labels["dfo"] == "DFØ"
    assert labels["di"] == "Dansk Industri"  # no short name


# --- relations over time ----------------------------------------------------------------------------------------


def test_governance_relations_keeps_owner_roles_towards_lup_and_later_roles_of_owners_only() -> None:
    gov = gv.governance_relations(sample())
    assert set(gov["relation_id"]) == {"r1", "r2", "r3", "r4", "r5", "r6", "r13"}
    r3 = gov.set_index("relation_id").loc["r3"]
    assert r3["start_date"] == pd.Timestamp("2015-01-01")
    assert r3["end_date"] == pd.Timestamp("2019-12-31")  # an end year lasts through that year
    assert not r3["open_end"]
    assert bool(gov.set_index("relation_id").loc["r4", "open_end"])
    # oldest first, undated last
    assert list(gov["relation_id"])[:2] == ["r1", "r2"]
    assert gov["relation_id"].iloc[-1] == "r13"


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2009, set()),
        (2010, {"r1", "r2"}),
        (2015, {"r1", "r2", "r3"}),
        (2019, {"r1", "r2", "r3"}),
        (2020, {"r1", "r2", "r4", "r5"}),
        (2022, {"r1", "r2", "r4", "r5"}),
        (2023, {"r1", "r2", "r4"}),  # DFØ's owner role ended 2022; its collaborator role is not an owner role
        (2040, {"r1", "r2", "r4"}),
    ],
)
def test_owners_as_of(year: int, expected: set[str]) -> None:
    owners = gv.owners_as_of(gv.governance_relations(sample()), year)
    assert set(owners["relation_id"]) == expected


def test_year_range_runs_from_first_owner_start_to_this_year() -> None:
    assert gv.year_range(gv.governance_relations(sample()), TODAY) == (2010, 2026)
    empty = gv.governance_relations(relations([]))
    assert gv.year_range(empty, TODAY) == (2026, 2026)


def test_successions_only_for_bodies_that_held_a_role_towards_lup() -> None:
    succ = gv.successions(sample(), actors(), sources())
    assert list(zip(succ["predecessor_label"], succ["successor_label"], strict=True)) == [
        ("Difi", "Digdir"),
        ("Difi", "DFØ"),
    ]  # COI -> CO-PI is left out: COI only collaborated
    assert list(succ["date"]) == [pd.Timestamp("2020-01-01"), pd.Timestamp("2020-09-01")]
    assert list(succ["publisher"]) == ["Revisorforeningen", "Computerworld"]


# --- conflicts --------------------------------------------------------------------------------------------------


def test_rival_successors_named_by_different_sources_conflict() -> None:
    gov = gv.governance_relations(sample())
    succ = gv.successions(sample(), actors(), sources())
    found = gv.source_conflicts(gov, succ, TODAY)
    rivals = found[found["reason"] == "rival_successors"].set_index("relation_id")
    assert set(rivals.index) == {"r4", "r5"}
    assert rivals.loc["r4", "others"] == "r5"
    assert rivals.loc["r5", "others"] == "r4"
    noted = found[found["reason"] == "noted"]
    assert list(noted["relation_id"]) == ["r4"]  # its note says the sources differ


def test_rival_successors_from_the_same_source_or_at_different_times_do_not_conflict() -> None:
    base = [
        ("s1", "difi", "succeeded_by", "digdir", "2020", "", "s-rev", ""),
        ("s2", "difi", "succeeded_by", "dfo", "2020", "", "s-cw", ""),
        ("d0", "difi", "owner", "lup", "2015", "2019", "s-ks", ""),
    ]
    same_source = relations(
        [
            *base,
            ("a", "digdir", "owner", "lup", "2020", "", "s-ks", ""),
            ("b", "dfo", "owner", "lup", "2020", "", "s-ks", ""),
        ]
    )
    one_after_other = relations(
        [
            *base,
            ("a", "digdir", "owner", "lup", "2020", "2020", "s-coi", ""),
            ("b", "dfo", "owner", "lup", "2021", "", "s-ks", ""),
        ]
    )
    for rels in (same_source, one_after_other):
        gov = gv.governance_relations(rels)
        found = gv.source_conflicts(gov, gv.successions(rels, actors(), sources()), TODAY)
        assert found.empty, found


def test_a_single_successor_is_not_a_rival() -> None:
    rels = relations(
        [
            ("s1", "difi", "succeeded_by", "dfo", "2020", "", "s-cw", ""),
            ("d0", "difi", "owner", "lup", "2015", "2020", "s-lup", ""),
            ("b", "dfo", "owner", "lup", "2020", "", "s-ks", ""),
        ]
    )
    gov = gv.governance_relations(rels)
    assert gv.source_conflicts(gov, gv.successions(rels, actors(), sources()), TODAY).empty


def test_conflict_details_spell_out_who_disagrees_with_whom() -> None:
    gov = gv.governance_relations(sample())
    found = gv.source_conflicts(gov, gv.successions(sample(), actors(), sources()), TODAY)
    details = gv.conflict_details(found, gov, actors(), sources())
    assert list(details["relation_id"]) == ["r5", "r4"]  # one row per relation, by start, then body (DFØ < Digdir)
    by_id = details.set_index("relation_id")
    assert by_id.loc["r5", "actor"] == "DFØ"
    assert by_id.loc["r5", "others"] == [("Digdir", "owner")]
    assert by_id.loc["r5", "reasons"] == ["rival_successors"]
    assert by_id.loc["r5", "publisher"] == "KS"
    assert by_id.loc["r4", "reasons"] == ["noted", "rival_successors"]
    assert by_id.loc["r4", "others"] == [("DFØ", "owner")]
    assert by_id.loc["r4", "note"].startswith("Only the Danish article")


# --- timeline ---------------------------------------------------------------------------------------------------


def test_timeline_draws_open_ends_to_today_and_says_end_not_known() -> None:
    gov = gv.governance_relations(sample())
    rows = gv.timeline(gov, actors(), sources(), TODAY, "nb", "slutt ukjent")
    assert "r13" not in set(rows["relation_id"])  # no start: not drawn
    by_id = rows.set_index("relation_id")
    assert by_id.loc["r4", "drawn_end"] == pd.Timestamp(TODAY)
    assert by_id.loc["r4", "to_text"] == "slutt ukjent"
    assert by_id.loc["r5", "drawn_end"] == pd.Timestamp("2022-12-31")
    assert by_id.loc["r5", "to_text"] == "2022"
    assert by_id.loc["r4", "source_title"] == "Topmøde"
    assert by_id.loc["r4", "source_year"] == "2020"
    # in the order they first took a role; ties by name
    assert gv.actor_order(rows) == ["KS", "Difi", "DFØ", "Digdir"]


def test_timeline_chart_layers() -> None:
    gov = gv.governance_relations(sample())
    rows = gv.timeline(gov, actors(), sources(), TODAY, "en", "end not known")
    role_labels = {r: r.title() for r in gv.TIMELINE_ROLES}
    rows["role"] = rows["relation"].map(role_labels)
    titles = dict.fromkeys(
        ["actor", "role", "from", "to", "source", "publisher", "published", "year", "took_over", "date"], "t"
    )
    succ = gv.successions(sample(), actors(), sources())
    spec = gv.timeline_chart(rows, succ, role_labels, titles, "end not known").to_dict()
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["bar", "point", "point", "point", "rule"]  # bars, open ends, founders, role markers, rules
    datasets = spec["datasets"]
    open_layer = spec["layer"][1]
    open_rows = datasets[open_layer["data"]["name"]]
    assert {r["relation_id"] for r in open_rows} == {"r2", "r4", "r6"}  # founder r1 is a diamond, not an open bar
    assert all(r["marker"] == "end not known" for r in open_rows)
    # without successions there is no rule layer
    spec = gv.timeline_chart(rows, succ.iloc[0:0], role_labels, titles, "end not known").to_dict()
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["bar", "point", "point", "point"]


# --- milestones and crosswalk -----------------------------------------------------------------------------------


def test_milestones_of_lup_oldest_first_in_the_chosen_language() -> None:
    events = pd.DataFrame(
        [
            ("e2", "2015-01-29", "lup", "Videreført", "Videreført (da)", "Extended", "s-lup"),
            ("e1", "2015", "lup", "Difi med", "", "Difi joins", "s-ks"),
            ("e0", "2010", "lup", "Etablert", "Etableret", "Set up", "s-ks"),
            ("x", "2012", "difi", "Annet", "Andet", "Other", "s-ks"),
        ],
        columns=["event_id", "date", "subject", "title_nb", "title_da", "title_en", "source_id"],
    ).astype("string")
    da = gv.milestones(events, sources(), "da")
    assert list(da["event_id"]) == ["e0", "e1", "e2"]
    assert list(da["title"]) == [
        "Etableret",
        "Difi joins",
        "Videreført (da)",
    ]  # empty Danish title falls back to English
    assert list(da["publisher"]) == ["KS", "KS", "LUP"]


def counterparts() -> pd.DataFrame:
    return pd.DataFrame(
        [
            (
                "municipal",
                "Kommunal eier",
                "Kommunal ejer",
                "Municipal owner",
                "ks",
                "kl",
                "strong",
                "KS ~ KL",
                "KS ~ KL (da)",
                "KS ~ KL (en)",
                "s-coi",
            ),
            ("business", "Næringsliv", "Erhverv", "Business", "nho", "di co-pi", "partial", "nb", "da", "en", "s-coi"),
            ("state", "Stat", "Stat", "State", "difi dfo", "", "partial", "nb", "da", "en", "s-ks"),
            ("partners", "Partnere", "Partnere", "Partners", "lup", "coi", "none", "nb", "da", "en", "s-ks"),
        ],
        columns=[
            "role_id",
            "role_nb",
            "role_da",
            "role_en",
            "norwegian_holder",
            "danish_candidates",
            "fit",
            "why_nb",
            "why_da",
            "why_en",
            "source_id",
        ],
    ).astype("string")


def test_crosswalk_names_holders_and_marks_gaps() -> None:
    cross = gv.crosswalk(counterparts(), actors(), sources(), "da")
    by_id = cross.set_index("role_id")
    assert by_id.loc["municipal", "role"] == "Kommunal ejer"
    assert by_id.loc["municipal", "why"] == "KS ~ KL (da)"
    assert by_id.loc["business", "danish_candidates"] == "Dansk Industri, CO-PI"
    assert by_id.loc["state", "norwegian_holders"] == "Difi, DFØ"
    assert by_id.loc["state", "danish_candidates"] == ""
    assert list(cross["gap"]) == [False, False, True, True]  # no candidate; fit none
    assert gv.gap_count(cross) == 2
    assert by_id.loc["partners", "publisher"] == "KS"


def test_end_text() -> None:
    assert gv.end_text("", "en", "end not known") == "end not known"
    assert gv.end_text(pd.NA, "en", "end not known") == "end not known"
    assert gv.end_text("2020-01-01", "nb", "?") == "1. januar 2020"
    assert gv.end_text("2020-09", "da", "?") == "september 2020"


def test_source_list_names_each_publisher_and_year_once() -> None:
    publishers = pd.Series(["KS", "LUP", "KS", pd.NA], dtype="string")
    dates = pd.Series(["2021-05", "2019", "2021-05-01", "2020"], dtype="string")
    assert gv.source_list(publishers, dates) == "KS 2021, LUP 2019, 2020"
