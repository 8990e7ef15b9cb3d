"""Serving the explorer: bind, print the URL with its token, open a browser, run uvicorn.

The socket is bound before uvicorn starts, so ``--port 0`` (any free port) still prints the real
URL on the first line that holds ``http://`` — what a script or a test reads to find the server.
"""

from __future__ import annotations

import ipaddress
import secrets
import socket
import sys
import threading
import webbrowser
from dataclasses import dataclass
from typing import TextIO

import numpy as np

from initlab.explore import lab
from initlab.explore.limits import DEFAULT_LIMITS, Limits

LOOPBACK_NAMES = ("localhost",)


@dataclass(frozen=True)
class Address:
    host: str
    port: int

    @property
    def url_host(self) -> str:
        return f"[{self.host}]" if ":" in self.host else self.host


def is_loopback(host: str) -> bool:
    """Whether binding ``host`` keeps the server on this machine."""
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (port 0: any free one); an
    :class:`~initlab.explore.lab.InitlabError` when that is impossible."""
    if not 0 <= port <= 65535:
        raise lab.InitlabError(f"--port must be between 0 and 65535; got {port}")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        raise lab.InitlabError(f"cannot bind --host {host!r}: {error.strerror}") from None
    family, kind, proto, _, where = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(where)
    except OSError as error:
        sock.close()
        raise lab.InitlabError(
            f"cannot listen on {host}:{port}: {error.strerror or error}"
        ) from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def urls(address: Address, token: str) -> list[str]:
    """The URL to open here, then (for a server bound beyond loopback) the ones to share."""
    if address.host in ("0.0.0.0", "::"):
        local = [f"http://127.0.0.1:{address.port}/?token={token}"]
        name = socket.gethostname()
        return [*local, f"http://{name}:{address.port}/?token={token}"]
    return [f"http://{address.url_host}:{address.port}/?token={token}"]


def warm_up(limits: Limits) -> None:
    """Build the default configuration and train it once, so the first student does not wait for
    the imports and the compiled kernel to load (a few seconds on a cold start)."""
    from initlab.explore import configuration, messages

    config = configuration.build(messages.Settings.model_validate({}), None, limits)
    lr = np.full(config.n_models, config.settings.lr)
    lab.train_segment(config.network, config.initial, config.X, config.Y, lr, 1)


def serve(
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    open_browser: bool = True,
    limits: Limits = DEFAULT_LIMITS,
    token: str | None = None,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
) -> None:
    """Run the explorer until interrupted."""
    import uvicorn

    from initlab.explore.app import create_app

    token = token or secrets.token_urlsafe(24)
    sock = bind(host, port)
    address = Address(host, sock.getsockname()[1])
    if not is_loopback(host):
        print(
            f"initlab explore: warning: listening on {host}, beyond this machine: anyone who can "
            "reach it and has the token can train here. Share the token only with your class.",
            file=err,
            flush=True,
        )
    links = urls(address, token)
    print(f"initlab explore: open {links[0]}", file=out, flush=True)
    for link in links[1:]:
        print(f"  on the network: {link}", file=out, flush=True)
    print("  (Ctrl-C stops the server)", file=out, flush=True)
    threading.Thread(
        target=warm_up, args=(limits,), name="initlab-explore-warm-up", daemon=True
    ).start()
    if open_browser:
        threading.Timer(0.5, webbrowser.open, args=(links[0],)).start()
    config = uvicorn.Config(
        create_app(token, limits),
        log_level="warning",
        ws_max_size=limits.max_socket_bytes,
        ws_ping_interval=20.0,
        lifespan="off",
    )
    uvicorn.Server(config).run(sockets=[sock])
