"""A summit on one app server: N participants (default 50) answer within one minute, over the real websocket.

A fresh server (the project's settings) with its own summit database: a new SQLite file in a temporary folder, or
the database named by --db (PostgreSQL: `postgresql+psycopg://...`; the event's code is new on every run). An
event is created, one session opens it and the server's background warm-up is waited for. Then the participants
arrive at random moments over the first 40 s of the minute, each in a random language: it opens the event's link
(`open`), gives its name and answers three questions (two single picks, one ranking of two) with a pause of
1-3 s between them, as a person reading the next question would (`answer`: the form's submit, a rerun that
writes the answer and draws the room's view), and a third of them change one answer (`change`). Latency is
client-side, from sending the run to `script_finished`; a run that shows an error or exception, or times out,
counts as an error. Afterwards the database must hold exactly each participant's last answers.

    .venv/bin/python benchmarks/summit.py                 # 50 participants, SQLite
    .venv/bin/python benchmarks/summit.py --db URL        # the same against PostgreSQL
    .venv/bin/python benchmarks/summit.py --quick         # 3 participants within 15 s
"""

from __future__ import annotations

import asyncio
import random
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
from common import Run, Server, Session, ms, percentile

LANGS = ("nb", "da", "en")
SINGLE = ("secretariat", "funding")
RANKED = "owners"


class SummitSession(Session):
    """A Session that also remembers the radios, buttons and text areas of the latest run, by widget id."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.elements: dict[str, tuple[str, Any]] = {}

    def _handle(self, data: bytes, run: Run, seen_widgets: dict) -> str | None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        status = super()._handle(data, run, seen_widgets)
        msg = ForwardMsg()
        msg.ParseFromString(data)
        if msg.ref_hash:
            cached = self._cache.get(msg.ref_hash)
            if cached is None:
                return status
            msg = cached
        if msg.WhichOneof("type") == "delta" and msg.delta.WhichOneof("type") == "new_element":
            el = msg.delta.new_element
            etype = el.WhichOneof("type")
            if etype in ("radio", "button", "multiselect", "text_input", "text_area"):
                proto = getattr(el, etype)
                self.elements[proto.id] = (etype, proto)
        return status

    def element(self, key: str) -> tuple[str, Any]:
        found = [v for k, v in self.elements.items() if k.endswith(f"-{key}")]
        if not found:
            raise KeyError(f"no widget with key {key!r} in the latest run")
        return found[-1]

    def set_text(self, key: str, value: str) -> None:
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        _, proto = self.element(key)
        state = WidgetState()
        state.id = proto.id
        state.string_value = value
        self.widget_states[proto.id] = state

    def set_choice(self, key: str, index: int) -> str:
        """Pick the index-th option of a radio (as its shown label)."""
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        _, proto = self.element(key)
        state = WidgetState()
        state.id = proto.id
        state.string_value = list(proto.options)[index]
        self.widget_states[proto.id] = state
        return state.string_value

    def set_ranking(self, key: str, indices: list[int]) -> None:
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        _, proto = self.element(key)
        state = WidgetState()
        state.id = proto.id
        state.string_array_value.data.extend([list(proto.options)[i] for i in indices])
        self.widget_states[proto.id] = state

    async def submit(self, form: str, timeout: float) -> Run:
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        button = next(
            p for t, p in self.elements.values() if t == "button" and p.is_form_submitter and p.form_id == form
        )
        trigger = WidgetState()
        trigger.id = button.id
        trigger.trigger_value = True
        self.widget_states[button.id] = trigger
        try:
            return await self.rerun(timeout)
        finally:
            self.widget_states.pop(button.id, None)  # a trigger lasts one run, as in the browser


@dataclass
class Tally:
    runs: dict[str, list[float]] = field(default_factory=lambda: {"open": [], "answer": [], "change": []})
    errors: list[str] = field(default_factory=list)
    expected: dict[str, dict[str, int]] = field(default_factory=dict)  # participant -> question -> option index

    def record(self, kind: str, run: Run, who: str) -> None:
        self.runs[kind].append(run.seconds)
        if not run.ok:
            self.errors.append(f"{who} {kind}: {run.status} {'; '.join(run.errors)[:200]}")


async def participant(
    server: Server, code: str, i: int, start_at: float, tally: Tally, rng: random.Random, timeout: float
) -> None:
    await asyncio.sleep(max(0.0, start_at - time.monotonic()))
    name = f"Participant {i:02d}"
    lang = rng.choice(LANGS)
    session = SummitSession(server, locale={"nb": "nb-NO", "da": "da-DK", "en": "en-GB"}[lang])
    mine: dict[str, int] = {}
    try:
        await session.connect()
        run = await session.open("options", f"event={code}&lang={lang}", timeout=timeout)
        tally.record("open", run, name)
        for question in (*SINGLE, RANKED):
            await asyncio.sleep(rng.uniform(1.0, 3.0))
            session.set_text("opt_name", name)
            if question == RANKED:
                session.set_ranking(f"opt-rank-{question}", [0, 1])
                mine[question] = 0
            else:
                mine[question] = rng.randrange(2)
                session.set_choice(f"opt-pick-{question}", mine[question])
            tally.record("answer", await session.submit(f"opt-form-{question}", timeout), name)
        if i % 3 == 0:  # a third change their mind
            await asyncio.sleep(rng.uniform(1.0, 3.0))
            mine["secretariat"] = 1 - mine["secretariat"]
            session.set_choice("opt-pick-secretariat", mine["secretariat"])
            tally.record("change", await session.submit("opt-form-secretariat", timeout), name)
    except Exception as exc:  # noqa: BLE001 - a broken session is a measured error
        tally.errors.append(f"{name}: {type(exc).__name__}: {exc}")
    finally:
        tally.expected[name] = mine
        await session.close()


def check_database(url: str, code: str, tally: Tally) -> list[str]:
    """Every participant's last answers are stored, once each; nothing else."""
    from comparisons.summit import db as summit_db
    from comparisons.summit import service

    stored = service.answers(summit_db.open_db(url), code)
    problems = []
    by_key = {(a.participant, a.question_id): a for a in stored}
    if len(by_key) != len(stored):
        problems.append("an answer is stored twice")
    expected = {(who, q) for who, answers in tally.expected.items() for q in answers}
    if set(by_key) != expected:
        problems.append(f"{len(expected)} answers expected, {len(by_key)} stored")
    return problems


async def run_benchmark(
    server: Server, url: str, code: str, n: int, window: float, seed: int
) -> tuple[Tally, float, float]:
    """The participants' runs, the seconds from the first arrival to the last answer, and the server's CPU
    seconds in that time."""
    rng = random.Random(seed)
    tally = Tally()
    async with SummitSession(server) as warm:  # one session opens the event first, as the organiser would
        await warm.open("options", f"event={code}&lang=en")
    server.settle()
    now = time.monotonic()
    starts = sorted(now + rng.uniform(0.0, window) for _ in range(n))
    cpu0 = server.cpu_seconds() or 0.0
    await asyncio.gather(
        *(participant(server, code, i, starts[i], tally, random.Random(seed + i), 60.0) for i in range(n))
    )
    return tally, time.monotonic() - starts[0], (server.cpu_seconds() or 0.0) - cpu0


def main() -> int:
    p = common.parser(__doc__.splitlines()[0])
    p.add_argument("--participants", type=int, default=50)
    p.add_argument("--db", default=None, help="database URL (default: a new SQLite file in a temporary folder)")
    p.add_argument("--seed", type=int, default=17)
    args = p.parse_args()
    n = 3 if args.quick else args.participants
    window = 5.0 if args.quick else 40.0  # arrivals; with three answers each, all are done within the minute
    started = time.monotonic()
    common.header(f"summit: {n} participants answering within one minute on one app server", args.quick)
    folder = Path(tempfile.mkdtemp(prefix="lup-bench-summit-"))
    url = args.db or f"sqlite:///{folder / 'summit.sqlite'}"
    code = f"BENCH-{int(time.time()) % 100000}"
    from comparisons.summit import db as summit_db
    from comparisons.summit import service

    service.create_event(summit_db.open_db(url), code, "Benchmark summit")
    backend = url.split(":", 1)[0]
    with Server(env={"LUP_DATABASE_URL": url}) as server:
        tally, elapsed, cpu = asyncio.run(run_benchmark(server, url, code, n, window, args.seed))
    problems = check_database(url, code, tally)
    summit_db.forget(url)
    shutil.rmtree(folder, ignore_errors=True)
    everything = [s for runs in tally.runs.values() for s in runs]
    print(f"\n   database: {backend}; {n} participants; all done {elapsed:.1f}s after the first arrived")
    print(f"   {'runs':<8}{'count':>7}{'p50':>12}{'p95':>12}{'max':>12}")
    for kind, runs in (*tally.runs.items(), ("all", everything)):
        print(
            f"   {kind:<8}{len(runs):>7}{ms(percentile(runs, 50)):>12}{ms(percentile(runs, 95)):>12}"
            f"{ms(max(runs) if runs else None):>12}"
        )
    print(f"   errors: {len(tally.errors)}; database check: {'ok' if not problems else '; '.join(problems)}")
    for error in tally.errors[:10]:
        print(f"     {error}")
    print(f"   server CPU: {cpu:.1f}s over {elapsed:.1f}s ({cpu / elapsed:.0%} of one core)")
    common.footer(
        "summit",
        {
            "database": backend,
            "participants": n,
            "elapsed_s": round(elapsed, 1),
            "server_cpu_s": round(cpu, 1),
            "runs": {
                k: {
                    "count": len(v),
                    "p50_ms": percentile(v, 50) * 1000,
                    "p95_ms": percentile(v, 95) * 1000,
                    "max_ms": max(v) * 1000 if v else None,
                }
                for k, v in (*tally.runs.items(), ("all", everything))
            },
            "errors": tally.errors,
            "database_problems": problems,
        },
        started,
        args.quick,
    )
    return 0 if not tally.errors and not problems else 1


if __name__ == "__main__":
    sys.exit(main())
