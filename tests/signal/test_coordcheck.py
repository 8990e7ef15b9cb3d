"""Width scaling: μP's coordinates stay put across widths, SP's grow; μP at the base width is SP
to the last bit; the per-layer rules are Tensor Programs V's."""

import numpy as np
import pytest

from initlab.errors import InitlabError
from initlab.nn.parametrization import layer_scalings
from initlab.runs.spec import load_dataset
from initlab.signal import width_scaling as ws
from initlab.signal.coordcheck import coordcheck

DATA = "blobs:n_features=16,classes=4,n_samples=128"


def test_coord_check_flat_under_mup_growing_under_sp():
    r = coordcheck("relu", (64, 2048), dataset=DATA, batch=32, lr_widths=(), lrs=())
    mup = r.sizes["mup"][:, -1, :]  # after 3 steps: (widths, layers)
    sp = r.sizes["sp"][:, -1, :]
    ratio = mup[1] / mup[0]
    assert np.all((ratio > 0.5) & (ratio < 2.0)), ratio
    assert sp[1, -1] / sp[0, -1] > 4  # the logits blow up with the width under SP
    assert sp[1, -1] > 2 * mup[1, -1]


def test_coord_check_holds_up_to_width_4096():
    # the widest width the README's command draws; one seed, two hidden layers, a small batch
    r = coordcheck(
        "relu", (64, 4096), dataset=DATA, batch=16, seeds=0, depth=2, lr_widths=(), lrs=()
    )
    mup, sp = r.sizes["mup"][:, -1, :], r.sizes["sp"][:, -1, :]
    ratio = mup[1] / mup[0]
    assert np.all((ratio > 0.5) & (ratio < 2.0)), ratio
    assert sp[1, -1] / sp[0, -1] > 8  # 64× the width: SP's logits grow with it


def test_mup_at_the_base_width_is_sp_exactly():
    data = load_dataset(DATA)
    net = ws.base_network(data, 2, "tanh")
    X, Y = ws.batch_of(net, data, 32)
    args = (X, Y, 0.3, 4, (0, 1), 1.0)
    np.testing.assert_array_equal(
        ws.coord_sizes(net, "mup", 96, 96, *args), ws.coord_sizes(net, "sp", 96, 96, *args)
    )
    losses = [ws.final_losses(net, p, 96, 96, X, Y, [0.1, 1.0], 5, 0, 1.0) for p in ("sp", "mup")]
    np.testing.assert_array_equal(losses[0], losses[1])


def test_layer_rules_follow_tensor_programs_v():
    sizes, base = (10, 256, 256, 3), (10, 64, 64, 3)  # width multiplier 4
    sp = layer_scalings("sp", sizes, base, 2.0)
    mup = layer_scalings("mup", sizes, base, 2.0)
    assert [s.variance for s in sp] == [2 / 10, 2 / 256, 1 / 256]
    assert [s.variance for s in mup] == [2 / 10, 2 / 256, 1 / (256 * 4)]
    assert [s.lr for s in mup] == [4, 1, 1 / 4]
    assert [s.bias_lr for s in mup] == [4, 4, 1]
    assert [s.lr for s in sp] == [1, 1, 1]
    assert [s.lr for s in layer_scalings("ntk", sizes, base)] == [1, 1 / 4, 1 / 4]
    with pytest.raises(InitlabError, match="valid: mup, ntk, sp"):
        layer_scalings("abc", sizes, base)


def test_sgd_step_is_the_reference_gradient_times_each_layers_rate():
    data = load_dataset(DATA)
    net = ws.base_network(data, 1, "tanh")
    sizes = ws.sizes_for(net, 8)
    from initlab.nn.network import Network

    net = Network(sizes, "tanh", net.output)
    X, Y = ws.batch_of(net, data, 16)
    scalings = layer_scalings("mup", sizes, (sizes[0], 4, sizes[-1]))
    params = ws.draw(scalings, sizes, [0])
    _, after = ws.sgd_step(net, params, X, Y, np.full((1, 1, 1), 0.5), scalings)
    h = 1e-6
    W = params[0][0]
    bumped = [(W.copy(), params[0][1]), params[1]]
    bumped[0][0][0, 0, 0] += h
    from initlab.engine.reference import cost

    down = [(W.copy(), params[0][1]), params[1]]
    down[0][0][0, 0, 0] -= h
    grad = (cost(net, bumped, X, Y)[0] - cost(net, down, X, Y)[0]) / (2 * h)
    step = W[0, 0, 0] - after[0][0][0, 0, 0]
    assert step == pytest.approx(0.5 * scalings[0].lr * grad, rel=1e-6)
