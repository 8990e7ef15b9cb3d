"""Sessions over a real WebSocket: the numbers equal initlab.compare's, rewind repeats them bit
for bit, a closed socket frees its worker."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

import initlab
from initlab.explore import messages
from initlab.explore.limits import DEFAULT_LIMITS
from initlab.explore.session import Session

from .conftest import WAIT


def _costs(frame):
    return [m["cost"] for m in frame["models"]]


def _run_to(client, n):
    client.send({"type": "play", "until": n})
    return client.until(lambda m: m["type"] == "frame" and m["iteration"] == n and not m["running"])


DIVERGING = dict(
    dataset="circles",
    layers="auto,32,32,32,auto",
    activation="linear",
    inits="random:scale=10,he,zeros",
    lr=1.0,
    seed=3,
)
CASES = [
    dict(
        dataset="circles",
        layers="auto,10,5,auto",
        activation="relu",
        inits="zeros,random,he",
        lr=0.01,
        seed=3,
    ),
    dict(
        dataset="blobs:classes=3,n_samples=200",
        layers="auto,8,8,auto",
        activation="tanh",
        inits="glorot_uniform,lsuv,random:scale=5",
        lr=0.1,
        seed=0,
    ),
]


@pytest.mark.parametrize(
    "settings", [*CASES, DIVERGING], ids=["course", "softmax-lsuv", "diverging"]
)
def test_frames_equal_compare_and_rewind_repeats_them(server, settings):
    client = server.client()
    start = client.configure(**settings)
    assert start["iteration"] == 0
    at_250 = _run_to(client, 250)
    result = initlab.compare(
        inits=settings["inits"],
        layers=settings["layers"],
        dataset=settings["dataset"],
        activation=settings["activation"],
        lr=settings["lr"],
        seed=settings["seed"],
        iterations=250,
    )
    if settings is DIVERGING:  # the case must diverge, or it tests nothing
        assert [run.diverged_at is not None for run in result.runs] == [True, True, False]
    for model, run in zip(at_250["models"], result.runs, strict=True):
        if run.final_cost is None:
            assert model["cost"] is None and model["diverged_at"] == run.diverged_at
        else:
            assert model["cost"] == pytest.approx(run.final_cost, rel=1e-12, abs=0)
            assert model["train_accuracy"] == pytest.approx(run.train_accuracy, abs=1e-12)
            assert model["test_accuracy"] == pytest.approx(run.test_accuracy, abs=1e-12)
    client.send({"type": "rewind"})
    again0 = client.until(lambda m: m["type"] == "frame")
    assert again0["iteration"] == 0 and _costs(again0) == _costs(start)
    for n in (100, 100, 50):  # the same 250 updates, in other segments
        client.send({"type": "step", "n": n})
    again = client.until(lambda m: m["type"] == "frame" and m["iteration"] == 250)
    assert _costs(again) == _costs(at_250)  # bit for bit: JSON carries the shortest repr
    assert [m["boundary"] for m in again["models"]] == [m["boundary"] for m in at_250["models"]]
    client.close()


def test_the_course_zeros_model_fails_to_break_symmetry_and_he_learns(server):
    client = server.client()
    start = client.configure(**CASES[0])
    end = _run_to(client, 2000)
    zeros, _, he = end["models"]
    assert zeros["layers"]["distinct"] == [1, 1]
    assert "symmetry" in zeros["verdict"]
    assert he["cost"] < start["models"][2]["cost"]
    assert start["models"][2]["boundary"] != he["boundary"]
    client.close()


def test_pause_stops_training(server):
    client = server.client()
    client.configure(**CASES[0])
    client.send({"type": "play"})
    client.until(lambda m: m["type"] == "frame" and m["iteration"] >= 500)
    client.send({"type": "pause"})
    paused = client.until(lambda m: m["type"] == "frame" and not m["running"])
    client.send({"type": "ping"})
    after = client.until(lambda m: m["type"] in ("frame", "pong"))
    assert after["type"] == "pong"  # no frame came between the pause and the pong
    client.send({"type": "step", "n": 1})
    one_more = client.until(lambda m: m["type"] == "frame")
    assert one_more["iteration"] == paused["iteration"] + 1
    client.close()


def _worker(name: str) -> threading.Thread | None:
    return next((t for t in threading.enumerate() if t.name == f"initlab-explore-{name}"), None)


def test_a_closed_socket_frees_its_worker(server):
    client = server.client()
    hello = client.receive()
    name = hello["session"]
    client.configure(**CASES[0])
    client.send({"type": "play"})
    client.until(lambda m: m["type"] == "frame" and m["iteration"] > 0)
    worker = _worker(name)
    assert worker is not None and worker.is_alive()
    assert name in server.app.state.sessions.live
    client.close()  # mid-training
    worker.join(WAIT)
    assert not worker.is_alive()
    deadline = time.monotonic() + WAIT
    while name in server.app.state.sessions.live and time.monotonic() < deadline:
        time.sleep(0.01)
    assert name not in server.app.state.sessions.live


def test_session_survives_its_own_bug():
    """An exception inside the worker becomes an error frame; the worker goes on."""
    sent = []
    session = Session(lambda m, droppable: sent.append(m), DEFAULT_LIMITS)
    session.start()
    session.submit(messages.parse('{"type": "configure", "settings": {}}', DEFAULT_LIMITS))
    session.query(lambda s: setattr(s, "params", None))  # break it from inside
    session.submit(messages.Step(type="step", n=1))
    session.submit(messages.Ping(type="ping"))
    assert session.query(lambda s: s.iteration) == 0
    session.close()
    session.thread.join(WAIT)
    kinds = [m["type"] for m in sent]
    assert kinds[-2:] == ["error", "pong"]
    assert not session.thread.is_alive()


def test_limits_clamp_speed(server):
    client = server.client()
    client.configure(**CASES[0])
    client.send({"type": "speed", "updates_per_second": 10**9})
    reply = client.until(lambda m: m["type"] == "speed")
    assert reply["updates_per_second"] == server.app.state.limits.max_updates_per_second
    assert np.isfinite(reply["updates_per_second"])
    client.close()


def test_the_budget_shares_the_server_equally():
    from initlab.explore.budget import Budget

    budget = Budget(train_share=0.6, frame_share=0.25)
    assert budget.updates_per_second(2000, 1e-4) == 2000  # alone: as fast as asked
    for name in ("a", "b", "c"):
        budget.set_running(name, True)
    assert budget.updates_per_second(2000, 1e-4) == pytest.approx(0.6 / 3 / 1e-4)  # 2000 → 2000
    for name in "defghijkl":
        budget.set_running(name, True)
    assert budget.updates_per_second(2000, 1e-4) == pytest.approx(0.6 / 12 / 1e-4)  # 500
    assert budget.frame_period(0.05, 0.005) == pytest.approx(0.005 / (0.25 / 12))
    budget.set_running("a", False)
    assert budget.running == 11


def test_an_uploaded_csv_with_four_features_is_shown_on_its_principal_components(server):
    rng = np.random.RandomState(0)
    rows = ["a,b,c,d,kind"]
    for i in range(120):
        label = ("setosa", "other")[i % 2]
        centre = 1.0 if label == "setosa" else -1.0
        rows.append(
            ",".join(f"{centre + 0.3 * v:.4f}" for v in rng.standard_normal(4)) + f",{label}"
        )
    client = server.client()
    client.send(
        {
            "type": "configure",
            "settings": {"inits": "zeros,he", "layers": "auto,6,auto", "lr": 0.1},
            "csv": {"name": "flowers.csv", "content": "\n".join(rows), "options": "label=kind"},
        }
    )
    ready = client.until(lambda m: m["type"] in ("ready", "error"))
    assert ready["type"] == "ready", ready
    assert ready["n_features"] == 4 and ready["projected"] and ready["cells"] == 0
    assert ready["dataset"].startswith("csv:flowers.csv") and ready["upload"] == "flowers.csv"
    assert ready["sizes"] == [4, 6, 1]
    assert len(ready["train"]) + len(ready["test"]) == 120
    frame = client.until(lambda m: m["type"] == "frame")
    assert [m["boundary"] for m in frame["models"]] == [None, None]
    later = _run_to(client, 200)
    assert later["models"][0]["train_accuracy"] == 0.5  # zeros: one unit, one class
    assert later["models"][1]["train_accuracy"] > 0.95
    client.close()
