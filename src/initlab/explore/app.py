"""The ASGI application: the page, its ES modules and one WebSocket per browser session.

Routes (declared in one list, :func:`create_app`):

- ``GET /?token=T`` the page; it also sets a cookie holding the token (``SameSite=Strict``,
  ``HttpOnly``) so the page's own module requests need not carry it;
- ``GET /static/...`` the ES modules and the style sheet (token in the query or the cookie);
- ``WS /ws?token=T`` a session.

Security, as Jupyter does it: every HTTP request and every WebSocket needs the token (compared in
constant time); a WebSocket whose ``Origin`` is not the page's own origin (``http://`` + the
``Host`` it asked for) is refused before it is accepted, so another site open in a student's
browser cannot drive their server; nothing the browser sends names a file on the server.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketDisconnect

from initlab.explore import frames, messages
from initlab.explore.budget import Budget
from initlab.explore.limits import DEFAULT_LIMITS, Limits
from initlab.explore.session import Session
from initlab.explore.throttle import Throttle

STATIC = Path(__file__).with_name("static")
OUTBOX_FRAMES = 4  # frames waiting for a slow browser beyond this are dropped (never the last)
REFUSED_TOKEN = 4401
REFUSED_ORIGIN = 4403

log = logging.getLogger(__name__)


def cookie_name(token: str) -> str:
    """One cookie per server (two servers on one host do not overwrite each other's)."""
    return "initlab-explore-" + hashlib.sha256(token.encode()).hexdigest()[:12]


def token_matches(given: str | None, token: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), token.encode())


def origin_matches(origin: str | None, host: str | None) -> bool:
    """Whether a WebSocket's ``Origin`` is the origin of the page served from ``host``."""
    if not origin or not host:
        return False
    return origin in (f"http://{host}", f"https://{host}")


class TokenGate:
    """ASGI middleware: HTTP requests without the token (query or cookie) get 403."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.token = token
        self.cookie = cookie_name(token)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            request = Request(scope)
            given = request.query_params.get("token") or request.cookies.get(self.cookie)
            if not token_matches(given, self.token):
                response = PlainTextResponse(
                    "initlab explore: this page needs the token printed by `initlab explore` "
                    "(open the URL it printed, with ?token=...).\n",
                    status_code=403,
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class Sessions:
    """The live sessions of one server, by name (the tests and the benchmark look at them)."""

    def __init__(self) -> None:
        self.live: dict[str, Session] = {}

    def __len__(self) -> int:
        return len(self.live)


def create_app(token: str, limits: Limits = DEFAULT_LIMITS) -> Starlette:
    """The explorer's application for one ``token``."""
    sessions = Sessions()
    budget = Budget()
    cookie = cookie_name(token)

    async def page(request: Request) -> Response:
        response = FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-store"})
        response.set_cookie(cookie, token, httponly=True, samesite="strict")
        return response

    async def session_socket(websocket: WebSocket) -> None:
        if not token_matches(websocket.query_params.get("token"), token):
            await websocket.close(code=REFUSED_TOKEN)
            return
        if not origin_matches(websocket.headers.get("origin"), websocket.headers.get("host")):
            await websocket.close(code=REFUSED_ORIGIN)
            return
        await websocket.accept()
        await _serve_session(websocket, sessions, limits, budget)

    app = Starlette(
        routes=[
            Route("/", page),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
            WebSocketRoute("/ws", session_socket),
        ],
        middleware=[Middleware(TokenGate, token=token)],
    )
    app.state.sessions = sessions
    app.state.budget = budget
    app.state.limits = limits
    return app


async def _serve_session(
    websocket: WebSocket, sessions: Sessions, limits: Limits, budget: Budget
) -> None:
    """Pump messages in and frames out until the browser goes; then free the worker."""
    loop = asyncio.get_running_loop()
    outbox: asyncio.Queue[str] = asyncio.Queue()

    def send(message: dict[str, Any], droppable: bool) -> None:  # called from the worker
        if droppable and outbox.qsize() >= OUTBOX_FRAMES:
            return  # the browser is behind: skip a running frame, the next one supersedes it
        text = frames.dumps(message)
        try:
            loop.call_soon_threadsafe(outbox.put_nowait, text)
        except RuntimeError:  # the loop is gone: the server is shutting down
            pass

    session = Session(send, limits, budget=budget)
    throttle = Throttle(limits)
    sessions.live[session.name] = session
    session.start()
    send({"type": "hello", "session": session.name, "limits": limits.to_dict()}, False)
    pump = asyncio.create_task(_pump(websocket, outbox))
    try:
        while True:
            event = await websocket.receive()
            if event["type"] == "websocket.disconnect":
                break
            raw = event.get("text")
            if raw is None:
                raw = event.get("bytes") or b""
            refused = throttle.refuse_frame()
            if refused:
                session.reject(messages.BadMessage(refused))
                continue
            try:
                message = messages.parse(raw, limits)
            except messages.BadMessage as error:
                session.reject(error)
                continue
            refused = throttle.refuse_kind(message.type)
            if refused:
                session.reject(messages.BadMessage(refused))
            else:
                session.submit(message)
    except WebSocketDisconnect:
        pass
    finally:
        session.close()
        pump.cancel()
        sessions.live.pop(session.name, None)


async def _pump(websocket: WebSocket, outbox: asyncio.Queue[str]) -> None:
    try:
        while True:
            await websocket.send_text(await outbox.get())
    except (WebSocketDisconnect, RuntimeError):
        pass
    except Exception:  # a broken socket: the receive loop sees the disconnect and cleans up
        log.debug("explore: sending failed", exc_info=True)
