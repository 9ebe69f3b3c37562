"""Two servers behind the balancer (`make serve`, i.e. deploy/serve.py) on loopback, visited by real browsers.

Sessions are spread over the servers and each stays on its own: its upload (editing on) reaches the server that
holds the session, as the balancer's log shows and as the import preview proves (another server does not know the
session and refuses the file). A stopped server is taken out by the health check and new sessions go to the
other one. Ctrl-C stops the balancer and every server. The tests run in file order on one `make serve`.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from deploy.balancer import COOKIE
from tests.browser import error_texts, wait_for_app
from tests.browser.conftest import _python
from tests.helpers import REPO, copy_data

pytestmark = pytest.mark.browser

READY_WITHIN_S = 150.0
# The balancer's log line for a request (deploy/balancer.py LOG_FORMAT): client [time] backend/server status ms "request"
LOG_LINE = re.compile(r'\] streamlit/(?P<server>\S+) (?P<status>-?\d+) -?\d+ "(?P<method>[A-Z]+) (?P<path>\S+)')


@dataclass
class Balanced:
    proc: subprocess.Popen
    url: str
    logs: Path
    out: Path
    pids: dict[str, int] = field(default_factory=dict)
    balancer_pid: int = 0

    def output(self) -> str:
        return self.out.read_text(errors="replace")

    def balancer_log(self) -> str:
        return (self.logs / "balancer.log").read_text(errors="replace")

    def requests(self) -> list[dict[str, str]]:
        return [m.groupdict() for m in LOG_LINE.finditer(self.balancer_log())]


def _free_ports(count: int) -> int:
    """The first of `count` consecutive free loopback ports (serve.py numbers its servers from the first)."""
    for _ in range(200):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            first = s.getsockname()[1]
        if first + count >= 65535:
            continue
        try:
            socks = []
            for port in range(first, first + count):
                s = socket.socket()
                socks.append(s)
                s.bind(("127.0.0.1", port))
            return first
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise RuntimeError("no free ports")


@pytest.fixture(scope="module")
def balanced(browser: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Balanced]:
    tmp = tmp_path_factory.mktemp("serve")
    root = copy_data(tmp)  # editing is on: nothing is saved, but never near the real data
    first = _free_ports(3)
    env = {
        **os.environ,
        "LUP_DATA_DIR": str(root),
        "LUP_EDITING": "1",
        "LUP_DATABASE_URL": f"sqlite:///{tmp / 'summit.sqlite'}",
        "LUP_WARM_VIEWS": "0",  # two cold servers on a shared machine: no background work the test does not need
    }
    out = tmp / "serve.out"
    with open(out, "wb") as sink:
        proc = subprocess.Popen(
            [
                _python(),
                "deploy/serve.py",
                "--servers",
                "2",
                "--port",
                str(first),
                "--first-server-port",
                str(first + 1),
                "--log-dir",
                str(tmp / "logs"),
            ],
            cwd=REPO,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    b = Balanced(proc, f"http://127.0.0.1:{first}", tmp / "logs", out)
    try:
        limit = time.monotonic() + READY_WITHIN_S
        while "ready http" not in b.output():
            assert proc.poll() is None, f"serve.py exited with {proc.returncode}:\n{b.output()}"
            assert time.monotonic() < limit, f"not ready within {READY_WITHIN_S:.0f}s:\n{b.output()}"
            time.sleep(0.25)
        b.pids = {m[0]: int(m[1]) for m in re.findall(r"^server (\S+) pid (\d+) ", b.output(), re.M)}
        b.balancer_pid = int(re.search(r"^balancer pid (\d+) ", b.output(), re.M)[1])  # type: ignore[index]
        assert sorted(b.pids) == ["s1", "s2"], b.output()
        yield b
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


def _open(browser: Any, b: Balanced, path: str = "") -> tuple[Any, Any, str]:
    """A fresh browser (context) on the balancer; returns it, its page and the server its cookie names."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    context.route(lambda url: not url.startswith(b.url), lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{b.url}/{path}?lang=en")
    wait_for_app(page)
    assert not error_texts(page), error_texts(page)
    cookies = {c["name"]: c["value"] for c in context.cookies()}
    assert COOKIE in cookies, cookies
    return context, page, cookies[COOKIE]


def test_sessions_land_on_different_servers_and_an_upload_reaches_its_own(
    browser, balanced: Balanced, tmp_path
) -> None:
    contexts = []
    try:
        first = _open(browser, balanced, "curation")
        second = _open(browser, balanced, "curation")
        contexts += [first[0], second[0]]
        assert {first[2], second[2]} == {"s1", "s2"}, "round robin: two new sessions go to two servers"

        context, page, server = second
        csv = tmp_path / "upload.csv"  # the register's first actor with another name: a valid one-cell change
        header, row = (REPO / "data" / "denmark" / "actors.csv").read_text(encoding="utf-8").splitlines()[:2]
        csv.write_text(f"{header}\n{row.replace('Center for Offentlig Innovation', 'Center (test)', 1)}\n", "utf-8")
        page.get_by_role("tab", name="Import a file").click()
        page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(csv))
        # The preview is drawn by the server that holds the session from the bytes it received.
        columns = len(header.split(","))
        page.get_by_text(re.compile(rf"upload\.csv\. Rows: 1; columns: {columns};")).wait_for(timeout=60_000)
        assert not error_texts(page), error_texts(page)

        uploads = [r for r in balanced.requests() if r["path"].startswith("/_stcore/upload_file/")]
        assert uploads, balanced.balancer_log()[-3000:]
        assert {r["server"] for r in uploads} == {server}, uploads
        assert all(r["status"].startswith("2") for r in uploads), uploads
        # Every request of this browser carried its cookie, so nothing it asked went to the other server.
        other = "s1" if server == "s2" else "s2"
        cookie_of_other = [c for c in context.cookies() if c["name"] == COOKIE and c["value"] == other]
        assert not cookie_of_other
    finally:
        for c in contexts:
            c.close()


def test_a_stopped_server_is_taken_out_and_new_sessions_go_to_the_other(browser, balanced: Balanced) -> None:
    os.kill(balanced.pids["s1"], signal.SIGTERM)
    limit = time.monotonic() + 30
    while "streamlit/s1 is DOWN" not in balanced.balancer_log():
        assert time.monotonic() < limit, f"s1 not taken out within 30 s:\n{balanced.balancer_log()[-2000:]}"
        time.sleep(0.5)
    assert "server s1 exited" in balanced.output()
    contexts = []
    try:
        for _ in range(3):
            context, _page, server = _open(browser, balanced)
            contexts.append(context)
            assert server == "s2"
    finally:
        for c in contexts:
            c.close()


def test_ctrl_c_stops_the_balancer_and_every_server(balanced: Balanced) -> None:
    balanced.proc.send_signal(signal.SIGINT)
    assert balanced.proc.wait(timeout=30) == 0
    for pid in [*balanced.pids.values(), balanced.balancer_pid]:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
