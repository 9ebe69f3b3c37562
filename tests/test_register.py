"""Unit tests for comparisons.measures.register on small hand-made frames."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from comparisons.measures import register as reg


def actor(
    actor_id: str,
    kind: str,
    name: str | None = None,
    *,
    country: str = "DK",
    package: str = "denmark",
    short_name: str = "",
    founded: str = "",
    url: str = "",
) -> dict:
    return {
        "actor_id": actor_id,
        "country": country,
        "name": name or actor_id.upper(),
        "name_en": f"{actor_id} (en)",
        "short_name": short_name,
        "kind": kind,
        "founded": founded,
        "ended": "",
        "url": url,
        "summary_nb": f"{actor_id} nb",
        "summary_da": f"{actor_id} da",
        "summary_en": f"{actor_id} en",
        "source_id": "src-a",
        "package": package,
    }


def rel(
    relation_id: str, subject: str, relation: str, obj: str, start: str = "", end: str = "", source_id: str = "src-a"
) -> dict:
    return {
        "relation_id": relation_id,
        "subject": subject,
        "relation": relation,
        "object": obj,
        "start": start,
        "end": end,
        "source_id": source_id,
        "note": "",
    }


ACTORS = pd.DataFrame(
    [
        actor("coi", "innovation_centre", "Center for Offentlig Innovation", short_name="COI", founded="2014"),
        actor("co-pi", "innovation_centre", "Center for Offentlig-Privat Innovation", short_name="CO-PI"),
        actor("kl", "municipal_association", "Kommunernes Landsforening", short_name="KL", url="https://www.kl.dk/"),
        actor("ski", "central_purchasing_body", "SKI", url="javascript:alert(1)"),
        actor("di", "business_association", "Dansk Industri", short_name="DI"),
        actor("ks", "municipal_association", "KS", country="NO", package="norway"),
        actor("eu-x", "agency", "EU body", country="EU"),
    ]
)
EVENTS = pd.DataFrame(
    [
        {
            "event_id": "ev-dk-no-summit-2020",
            "country": "DK",
            "date": "2020-09-09",
            "subject": "coi",
            "title_nb": "Norsk-dansk toppmøte",
            "title_da": "Norsk-dansk topmøde",
            "title_en": "Norwegian–Danish summit",
            "source_id": "src-a",
            "note": "",
        }
    ]
)
RELATIONS = pd.DataFrame(
    [
        rel("r1", "kl", "owner", "coi", "2014", "2020"),
        rel("r2", "kl", "participant", "ev-dk-no-summit-2020", "2020-09-09", "2020-09-09"),
        rel("r3", "ski", "participant", "ev-dk-no-summit-2020"),
        rel("r4", "ks", "participant", "ev-dk-no-summit-2020"),  # Norwegian: counted as participant, not in register
        rel("r5", "di", "funder", "co-pi", "2021"),
        rel("r6", "kl", "member", "co-pi"),
        rel("r7", "coi", "succeeded_by", "co-pi", "2021", source_id="src-b"),
    ]
)
SOURCES = pd.DataFrame(
    [
        {
            "source_id": "src-a",
            "title": "Om COI",
            "publisher": "COI",
            "url": "https://coi.dk/",
            "document": "",
            "published": "2020-09",
            "published_inferred": True,
            "language": "da",
            "kind": "article",
            "reliability": "primary",
            "note": "",
        },
        {
            "source_id": "src-b",
            "title": "Report",
            "publisher": "CO-PI",
            "url": "",
            "document": "004_x.txt",
            "published": "2021",
            "published_inferred": False,
            "language": "data",
            "kind": "report",
            "reliability": "secondary",
            "note": "",
        },
        {
            "source_id": "src-c",
            "title": "Unused",
            "publisher": "Aaa",
            "url": "javascript:alert(1)",
            "document": "",
            "published": "2019-05-02",
            "published_inferred": pd.NA,
            "language": "xx",
            "kind": "dataset",
            "reliability": "advertorial",
            "note": "",
        },
    ]
)
METRICS = pd.DataFrame(
    [
        {"metric_id": "staff", "label_nb": "Ansatte", "label_da": "Medarbejdere", "label_en": "Staff"},
        {
            "metric_id": "annual_funding",
            "label_nb": "Årlig finansiering",
            "label_da": "Årlig finansiering",
            "label_en": "Annual funding",
        },
    ]
)
FACTS = pd.DataFrame(
    [
        {
            "fact_id": "DK-COI-01",
            "subject": "coi",
            "metric": "staff",
            "value": 12.0,
            "bound": "exact",
            "unit": "count",
            "period_start": "2020",
            "period_end": "2020",
            "as_of": "2020",
            "source_id": "src-a",
            "quote": "12 medarbejdere",
            "note": "",
            "publisher": "COI",
            "source_title": "Om COI",
        },
        {
            "fact_id": "DK-COPI-01",
            "subject": "co-pi",
            "metric": "annual_funding",
            "value": 10_550_000.0,
            "bound": "approx",
            "unit": "DKK",
            "period_start": "2021",
            "period_end": "2022",
            "as_of": "2021",
            "source_id": "src-b",
            "quote": "10,55 mill. kr.",
            "note": "n",
            "publisher": "CO-PI",
            "source_title": "Report",
        },
        {
            "fact_id": "DK-COI-02",
            "subject": "coi",
            "metric": "staff",
            "value": 15.0,
            "bound": "at_least",
            "unit": "count",
            "period_start": "2019-06",
            "period_end": "2019-06",
            "as_of": "2019",
            "source_id": "src-b",
            "quote": "15",
            "note": "",
            "publisher": "CO-PI",
            "source_title": "Report",
        },
    ]
)


def upper(text: str) -> str:
    """A stand-in translator: upper case outside {placeholders}, so translated text is recognisable."""
    return re.sub(r"\{[^}]*\}|[^{}]+", lambda m: m.group(0) if m.group(0).startswith("{") else m.group(0).upper(), text)


# ---- small helpers


def test_safe_url_keeps_only_web_addresses() -> None:
    assert reg.safe_url("https://www.kl.dk/") == "https://www.kl.dk/"
    assert reg.safe_url("javascript:alert(1)") is None
    assert reg.safe_url("HTTPS://x.dk") == "HTTPS://x.dk"
    assert reg.safe_url("https://x.dk/ javascript:1") is None
    assert reg.safe_url(pd.NA) is None and reg.safe_url("") is None


def test_year_span_and_date_range() -> None:
    assert reg.year_span("2010", "2021-05") == "2010–2021"
    assert reg.year_span("2020-09", "2020-09-30") == "2020"
    assert reg.year_span("", None) == ""
    assert reg.date_range("2014", "2020") == "2014\u2009–\u20092020"
    assert reg.date_range("2020-09-09", "", "da") == "9. september 2020–"
    assert reg.date_range("2019-06", "2020-09-09", "en") == "June 2019\u2009–\u20099 September 2020"
    assert reg.date_range("2021", "") == "2021–"
    assert reg.date_range("", "2019") == "–2019"
    assert reg.date_range("2020-09-09", "2020-09-09") == "2020-09-09"
    assert reg.date_range(None, pd.NA) == ""


def test_role_phrase_translates_and_adds_dates() -> None:
    assert reg.role_phrase("owner", "COI", "2014", "2020") == "owner of COI (2014\u2009–\u20092020)"
    assert reg.role_phrase("member", "KL", "2020-09", "", lang="nb") == "member of KL (september 2020–)"
    assert reg.role_phrase("funder", "CO-PI", "", "") == "funder of CO-PI"
    assert reg.role_phrase("participant", "the summit", "", "", upper) == "PARTICIPANT IN the summit"
    assert reg.role_phrase("unknown_rel", "X", "", "") == "unknown_rel X"


def test_name_lookup_prefers_short_names_and_titles_in_the_language() -> None:
    names = reg.name_lookup(ACTORS, EVENTS, "da")
    assert names["coi"] == "COI" and names["ski"] == "SKI" and names["ev-dk-no-summit-2020"] == "Norsk-dansk topmøde"


# ---- the register


def test_danish_actors_are_country_dk_from_the_denmark_package() -> None:
    assert sorted(reg.danish_actors(ACTORS)["actor_id"]) == ["co-pi", "coi", "di", "kl", "ski"]


def test_summit_participants_come_from_the_participant_relation() -> None:
    assert reg.summit_participants(RELATIONS) == {"kl", "ski", "ks"}


def test_filter_options_follow_the_label_order() -> None:
    register = reg.danish_actors(ACTORS)
    assert reg.kind_options(register) == [
        "business_association",
        "municipal_association",
        "central_purchasing_body",
        "innovation_centre",
    ]
    assert reg.relation_options(RELATIONS, register["actor_id"]) == [
        "owner",
        "funder",
        "member",
        "participant",
        "succeeded_by",
    ]


def test_filters_combine_with_and_and_values_with_or() -> None:
    register = reg.danish_actors(ACTORS)

    def ids(**kw: Any) -> list[str]:
        return sorted(reg.filter_register(register, RELATIONS, **kw)["actor_id"])

    assert ids() == ["co-pi", "coi", "di", "kl", "ski"]
    assert ids(kinds=["innovation_centre"]) == ["co-pi", "coi"]
    assert ids(kinds=["innovation_centre", "business_association"]) == ["co-pi", "coi", "di"]
    assert ids(roles=["owner", "funder"]) == ["di", "kl"]
    assert ids(summit_only=True) == ["kl", "ski"]
    assert ids(roles=["member"], summit_only=True) == ["kl"]
    assert ids(kinds=["business_association"], summit_only=True) == []


def test_key_figures_are_formatted_with_year_and_source_latest_first() -> None:
    figures = reg.key_figures(FACTS, METRICS, ["coi", "co-pi"], "da", {"coi": "COI", "co-pi": "CO-PI"})
    assert figures["fact_id"].tolist() == ["DK-COPI-01", "DK-COI-01", "DK-COI-02"]  # by actor, then latest first
    first = figures.iloc[0]
    assert first["metric"] == "Årlig finansiering"
    assert first["figure"] == "ca. 10,6\u00a0mio.\u00a0DKK"
    assert first["year"] == "2021–2022" and first["publisher"] == "CO-PI" and first["source_title"] == "Report"
    assert figures.iloc[2]["figure"] == "over 15"
    assert figures["value"].tolist() == [10_550_000.0, 12.0, 15.0]
    assert reg.key_figures(FACTS, METRICS, ["kl"], "da").empty


def test_register_table_has_roles_figures_summit_and_summary_in_the_language() -> None:
    register = reg.danish_actors(ACTORS)
    names = reg.name_lookup(ACTORS, EVENTS, "nb")
    figures = reg.key_figures(FACTS, METRICS, register["actor_id"], "nb", names)
    table = reg.register_table(register, RELATIONS, figures, names, "nb", sources=SOURCES).set_index("actor_id")
    assert table.index.tolist() == ["coi", "co-pi", "di", "kl", "ski"]  # by name, case-blind
    kl = table.loc["kl"]
    assert bool(kl["summit"]) is True and bool(table.loc["coi", "summit"]) is False
    # roles in order of start ('' first): member (no date), owner 2014, participant 2020-09-09
    assert kl["roles"] == (
        "member of CO-PI; owner of COI (2014\u2009–\u20092020); participant in Norsk-dansk toppmøte (9. september 2020)"
    )
    assert kl["kind"] == "Municipal association"
    assert kl["summary"] == "kl nb"
    assert kl["url"] == "https://www.kl.dk/"
    assert kl["source"] == "COI: Om COI"
    assert pd.isna(table.loc["ski", "url"])  # javascript: address dropped
    assert table.loc["coi", "founded"] == "2014"
    assert table.loc["coi", "key_figures"] == "Ansatte: 12 (2020, COI); Ansatte: over 15 (2019, CO-PI)"
    assert table.loc["di", "roles"] == "funder of CO-PI (2021–)"


def test_register_table_translates_with_the_given_gettext() -> None:
    register = reg.danish_actors(ACTORS)
    table = reg.register_table(register, RELATIONS, reg.key_figures(FACTS, METRICS, [], "en"), {}, "en", upper)
    assert table.set_index("actor_id").loc["di", "kind"] == "BUSINESS ASSOCIATION"
    assert table.set_index("actor_id").loc["di", "roles"].startswith("FUNDER OF")


def test_register_table_keeps_hostile_names_as_plain_text() -> None:
    hostile = pd.DataFrame(
        [actor("x", "agency", "<script>alert(1)</script>"), actor("y", "agency", "[x](javascript:alert(1))")]
    )
    table = reg.register_table(hostile, RELATIONS.iloc[0:0], reg.key_figures(FACTS, METRICS, [], "en"), {}, "en")
    assert sorted(table["name"]) == ["<script>alert(1)</script>", "[x](javascript:alert(1))"]


def test_empty_register_gives_the_columns() -> None:
    table = reg.register_table(ACTORS.iloc[0:0], RELATIONS, reg.key_figures(FACTS, METRICS, [], "en"), {}, "en")
    assert table.empty and {"name", "summit", "roles"} <= set(table.columns)


def test_initiatives_table() -> None:
    initiatives = pd.DataFrame(
        [
            {
                "initiative_id": "i1",
                "name": "Partnerskab for innovative indkøb",
                "name_en": "Partnership",
                "kind": "partnership",
                "owner": "kl co-pi",
                "start": "2021",
                "end": "",
                "summary_nb": "nb",
                "summary_da": "da",
                "summary_en": "en",
                "url": "https://x.dk",
                "source_id": "src-b",
            },
            {
                "initiative_id": "i2",
                "name": "Aaa",
                "name_en": "A",
                "kind": "unknown",
                "owner": "ghost",
                "start": "",
                "end": "",
                "summary_nb": "",
                "summary_da": "",
                "summary_en": "en only",
                "url": "",
                "source_id": "nope",
            },
        ]
    )
    table = reg.initiatives_table(initiatives, SOURCES, {"kl": "KL", "co-pi": "CO-PI"}, "da", upper)
    assert table["initiative_id"].tolist() == ["i2", "i1"]
    first, second = table.iloc[1], table.iloc[0]
    assert first["owners"] == "KL, CO-PI" and first["dates"] == "2021–" and first["kind"] == "PARTNERSHIP"
    assert first["summary"] == "da" and first["publisher"] == "CO-PI" and first["source_title"] == "Report"
    assert second["owners"] == "ghost" and second["summary"] == "en only" and second["publisher"] == ""


# ---- sources


def tables() -> dict[str, pd.DataFrame]:
    return {"sources": SOURCES, "facts": FACTS, "relations": RELATIONS, "events": EVENTS}


def test_sources_table_marks_inferred_dates_and_counts_citations() -> None:
    table = reg.sources_table(tables(), "nb", upper).set_index("source_id")
    assert table.index.tolist() == ["src-c", "src-b", "src-a"]  # by publisher: Aaa, CO-PI, COI ("-" before "i")
    assert table.loc["src-a", "published"] == "september 2020 (INFERRED)"
    assert table.loc["src-b", "published"] == "2021"
    assert table.loc["src-c", "published"] == "2. mai 2019"
    assert table.loc["src-a", "kind"] == "ARTICLE" and table.loc["src-a", "reliability"] == "PRIMARY SOURCE"
    assert table.loc["src-a", "language"] == "DANISH" and table.loc["src-b", "language"] == "DATA FILE"
    assert table.loc["src-c", "language"] == "xx"
    assert pd.isna(table.loc["src-c", "url"])  # javascript: address dropped
    assert (table.loc["src-a", "facts"], table.loc["src-a", "links"]) == (1, 7)  # 6 relations + 1 event
    assert (table.loc["src-b", "facts"], table.loc["src-b", "links"]) == (2, 1)
    assert (table.loc["src-c", "facts"], table.loc["src-c", "links"]) == (0, 0)


def test_published_label() -> None:
    assert reg.published_label("2020-09", True, "en") == "September 2020 (inferred)"
    assert reg.published_label("2020-09", False, "da") == "september 2020"
    assert reg.published_label("2020", pd.NA, "en") == "2020"


def test_facts_citing_one_source() -> None:
    cited = reg.facts_citing(FACTS, METRICS, "src-b", {"coi": "COI", "co-pi": "CO-PI"}, "en")
    assert cited["fact_id"].tolist() == ["DK-COI-02", "DK-COPI-01"]
    assert cited["figure"].tolist() == ["over 15", "c. DKK\u00a010.6M"]
    assert cited["metric"].tolist() == ["Staff", "Annual funding"]
    assert cited["subject"].tolist() == ["COI", "CO-PI"]
    assert cited["period"].tolist() == ["June 2019", "2021\u2009–\u20092022"]
    assert reg.facts_citing(FACTS, METRICS, "src-c", {}, "en").empty


def test_links_citing_one_source() -> None:
    names = reg.name_lookup(ACTORS, EVENTS, "en")
    links = reg.links_citing(RELATIONS, EVENTS, "src-b", names, "en")
    assert links.to_dict("records") == [
        {"id": "r7", "record": "Relation", "who": "COI", "what": "succeeded by CO-PI", "when": "2021–", "note": ""}
    ]
    links = reg.links_citing(RELATIONS, EVENTS, "src-a", names, "nb", upper)
    assert len(links) == 7
    assert links.iloc[-1]["record"] == "EVENT" and links.iloc[-1]["when"] == "9. september 2020"
    assert links.iloc[-1]["what"] == "Norsk-dansk toppmøte"
