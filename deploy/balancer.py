"""The HAProxy configuration in front of several Streamlit servers: the one definition of it.

`make serve` writes it for its own loopback servers (and any other machines named); `python deploy/serve.py
--print-config` prints it for a balancer run by the system. HAProxy rather than nginx because Debian's nginx (the
open-source one) has neither cookie persistence (its `sticky` directive is nginx Plus only; `ip_hash` would put a
whole venue network behind one address on one server) nor active health checks; HAProxy has both.

What each part is for:
- A Streamlit session lives in one server's memory: its websocket, the files uploaded into it
  (`/_stcore/upload_file/<session>/...`) and its widget state. So every request of a browser goes to one server,
  chosen on the first request and remembered in a cookie (`LUPSERVER`) that HAProxy sets and strips.
- `/_stcore/health` is checked every 2 s; a server that fails twice gets no new sessions, and a browser whose
  server died is sent to another one (its page reruns there as a new session; `option redispatch`).
- Websockets: HAProxy passes the Upgrade through in http mode; `timeout tunnel` keeps an idle reader's
  websocket open for an hour.
"""

from __future__ import annotations

from dataclasses import dataclass

COOKIE = "LUPSERVER"
HEALTH_PATH = "/_stcore/health"
# One log line per request: who, which server served it (backend/server), status, time, the request line.
# Tests read the server of an upload from it.
LOG_FORMAT = "%ci [%tr] %b/%s %ST %Ta %{+Q}r"


@dataclass(frozen=True)
class Backend:
    """One Streamlit server: a name (the cookie's value) and where the balancer reaches it."""

    name: str
    host: str
    port: int

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"


def parse_address(text: str) -> tuple[str, int]:
    """'host:port' (an IPv6 address in brackets: '[::1]:8501') as (host, port); ValueError if it is not one."""
    host, sep, port = text.strip().rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"not host:port: {text!r}")
    return host, int(port)


def backends(local_ports: list[int], remote: list[str]) -> list[Backend]:
    """Loopback servers s1..sN on `local_ports`, then the other machines' servers, named r1..rM."""
    found = [Backend(f"s{i}", "127.0.0.1", port) for i, port in enumerate(local_ports, 1)]
    for i, text in enumerate(remote, 1):
        host, port = parse_address(text)
        found.append(Backend(f"r{i}", host, port))
    if not found:
        raise ValueError("no server to balance: give SERVERS >= 1 or another machine's address")
    return found


def config(servers: list[Backend], bind: str, log_target: str = "stdout") -> str:
    """The configuration file's text. `bind` is the balancer's address ('127.0.0.1:8501', or ':80' for all)."""
    lines = [
        "# Written by deploy/balancer.py (make serve); edit that file, not this one.",
        "global",
        f"    log {log_target} format raw local0",
        "    maxconn 4096",
        "",
        "defaults",
        "    mode http",
        "    log global",
        f'    log-format "{LOG_FORMAT}"',
        "    option redispatch",
        "    retries 2",
        "    timeout connect 5s",
        "    timeout client 60s",
        "    timeout server 60s",
        "    timeout http-request 15s",
        "    timeout tunnel 1h",
        "",
        "frontend lup",
        f"    bind {bind}",
        "    default_backend streamlit",
        "",
        "backend streamlit",
        "    balance roundrobin",
        f"    cookie {COOKIE} insert indirect nocache httponly attr SameSite=Lax",
        f"    option httpchk GET {HEALTH_PATH}",
        "    http-check expect string ok",
        "    default-server inter 2s fall 2 rise 2",
    ]
    lines += [f"    server {b.name} {b.address} check cookie {b.name}" for b in servers]
    return "\n".join(lines) + "\n"
