"""initlab.torch.lsuv_: every Linear/Conv layer's output variance on the batch brought to 1 ± tol
(measured here with plain forward hooks), on a deep MLP and a small CNN."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

import initlab.torch as it
from initlab.errors import InitlabError


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    """One intra-op thread: on a loaded shared machine PyTorch's thread pool spins for seconds."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def output_variances(model: nn.Module, X: torch.Tensor) -> dict[str, float]:
    """Each Linear/Conv layer's output variance on X, by plain hooks (independent of initlab)."""
    found: dict[str, float] = {}
    handles = []
    for name, layer in model.named_modules():
        if isinstance(layer, (nn.Linear, nn.Conv2d)):

            def hook(_m, _i, out, name=name):
                found[name] = float(out.double().var(unbiased=False))

            handles.append(layer.register_forward_hook(hook))
    with torch.no_grad():
        model(X)
    for handle in handles:
        handle.remove()
    return found


def mlp(depth: int, width: int, activation) -> nn.Module:
    layers: list[nn.Module] = [nn.Linear(10, width), activation()]
    for _ in range(depth - 2):
        layers += [nn.Linear(width, width), activation()]
    layers.append(nn.Linear(width, 3))
    return nn.Sequential(*layers)


def cnn() -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(3, 8, 3, padding=1),
        nn.ReLU(),
        nn.Conv2d(8, 16, 3, stride=2),
        nn.ReLU(),
        nn.Flatten(),
        nn.Linear(16 * 3 * 3, 10),
    )


@pytest.mark.parametrize(
    "make, shape",
    [
        (lambda: mlp(20, 32, nn.ReLU), (128, 10)),
        (lambda: mlp(20, 32, nn.Tanh), (128, 10)),
        (cnn, (32, 3, 8, 8)),
    ],
    ids=["mlp20-relu", "mlp20-tanh", "cnn"],
)
@pytest.mark.parametrize("tol", [0.1, 0.01])
def test_every_layer_output_has_unit_variance_on_the_batch(make, shape, tol):
    torch.manual_seed(0)
    model = make()
    X = torch.randn(*shape) * 3 + 1
    record = it.lsuv_(model, X, tol=tol, generator=torch.Generator().manual_seed(1))
    measured = output_variances(model, X)
    assert len(measured) == len(record.names)
    for name in record.names:
        assert abs(measured[name] - 1) < tol, name
    assert np.allclose([measured[n] for n in record.names], record.variances, rtol=1e-5)


def test_the_record_gives_the_scale_of_each_orthogonal_weight():
    model = mlp(4, 16, nn.ReLU)
    X = torch.randn(64, 10)
    g = torch.Generator().manual_seed(2)
    record = it.lsuv_(model, X, generator=g)
    twin = mlp(4, 16, nn.ReLU)
    it.init_(twin, "orthogonal", generator=torch.Generator().manual_seed(2))
    for name, scale in zip(record.names, record.scales, strict=True):
        ours, orth = dict(model.named_modules())[name], dict(twin.named_modules())[name]
        assert torch.allclose(ours.weight, orth.weight * scale, rtol=1e-4, atol=1e-7)
        assert float(ours.bias.detach().abs().sum()) == 0
    assert record.to_dict()["layers"][0]["name"] == "0"


def test_a_constant_batch_is_refused_naming_the_layer():
    with pytest.raises(InitlabError, match="layer '0'"):
        it.lsuv_(mlp(3, 8, nn.ReLU), torch.zeros(16, 10))


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: it.lsuv_(mlp(3, 8, nn.ReLU), torch.randn(16, 7)), ["X of shape (16, 7)"]),
        (lambda: it.lsuv_(object(), torch.randn(4, 10)), ["torch.nn.Module"]),
        (lambda: it.lsuv_(mlp(3, 8, nn.ReLU), torch.randn(4, 10), tol=0), ["tol"]),
        (lambda: it.lsuv_(mlp(3, 8, nn.ReLU), "data"), ["X must be"]),
    ],
    ids=["wrong-shape", "non-module", "tol", "non-array"],
)
def test_bad_input_is_an_initlab_error(call, words):
    with pytest.raises(InitlabError) as error:
        call()
    for word in words:
        assert word in str(error.value)
