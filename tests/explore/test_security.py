"""The token and the Origin check: what the server must refuse, and what it must let through."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from initlab.explore.app import cookie_name


def test_page_needs_the_token(server):
    assert httpx.get(f"{server.origin}/").status_code == 403
    assert httpx.get(f"{server.origin}/?token=wrong").status_code == 403
    ok = httpx.get(server.url)
    assert ok.status_code == 200
    assert "playground.js" in ok.text
    assert ok.cookies.get(cookie_name(server.token)) == server.token


def test_static_modules_need_the_token_or_its_cookie(server):
    assert httpx.get(f"{server.origin}/static/playground.js").status_code == 403
    with_cookie = httpx.get(
        f"{server.origin}/static/playground.js", cookies={cookie_name(server.token): server.token}
    )
    assert with_cookie.status_code == 200
    assert "export function render" in with_cookie.text
    assert (
        httpx.get(
            f"{server.origin}/static/playground.js", cookies={cookie_name(server.token): "nope"}
        ).status_code
        == 403
    )


def test_no_path_escapes_the_static_folder(server):
    response = httpx.get(f"{server.origin}/static/../app.py?token={server.token}")
    assert response.status_code == 404 or "create_app" not in response.text


@pytest.mark.parametrize("token", ["", "wrong", "test-token-012345678"])
def test_websocket_without_the_token_is_refused(server, token):
    with pytest.raises(InvalidStatus) as refused:
        connect(server.ws_url(token), additional_headers={"Origin": server.origin})
    assert refused.value.response.status_code == 403


@pytest.mark.parametrize(
    "origin",
    ["http://evil.example", "http://127.0.0.1:1", "null", "https://127.0.0.1.evil.example"],
)
def test_websocket_from_another_origin_is_refused(server, origin):
    with pytest.raises(InvalidStatus) as refused:
        connect(server.ws_url(), additional_headers={"Origin": origin})
    assert refused.value.response.status_code == 403


def test_websocket_without_an_origin_is_refused(server):
    with pytest.raises(InvalidStatus):
        connect(server.ws_url(), origin=None)


def test_websocket_from_the_page_origin_is_accepted(server):
    client = server.client()
    hello = client.receive()
    assert hello["type"] == "hello"
    assert hello["limits"]["max_models"] == 8
    client.close()


CLI = "import sys; from initlab.cli import main; sys.argv[0] = 'initlab'; main()"


def _explore(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", CLI, "explore", "--no-browser", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_cli_prints_the_url_first_and_warns_beyond_loopback():
    """Two real servers (started together: the import of initlab is the slow part)."""
    local, shared = _explore("--port", "0"), _explore("--host", "0.0.0.0", "--port", "0")
    try:
        line = local.stdout.readline()
        assert line.startswith("initlab explore: open http://127.0.0.1:") and "?token=" in line
        url = line.split()[-1]
        assert httpx.get(url).status_code == 200
        assert httpx.get(url.split("?")[0]).status_code == 403
        assert "http://" in shared.stdout.readline()
    finally:
        for process in (local, shared):
            process.terminate()
        _, local_err = local.communicate(timeout=30)
        _, shared_err = shared.communicate(timeout=30)
    assert "warning" not in local_err
    assert "warning" in shared_err and "0.0.0.0" in shared_err


@pytest.mark.parametrize(
    "args, words",
    [
        (["--port", "70000"], "--port must be between 0 and 65535"),
        (["--host", "no-such-host.invalid"], "cannot bind"),
        (["--port", "many"], "--port"),
    ],
)
def test_cli_bad_input_is_one_message_and_exit_2(monkeypatch, capsys, args, words):
    from initlab.cli import main

    monkeypatch.setattr(sys, "argv", ["initlab", "explore", "--no-browser", *args])
    with pytest.raises(SystemExit) as exit_:
        main()
    out, err = capsys.readouterr()
    assert exit_.value.code == 2
    assert words in err
    assert "Traceback" not in err and "http://" not in out
