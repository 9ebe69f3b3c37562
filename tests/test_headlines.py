"""comparisons.measures.headlines.headline_table by behaviour: for each comparison row and country, the latest
figure the sources give (latest validity, then latest publication), how many others there are, and an empty row
where no source gives one."""

from __future__ import annotations

import pandas as pd

from comparisons.measures import headlines as hl


def fact(fact_id: str, subject: str, metric: str, value: float, end: str, as_of: str, unit: str = "count") -> dict:
    return {
        "fact_id": fact_id,
        "country": "NO" if subject == "lup" else "DK",
        "subject": subject,
        "metric": metric,
        "value": value,
        "bound": "exact",
        "unit": unit,
        "period_start": end,
        "period_end": end,
        "as_of": as_of,
    }


OWNERS_DK = next(r.denmark for r in hl.HEADLINE_ROWS if r.key == "owners")
assert OWNERS_DK is not None
FACTS = pd.DataFrame(
    [
        fact("P1", "lup", "partner_count", 26, "2019", "2019-03"),
        fact("P2", "lup", "partner_count", 35, "2023", "2023-05"),
        fact("P3", "lup", "partner_count", 30, "2023", "2023-01"),  # same year, published earlier
        fact("O1", OWNERS_DK.subject, OWNERS_DK.metric, 3, "2020", "2020-09"),
        fact("X1", "lup", "jobs_created", 9, "2024", "2024"),  # no headline row asks for it
    ]
)


def _row(table: pd.DataFrame, row: str, country: str) -> pd.Series:
    found = table[(table["row"] == row) & (table["country"] == country)]
    assert len(found) == 1
    return found.iloc[0]


def test_the_latest_figure_answers_with_the_count_of_the_others() -> None:
    table = hl.headline_table(FACTS)
    partners = _row(table, "partners", "NO")
    assert (partners["fact_id"], partners["value"], partners["other_figures"]) == ("P2", 35, 2)
    owners = _row(table, "owners", "DK")
    assert (owners["fact_id"], owners["other_figures"]) == ("O1", 0)


def test_every_row_and_country_is_listed_and_missing_answers_stay_empty() -> None:
    table = hl.headline_table(FACTS)
    assert len(table) == 2 * len(hl.HEADLINE_ROWS)
    assert list(table["row"].drop_duplicates()) == [r.key for r in hl.HEADLINE_ROWS]
    assert pd.isna(_row(table, "owners", "NO")["fact_id"])  # no owner count for LUP in these facts
    no_danish_row = _row(table, "partners", "DK")  # Denmark has no LUP: no subject asked for
    assert pd.isna(no_danish_row["subject"]) and pd.isna(no_danish_row["fact_id"])
    assert "X1" not in set(table["fact_id"].dropna())


def test_order_of_the_facts_does_not_matter_and_an_empty_frame_gives_empty_answers() -> None:
    pd.testing.assert_frame_equal(hl.headline_table(FACTS), hl.headline_table(FACTS.iloc[::-1]))
    empty = hl.headline_table(FACTS.iloc[:0])
    assert len(empty) == 2 * len(hl.HEADLINE_ROWS) and empty["fact_id"].isna().all()


def test_the_shipped_data_answers_most_rows() -> None:
    from tests.helpers import shipped_evidence

    table = hl.headline_table(shipped_evidence()["facts"])
    assert table["fact_id"].notna().sum() >= 8
