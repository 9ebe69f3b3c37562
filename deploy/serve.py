"""`make serve SERVERS=N [PORT=8501] [REMOTE="host:port ..."]`: N Streamlit servers behind HAProxy.

Starts N `streamlit run app.py` on loopback (ports PORT+1 .. PORT+N, or --first-server-port), writes the balancer's
configuration (deploy/balancer.py) with them and any other machines' servers (--remote), and runs HAProxy on PORT
in the foreground. Ctrl-C (or SIGTERM) stops the balancer and every server it started. Servers inherit this
process's environment, so they all read one data folder (LUP_DATA_DIR, else data/) and one summit database
(LUP_DATABASE_URL, else var/summit.sqlite).

Each started server is announced on a line `server NAME pid PID http://HOST:PORT`, and `ready http://...` once all
are healthy; a server that exits is announced (`server NAME exited CODE`) and the balancer's health check takes it
out. Logs: LOG_DIR/server-NAME.log and LOG_DIR/balancer.log (one line per request, see balancer.LOG_FORMAT).
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run as a script: `python deploy/serve.py`
    sys.path.insert(0, str(REPO))

from deploy.balancer import HEALTH_PATH, Backend, backends, config  # noqa: E402

HEALTHY_WITHIN_S = 120.0  # a cold start imports pandas, pyarrow and Altair; N of them share the cores


def haproxy_binary() -> str | None:
    """Debian installs it in /usr/sbin, which is not on every user's PATH."""
    return shutil.which("haproxy") or next((p for p in ("/usr/sbin/haproxy",) if Path(p).exists()), None)


def _die_with_parent() -> None:
    """In a child, before exec: get SIGTERM when this process dies, even by SIGKILL, so no server is left."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def streamlit_command(port: int, address: str = "127.0.0.1") -> list[str]:
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.port",
        str(port),
        "--server.address",
        address,
        "--server.headless",
        "true",
    ]


def healthy(backend: Backend) -> bool:
    try:
        with urllib.request.urlopen(f"http://{backend.address}{HEALTH_PATH}", timeout=2) as resp:  # our servers
            return resp.status == 200 and resp.read().decode().strip() == "ok"
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def stop(procs: list[subprocess.Popen], wait_s: float = 15.0) -> None:
    """SIGTERM to each, then SIGKILL to whatever has not exited after `wait_s`."""
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    limit = time.monotonic() + wait_s
    for proc in procs:
        try:
            proc.wait(timeout=max(0.1, limit - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def start_balancer(haproxy: str, cfg: Path, log: Path) -> subprocess.Popen:
    """HAProxy in the foreground (-db), logging to `log`."""
    with open(log, "ab") as out:
        return subprocess.Popen(
            [haproxy, "-db", "-f", str(cfg)],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,
        )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--servers", type=int, default=2, help="Streamlit servers to start on loopback (default 2)")
    p.add_argument("--port", type=int, default=8501, help="the balancer's port (default 8501)")
    p.add_argument("--address", default="127.0.0.1", help="the balancer's address (0.0.0.0: every interface)")
    p.add_argument("--first-server-port", type=int, default=None, help="the first server's port (default PORT+1)")
    p.add_argument(
        "--remote",
        action="append",
        default=[],
        metavar="HOST:PORT",
        help="another machine's Streamlit server to balance too (repeat, or several separated by spaces)",
    )
    p.add_argument("--log-dir", type=Path, default=REPO / "var" / "serve", help="logs and haproxy.cfg")
    p.add_argument("--print-config", action="store_true", help="print the balancer's configuration and exit")
    args = p.parse_args(argv)
    args.remote = [a for text in args.remote for a in text.split()]
    if args.servers < 0:
        p.error("--servers must be 0 or more")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    first = args.first_server_port or args.port + 1
    try:
        servers = backends([first + i for i in range(args.servers)], args.remote)
    except ValueError as exc:
        print(f"serve: {exc}", file=sys.stderr)
        return 2
    bind = f"{args.address}:{args.port}"
    if args.print_config:
        print(config(servers, bind), end="")
        return 0
    haproxy = haproxy_binary()
    if haproxy is None:
        print("serve: HAProxy is not installed (Debian: apt-get install haproxy)", file=sys.stderr)
        return 2
    args.log_dir.mkdir(parents=True, exist_ok=True)
    cfg = args.log_dir / "haproxy.cfg"
    cfg.write_text(config(servers, bind), encoding="utf-8")
    check = subprocess.run([haproxy, "-c", "-q", "-f", str(cfg)], capture_output=True, text=True, check=False)
    if check.returncode != 0:
        print(f"serve: the balancer's configuration is refused:\n{check.stderr}{check.stdout}", file=sys.stderr)
        return 2

    procs: list[subprocess.Popen] = []
    local: dict[str, subprocess.Popen] = {}
    stopping = False

    def on_signal(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        for b in servers[: args.servers]:
            with open(args.log_dir / f"server-{b.name}.log", "wb") as out:
                proc = subprocess.Popen(
                    streamlit_command(b.port),
                    cwd=REPO,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    env={**os.environ, "PYTHONUNBUFFERED": "1"},
                    preexec_fn=_die_with_parent,
                )
            procs.append(proc)
            local[b.name] = proc
            print(f"server {b.name} pid {proc.pid} http://{b.address}", flush=True)
        # The balancer starts once every local server answers, so that its first health checks pass and the first
        # reader is not turned away with a 503 while HAProxy still counts the servers as down.
        waiting = set(local)
        limit = time.monotonic() + HEALTHY_WITHIN_S
        announced: set[str] = set()
        balancer: subprocess.Popen | None = None
        while not stopping:
            if balancer is not None and balancer.poll() is not None:
                print(f"serve: the balancer exited with {balancer.returncode}; see {args.log_dir}", file=sys.stderr)
                return 1
            for b in servers[: args.servers]:
                code = local[b.name].poll()
                if code is not None and b.name not in announced:
                    announced.add(b.name)
                    waiting.discard(b.name)
                    print(f"server {b.name} exited {code} (log: server-{b.name}.log)", flush=True)
                elif b.name in waiting and healthy(b):
                    waiting.discard(b.name)
            if len(announced) == args.servers and args.servers and not args.remote:
                print("serve: every server exited", file=sys.stderr)
                return 1
            if balancer is None and not waiting:
                balancer = start_balancer(haproxy, cfg, args.log_dir / "balancer.log")
                procs.insert(0, balancer)  # stopped first: no request reaches a server that is stopping
                shown = "localhost" if args.address in ("127.0.0.1", "0.0.0.0") else args.address
                print(f"balancer pid {balancer.pid} http://{bind} ({len(servers)} servers)", flush=True)
                print(f"ready http://{shown}:{args.port} (Ctrl-C stops every server)", flush=True)
            if waiting and time.monotonic() > limit:
                print(
                    f"serve: not healthy within {HEALTHY_WITHIN_S:.0f}s: {', '.join(sorted(waiting))}", file=sys.stderr
                )
                return 1
            time.sleep(0.5)
        return 0
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the clean-up short
        stop(procs)


if __name__ == "__main__":
    sys.exit(main())
