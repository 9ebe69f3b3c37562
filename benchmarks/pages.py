"""Rerun time of every page, as a ratio to an empty Streamlit page, with runner.postScriptGC false and true.

For each setting of `runner.postScriptGC`, two servers start with the same settings (the project's
.streamlit/config.toml plus the flag): one runs app.py, one runs benchmarks/empty_page.py (a single st.write).
Each page (ui.nav.PAGES, read now) and the empty page is opened in its own websocket session, warmed up, then
rerun N times in the warm server; before each rerun the server is left to go idle. Printed per page: median and
p95 client-observed rerun time, server CPU per rerun (which also counts a post-run gc.collect), the bytes sent,
and both as ratios to the empty page under the same setting.

With --profile (on by default outside quick mode), py-spy (`.venv/bin/pip install py-spy`) samples the server
while each page above 5x the empty page reruns back to back, and the slowest page once more with
postScriptGC=true, and prints what dominates a rerun: the app's own functions (inclusive) and the modules or
libraries where the script thread spends its time (self), including Streamlit's post-run gc.collect.

    .venv/bin/python benchmarks/pages.py                  # full: N=20 reruns per page, both settings, profiles
    .venv/bin/python benchmarks/pages.py --quick          # seconds: N=1, the first two pages, no profile
    .venv/bin/python benchmarks/pages.py --profile-only --pages sources,procurement
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
from common import EMPTY_PAGE, PageTiming, Server, ms, ratio, start_servers, time_page

SETTINGS = ("false", "true")  # runner.postScriptGC; "false" is the project's setting
EMPTY = "(empty page)"


async def measure_setting(gc: str, pages: list, n: int, warm: int, budget: float) -> tuple[dict[str, PageTiming], dict]:
    flags = {"runner.postScriptGC": gc}
    app, empty = start_servers(
        [Server("app.py", flags, env=APP_ENV, name=f"app gc={gc}"), Server(EMPTY_PAGE, flags, name=f"empty gc={gc}")]
    )
    info = {"app_rss_mb_start": app.rss_mb(), "healthy_s": app.healthy_after}
    try:
        results: dict[str, PageTiming] = {}
        results[EMPTY] = await time_page(empty, "", n, warm, lang=None, name=EMPTY, budget=budget)
        for spec in pages:
            results[spec.url_path] = await time_page(app, spec.url_path, n, warm, name=spec.url_path, budget=budget)
        info["app_rss_mb_end"] = app.rss_mb()
        info["empty_rss_mb_end"] = empty.rss_mb()
    finally:
        app.stop()
        empty.stop()
    return results, info


def print_table(gc: str, results: dict[str, PageTiming]) -> None:
    base = results[EMPTY]
    print(f"\n-- runner.postScriptGC = {gc}{'  (the project setting)' if gc == 'false' else ''}")
    print(
        f"   {'page':<14} {'median':>10} {'p95':>10} {'x empty':>8} {'CPU/rerun':>10} {'x empty':>8} "
        f"{'KB/rerun':>9} {'first run':>10}  errors"
    )
    for name, t in results.items():
        print(
            f"   {name:<14} {ms(t.median):>10} {ms(t.p95):>10} {ratio(t.median, base.median):>8} "
            f"{ms(t.cpu_per_rerun):>10} {ratio(t.cpu_per_rerun, base.cpu_per_rerun):>8} "
            f"{t.bytes_per_rerun / 1024:>9.1f} {ms(t.first_seconds):>10}  {len(t.errors)}"
            + (f" ({t.errors[0][:80]})" if t.errors else "")
        )
    sys.stdout.flush()


# ---------------------------------------------------------------------------------------------------------------
# py-spy


def py_spy() -> str | None:
    venv = common.REPO / ".venv" / "bin" / "py-spy"
    return str(venv) if venv.exists() else shutil.which("py-spy")


def _frame_parts(frame: str) -> tuple[str, str]:
    """'func (path/file.py:123)' -> (func, path)."""
    if " (" in frame and frame.endswith(")"):
        func, rest = frame.rsplit(" (", 1)
        return func, rest[:-1].rsplit(":", 1)[0]
    return frame, ""


def _group(path: str) -> str:
    """A readable owner for a source file: the app's module, or the library (package under site-packages)."""
    repo = str(common.REPO) + "/"
    if path.startswith(repo) and "/.venv/" not in path:
        return path[len(repo) :]
    if "site-packages/" in path:
        rest = path.split("site-packages/", 1)[1]
        parts = rest.split("/")
        return "/".join(parts[:3]) if parts[0] == "streamlit" else parts[0]
    if "/lib/python3" in path:
        return "stdlib:" + path.rsplit("/", 1)[-1]
    return path or "?"


def _gc_line() -> int | None:
    """The line of Streamlit's post-run `gc.collect(2)` in script_runner.py (a leaf there is time in gc)."""
    import streamlit.runtime.scriptrunner.script_runner as sr

    for number, line in enumerate(Path(sr.__file__).read_text().splitlines(), 1):
        if line.strip() == "gc.collect(2)":
            return number
    return None


def summarise_profile(raw: Path, top: int = 12) -> dict:
    """Aggregate py-spy's collapsed stacks. The script thread (stacks through ScriptRunner._run_script) is what a
    rerun costs; within it: the app's functions (inclusive) and where time is spent (self, by module or library)."""
    inclusive: Counter[str] = Counter()
    self_by_owner: Counter[str] = Counter()
    gc_at = f"script_runner.py:{_gc_line()})"
    gc_samples = script = total = 0
    repo = str(common.REPO) + "/"
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        if "script_runner.py" not in stack or "_run_script" not in stack:
            continue  # event loop, websocket, config-file polling threads
        script += n
        frames = stack.split(";")
        seen: set[str] = set()
        for frame in frames:
            func, path = _frame_parts(frame)
            if path.startswith(repo) and "/.venv/" not in path:
                key = f"{path[len(repo) :]}:{func}"
                if key not in seen:
                    inclusive[key] += n
                    seen.add(key)
        if frames[-1].endswith(gc_at):
            gc_samples += n
            self_by_owner["gc.collect (postScriptGC)"] += n
        else:
            self_by_owner[_group(_frame_parts(frames[-1])[1])] += n
    pct = (lambda c: round(100 * c / script, 1)) if script else (lambda c: 0.0)
    return {
        "samples": total,
        "script_thread_samples": script,
        "script_thread_pct_of_all": round(100 * script / total, 1) if total else 0.0,
        "app_inclusive_pct": [(k, pct(v)) for k, v in inclusive.most_common(top)],
        "self_by_owner_pct": [(k, pct(v)) for k, v in self_by_owner.most_common(top)],
        "gc_collect_pct": pct(gc_samples),
    }


async def _rerun_for(server: Server, url_path: str, seconds: float, cap: int) -> int:
    async with common.Session(server) as session:
        await session.open(url_path, "lang=en", timeout=600)
        end = time.monotonic() + seconds
        count = 0
        while time.monotonic() < end and count < cap:
            await session.rerun(timeout=600)
            count += 1
        return count


APP_ENV: dict[str, str] = {}  # LUP_DATA_DIR when --data is given


def profile(url_paths: list[str], gc: str, seconds: float = 10.0) -> list[dict]:
    """Sample one server with py-spy while one session reruns each page back to back, page after page."""
    exe = py_spy()
    if exe is None:
        return [{"page": u, "error": "py-spy is not installed (.venv/bin/pip install py-spy)"} for u in url_paths]
    out_dir = Path(tempfile.mkdtemp(prefix="lup-pyspy-"))
    results = []
    try:
        with Server("app.py", {"runner.postScriptGC": gc}, env=APP_ENV, name=f"profile gc={gc}") as server:
            for url_path in url_paths:
                raw = out_dir / f"{url_path or 'main'}.txt"
                asyncio.run(_rerun_for(server, url_path, 2, 3))  # warm: imports, caches
                cmd = [
                    exe,
                    "record",
                    "-p",
                    str(server.pid),
                    "-r",
                    "250",
                    "-d",
                    str(int(seconds)),
                    "-f",
                    "raw",
                    "-o",
                    str(raw),
                    "--full-filenames",
                ]
                spy = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                time.sleep(1.0)  # let py-spy attach before the reruns start
                if spy.poll() is not None:
                    why = spy.stdout.read()[-500:] if spy.stdout else spy.returncode
                    results.append({"page": url_path, "error": f"py-spy could not attach: {why}"})
                    continue
                reruns = asyncio.run(_rerun_for(server, url_path, seconds - 2, 500))
                try:
                    output, _ = spy.communicate(timeout=seconds + 30)
                except subprocess.TimeoutExpired:
                    spy.kill()
                    output, _ = spy.communicate()
                if not raw.exists():
                    results.append({"page": url_path, "error": f"py-spy wrote no profile: {output[-500:]}"})
                    continue
                summary = summarise_profile(raw)
                summary.update({"page": url_path, "postScriptGC": gc, "reruns": reruns})
                results.append(summary)
    finally:
        shutil.rmtree(out_dir, ignore_errors=True)
    return results


def print_profile(p: dict, top: int = 12) -> None:
    if "error" in p:
        print(f"   py-spy, {p.get('page')}: {p['error']}")
        return
    print(
        f"\n-- py-spy: {p['page']} rerun back to back ({p['reruns']} reruns, postScriptGC={p['postScriptGC']}); "
        f"{p['samples']} samples, {p['script_thread_pct_of_all']}% of them in the script thread"
    )
    print(f"   in the script thread: gc.collect after the run {p['gc_collect_pct']}%")
    print("   the app's functions, inclusive % of script-thread samples:")
    for key, value in p["app_inclusive_pct"][:top]:
        print(f"     {value:5.1f}%  {key}")
    print("   where the script thread spends its time (self %, by module or library):")
    for key, value in p["self_by_owner_pct"][:top]:
        print(f"     {value:5.1f}%  {key}")
    sys.stdout.flush()


def main() -> int:
    p = common.parser(__doc__.split("\n\n")[0])
    p.add_argument("-n", type=int, default=None, help="timed reruns per page (default 20, quick 1)")
    p.add_argument("--profile", dest="profile", action="store_true", default=None)
    p.add_argument("--no-profile", dest="profile", action="store_false")
    p.add_argument(
        "--settings", default=",".join(SETTINGS), help="postScriptGC values to compare (default: false,true)"
    )
    p.add_argument("--profile-only", action="store_true", help="only the py-spy profiles of the pages (no timing)")
    p.add_argument("--profile-seconds", type=float, default=None, help="py-spy sampling time per page (default 10)")
    p.add_argument(
        "--data",
        type=Path,
        default=None,
        help="serve the app from another data root (LUP_DATA_DIR), e.g. scale.py --keep DIR",
    )
    args = p.parse_args()
    n = args.n or (1 if args.quick else 20)
    warm = 0 if args.quick else 3
    budget = 20.0 if args.quick else 240.0  # per page
    do_profile = (not args.quick) if args.profile is None else args.profile
    settings = [s.strip() for s in args.settings.split(",") if s.strip()]
    if args.data:
        APP_ENV["LUP_DATA_DIR"] = str(args.data.resolve())
    common.header(
        "pages: py-spy profiles of page reruns"
        if args.profile_only
        else f"pages: median rerun time per page, {n} reruns each, as a ratio to an empty page",
        args.quick,
    )
    pages = common.select_pages(args.pages, args.quick)
    if args.data:
        print(f"   data root: {args.data} (LUP_DATA_DIR)")
    print(
        f"   pages (ui.nav.PAGES): {', '.join(p.url_path for p in common.app_pages())}; measured: "
        f"{', '.join(p.url_path for p in pages)}"
    )
    started = time.monotonic()
    if args.profile_only:
        prof = profile([s.url_path for s in pages], settings[0], args.profile_seconds or (5 if args.quick else 10))
        for item in prof:
            print_profile(item, top=8)
        common.footer("pages-profile", {"profile": prof}, started, args.quick)
        return 0
    all_results: dict[str, dict[str, PageTiming]] = {}
    infos = {}
    for gc in settings:
        results, info = asyncio.run(measure_setting(gc, pages, n, warm, budget))
        all_results[gc] = results
        infos[gc] = info
        print_table(gc, results)
    if len(settings) >= 2:
        a, b = settings[0], settings[1]
        print(f"\n-- postScriptGC={b} vs {a}: ratio of medians and of server CPU per rerun")
        for name in all_results[a]:
            ta, tb = all_results[a][name], all_results[b].get(name)
            if tb is None:
                continue
            print(
                f"   {name:<14} median {ratio(tb.median, ta.median):>6}   CPU {ratio(tb.cpu_per_rerun, ta.cpu_per_rerun):>6}"
            )
    slow = []
    for gc, results in all_results.items():
        base = results[EMPTY].median
        slow += [
            (gc, name, t.median / base) for name, t in results.items() if name != EMPTY and base and t.median / base > 5
        ]
    if slow:
        print("\n   pages above 5x the empty page: " + ", ".join(f"{n} ({r:.1f}x, gc={g})" for g, n, r in slow))
    prof = []
    if do_profile:
        # Every page above 5x the empty page with the project setting (all, if none is), then the slowest one
        # again with the other setting, to show what the post-run gc.collect costs there.
        gc = settings[0]
        results = all_results[gc]
        base = results[EMPTY].median
        ranked = sorted((k for k in results if k != EMPTY), key=lambda k: results[k].median, reverse=True)
        chosen = [k for k in ranked if base and results[k].median / base > 5] or ranked
        if args.quick:
            chosen = chosen[:1]
        seconds = args.profile_seconds or (5 if args.quick else 10)
        prof = profile(chosen, gc, seconds)
        if len(settings) >= 2 and ranked:
            prof += profile(ranked[:1], settings[1], seconds)
        for item in prof:
            print_profile(item, top=6 if len(prof) > 2 else 12)
    common.footer(
        "pages",
        {
            "n": n,
            "settings": settings,
            "info": infos,
            "results": {gc: {k: v.as_dict() for k, v in r.items()} for gc, r in all_results.items()},
            "profile": prof,
        },
        started,
        args.quick,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
