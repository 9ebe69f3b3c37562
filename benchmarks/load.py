"""Concurrent sessions over the real websocket: p50/p95 latency and errors for N = 1, 10, 25, 50 sessions.

For each N a fresh server starts (the project's settings), one session warms it (opens every page once, in English
or with --warm all in every language, so imports, the shared evidence cache and the page views are loaded), then N sessions start, spread over the first interval. Each session
opens a random page in a random language, then every few seconds (interval x 0.5..1.5) either follows a page link
or changes the language picker, alternately, as a person clicking around would. Each session does at most K runs
and the whole level stops at a time cap; a run still waiting then is counted as "cut" (its latency is at least the
time it waited, so p95 and max understate a saturated server). "failed" counts runs that timed out otherwise,
lost their connection, or showed an error or exception. Latency is the time from sending the rerun to receiving
`script_finished`.

    .venv/bin/python benchmarks/load.py             # N = 1, 10, 25, 50; K = 6; interval 3 s; cap 120 s per N
    .venv/bin/python benchmarks/load.py --warm all  # the same on a server warmed in nb, da and en
    .venv/bin/python benchmarks/load.py --quick     # N = 1, 3; K = 2; two pages

Modes (--modes, each N is measured in every mode before the next N, so that all see the same machine):
`one` the app on one server; `balancer` the app on --balancer-servers servers behind HAProxy configured as
`make serve` does (deploy/balancer.py), each session first fetching "/" for its sticky cookie as a browser does;
`empty` the empty Streamlit page (benchmarks/empty_page.py) on one server, opened and then rerun at the same pace:
Streamlit's own cost. `--sessions` takes a list (100,200,300) or steps (50:400:50); `--stop-above S` stops
stepping a mode once its p95 reached S seconds or it had errors (its capacity is found).

    .venv/bin/python benchmarks/load.py --through-balancer --sessions 100:400:100      # 2 servers behind HAProxy
    .venv/bin/python benchmarks/load.py --modes one,balancer,empty --sessions 50:300:50 --stop-above 1
"""

from __future__ import annotations

import asyncio
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
from balanced import Balanced, sticky_cookie
from common import EMPTY_PAGE, Server, Session, ms, percentile, set_language

from deploy.balancer import COOKIE

LANGS = ("nb", "da", "en")
EMPTY = ""  # the empty page's only page
MODES = ("one", "balancer", "empty")


@dataclass
class Level:
    n: int
    mode: str = "one"
    started: float = 0.0
    latencies: list[float] = field(default_factory=list)
    by_action: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    failed_runs: int = 0
    cut_runs: int = 0  # still waiting for script_finished when the cap came (their latency is at least that long)
    sessions_done: int = 0
    wall: float = 0.0
    cpu: float | None = None
    rss_mb: float | None = None
    per_server: dict[str, int] = field(default_factory=dict)  # through the balancer: new sessions per server

    def add(self, action: str, seconds: float, errors: list[str]) -> None:
        if errors and errors[0].startswith("cut at"):
            self.cut_runs += 1
        elif errors:
            self.failed_runs += 1
            self.errors += errors[:2]
        else:
            self.latencies.append(seconds)
            self.by_action.setdefault(action, []).append(seconds)

    def as_dict(self) -> dict:
        return {
            "mode": self.mode,
            "sessions": self.n,
            "runs_ok": len(self.latencies),
            "runs_failed": self.failed_runs,
            "runs_cut_at_cap": self.cut_runs,
            "p50_s": percentile(self.latencies, 50),
            "p95_s": percentile(self.latencies, 95),
            "max_s": max(self.latencies, default=float("nan")),
            "p50_by_action_s": {k: percentile(v, 50) for k, v in self.by_action.items()},
            "errors": sorted({e[:120] for e in self.errors})[:10],
            "sessions_done": self.sessions_done,
            "wall_s": self.wall,
            "server_cpu_s": self.cpu,
            "rss_mb": self.rss_mb,
            "runs_per_s": len(self.latencies) / self.wall if self.wall else None,
            "sessions_per_server": dict(sorted(self.per_server.items())),
        }


def start_of(level: Level) -> float:
    return level.started


async def user(
    i: int,
    server: Server | Balanced,
    pages: list[str],
    k: int,
    interval: float,
    deadline: float,
    level: Level,
    seed: int,
) -> None:
    rng = random.Random(seed * 1000 + i)
    await asyncio.sleep(rng.uniform(0, interval))
    session = Session(server.ws_url, locale=rng.choice(("nb-NO", "da-DK", "en-GB")))
    try:
        try:
            timeout = min(30.0, max(1.0, deadline - time.monotonic()))
            if isinstance(server, Balanced):  # a browser's first request ("/") gets its server's cookie
                chosen = await sticky_cookie(server, timeout)
                level.per_server[chosen] = level.per_server.get(chosen, 0) + 1
                session.headers["Cookie"] = f"{COOKIE}={chosen}"
            await session.connect(timeout=timeout)
        except Exception as exc:  # noqa: BLE001 - a refused or slow connection is a measured error
            level.failed_runs += 1
            level.errors.append(f"connect: {type(exc).__name__}: {exc}")
            return
        lang = rng.choice(LANGS)
        page = rng.choice(pages)
        for run_no in range(k):
            left = deadline - time.monotonic()
            if left <= 1:
                break
            if run_no == 0:
                action, run = "open", await session.open(page, f"lang={lang}", timeout=left)
            elif page == EMPTY:  # the empty page has no links and no picker: the same pace of reruns
                action, run = "rerun", await session.rerun(timeout=left)
            elif run_no % 2 == 1 and len(pages) > 1:
                page = rng.choice([p for p in pages if p != page])
                action, run = "page link", await session.switch(page, timeout=left)
            else:
                lang = rng.choice([x for x in LANGS if x != lang])
                try:
                    action, run = "language", await set_language(session, lang, timeout=left)
                except KeyError as exc:  # the picker was not drawn (the previous run failed)
                    level.add("language", 0.0, [f"language picker missing: {exc}"])
                    break
            if run.status == "TIMEOUT" and time.monotonic() >= deadline - 0.5:
                run.errors = [f"cut at the {deadline - start_of(level):.0f}s cap"]
            level.add(action, run.seconds, run.errors)
            if run.errors and run.status != "FINISHED_SUCCESSFULLY":
                break  # timed out or disconnected: this session is done
            pause = interval * rng.uniform(0.5, 1.5)
            if time.monotonic() + pause >= deadline:
                break
            await asyncio.sleep(pause)
        level.sessions_done += 1
    finally:
        await session.close()


async def warm(server: Server, pages: list[str], langs: tuple[str, ...] = ("en",)) -> None:
    if pages == [EMPTY]:
        async with Session(server) as session:
            await session.open("")
        return
    """One session opens every page in each of `langs`: each language's page views are built once per server
    (ui.memo), so warming only English leaves the first Danish and Norwegian visits to pay for theirs."""
    async with Session(server) as session:
        await session.open(pages[0], f"lang={langs[0]}")
        for i, lang in enumerate(langs):
            if i:
                await set_language(session, lang)
            for page in pages[1:] if i == 0 else pages:
                await session.switch(page)


def target(mode: str, n: int, balancer_servers: int) -> Server | Balanced:
    if mode == "empty":
        return Server(EMPTY_PAGE, name=f"load empty N={n}")
    if mode == "balancer":
        return Balanced([Server("app.py", name=f"load balanced {i + 1} N={n}") for i in range(balancer_servers)])
    return Server("app.py", name=f"load N={n}")


async def run_level(
    n: int,
    pages: list[str],
    k: int,
    interval: float,
    cap: float,
    seed: int,
    warm_langs: tuple[str, ...] = ("en",),
    mode: str = "one",
    balancer_servers: int = 2,
) -> Level:
    level = Level(n, mode)
    if mode == "empty":
        pages = [EMPTY]
    with target(mode, n, balancer_servers) as server:
        # Each server is warmed and settles on its own, as servers started before the doors open.
        for one in server.servers if isinstance(server, Balanced) else [server]:
            await warm(one, pages, warm_langs)
        for one in server.servers if isinstance(server, Balanced) else [server]:
            one.settle()  # the app's own warm-up (ui.warmup) finished
        cpu0 = server.cpu_seconds()
        start = time.monotonic()
        level.started = start
        deadline = start + cap
        tasks = [asyncio.create_task(user(i, server, pages, k, interval, deadline, level, seed)) for i in range(n)]
        done, pending = await asyncio.wait(tasks, timeout=cap + 15)
        for task in pending:  # past the cap: cancel, and count what was still running
            task.cancel()
            level.cut_runs += 1
        if pending:
            await asyncio.wait(pending, timeout=10)
        for task in done:
            if task.exception() is not None:
                level.errors.append(f"session crashed: {task.exception()!r}")
        level.wall = time.monotonic() - start
        cpu1 = server.cpu_seconds()
        level.cpu = None if cpu0 is None or cpu1 is None else cpu1 - cpu0
        level.rss_mb = server.rss_mb()
    return level


def session_steps(text: str) -> list[int]:
    """'1,10,25' as given, or 'START:STOP:STEP' (STOP included) as a range."""
    if ":" in text:
        start, stop, step = (int(x) for x in text.split(":"))
        if step <= 0 or start <= 0 or stop < start:
            raise SystemExit(f"--sessions {text}: START:STOP:STEP with 0 < START <= STOP and STEP > 0")
        return list(range(start, stop + 1, step))
    return [int(x) for x in text.split(",") if x.strip()]


def main() -> int:
    p = common.parser(__doc__.split("\n\n")[0])
    p.add_argument(
        "--sessions", default=None, help="N as a list (1,10,25,50, the default; quick 1,3) or steps START:STOP:STEP"
    )
    p.add_argument("-k", type=int, default=None, help="at most K runs per session (default 6, quick 2)")
    p.add_argument("--interval", type=float, default=None, help="seconds between a session's actions (default 3)")
    p.add_argument("--cap", type=float, default=None, help="time cap per N in seconds (default 120, quick 20)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument(
        "--warm",
        choices=("en", "all"),
        default="en",
        help="warm the server in English only (default: the other languages' first visits are measured) "
        "or in every language (a server warmed before the doors open)",
    )
    p.add_argument("--modes", default=None, help=f"comma-separated, of {', '.join(MODES)} (default one)")
    p.add_argument("--through-balancer", action="store_true", help="the same as --modes balancer")
    p.add_argument("--balancer-servers", type=int, default=2, help="servers behind the balancer (default 2)")
    p.add_argument(
        "--stop-above", type=float, default=None, help="stop stepping a mode once its p95 reached this many seconds"
    )
    args = p.parse_args()
    modes = ["balancer"] if args.through_balancer and not args.modes else (args.modes or "one").split(",")
    if args.through_balancer and "balancer" not in modes:
        modes.append("balancer")
    if unknown := [m for m in modes if m not in MODES]:
        raise SystemExit(f"unknown mode(s) {unknown}; choose from {', '.join(MODES)}")
    warm_langs = LANGS if args.warm == "all" else ("en",)
    levels = session_steps(args.sessions or ("1,3" if args.quick else "1,10,25,50"))
    k = args.k or (2 if args.quick else 6)
    interval = args.interval or (0.3 if args.quick else 3.0)
    cap = args.cap or (20.0 if args.quick else 120.0)
    pages = [s.url_path for s in common.select_pages(args.pages, args.quick)]
    common.header(
        f"load: N concurrent websocket sessions, at most {k} runs each, every ~{interval:g}s, "
        f"cap {cap:g}s per N, warmed in {'/'.join(warm_langs)}; modes {', '.join(modes)}"
        + (f" ({args.balancer_servers} servers behind HAProxy)" if "balancer" in modes else ""),
        args.quick,
    )
    print(f"   pages: {', '.join(pages)}")
    print(
        f"   {'mode':>8} {'N':>4} {'runs ok':>8} {'failed':>7} {'cut':>4} {'p50':>10} {'p95':>10} {'max':>10} "
        f"{'runs/s':>7} {'CPU %':>6} {'RSS MB':>7} {'load':>5}  p50 by action / per server / errors"
    )
    started = time.monotonic()
    results = []
    saturated: set[str] = set()
    for n in levels:
        for mode in modes:
            if mode in saturated:
                continue
            level = asyncio.run(
                run_level(n, pages, k, interval, cap, args.seed, warm_langs, mode, args.balancer_servers)
            )
            d = level.as_dict()
            d["load_average_1min"] = common.load_average()
            results.append(d)
            cpu_pct = f"{100 * level.cpu / level.wall:.0f}" if level.cpu is not None and level.wall else "n/a"
            by_action = ", ".join(f"{a} {ms(v)}" for a, v in d["p50_by_action_s"].items())
            spread = " ".join(f"{k_}:{v}" for k_, v in d["sessions_per_server"].items())
            load1 = d["load_average_1min"].split()[2] if d["load_average_1min"].startswith("load average") else "?"
            print(
                f"   {mode:>8} {n:>4} {d['runs_ok']:>8} {d['runs_failed']:>7} {d['runs_cut_at_cap']:>4} "
                f"{ms(d['p50_s']):>10} {ms(d['p95_s']):>10} {ms(d['max_s']):>10} {d['runs_per_s'] or 0:>7.2f} "
                f"{cpu_pct:>6} {level.rss_mb or 0:>7.0f} {load1:>5}  {by_action}" + (f"; {spread}" if spread else "")
            )
            for err in d["errors"][:3]:
                print(f"        error: {err}")
            sys.stdout.flush()
            bad = d["runs_failed"] or d["runs_cut_at_cap"] or not d["p95_s"] < (args.stop_above or float("inf"))
            if args.stop_above is not None and bad:
                saturated.add(mode)
    common.footer(
        "load",
        {
            "k": k,
            "interval_s": interval,
            "cap_s": cap,
            "pages": pages,
            "warmed": list(warm_langs),
            "modes": modes,
            "balancer_servers": args.balancer_servers,
            "levels": results,
        },
        started,
        args.quick,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
