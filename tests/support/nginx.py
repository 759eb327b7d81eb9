"""Debian's nginx in front of app processes, configured as docs/deploiement.md says: the test
takes the doc's own ``nginx`` block, so that what is tested is what a federation copies.

Only what a test on this machine must change is changed: the processes' ports, a plain-HTTP
listen on a free localhost port instead of ``443 ssl``, and (``sticky=False``) the line that
keeps a browser on one process, to show what goes wrong without it. The rest of the file around
the doc's block (one worker, so that round robin is strict; logs and temporary files in the
test's folder; an access log naming the process that answered each request) is the test's own.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from helpers import ROOT

DEPLOYMENT_DOC = ROOT / "docs" / "deploiement.md"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
# The cookie by which nginx keeps a browser on one process (docs/deploiement.md, section 5).
ROUTE_COOKIE = "valuechain_route"
# The line of the doc's upstream that makes routing sticky; without it nginx balances each
# request in turn (round robin), as it does by default.
STICKY_LINE = re.compile(r"^\s*hash \$\w+ consistent;\s*$", re.MULTILINE)
DOC_PORTS = ("8501", "8502")


def require_nginx() -> str:
    """The nginx program; the calling test module is skipped, saying why, where the machine has
    none (scripts/install-system-packages.sh installs Debian's)."""
    if not Path(NGINX).exists():
        pytest.skip(
            "Debian's nginx is not installed (scripts/install-system-packages.sh installs it)", allow_module_level=True
        )
    return NGINX


def documented_config() -> str:
    """The reverse proxy's configuration as docs/deploiement.md gives it: its one ``nginx`` block."""
    blocks = re.findall(r"```nginx\n(.*?)```", DEPLOYMENT_DOC.read_text(encoding="utf-8"), re.DOTALL)
    assert len(blocks) == 1, "docs/deploiement.md should give one nginx configuration"
    return blocks[0]


def local_config(upstreams: list[int], port: int, sticky: bool, host: str = "127.0.0.1") -> str:
    """The doc's block, served on ``host:port`` over plain HTTP, in front of ``upstreams``."""
    config = documented_config()
    for documented, actual in zip(DOC_PORTS, upstreams, strict=True):
        assert f"server 127.0.0.1:{documented};" in config
        config = config.replace(f"server 127.0.0.1:{documented};", f"server 127.0.0.1:{actual};")
    assert "listen 443 ssl;" in config
    config = config.replace("listen 443 ssl;", f"listen {host}:{port};")
    assert len(STICKY_LINE.findall(config)) == 1, "the doc's upstream should keep a browser on one process"
    if not sticky:
        config = STICKY_LINE.sub("", config)
    return config


def network_address() -> str | None:
    """This machine's address on its network (not 127.0.0.1), or None where it has none: a
    visitor connecting to it comes from it, as a phone comes from its own."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # a documentation address: connect() on UDP sends nothing
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


class Nginx:
    """nginx as a child of the test (``daemon off``), stopped by ``stop``. ``answered()`` reads
    its access log: for each request, the route cookie it carried, the process that answered,
    the status and the request line."""

    def __init__(self, folder: Path, upstreams: list[int], port: int, sticky: bool, host: str = "127.0.0.1") -> None:
        self.folder, self.port, self.host = folder, port, host
        # On this machine's network address (``host``), visitors come from an address other than
        # 127.0.0.1, as phones do: what the app records of it is the proxy's word.
        self.url = f"http://localhost:{port}" if host == "127.0.0.1" else f"http://{host}:{port}"
        self.access_log = folder / "access.log"
        for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (folder / name).mkdir(exist_ok=True)
        # Run as root (CI), nginx would hand its workers to "nobody", who cannot write an
        # upload's body into the test's folder: they keep the test's own user.
        user = "user root root;\n" if os.geteuid() == 0 else ""
        (folder / "nginx.conf").write_text(
            f"{user}worker_processes 1;\n"
            f"pid {folder / 'nginx.pid'};\n"
            f"error_log {folder / 'error.log'} warn;\n"
            "events { worker_connections 256; }\n"
            "http {\n"
            f"  log_format routed '$cookie_{ROUTE_COOKIE} $upstream_addr $status \"$request\"';\n"
            f"  access_log {self.access_log} routed;\n"
            f"  client_body_temp_path {folder / 'body'};\n"
            f"  proxy_temp_path {folder / 'proxy'};\n"
            f"  fastcgi_temp_path {folder / 'fastcgi'};\n"
            f"  uwsgi_temp_path {folder / 'uwsgi'};\n"
            f"  scgi_temp_path {folder / 'scgi'};\n"
            f"{local_config(upstreams, port, sticky, host)}\n"
            "}\n"
        )
        command = [NGINX, "-p", str(folder), "-e", str(folder / "error.log"), "-c", str(folder / "nginx.conf")]
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr
        self.process = subprocess.Popen(
            [*command, "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self._wait_until_listening()

    def _wait_until_listening(self) -> None:
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2):
                    return
            except urllib.error.HTTPError:
                return  # nginx answered (a process behind it may not have)
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.2)
        self.stop()
        pytest.fail(f"nginx did not start: {(self.folder / 'error.log').read_text(errors='replace')[-2000:]}")

    def answered(self) -> list[tuple[str, str, int, str]]:
        """``(route cookie or "-", process address, status, request line)`` per request logged."""
        lines = []
        pattern = re.compile(r'^(\S+) (.+) (\d{3}) "(.*)"$')  # a retried request names two processes
        for line in self.access_log.read_text(errors="replace").splitlines():
            match = pattern.match(line)
            if match:
                lines.append((match[1], match[2], int(match[3]), match[4]))
        return lines

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=15)
