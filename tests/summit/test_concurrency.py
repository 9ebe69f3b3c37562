"""50 participants answering the same questions at once, some changing their answer while others still answer, on
SQLite and PostgreSQL: every count is exact, no answer is lost or doubled."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from comparisons.summit import results, service
from comparisons.summit.db import SummitDB
from tests.summit.conftest import rules

PARTICIPANTS = 50
FUNDING = ("state-share", "copi-level", "lup-level")


def test_fifty_participants_at_once_are_counted_exactly(summit_db: SummitDB) -> None:
    service.create_event(summit_db, "RUSH", "Fifty at once")
    owners = rules()["owners"].options
    start = threading.Barrier(PARTICIPANTS)
    final: dict[int, dict[str, tuple[str, ...]]] = {}

    def participant(i: int) -> None:
        name = f"Participant {i:02d}"
        mine = {
            "owners": (owners[i % len(owners)], owners[(i + 1) % len(owners)]),
            "funding": (FUNDING[i % 3],),
        }
        start.wait(timeout=60)  # everyone starts together
        for question, choice in mine.items():
            service.answer(summit_db, "RUSH", service.cli_handle(name), name, question, choice, rules())
        if i % 3 == 0:  # a third change their mind while the others are still answering
            mine["funding"] = (FUNDING[(i + 1) % 3],)
            service.answer(summit_db, "RUSH", service.cli_handle(name), name, "funding", mine["funding"], rules())
        final[i] = mine

    with ThreadPoolExecutor(max_workers=PARTICIPANTS) as pool:
        for future in [pool.submit(participant, i) for i in range(PARTICIPANTS)]:
            future.result(timeout=120)  # any error in a thread fails the test here

    stored = service.answers(summit_db, "RUSH")
    assert service.participant_count(summit_db, "RUSH") == PARTICIPANTS
    assert len(stored) == 2 * PARTICIPANTS  # none lost, none doubled
    assert len({(a.participant, a.question_id) for a in stored}) == len(stored)
    changed = {a.participant for a in stored if a.revision == 2}
    assert changed == {f"Participant {i:02d}" for i in range(0, PARTICIPANTS, 3)}
    assert all(a.revision == 1 for a in stored if a.question_id == "owners")

    tallies = results.tally(stored, rules())
    expected_funding = Counter(final[i]["funding"][0] for i in range(PARTICIPANTS))
    assert {o.option_id: o.first for o in tallies["funding"].options} == {f: expected_funding[f] for f in FUNDING}
    expected_first = Counter(final[i]["owners"][0] for i in range(PARTICIPANTS))
    expected_mentions = Counter(o for i in range(PARTICIPANTS) for o in final[i]["owners"])
    got = {o.option_id: o for o in tallies["owners"].options}
    for option in owners:
        assert got[option].first == expected_first[option]
        assert got[option].mentions == expected_mentions[option]
        assert got[option].points == 3 * expected_first[option] + 2 * (
            expected_mentions[option] - expected_first[option]
        )
    assert tallies["owners"].respondents == tallies["funding"].respondents == PARTICIPANTS


def test_one_participant_sending_the_same_answer_twice_at_once_keeps_one_answer(summit_db: SummitDB) -> None:
    """A double click, or the same link open on two devices behind two app servers."""
    service.create_event(summit_db, "TWICE", "Double click")
    start = threading.Barrier(8)

    def send(choice: str) -> None:
        start.wait(timeout=60)
        service.answer(summit_db, "TWICE", "token-abc", "Anne", "secretariat", [choice], rules())

    with ThreadPoolExecutor(max_workers=8) as pool:
        for future in [pool.submit(send, ("co-pi", "di")[i % 2]) for i in range(8)]:
            future.result(timeout=60)
    stored = service.answers(summit_db, "TWICE")
    assert len(stored) == 1 and stored[0].revision == 8
    assert service.participant_count(summit_db, "TWICE") == 1
