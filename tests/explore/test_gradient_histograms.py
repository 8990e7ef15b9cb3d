"""The histograms of ∂C/∂z a frame carries: they count every unit × sample of every layer, and
they are the histograms of the true gradient of the training cost with respect to each
pre-activation (checked by finite differences, and against initlab.analysis.layer_stats)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from initlab.analysis.layer_stats import layer_stats
from initlab.engine import reference
from initlab.explore import messages
from initlab.explore.frames import HISTOGRAM_BINS, HISTOGRAM_SPAN
from initlab.explore.limits import DEFAULT_LIMITS
from initlab.explore.session import Session

from .conftest import WAIT

TINY = dict(
    dataset="moons:n_samples=24,n_test=8",
    layers="auto,3,2,auto",
    activation="tanh",
    inits="he,random:scale=2",
    lr=0.5,
    seed=1,
)


def _session_after(settings: dict, n: int):
    """An in-process session configured with ``settings`` after ``n`` updates: its last frame,
    configuration and parameters."""
    sent: list[dict] = []
    session = Session(lambda m, droppable: sent.append(m), DEFAULT_LIMITS)
    session.start()
    session.submit(messages.parse(messages_json(settings), DEFAULT_LIMITS))
    session.submit(messages.Step(type="step", n=n))
    state = session.query(lambda s: (s.iteration, s.config, s.params))
    session.close()
    session.thread.join(WAIT)
    iteration, config, params = state
    assert iteration == n
    frames = [m for m in sent if m["type"] == "frame" and m["iteration"] == n]
    return frames[-1], config, params


def messages_json(settings: dict) -> str:
    return json.dumps({"type": "configure", "settings": settings})


def _finite_difference_dz(network, params, X, Y, k: int, l: int, eps: float = 1e-6):
    """∂C/∂z_l of model k, entry by entry: the cost's central difference when one pre-activation
    (one unit on one sample) is shifted, through a per-sample bias."""
    W, b = params[l]
    units, m = W.shape[1], X.shape[1]
    out = np.empty((units, m))
    for j in range(units):
        for i in range(m):
            shifted = []
            for sign in (1.0, -1.0):
                b2 = np.repeat(b, m, axis=-1).copy()  # (K, units, m): z_l + b2 − b
                b2[k, j, i] += sign * eps
                trial = [*params[:l], (W, b2), *params[l + 1 :]]
                shifted.append(reference.cost(network, trial, X, Y)[k])
            out[j, i] = (shifted[0] - shifted[1]) / (2 * eps)
    return out


def test_gradient_histograms_are_the_histograms_of_dC_dz():
    frame, config, params = _session_after(TINY, 40)
    X, Y, network = config.X, config.Y, config.network
    m = X.shape[1]
    stats = layer_stats(network, params, X, Y, iteration=40, symmetry=False)
    for k, model in enumerate(frame["models"]):
        hists = model["layers"]["dz_hist"]
        assert len(hists) == len(network.sizes) - 1
        for l, hist in enumerate(hists):
            units = network.sizes[l + 1]
            counts = hist["counts"]
            assert len(counts) == HISTOGRAM_BINS and all(isinstance(c, int) for c in counts)
            assert sum(counts) == units * m  # every unit on every training sample
            center = (hist["lo"] + hist["hi"]) / 2
            spread = (hist["hi"] - hist["lo"]) / (2 * HISTOGRAM_SPAN)
            assert spread > 0
            # the mean square of dZ is ‖∂C/∂z_l‖² / (units·m), with layer_stats' own backward pass
            rms = stats.grad_z[k, l] / np.sqrt(units * m)
            assert np.sqrt(center**2 + spread**2) == pytest.approx(rms, rel=1e-9)
            # and the values are the cost's derivatives with respect to each pre-activation
            dz = _finite_difference_dz(network, params, X, Y, k, l)
            assert dz.mean() == pytest.approx(center, rel=1e-5, abs=1e-7 * spread)
            assert dz.std() == pytest.approx(spread, rel=1e-5)
            mine, _ = np.histogram(
                np.clip(dz, hist["lo"], hist["hi"]),
                bins=HISTOGRAM_BINS,
                range=(hist["lo"], hist["hi"]),
            )
            assert np.abs(mine - np.array(counts)).sum() <= 2  # a value on a bin edge may move


def test_a_diverged_model_sends_no_histograms():
    settings = dict(
        dataset="circles",
        layers="auto,32,32,32,auto",
        activation="linear",
        inits="random:scale=10,zeros",
        lr=1.0,
        seed=3,
    )
    frame, _, _ = _session_after(settings, 60)
    diverged, zeros = frame["models"]
    assert diverged["diverged_at"] is not None
    assert diverged["layers"]["z_hist"] is None and diverged["layers"]["dz_hist"] is None
    assert zeros["diverged_at"] is None
    hidden = zeros["layers"]["dz_hist"][:-1]  # zeros: every hidden unit passes exactly 0
    assert [h["zeros"] for h in hidden] == [sum(h["counts"]) for h in hidden]
    assert all(sum(h["counts"]) > 0 for h in hidden)
    output = zeros["layers"]["dz_hist"][-1]
    assert output["zeros"] == 0 and sum(output["counts"]) > 0
