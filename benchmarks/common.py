"""Shared pieces of the benchmarks: a real Streamlit server on a free loopback port, a client of Streamlit's own
websocket protocol, process figures from /proc, and small statistics.

Everything stays on 127.0.0.1. Every wait has a deadline and every loop a count; nothing here asserts a timing.

The server
    `Server(script, flags, env)` runs `python -m streamlit run SCRIPT` from the repository root, so the project's
    `.streamlit/config.toml` (the production settings being measured) applies, with HOME pointed at a private
    temporary folder so no user-level `~/.streamlit` config or credentials leak in. Command-line flags bind it to
    127.0.0.1 on a free port, keep it headless and without usage statistics, and add whatever the benchmark
    varies (e.g. `--runner.postScriptGC true`). LUP_DATA_DIR is passed only when a benchmark sets it.

The client (Streamlit 1.67's protocol, as the browser speaks it)
    Connect to ws://127.0.0.1:PORT/_stcore/stream with subprotocol "streamlit"; the server creates the session on
    connect and waits. Every run is a BackMsg `rerun_script` carrying a ClientState (query string, widget states,
    page, context info); the run's ForwardMsgs end with `script_finished`. Like the frontend, the first load names
    the page by its URL path (`page_name`, resolved by PagesManager against st.navigation's url_pathname); later
    page switches use the `page_script_hash` that the run's `navigation` ForwardMsg listed for that URL path, and
    carry the page link's query string (`lang=..`, as ui/nav.py's links do) and no widget states. Every other rerun
    carries the value of every widget drawn by the previous run (read from the element the first time, as the
    frontend does). Changing the language is what the sidebar's selectbox does: a new string_value (the shown
    option) for its widget id. This traffic was checked against what Chromium sends for the same clicks.
    Cacheable messages are remembered and their hashes sent back (`cached_message_hashes`), so the server may send
    references instead of repeating large elements, as it does for a browser.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import contextlib
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "benchmarks"
RESULTS = BENCH / "results"  # git-ignored
EMPTY_PAGE = BENCH / "empty_page.py"
HOST = "127.0.0.1"
SERVER_START_DEADLINE = 90.0
CLK_TCK = os.sysconf("SC_CLK_TCK")

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def python() -> str:
    venv = REPO / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------------------------------------------------------
# Process figures from /proc (psutil is not a dependency)


def rss_mb(pid: int) -> float | None:
    """Resident set size in MB (VmRSS), or None if the process is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of the whole process (all threads, including finished ones)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime (fields 14 and 15 of stat)


def thread_count(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("Threads:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def wait_idle(pid: int, quiet: float = 0.06, cap: float = 2.0) -> float:
    """Wait (at most `cap` s) until the process used no CPU for `quiet` s, e.g. a post-run gc.collect finished.
    Returns the seconds waited. CPU time has jiffy resolution (10 ms), so short bursts may pass unseen."""
    start = time.monotonic()
    last = cpu_seconds(pid)
    still_since = time.monotonic()
    while time.monotonic() - start < cap:
        time.sleep(0.02)
        now = cpu_seconds(pid)
        if now is None:
            break
        if now != last:
            last, still_since = now, time.monotonic()
        elif time.monotonic() - still_since >= quiet:
            break
    return time.monotonic() - start


# ---------------------------------------------------------------------------------------------------------------
# The server

_LIVE: list[Server] = []


class ServerError(RuntimeError):
    pass


class Server:
    """`python -m streamlit run SCRIPT` on a free loopback port; use as a context manager."""

    def __init__(
        self,
        script: str | Path = "app.py",
        flags: dict[str, str] | None = None,
        env: dict[str, str] | None = None,
        name: str = "app",
    ) -> None:
        self.script = str(script)
        self.flags = dict(flags or {})
        self.extra_env = dict(env or {})
        self.name = name
        self.port = 0
        self.proc: subprocess.Popen | None = None
        self.home = Path(tempfile.mkdtemp(prefix="lup-bench-home-"))
        self.log = self.home / "server.log"
        self.started_at = 0.0
        self.warm_up_waited = False  # see settle()
        self.healthy_after: float | None = None

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://{HOST}:{self.port}/_stcore/stream"

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def command(self) -> list[str]:
        cmd = [
            python(),
            "-m",
            "streamlit",
            "run",
            self.script,
            "--server.port",
            str(self.port),
            "--server.address",
            HOST,
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ]
        for key, value in self.flags.items():
            cmd += [f"--{key}", str(value)]
        return cmd

    def environment(self) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()  # a server as users get it: no test switches
            if not k.startswith("STREAMLIT_") and k not in ("LUP_DATA_DIR", "LUP_WARM_VIEWS")
        }
        env.update({"HOME": str(self.home), "PYTHONUNBUFFERED": "1"})
        env.update(self.extra_env)
        return env

    def start(self) -> Server:
        """Start without waiting; `wait_healthy()` waits."""
        self.port = free_port()
        with open(self.log, "wb") as out:  # a file, not a pipe: a full pipe would block the server
            self.started_at = time.monotonic()
            self.proc = subprocess.Popen(
                self.command(),
                cwd=REPO,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=self.environment(),
                preexec_fn=_die_with_parent,
            )
        _LIVE.append(self)
        return self

    def health_ok(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.base_url}/_stcore/health", timeout=2) as resp:  # loopback
                return resp.status == 200 and resp.read().decode().strip() == "ok"
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            return False

    def wait_healthy(self, deadline: float = SERVER_START_DEADLINE, poll: float = 0.05) -> float:
        """Seconds from start to the first 'ok' from /_stcore/health."""
        assert self.proc is not None
        limit = self.started_at + deadline
        while time.monotonic() < limit:
            if self.proc.poll() is not None:
                raise ServerError(
                    f"{self.name}: streamlit exited with {self.proc.returncode}:\n{self.output()[-3000:]}"
                )
            if self.health_ok():
                self.healthy_after = time.monotonic() - self.started_at
                return self.healthy_after
            time.sleep(poll)
        self.stop()
        raise ServerError(f"{self.name}: not healthy within {deadline:.0f}s:\n{self.output()[-3000:]}")

    def output(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except OSError:
            return ""

    def rss_mb(self) -> float | None:
        return rss_mb(self.pid)

    def metrics(self) -> dict[str, float]:
        """Streamlit's /_stcore/metrics (OpenMetrics text) as {"name{labels}": value}; {} if unavailable."""
        try:
            with urllib.request.urlopen(f"{self.base_url}/_stcore/metrics", timeout=10) as resp:
                text = resp.read().decode()
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            return {}
        out = {}
        for line in text.splitlines():
            if line and not line.startswith("#"):
                key, _, value = line.rpartition(" ")
                with contextlib.suppress(ValueError):
                    out[key] = float(value)
        return out

    def cpu_seconds(self) -> float | None:
        return cpu_seconds(self.pid)

    def wait_idle(self, quiet: float = 0.06, cap: float = 2.0) -> float:
        return wait_idle(self.pid, quiet, cap)

    def settle(self, cap: float = 600.0) -> float:
        """Wait until the server did no work for half a second: the app's background warm-up (ui.warmup, every
        page's views in every language after the first run; minutes on 100x data) is over, so it is not timed
        as part of the reruns that follow. The warm-up waits START_DELAY_S before it starts, idle, so the first
        call waits that long first (a server only warms up once)."""
        waited = 0.0
        if not self.warm_up_waited:
            from ui.warmup import START_DELAY_S

            waited = START_DELAY_S + 0.5
            time.sleep(waited)
            self.warm_up_waited = True
        return waited + wait_idle(self.pid, quiet=0.5, cap=cap)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)
        if self in _LIVE:
            _LIVE.remove(self)
        shutil.rmtree(self.home, ignore_errors=True)

    def __enter__(self) -> Server:
        if self.proc is None:
            self.start()
        self.wait_healthy()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_servers(servers: list[Server]) -> list[Server]:
    """Start several servers at once and wait for all to be healthy (stops all if one fails)."""
    try:
        for s in servers:
            s.start()
        for s in servers:
            s.wait_healthy()
    except BaseException:
        for s in servers:
            s.stop()
        raise
    return servers


@atexit.register
def _stop_all() -> None:
    for s in list(_LIVE):
        s.stop()


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # so atexit stops the servers


if threading.current_thread() is threading.main_thread():
    signal.signal(signal.SIGTERM, _exit_on_sigterm)


def _die_with_parent() -> None:
    """In the server process, before exec: get SIGTERM if the benchmark dies (even by SIGKILL), so no server is
    left behind."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


# ---------------------------------------------------------------------------------------------------------------
# The websocket client


@dataclass
class Run:
    """One script run as the client saw it."""

    seconds: float
    status: str  # FINISHED_SUCCESSFULLY, ..., or TIMEOUT / CLOSED
    messages: int = 0
    bytes: int = 0
    errors: list[str] = field(default_factory=list)
    heading: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "FINISHED_SUCCESSFULLY" and not self.errors


@dataclass
class Widget:
    id: str
    kind: str
    label: str
    options: list[str]


# Widgets whose value the frontend reports with every rerun, and how it reads the first value from the element.
WIDGET_TYPES = ("selectbox", "multiselect", "slider", "button_group", "number_input", "checkbox", "text_input")


def initial_widget_state(etype: str, proto: Any) -> Any:
    """The WidgetState a browser sends for a widget it has just drawn (None: the widget holds no value)."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    state = WidgetState()
    state.id = proto.id
    if etype == "selectbox":
        if proto.set_value:
            if not proto.HasField("raw_value"):
                return None
            state.string_value = proto.raw_value
        elif proto.HasField("default") and 0 <= proto.default < len(proto.options):
            state.string_value = proto.options[proto.default]
        else:
            return None
    elif etype == "multiselect":
        values = list(proto.raw_values) if proto.set_value else [proto.options[i] for i in proto.default]
        state.string_array_value.data.extend(values)
    elif etype == "button_group":
        if proto.set_value:
            values = list(proto.raw_values)
        else:
            values = [proto.options[i].content for i in proto.default if i < len(proto.options)]
        state.string_array_value.data.extend(values)
    elif etype == "slider":
        state.double_array_value.data.extend(list(proto.value) if proto.set_value else list(proto.default))
    elif etype == "number_input":
        value = proto.value if proto.set_value else proto.default
        if not (proto.HasField("value") if proto.set_value else proto.HasField("default")):
            return None
        state.double_value = value
    elif etype == "checkbox":
        state.bool_value = proto.value if proto.set_value else proto.default
    elif etype == "text_input":
        has = proto.HasField("value") if proto.set_value else proto.HasField("default")
        if not has:
            return None
        state.string_value = proto.value if proto.set_value else proto.default
    else:
        return None
    return state


class Session:
    """One browser-like session over Streamlit's websocket protocol. Runs are sequential (as in a browser tab)."""

    MAX_CACHED_HASHES = 2000

    def __init__(self, server: Server | str, locale: str = "en-US", headers: dict[str, str] | None = None) -> None:
        self.ws_url = server.ws_url if isinstance(server, Server) else server
        self.headers = dict(headers or {})  # e.g. the balancer's cookie, sent with the websocket handshake
        self.base_url = self.ws_url.replace("ws://", "http://").rsplit("/_stcore/", 1)[0]
        self.locale = locale
        self.ws: Any = None
        self.query_string = ""
        self.page_hash = ""
        self.url_path = ""
        self.pages: dict[str, str] = {}  # url_pathname -> page_script_hash
        self.default_page_hash = ""
        self.widgets: dict[str, Widget] = {}  # label -> widget, from the latest run
        self.widget_states: dict[str, Any] = {}  # id -> WidgetState proto to send
        self._cache: dict[str, Any] = {}  # hash -> cacheable ForwardMsg
        self.runs = 0

    async def connect(self, timeout: float = 30.0) -> None:
        import websockets
        from websockets.typing import Subprotocol

        self.ws = await asyncio.wait_for(
            websockets.connect(
                self.ws_url,
                additional_headers=self.headers or None,
                subprotocols=[Subprotocol("streamlit")],
                max_size=64 * 2**20,
                open_timeout=timeout,
                ping_interval=None,
                compression=None,
            ),
            timeout,
        )

    async def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):  # closing is best effort
                await asyncio.wait_for(self.ws.close(), 5)
            self.ws = None

    async def __aenter__(self) -> Session:
        await self.connect()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # -- runs

    def _client_state(self, page_hash: str, page_name: str) -> Any:
        from streamlit.proto.ClientState_pb2 import ClientState

        cs = ClientState()
        cs.query_string = self.query_string
        cs.page_script_hash = page_hash
        cs.page_name = page_name
        cs.widget_states.widgets.extend(self.widget_states.values())
        cs.cached_message_hashes.extend(self._cache)
        ctx = cs.context_info
        ctx.timezone = "Europe/Copenhagen"
        ctx.timezone_offset = -60
        ctx.locale = self.locale
        ctx.url = f"{self.base_url}/{self.url_path}" + (f"?{self.query_string}" if self.query_string else "")
        ctx.is_embedded = False
        ctx.color_scheme = "light"
        return cs

    async def _run(self, page_hash: str, page_name: str, timeout: float) -> Run:
        from streamlit.proto.BackMsg_pb2 import BackMsg

        if self.ws is None:
            await self.connect()
        await self._drain()
        msg = BackMsg()
        msg.rerun_script.CopyFrom(self._client_state(page_hash, page_name))
        payload = msg.SerializeToString()
        seen_widgets: dict[str, Widget] = {}
        run = Run(seconds=0.0, status="TIMEOUT")
        start = time.perf_counter()
        deadline = start + timeout
        await self.ws.send(payload)
        try:
            while True:
                left = deadline - time.perf_counter()
                if left <= 0:
                    run.errors.append(f"no script_finished within {timeout:.1f}s")
                    break
                data = await asyncio.wait_for(self.ws.recv(), left)
                run.messages += 1
                run.bytes += len(data)
                status = self._handle(data, run, seen_widgets)
                if status in ("FINISHED_SUCCESSFULLY", "FINISHED_WITH_COMPILE_ERROR"):
                    run.status = status
                    if status != "FINISHED_SUCCESSFULLY":
                        run.errors.append(status)
                    break
        except TimeoutError:
            run.errors.append(f"no script_finished within {timeout:.1f}s")
        except Exception as exc:  # noqa: BLE001 - a closed or broken connection is a measured error
            run.status = "CLOSED"
            run.errors.append(f"{type(exc).__name__}: {exc}")
            self.ws = None
        run.seconds = time.perf_counter() - start
        if run.status == "TIMEOUT" and self.ws is not None:
            await self._stop_script()
        self.runs += 1
        if run.status == "FINISHED_SUCCESSFULLY":
            self.widgets = seen_widgets
            live = {w.id for w in seen_widgets.values()}
            self.widget_states = {k: v for k, v in self.widget_states.items() if k in live}
        return run

    async def _stop_script(self, wait: float = 30.0) -> None:
        """Ask the server to stop a run that overran (as the Stop button does), so it does not skew what follows;
        wait at most `wait` seconds for it to end, then drop the connection."""
        from streamlit.proto.BackMsg_pb2 import BackMsg

        msg = BackMsg()
        msg.stop_script = True
        end = time.perf_counter() + wait
        try:
            await self.ws.send(msg.SerializeToString())
            while time.perf_counter() < end:
                data = await asyncio.wait_for(self.ws.recv(), end - time.perf_counter())
                if self._handle(data, Run(0.0, "STOPPING"), {}) is not None:
                    return
        except Exception:  # noqa: BLE001 - best effort; the connection is dropped below
            pass
        await self.close()

    async def _drain(self) -> None:
        """Read messages that arrived between runs (none are expected), without waiting."""
        from websockets.exceptions import ConnectionClosed

        for _ in range(1000):
            try:
                data = await asyncio.wait_for(self.ws.recv(), 0.0005)
            except TimeoutError:
                return
            except ConnectionClosed:
                self.ws = None
                await self.connect()
                return
            self._handle(data, Run(0.0, "DRAIN"), {})

    def _handle(self, data: bytes, run: Run, seen_widgets: dict[str, Widget]) -> str | None:
        from streamlit.proto.Alert_pb2 import Alert
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = ForwardMsg()
        msg.ParseFromString(data)
        if msg.ref_hash:
            cached = self._cache.get(msg.ref_hash)
            if cached is None:
                return None
            msg = cached
        elif msg.metadata.cacheable and msg.hash:
            self._cache[msg.hash] = msg
            while len(self._cache) > self.MAX_CACHED_HASHES:  # the oldest go first; only kept hashes are sent
                del self._cache[next(iter(self._cache))]
        kind = msg.WhichOneof("type")
        if kind == "script_finished":
            return ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished)
        if kind == "new_session":  # starts every script run (also one that follows an interrupted run)
            run.heading = ""
            seen_widgets.clear()
            if msg.new_session.page_script_hash:
                self.page_hash = msg.new_session.page_script_hash
        elif kind == "navigation":
            nav = msg.navigation
            self.pages = {p.url_pathname: p.page_script_hash for p in nav.app_pages}
            for p in nav.app_pages:
                if p.is_default:
                    self.default_page_hash = p.page_script_hash
            if nav.page_script_hash:
                self.page_hash = nav.page_script_hash
                self.url_path = next(
                    (p.url_pathname for p in nav.app_pages if p.page_script_hash == nav.page_script_hash), self.url_path
                )
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "page_not_found":
            run.errors.append(f"page not found: {msg.page_not_found.page_name!r}")
        elif kind == "session_event":
            event = msg.session_event.WhichOneof("type")
            if event == "script_compilation_exception":
                run.errors.append("script compilation exception")
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            el = msg.delta.new_element
            etype = el.WhichOneof("type")
            if etype == "exception":
                run.errors.append(f"exception: {el.exception.type}: {el.exception.message[:200]}")
            elif etype == "alert" and el.alert.format == Alert.ERROR:
                run.errors.append(f"error shown: {el.alert.body[:200]}")
            elif etype == "heading" and not run.heading:
                run.heading = el.heading.body
            elif etype in WIDGET_TYPES:
                proto = getattr(el, etype)
                options = [getattr(o, "content", o) for o in getattr(proto, "options", [])]
                w = Widget(proto.id, etype, proto.label, [str(o) for o in options])
                seen_widgets[w.label or w.id] = w
                state = initial_widget_state(etype, proto)
                # As the frontend does: a widget keeps the value the user gave it; a value the script set
                # (set_value) or a widget seen for the first time takes the value its element carries.
                if state is not None and (proto.set_value or proto.id not in self.widget_states):
                    self.widget_states[proto.id] = state
        return None

    async def open(self, url_path: str = "", query: str = "", timeout: float = 120.0) -> Run:
        """Load a page by URL, as typing http://host/URL_PATH?QUERY into the address bar does. The default page
        (the first in ui.nav.PAGES) lives at "/": Streamlit answers its url_path with "page not found"."""
        url_path = "" if url_path == default_url_path() else url_path
        self.query_string = query
        self.url_path = url_path
        return await self._run("", url_path, timeout)

    async def rerun(self, timeout: float = 120.0) -> Run:
        """Rerun the current page with the current query string and widget states."""
        return await self._run(self.page_hash, "", timeout)

    async def switch(self, url_path: str, query: str | None = None, timeout: float = 120.0) -> Run:
        """Follow a sidebar page link: the page's script hash, and the link's query string (the language)."""
        url_path = "" if url_path == default_url_path() else url_path
        page_hash = self.pages.get(url_path)
        if query is None:
            lang = _query_value(self.query_string, "lang")
            query = f"lang={lang}" if lang else ""
        self.query_string = query
        self.widget_states = {}  # the frontend sends no widget states with a page change
        if page_hash is None:  # not listed (yet): resolve by URL path, as a typed URL would
            self.url_path = url_path
            return await self._run("", url_path, timeout)
        self.url_path = url_path
        return await self._run(page_hash, "", timeout)

    async def choose(self, label: str, option: str, timeout: float = 120.0) -> Run:
        """Pick `option` in the selectbox labelled `label` (drawn by the latest run) and rerun, as a click does."""
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        widget = self.widgets.get(label)
        if widget is None:
            raise KeyError(f"no selectbox {label!r} in the latest run; saw {sorted(self.widgets)}")
        if option not in widget.options:
            raise KeyError(f"{option!r} is not an option of {label!r}: {widget.options}")
        state = WidgetState()
        state.id = widget.id
        state.string_value = option
        self.widget_states[widget.id] = state
        return await self.rerun(timeout)


def _query_value(query: str, key: str) -> str | None:
    from urllib.parse import parse_qs

    values = parse_qs(query).get(key)
    return values[0] if values else None


LANG_LABEL = "Språk · Sprog · Language"


async def set_language(session: Session, lang: str, timeout: float = 120.0) -> Run:
    """Change the sidebar language picker (ui/context.py) to `lang`."""
    from comparisons.i18n import LANGUAGE_NAMES

    return await session.choose(LANG_LABEL, LANGUAGE_NAMES[lang], timeout)


# ---------------------------------------------------------------------------------------------------------------
# Pages and statistics


_DEFAULT_URL_PATH: list[str] = []


def default_url_path() -> str:
    """url_path of the app's default page (ui.nav makes the first of PAGES the default; it is served at "/")."""
    if not _DEFAULT_URL_PATH:
        pages = app_pages()
        _DEFAULT_URL_PATH.append(pages[0].url_path if pages else "")
    return _DEFAULT_URL_PATH[0]


def app_pages() -> list[Any]:
    """ui.nav.PAGES, read now (pages are being added while the benchmarks exist)."""
    import importlib

    import ui.nav

    importlib.reload(ui.nav)
    return list(ui.nav.PAGES)


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100), linear between closest ranks."""
    if not values:
        return float("nan")
    data = sorted(values)
    if len(data) == 1:
        return data[0]
    pos = (len(data) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(data) - 1)
    return data[lo] + (data[hi] - data[lo]) * (pos - lo)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def ms(seconds: float | None) -> str:
    return "n/a" if seconds is None or seconds != seconds else f"{seconds * 1000:.1f} ms"


def ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or not b or a != a or b != b:
        return "n/a"
    return f"{a / b:.1f}x"


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import streamlit

    mem = ""
    try:
        total = next(x for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal"))
        mem = f", {int(total.split()[1]) / 2**20:.0f} GB RAM"
    except (OSError, StopIteration):
        pass
    return f"{os.cpu_count()} cores ({cpu}){mem}, Python {sys.version.split()[0]}, Streamlit {streamlit.__version__}"


def save(name: str, data: dict) -> Path:
    """Write the figures as JSON under benchmarks/results/ (git-ignored) and return the path."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    data = {
        "benchmark": name,
        "machine": machine(),
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
        "load_at_save": load_average(),
        **data,
    }
    path.write_text(json.dumps(data, indent=2, default=str) + "\n")
    return path


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--quick", action="store_true", help="a few seconds: tiny counts, to check the benchmark still runs")
    p.add_argument("--pages", default=None, help="comma-separated url paths (default: every page in ui.nav.PAGES)")
    return p


def load_average() -> str:
    """The 1-minute load average and the number of cores: other work on the machine skews wall-clock figures."""
    try:
        one = Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "load n/a"
    return f"load average {one} on {os.cpu_count()} cores"


def header(title: str, quick: bool) -> None:
    print(f"== {title}{' (quick mode)' if quick else ''}")
    print(f"   machine: {machine()}; {load_average()} at start")
    sys.stdout.flush()


def footer(name: str, data: dict, started: float, quick: bool) -> None:
    """Save the figures and print where, with the load average at the end."""
    data = {**data, "elapsed_s": round(time.monotonic() - started, 1), "load_end": load_average()}
    path = save(name + ("-quick" if quick else ""), data)
    print(
        f"\n   {load_average()} at the end; {time.monotonic() - started:.0f}s; figures saved to "
        f"{path.relative_to(REPO)}"
    )
    sys.stdout.flush()


def select_pages(arg: str | None, quick: bool, quick_count: int = 2) -> list[Any]:
    """ui.nav.PAGES, or those named in `arg` (comma-separated url paths); quick mode keeps the first few."""
    pages = app_pages()
    if arg:
        wanted = [a.strip() for a in arg.split(",") if a.strip()]
        unknown = [w for w in wanted if w not in {p.url_path for p in pages}]
        if unknown:
            raise SystemExit(f"unknown page(s) {unknown}; ui.nav.PAGES has {[p.url_path for p in pages]}")
        return [p for p in pages if p.url_path in wanted]
    return pages[:quick_count] if quick else pages


# ---------------------------------------------------------------------------------------------------------------
# Timing one page in a warm server


@dataclass
class PageTiming:
    name: str
    first_seconds: float = float("nan")  # the session's first run (the server was already warm for other sessions)
    reruns: list[float] = field(default_factory=list)
    cpu_per_rerun: float | None = None  # server CPU seconds per rerun, including work after script_finished (GC)
    bytes_per_rerun: float = 0.0
    messages_per_rerun: float = 0.0
    heading: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def median(self) -> float:
        return median(self.reruns)

    @property
    def p95(self) -> float:
        return percentile(self.reruns, 95)

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "first_s": self.first_seconds,
            "median_s": self.median,
            "p95_s": self.p95,
            "cpu_per_rerun_s": self.cpu_per_rerun,
            "bytes_per_rerun": self.bytes_per_rerun,
            "messages_per_rerun": self.messages_per_rerun,
            "reruns": self.reruns,
            "heading": self.heading,
            "errors": self.errors[:20],
        }


async def time_page(
    server: Server,
    url_path: str,
    n: int,
    warm: int = 2,
    lang: str | None = "en",
    name: str | None = None,
    timeout: float = 120.0,
    budget: float = 300.0,
) -> PageTiming:
    """Open `url_path` in a new session, settle the language, warm up, then time `n` reruns of the page.

    Before each rerun the server is left to go idle (so a post-run gc.collect of the previous rerun is not
    counted in the next one's latency); the server's CPU time over the timed reruns is divided by `n`.
    At most `budget` seconds are spent; fewer reruns are timed if it runs out.
    """
    timing = PageTiming(name or url_path or "(main)")
    stop_at = time.monotonic() + budget
    async with Session(server) as session:
        first = await session.open(url_path, f"lang={lang}" if lang else "", timeout=timeout)
        timing.first_seconds = first.seconds
        timing.errors += first.errors
        if lang and LANG_LABEL in session.widgets:
            # Settle the language explicitly, so a picker reset on the first rerun (see benchmarks/README.md)
            # cannot change which language is timed.
            await session.rerun(timeout=timeout)
            run = await set_language(session, lang, timeout=timeout)
            timing.errors += run.errors
        for _ in range(warm):
            run = await session.rerun(timeout=timeout)
            timing.errors += run.errors
        server.settle()
        cpu0 = server.cpu_seconds()
        total_bytes = total_msgs = 0
        for _ in range(n):
            if time.monotonic() > stop_at:
                timing.errors.append(f"budget of {budget:.0f}s spent after {len(timing.reruns)} reruns")
                break
            server.wait_idle()
            run = await session.rerun(timeout=timeout)
            timing.reruns.append(run.seconds)
            timing.errors += run.errors
            timing.heading = run.heading or timing.heading
            total_bytes += run.bytes
            total_msgs += run.messages
        server.wait_idle()
        cpu1 = server.cpu_seconds()
        done = max(len(timing.reruns), 1)
        if cpu0 is not None and cpu1 is not None:
            timing.cpu_per_rerun = (cpu1 - cpu0) / done
        timing.bytes_per_rerun = total_bytes / done
        timing.messages_per_rerun = total_msgs / done
    return timing
