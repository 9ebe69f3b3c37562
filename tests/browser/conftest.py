"""Fixtures for the browser suite: one real Streamlit server per test module, one Chromium per test session.

Chromium: Debian's /usr/bin/chromium (or `chromium` on PATH); Playwright's own browser downloads are not used.
Without a browser the suite is skipped, unless REQUIRE_BROWSER=1 (as in .ci/run), when it fails instead.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pytest

from tests.browser import HEIGHT, OBSERVER_SCRIPT
from tests.helpers import REPO

if TYPE_CHECKING:  # playwright is imported in the browser fixture: without it the suite is skipped (or fails in CI)
    from playwright.sync_api import Browser, Page

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERVER_START_DEADLINE = 90.0


def _require_browser() -> bool:
    return os.environ.get("REQUIRE_BROWSER", "").strip() == "1"


def _unavailable(reason: str) -> NoReturn:
    """Skip locally; fail in CI (REQUIRE_BROWSER=1), where a missing browser is a broken set-up, not a pass."""
    if _require_browser():
        pytest.fail(f"REQUIRE_BROWSER=1 but the browser suite cannot run: {reason}", pytrace=False)
    pytest.skip(reason)


def _chromium_path() -> str | None:
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    return shutil.which("chromium")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _python() -> str:
    venv = REPO / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    path = _chromium_path()
    if path is None:
        _unavailable("Chromium not found (/usr/bin/chromium or `chromium` on PATH); install the `chromium` package")
    return path


@pytest.fixture(scope="session")
def browser(chromium_executable: str) -> Iterator[Browser]:
    """One headless Chromium for the whole session. Playwright gives each launch a fresh temporary user data
    dir (it refuses --user-data-dir for launch()), and every test opens its own context, so no state is shared."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        _unavailable(f"playwright is not installed ({exc}); pip install -r requirements-dev.txt")
    pw = sync_playwright().start()
    try:
        try:
            chromium = pw.chromium.launch(executable_path=chromium_executable, args=CHROMIUM_ARGS, headless=True)
        except PlaywrightError as exc:
            _unavailable(f"Chromium at {chromium_executable} did not start: {exc}")
        yield chromium
        chromium.close()
    finally:
        pw.stop()


class Server:
    def __init__(self, base_url: str, log: Path, proc: subprocess.Popen) -> None:
        self.base_url = base_url
        self.log = log
        self.proc = proc

    def output(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except OSError:
            return ""

    def last_traceback(self, max_lines: int = 40) -> str:
        """The server's most recent logged traceback (the app logs page failures), to explain an error box."""
        lines = self.output().splitlines()
        starts = [i for i, line in enumerate(lines) if line.startswith("Traceback")]
        if not starts:
            return "(no traceback in the server log)"
        start = starts[-1]
        return "\n".join(lines[max(0, start - 2) : start + max_lines])


def _start_server(log_dir: Path, script: str = "app.py") -> Server:
    """`streamlit run <script>` from the repository (so .streamlit/config.toml applies), once it is healthy."""
    port = _free_port()
    log = log_dir / f"streamlit-{port}.log"
    cmd = [
        _python(),
        "-m",
        "streamlit",
        "run",
        script,
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "LUP_WARM_VIEWS": "1"}  # a server as users get it
    # The suite checks the read-only app every reader sees (ui.nav.PAGES), whatever a developer's secrets say.
    editing_var: str | None
    try:
        from ui.editing import ENV_VAR as editing_var
    except ImportError:
        editing_var = None
    if editing_var:
        env[editing_var] = "0"
    with open(log, "wb") as out:  # a file, not a pipe: a full pipe buffer would block the server
        proc = subprocess.Popen(cmd, cwd=REPO, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
    server = Server(f"http://127.0.0.1:{port}", log, proc)
    health = f"{server.base_url}/_stcore/health"
    deadline = time.monotonic() + SERVER_START_DEADLINE
    while True:
        if proc.poll() is not None:
            pytest.fail(
                f"streamlit exited with code {proc.returncode} before it was healthy; its output:\n{server.output()}",
                pytrace=False,
            )
        try:
            with urllib.request.urlopen(health, timeout=2) as resp:  # our own local server
                if resp.status == 200 and resp.read().decode().strip() == "ok":
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        if time.monotonic() > deadline:
            _stop(proc)
            pytest.fail(
                f"streamlit was not healthy at {health} within {SERVER_START_DEADLINE:.0f}s; its output:\n"
                f"{server.output()}",
                pytrace=False,
            )
        time.sleep(0.25)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


@pytest.fixture(scope="module")
def server(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A fresh `streamlit run app.py` for this module; nothing but the health check has touched it when the
    module's first test opens a page, so that test sees the first session after a server start."""
    srv = _start_server(tmp_path_factory.mktemp("streamlit"))
    try:
        yield srv
    finally:
        _stop(srv.proc)


@pytest.fixture
def new_page(browser: Browser, server: Server) -> Iterator[Callable[..., Page]]:
    """Open a page in a fresh browser context: `new_page(width=1280, locale="en-US")`.

    Each page records (see tests.browser.OBSERVER_SCRIPT) what its sidebar showed from the first paint, collects
    dialogs (the test fails if any fires; they are dismissed so nothing hangs), and can reach only the app's server:
    other requests (icon fonts from the internet) are aborted, so the suite does not depend on the network.
    """
    contexts = []
    dialogs: list[str] = []

    def open_page(width: int = 1280, locale: str = "en-US", height: int = HEIGHT) -> Page:
        context = browser.new_context(viewport={"width": width, "height": height}, locale=locale)
        contexts.append(context)
        context.route(
            lambda url: not url.startswith(server.base_url),
            lambda route: route.abort(),
        )
        context.add_init_script(OBSERVER_SCRIPT)
        page = context.new_page()
        page.set_default_timeout(30_000)

        def on_dialog(dialog) -> None:
            dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.dialogs = dialogs  # type: ignore[attr-defined]  # the suite's own record on playwright's Page
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not dialogs, f"a JavaScript dialog fired: {dialogs}"
