"""Server memory (RSS) with 0..N open sessions, the cost per session, and after the sessions close.

One server (the project's settings). RSS is read from /proc/PID/status (VmRSS) once the server is idle:
  1. started, before any session (Streamlit and its imports only);
  2. warm: one session opened every page once and closed (pandas, pyarrow, the shared evidence cache loaded);
  3. with 1, 10, 25, 50 sessions connected at once; each session opens a page (round robin over ui.nav.PAGES,
     languages in turn) and follows one page link, then stays connected;
  4. after all sessions closed (+5 s; quick +1 s): Streamlit keeps a disconnected session's state for
     server.disconnectedSessionTTL (120 s by default) so a reconnecting tab finds it again;
  5. sampled until that TTL has passed (+15 s; quick +3 s), to see what expiry gives back. RSS rarely shrinks:
     CPython and the C allocator keep freed pages (streamlit/streamlit#12120);
  6. on a second server with a short TTL (10 s; quick 2 s), waves of as many sessions as the largest level are
     opened, closed and waited out, four times (quick twice): if RSS levels off, the expired sessions' memory is
     reused (no leak); if every wave adds the same again, it is not.

    .venv/bin/python benchmarks/memory.py           # 1, 10, 25, 50 sessions; waits out the 120 s TTL; 4 waves
    .venv/bin/python benchmarks/memory.py --quick   # 1, 3 sessions; TTL set to 2 s to exercise expiry quickly
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
from common import Server, Session

LANGS = ("nb", "da", "en")


def settled_rss(server: Server, pause: float = 1.0) -> float | None:
    time.sleep(pause)
    server.settle(cap=120)  # also the app's background warm-up (ui.warmup), whose views count as warm memory
    return server.rss_mb()


def sessions_kept(server: Server) -> str:
    """What Streamlit's /_stcore/metrics says about sessions: connected ones, and the session_state bytes of all
    stored sessions."""
    m = server.metrics()
    if not m:
        return "metrics n/a"
    active = m.get("active_sessions")
    state = m.get('cache_memory_bytes{cache_type="st_session_state",cache=""}', 0.0)
    events = {k.split('"')[1]: int(v) for k, v in m.items() if k.startswith("session_events_total")}
    return (
        f"connected sessions {active:.0f}, session_state {state / 1024:.0f} KB, events {events}"
        if active is not None
        else "metrics incomplete"
    )


async def open_sessions(server: Server, sessions: list[Session], target: int, pages: list[str]) -> list[str]:
    """Open sessions until `target` are connected; each runs a page and follows one link. Returns errors."""
    errors: list[str] = []
    while len(sessions) < target:
        i = len(sessions)
        session = Session(server)
        try:
            await session.connect()
            page = pages[i % len(pages)]
            run = await session.open(page, f"lang={LANGS[i % len(LANGS)]}", timeout=120)
            errors += run.errors
            if len(pages) > 1:
                run = await session.switch(pages[(i + 1) % len(pages)], timeout=120)
                errors += run.errors
        except Exception as exc:  # noqa: BLE001 - measured, not fatal
            errors.append(f"{type(exc).__name__}: {exc}")
        sessions.append(session)
    return errors


async def measure(levels: list[int], pages: list[str], ttl: float | None, wait_expiry: bool, quick: bool) -> dict:
    flags = {"server.disconnectedSessionTTL": str(int(ttl))} if ttl is not None else {}
    out: dict = {"levels": [], "ttl_s": ttl if ttl is not None else 120}
    with Server("app.py", flags, name="memory") as server:
        out["started_mb"] = settled_rss(server)
        print(f"   started, no session yet        {out['started_mb']:8.1f} MB")
        async with Session(server) as warm:
            await warm.open(pages[0], "lang=en")
            for page in pages[1:]:
                await warm.switch(page)
        out["warm_mb"] = settled_rss(server, 2.0)
        print(f"   warm (one session saw every page, closed)  {out['warm_mb']:8.1f} MB")
        # The warm session lingers for the TTL too; it is one session in every level below.
        sessions: list[Session] = []
        try:
            for target in levels:
                errors = await open_sessions(server, sessions, target, pages)
                rss = settled_rss(server)
                per = (rss - out["warm_mb"]) / target if rss is not None else None
                out["levels"].append(
                    {
                        "sessions": target,
                        "rss_mb": rss,
                        "per_session_mb": per,
                        "threads": common.thread_count(server.pid),
                        "errors": errors[:5],
                    }
                )
                print(
                    f"   {target:>3} sessions connected          {rss:8.1f} MB   "
                    f"(+{rss - out['warm_mb']:.1f} MB over warm, {per:.2f} MB per session)"
                    + (f"  errors: {len(errors)} ({errors[0][:80]})" if errors else "")
                )
                out["levels"][-1]["metrics"] = kept = sessions_kept(server)
                print(f"       {kept}")
                sys.stdout.flush()
            if len(out["levels"]) >= 2:
                a, b = out["levels"][0], out["levels"][-1]
                slope = (b["rss_mb"] - a["rss_mb"]) / (b["sessions"] - a["sessions"])
                out["marginal_mb_per_session"] = slope
                print(f"   marginal cost from {a['sessions']} to {b['sessions']} sessions: {slope:.2f} MB per session")
        finally:
            closed_at = time.monotonic()
            for session in sessions:
                await session.close()
        after = 1.0 if quick else 5.0
        out["closed_mb"] = settled_rss(server, max(0.0, after - (time.monotonic() - closed_at)))
        print(f"   all closed, +{after:g} s (sessions kept for the TTL)  {out['closed_mb']:8.1f} MB")
        out["closed_metrics"] = sessions_kept(server)
        print(f"       {out['closed_metrics']}")
        if wait_expiry:
            ttl_s = out["ttl_s"]
            end = closed_at + ttl_s + (3 if quick else 15)
            samples = []
            step = 15.0 if ttl_s > 20 else 1.0
            while time.monotonic() < end:
                time.sleep(min(step, max(0.0, end - time.monotonic())))
                samples.append((round(time.monotonic() - closed_at), server.rss_mb()))
            out["after_close_samples"] = samples
            out["expired_mb"] = settled_rss(server, 0.5)
            out["expired_metrics"] = sessions_kept(server)
            print("   after close: " + ", ".join(f"{t}s {m:.0f} MB" for t, m in samples))
            print(
                f"   TTL ({ttl_s:g} s) passed                     {out['expired_mb']:8.1f} MB "
                f"({out['expired_mb'] - out['levels'][-1]['rss_mb']:+.1f} MB vs {out['levels'][-1]['sessions']} open)"
            )
            print(f"       {out['expired_metrics']}")
    return out


async def waves(count: int, size: int, pages: list[str], ttl: float) -> list[dict]:
    """A second server with a short TTL: `count` waves of `size` sessions, each opened, closed and waited out.
    If RSS levels off, the expired sessions' memory is reused (no leak); if it grows by the same step every
    wave, it is not."""
    out = []
    with Server("app.py", {"server.disconnectedSessionTTL": str(int(ttl))}, name="memory waves") as server:
        async with Session(server) as warm:
            await warm.open(pages[0], "lang=en")
            for page in pages[1:]:
                await warm.switch(page)
        base = settled_rss(server, 2.0)
        print(
            f"\n-- waves of {size} sessions on a fresh server with disconnectedSessionTTL={ttl:g} s: warm {base:.1f} MB"
        )
        for wave in range(count):
            sessions: list[Session] = []
            try:
                errors = await open_sessions(server, sessions, size, pages)
                peak = settled_rss(server)
            finally:
                for session in sessions:
                    await session.close()
            time.sleep(ttl + 7)
            after = settled_rss(server)
            assert base is not None and peak is not None and after is not None  # None only once the server is gone
            out.append({"wave": wave + 1, "open_mb": peak, "after_ttl_mb": after, "errors": errors[:3]})
            print(
                f"   wave {wave + 1}: {size} open {peak:8.1f} MB, closed and TTL passed {after:8.1f} MB "
                f"({after - base:+.1f} MB over warm)" + (f"  errors: {len(errors)}" if errors else "")
            )
            sys.stdout.flush()
    return out


def main() -> int:
    p = common.parser(__doc__.split("\n\n")[0])
    p.add_argument("--sessions", default=None, help="comma-separated levels (default 1,10,25,50; quick 1,3)")
    p.add_argument(
        "--ttl",
        type=float,
        default=None,
        help="server.disconnectedSessionTTL in seconds (default: Streamlit's 120; quick 2)",
    )
    p.add_argument("--no-expiry", action="store_true", help="do not wait for the TTL after closing")
    args = p.parse_args()
    levels = sorted(int(x) for x in (args.sessions or ("1,3" if args.quick else "1,10,25,50")).split(","))
    ttl = args.ttl if args.ttl is not None else (2.0 if args.quick else None)
    pages = [s.url_path for s in common.select_pages(args.pages, args.quick)]
    common.header("memory: server RSS with N open sessions, per session, and after they close", args.quick)
    print(
        f"   pages: {', '.join(pages)}; disconnectedSessionTTL: {ttl if ttl is not None else 120:g} s"
        + (" (shortened)" if ttl is not None else " (Streamlit's default)")
    )
    started = time.monotonic()
    out = asyncio.run(measure(levels, pages, ttl, wait_expiry=not args.no_expiry, quick=args.quick))
    if not args.no_expiry:
        out["waves"] = asyncio.run(waves(2 if args.quick else 4, levels[-1], pages, 2.0 if args.quick else 10.0))
    common.footer("memory", {"pages": pages, **out}, started, args.quick)
    return 0


if __name__ == "__main__":
    sys.exit(main())
