"""Fixtures for the explorer's tests: a real uvicorn server on a loopback socket, WebSocket
clients, and a real Chromium (Debian's, driven by Playwright for Python)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import uvicorn
from websockets.sync.client import ClientConnection, connect

from initlab.explore.app import create_app
from initlab.explore.limits import Limits
from initlab.explore.server import bind

TOKEN = "test-token-0123456789"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WAIT = 30.0  # the longest any test waits for a frame: a bound on a hang, not a speed check


@dataclass
class Server:
    app: Any
    port: int
    token: str

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"{self.origin}/?token={self.token}"

    def ws_url(self, token: str | None = None) -> str:
        return f"ws://127.0.0.1:{self.port}/ws?token={self.token if token is None else token}"

    def client(self) -> Client:
        ws = connect(self.ws_url(), additional_headers={"Origin": self.origin}, max_size=None)
        return Client(ws.__enter__())  # entered: websockets closes it on exit


class Client:
    """A WebSocket session that reads JSON frames."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws

    def send(self, message: dict[str, Any] | str) -> None:
        self.ws.send(message if isinstance(message, str) else json.dumps(message))

    def receive(self, timeout: float = WAIT) -> dict[str, Any]:
        return json.loads(self.ws.recv(timeout=timeout))

    def until(self, predicate, timeout: float = WAIT) -> dict[str, Any]:
        """The first message for which ``predicate`` holds (others are skipped)."""
        deadline = time.monotonic() + timeout
        while True:
            message = self.receive(timeout=max(0.1, deadline - time.monotonic()))
            if predicate(message):
                return message
            if time.monotonic() > deadline:
                raise TimeoutError("no such message")

    def configure(self, **settings: Any) -> dict[str, Any]:
        """Configure and return the frame at iteration 0."""
        self.send({"type": "configure", "settings": settings})
        self.until(lambda m: m["type"] == "ready")
        return self.until(lambda m: m["type"] == "frame")

    def close(self) -> None:
        self.ws.close()


TEST_LIMITS = Limits(max_updates_per_second=6000, expensive_burst=100)  # many bad configures


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    app = create_app(TOKEN, TEST_LIMITS)
    sock = bind("127.0.0.1", 0)
    config = uvicorn.Config(
        app, log_level="warning", ws_max_size=TEST_LIMITS.max_socket_bytes, lifespan="off"
    )
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + WAIT
    while not uv.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    yield Server(app, sock.getsockname()[1], TOKEN)
    uv.should_exit = True
    thread.join(WAIT)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1500, "height": 1080})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    yield page
    context.close()
