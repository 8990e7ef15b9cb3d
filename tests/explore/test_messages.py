"""Hostile and malformed messages: each gets an error frame, and nothing else stops.

One session trains all along while another sends every kind of bad message; each bad message is
answered with an error frame, the training session keeps advancing, and the one that sent them
still works afterwards.
"""

from __future__ import annotations

import json
import time

import pytest

from initlab.explore import messages
from initlab.explore.limits import DEFAULT_LIMITS

from .conftest import WAIT

GOOD = {
    "dataset": "circles",
    "layers": "auto,10,5,auto",
    "activation": "relu",
    "inits": "zeros,random,he",
    "lr": 0.01,
    "seed": 3,
}


def configure(**changes):
    return json.dumps({"type": "configure", "settings": {**GOOD, **changes}})


# Each: (what it is, the raw text sent, a word the error must contain)
BAD = [
    ("not JSON", "{type: play", "JSON"),
    ("empty frame", "", "JSON"),
    ("JSON NaN", '{"type": "step", "n": NaN}', "JSON"),
    ("a JSON list", "[1, 2, 3]", "object"),
    ("a JSON string", '"play"', "object"),
    ("no type", '{"n": 3}', "type"),
    ("unknown type", '{"type": "shutdown"}', "shutdown"),
    ("type not a string", '{"type": 7}', "type"),
    ("step n a string", '{"type": "step", "n": "10"}', "n"),
    ("step n a float", '{"type": "step", "n": 1.5}', "n"),
    ("step n huge", '{"type": "step", "n": 1e300}', "n"),
    ("step n negative", '{"type": "step", "n": -5}', "n"),
    ("step n over the limit", '{"type": "step", "n": 1000001}', "n"),
    ("play until a bool", '{"type": "play", "until": true}', "until"),
    ("play until beyond the limit", '{"type": "play", "until": 99999999999}', "until"),
    ("unknown key", '{"type": "pause", "now": true}', "now"),
    ("speed zero", '{"type": "speed", "updates_per_second": 0}', "updates_per_second"),
    ("settings not an object", '{"type": "configure", "settings": 5}', "settings"),
    ("lr infinite", configure(lr=0.5).replace("0.5", "1e400"), "lr"),
    ("lr negative", configure(lr=-1), "lr"),
    ("lr a string", configure(lr="0.1"), "lr"),
    ("seed negative", configure(seed=-3), "seed"),
    ("seed a float", configure(seed=3.5), "seed"),
    ("unknown initializer", configure(inits="zeros,kaiming_magic"), "kaiming_magic"),
    ("bad initializer parameter", configure(inits="random:scale=abc,he"), "scale"),
    ("nine initializers", configure(inits=",".join(["he"] * 9)), "8"),
    ("too wide", configure(layers="auto,100000,auto"), "wide"),
    ("too deep", configure(layers="auto," + ",".join(["4"] * 40) + ",auto"), "hidden layers"),
    ("too many samples", configure(dataset="moons:n_samples=10000000"), "samples"),
    ("unknown dataset", configure(dataset="imagenet"), "imagenet"),
    ("a server file", configure(dataset="csv:/etc/passwd"), "upload"),
    ("unknown activation", configure(activation="swishy"), "swishy"),
    ("layers not numbers", configure(layers="auto,ten,auto"), "ten"),
    (
        "csv with a path as name",
        json.dumps(
            {
                "type": "configure",
                "settings": GOOD,
                "csv": {"name": "../../etc/passwd", "content": "1,2,0\n"},
            }
        ),
        "name",
    ),
    (
        "csv that is not a table",
        json.dumps(
            {
                "type": "configure",
                "settings": GOOD,
                "csv": {"name": "x.csv", "content": "just words\n"},
            }
        ),
        "x.csv",
    ),
    (
        "csv too large",
        json.dumps(
            {
                "type": "configure",
                "settings": GOOD,
                "csv": {"name": "big.csv", "content": "1,2,0\n" * 400_000},
            }
        ),
        "limit",
    ),
    ("deeply nested JSON", "[" * 100_000 + "]" * 100_000, "JSON"),
]


@pytest.mark.parametrize("name, raw, word", BAD, ids=[b[0] for b in BAD])
def test_parse_or_build_refuses(name, raw, word):
    """Offline: every bad message fails validation or configuration with a sentence."""
    from initlab.explore import configuration, lab

    try:
        message = messages.parse(raw, DEFAULT_LIMITS)
    except messages.BadMessage as error:
        assert word.lower() in str(error).lower()
        return
    assert isinstance(message, messages.Configure), f"{name} was accepted"
    with pytest.raises(lab.InitlabError) as error:
        configuration.build(message.settings, message.csv, DEFAULT_LIMITS)
    assert word.lower() in str(error.value).lower()


def test_bad_messages_get_error_frames_while_another_session_trains(server):
    trainer = server.client()
    trainer.configure(**GOOD)
    trainer.send({"type": "play"})
    first = trainer.until(lambda m: m["type"] == "frame" and m["iteration"] > 0)

    hostile = server.client()
    hostile.configure(**GOOD)
    huge = '{"type": "ping", "pad": "' + "x" * (100 * 1024 * 1024) + '"}'  # a 100 MB frame
    for name, raw, word in [
        *BAD,
        ("a 100 MB frame", huge, "limit"),
        ("binary", b"\x00\xff", "binary"),
    ]:
        hostile.ws.send(raw)
        error = hostile.until(lambda m: m["type"] in ("error", "pong"))
        assert error["type"] == "error", name
        assert word.lower() in error["message"].lower(), (name, error["message"])

    later = trainer.until(lambda m: m["type"] == "frame" and m["iteration"] > first["iteration"])
    assert later["running"]
    hostile.send({"type": "ping"})
    assert hostile.until(lambda m: m["type"] in ("pong", "error"))["type"] == "pong"
    hostile.send({"type": "step", "n": 10})  # still configured: the bad configures changed nothing
    frame = hostile.until(lambda m: m["type"] == "frame")
    assert frame["iteration"] == 10
    assert [m["cost"] is not None for m in frame["models"]] == [True, True, True]
    trainer.close()
    hostile.close()


def test_a_flood_of_messages_is_throttled_and_the_session_goes_on(server):
    client = server.client()
    client.receive()  # hello
    for i in range(300):
        client.send({"type": "ping"} if i % 2 else "not json at all")  # bad ones count too
    replies = [client.until(lambda m: m["type"] in ("pong", "error")) for _ in range(300)]
    refused = [m for m in replies if "too many messages" in m.get("message", "")]
    assert refused
    admitted = [m for m in replies if m not in refused]
    assert len(admitted) >= server.app.state.limits.message_burst
    assert {m["type"] for m in admitted} == {"pong", "error"}  # bad JSON still gets its answer
    deadline = time.monotonic() + WAIT
    while True:  # the bucket refills: a later ping goes through
        client.send({"type": "ping"})
        if client.until(lambda m: m["type"] in ("pong", "error"))["type"] == "pong":
            break
        assert time.monotonic() < deadline
        time.sleep(0.1)
    client.close()


def test_the_bucket_refills_at_its_rate():
    from initlab.explore.limits import Limits
    from initlab.explore.throttle import Throttle

    now = [0.0]
    throttle = Throttle(Limits(messages_per_second=10, message_burst=3), clock=lambda: now[0])
    assert [throttle.refuse_frame() for _ in range(3)] == [None, None, None]
    assert "too many messages" in throttle.refuse_frame()
    now[0] += 0.1  # one token back
    assert throttle.refuse_frame() is None
    assert throttle.refuse_frame() is not None
    roomy = Throttle(Limits(message_burst=100, expensive_burst=6), clock=lambda: now[0])
    for _ in range(6):
        assert roomy.refuse_kind("configure") is None
    assert "configure" in roomy.refuse_kind("configure")  # the expensive bucket: 6 at once
    assert roomy.refuse_kind("step") is None
