"""The balancer's configuration (deploy/balancer.py): what it must say, and that HAProxy accepts it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from deploy.balancer import COOKIE, HEALTH_PATH, backends, config, parse_address
from deploy.serve import haproxy_binary, parse_args


def test_local_and_remote_servers_each_get_a_cookie_value_and_a_health_check() -> None:
    text = config(backends([8502, 8503], ["10.0.0.7:8501", "[::1]:8600"]), "0.0.0.0:80")
    servers = [line.split() for line in text.splitlines() if line.strip().startswith("server ")]
    assert [s[1:3] for s in servers] == [
        ["s1", "127.0.0.1:8502"],
        ["s2", "127.0.0.1:8503"],
        ["r1", "10.0.0.7:8501"],
        ["r2", "[::1]:8600"],
    ]
    assert all(s[3:] == ["check", "cookie", s[1]] for s in servers)
    # Stickiness by a cookie the balancer sets, never by the client's address (a venue shares one address).
    assert f"cookie {COOKIE} insert indirect" in text
    assert "balance source" not in text and "hash-type" not in text
    assert f"option httpchk GET {HEALTH_PATH}" in text
    assert "bind 0.0.0.0:80" in text


@pytest.mark.parametrize("bad", ["10.0.0.7", "host:", ":8501", "host:99999", "host:http"])
def test_an_address_without_a_port_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="host:port"):
        parse_address(bad)


def test_no_server_at_all_is_refused() -> None:
    with pytest.raises(ValueError, match="no server"):
        backends([], [])


def test_make_serve_passes_several_remote_addresses_in_one_argument() -> None:
    args = parse_args(["--servers", "0", "--remote", "10.0.0.7:8501 10.0.0.8:8501", "--remote", "h:1"])
    assert args.remote == ["10.0.0.7:8501", "10.0.0.8:8501", "h:1"]


def test_haproxy_accepts_the_configuration(tmp_path: Path) -> None:
    haproxy = haproxy_binary()
    if haproxy is None:
        if os.environ.get("REQUIRE_BROWSER") == "1":  # CI installs it (.ci/run)
            pytest.fail("HAProxy is not installed")
        pytest.skip("HAProxy is not installed (apt-get install haproxy)")
    cfg = tmp_path / "haproxy.cfg"
    cfg.write_text(config(backends([8502, 8503], ["10.0.0.7:8501"]), "127.0.0.1:8501"), encoding="utf-8")
    result = subprocess.run([haproxy, "-c", "-f", str(cfg)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
