"""Several benchmark servers behind HAProxy, configured by deploy/balancer.py (the configuration `make serve` uses),
and how a browser gets its server's cookie before it opens the websocket.

`Balanced([Server, Server])` starts the servers (common.Server: free loopback ports, the project's settings) and
then HAProxy on another free port; `await sticky_cookie(balanced)` does what a browser's first request does (GET /,
which the balancer answers with `Set-Cookie: LUPSERVER=sN`) and returns the Cookie header to send with the
websocket handshake, so each benchmark session stays on its server as a browser's does.
"""

from __future__ import annotations

import asyncio
import subprocess
import time
import urllib.request
from http.cookies import SimpleCookie
from pathlib import Path

from common import HOST, Server, ServerError, _die_with_parent, free_port, start_servers

from deploy.balancer import COOKIE, backends, config
from deploy.serve import haproxy_binary


class Balanced:
    """HAProxy in front of `servers`; use as a context manager (starts and stops them all)."""

    def __init__(self, servers: list[Server]) -> None:
        self.servers = servers
        self.port = 0
        self.proc: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://{HOST}:{self.port}/_stcore/stream"

    def __enter__(self) -> Balanced:
        haproxy = haproxy_binary()
        if haproxy is None:
            raise ServerError("HAProxy is not installed (Debian: apt-get install haproxy)")
        start_servers(self.servers)
        self.port = free_port()
        home = self.servers[0].home  # a private temporary folder, removed when that server stops
        cfg = Path(home) / "haproxy.cfg"
        # Log to nowhere: a line per request would cost the balancer time the servers are measured against.
        cfg.write_text(config(backends([s.port for s in self.servers], []), f"{HOST}:{self.port}", "/dev/null"))
        with open(Path(home) / "haproxy.err", "wb") as err:  # the child keeps its own copy of the handle
            self.proc = subprocess.Popen(
                [haproxy, "-db", "-f", str(cfg)],
                stdout=subprocess.DEVNULL,
                stderr=err,
                stdin=subprocess.DEVNULL,
                preexec_fn=_die_with_parent,
            )
        limit = time.monotonic() + 10
        while time.monotonic() < limit:
            try:
                with urllib.request.urlopen(f"{self.base_url}/_stcore/health", timeout=2) as resp:
                    if resp.status == 200:
                        return self
            except OSError:
                time.sleep(0.1)
        self.__exit__()
        raise ServerError("the balancer did not answer within 10 s")

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        for s in self.servers:
            s.stop()

    def cpu_seconds(self) -> float | None:
        parts = [s.cpu_seconds() for s in self.servers]
        return None if any(p is None for p in parts) else sum(p for p in parts if p is not None)

    def rss_mb(self) -> float | None:
        parts = [s.rss_mb() for s in self.servers]
        return None if any(p is None for p in parts) else sum(p for p in parts if p is not None)


def _fetch_cookie(base_url: str, timeout: float) -> str:
    with urllib.request.urlopen(f"{base_url}/", timeout=timeout) as resp:  # our own loopback balancer
        resp.read()
        jar: SimpleCookie = SimpleCookie()
        for header in resp.headers.get_all("Set-Cookie") or []:
            jar.load(header)
    if COOKIE not in jar:
        raise RuntimeError(f"the balancer set no {COOKIE} cookie")
    return jar[COOKIE].value


async def sticky_cookie(balanced: Balanced, timeout: float = 30.0) -> str:
    """The server name the balancer chose for a new browser (its cookie's value), fetched as a browser would."""
    return await asyncio.to_thread(_fetch_cookie, balanced.base_url, timeout)
