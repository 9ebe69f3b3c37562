"""Cold start: from `streamlit run app.py` to the health endpoint, and to the first page rendered in Chromium.

Headless Chromium (/usr/bin/chromium through Playwright) is launched first, so its own start is not counted.
Then, each round: a fresh server is started (the clock starts just before the process is spawned), the health
endpoint is polled every 20 ms, and as soon as it answers "ok" a new browser context opens /?lang=en and waits
for the page title (the first h1 in the main area) to be visible. Every request that does not go to the server
on 127.0.0.1 is aborted. A second context then opens the same URL on the now-warm server, for comparison.

    .venv/bin/python benchmarks/coldstart.py            # 3 rounds
    .venv/bin/python benchmarks/coldstart.py --quick    # 1 round

Without Chromium or Playwright it prints why and exits 0 (1 if REQUIRE_BROWSER=1, as in CI).
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
from common import Server, ms

if TYPE_CHECKING:  # playwright is imported where it is used: without it the benchmark says so and skips
    from playwright.sync_api import Browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
TITLE = '[data-testid="stMain"] h1'


def chromium_path() -> str | None:
    if Path(CHROMIUM).exists():
        return CHROMIUM
    return shutil.which("chromium")


def load_title(browser: Browser, base_url: str, timeout_ms: float) -> tuple[float, str]:
    """Seconds from navigation start to a visible title, and the title's text."""
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    try:
        context.route(lambda url: not url.startswith(base_url), lambda route: route.abort())
        page = context.new_page()
        t0 = time.perf_counter()
        page.goto(f"{base_url}/?lang=en", wait_until="commit", timeout=timeout_ms)
        title = page.locator(TITLE).first
        title.wait_for(state="visible", timeout=timeout_ms)
        elapsed = time.perf_counter() - t0
        return elapsed, title.inner_text(timeout=timeout_ms)
    finally:
        context.close()


def round_trip(browser: Browser, timeout: float) -> dict:
    server = Server("app.py", name="coldstart")
    t0 = time.monotonic()
    server.start()
    try:
        health = server.wait_healthy(deadline=timeout, poll=0.02)
        to_title, text = load_title(browser, server.base_url, timeout * 1000)
        rendered = time.monotonic() - t0
        warm, _ = load_title(browser, server.base_url, timeout * 1000)
        return {
            "health_s": health,
            "health_to_title_s": to_title,
            "start_to_title_s": rendered,
            "warm_load_s": warm,
            "title": text,
            "rss_mb": server.rss_mb(),
        }
    finally:
        server.stop()


def main() -> int:
    p = common.parser(__doc__.split("\n\n")[0])
    p.add_argument("--rounds", type=int, default=None, help="cold starts (default 3, quick 1)")
    args = p.parse_args()
    rounds = args.rounds or (1 if args.quick else 3)
    timeout = 120.0
    required = os.environ.get("REQUIRE_BROWSER", "").strip() == "1"
    common.header(
        f"coldstart: streamlit run -> health -> first page rendered in headless Chromium, {rounds} round(s)", args.quick
    )
    exe = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        print(f"   skipped: playwright is not installed ({exc})")
        return 1 if required else 0
    if exe is None:
        print("   skipped: Chromium not found (/usr/bin/chromium or `chromium` on PATH)")
        return 1 if required else 0
    started = time.monotonic()
    results = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS, headless=True)
        try:
            print(f"   {'round':>5} {'health':>10} {'-> title':>10} {'start->title':>13} {'warm load':>10}  title")
            for i in range(rounds):
                r = round_trip(browser, timeout)
                results.append(r)
                print(
                    f"   {i + 1:>5} {ms(r['health_s']):>10} {ms(r['health_to_title_s']):>10} "
                    f"{ms(r['start_to_title_s']):>13} {ms(r['warm_load_s']):>10}  {r['title'][:60]!r}"
                )
                sys.stdout.flush()
        finally:
            browser.close()
    summary = {
        k: statistics.median(r[k] for r in results)
        for k in ("health_s", "health_to_title_s", "start_to_title_s", "warm_load_s")
    }
    print(
        f"   median: health {ms(summary['health_s'])}, first page title {ms(summary['start_to_title_s'])} after "
        f"start ({ms(summary['health_to_title_s'])} after health); warm server: {ms(summary['warm_load_s'])}"
    )
    common.footer("coldstart", {"rounds": results, "median": summary}, started, args.quick)
    return 0


if __name__ == "__main__":
    sys.exit(main())
