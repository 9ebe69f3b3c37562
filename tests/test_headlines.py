"""comparisons.measures.headlines.headline_table: the answers' figures read from the whole frame once give exactly what
filtering the whole frame twice per answer gave."""

from __future__ import annotations

import pandas as pd
import pytest

from comparisons.measures import headlines as hl


def _reference_headline_table(facts: pd.DataFrame) -> pd.DataFrame:
    """headline_table as it was: latest_fact and facts_for on the whole frame for every answer."""
    records = []
    for row in hl.HEADLINE_ROWS:
        for country, answer in (("NO", row.norway), ("DK", row.denmark)):
            fact = hl.latest_fact(facts, answer.subject, answer.metric) if answer else None
            others = len(hl.facts_for(facts, answer.subject, answer.metric)) - 1 if fact is not None and answer else 0
            records.append(
                {
                    "row": row.key,
                    "label": row.label,
                    "country": country,
                    "subject": None if answer is None else answer.subject,
                    "fact_id": None if fact is None else fact["fact_id"],
                    "value": None if fact is None else fact["value"],
                    "unit": None if fact is None else fact["unit"],
                    "bound": None if fact is None else fact["bound"],
                    "period_start": None if fact is None else fact["period_start"],
                    "period_end": None if fact is None else fact["period_end"],
                    "other_figures": others,
                }
            )
    return pd.DataFrame.from_records(records)


def test_headline_table_same_as_before_on_shipped_data() -> None:
    from tests.helpers import shipped_evidence

    facts = shipped_evidence()["facts"]
    new = hl.headline_table(facts)
    assert new["fact_id"].notna().sum() >= 8
    pd.testing.assert_frame_equal(new, _reference_headline_table(facts))
    for part in (facts.iloc[::-1], facts.iloc[::3], facts[facts["country"] == "NO"], facts.iloc[:0]):
        pd.testing.assert_frame_equal(hl.headline_table(part), _reference_headline_table(part))


@pytest.mark.parametrize("subjects", ["same", "copies"])
def test_headline_table_same_as_before_on_synthetic_data(subjects: str) -> None:
    from tests.synthetic import synthetic_evidence

    facts = synthetic_evidence(3, subjects)["facts"]
    pd.testing.assert_frame_equal(hl.headline_table(facts), _reference_headline_table(facts))
