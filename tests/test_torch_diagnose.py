"""initlab.torch.diagnose: per-layer numbers equal a hand computation with plain hooks, the
theory equals initlab's own for the equivalent MLP, and the report is written as initlab's own."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

import initlab.torch as it
from initlab.analysis import theory
from initlab.errors import InitlabError
from initlab.initializers import get
from initlab.nn import activations


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    """One intra-op thread: on a loaded shared machine PyTorch's thread pool spins for seconds."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def chain(width: int = 64, dtype=torch.float64) -> nn.Sequential:
    return nn.Sequential(
        nn.Linear(6, width),
        nn.ReLU(),
        nn.Linear(width, width),
        nn.Tanh(),
        nn.Linear(width, width),
        nn.ReLU(),
        nn.Linear(width, 3),
    ).to(dtype)


def batch(m: int = 200, dtype=torch.float64):
    g = torch.Generator().manual_seed(0)
    return torch.randn(m, 6, generator=g, dtype=dtype) * 1.5, torch.randint(0, 3, (m,), generator=g)


def hand_numbers(model: nn.Sequential, X: torch.Tensor, y: torch.Tensor):
    """Each Linear layer's output and the module after it, by plain forward hooks, and the
    gradients by an ordinary backward pass."""
    outputs: dict[int, torch.Tensor] = {}
    handles = [
        layer.register_forward_hook(lambda _m, _i, out, i=i: outputs.__setitem__(i, out))
        for i, layer in enumerate(model)
    ]
    logits = model(X)
    for handle in handles:
        handle.remove()
    for out in outputs.values():
        out.retain_grad()
    loss = F.cross_entropy(logits, y)
    loss.backward()
    return outputs, float(loss.detach())


def test_preact_and_act_std_equal_plain_hooks():
    torch.manual_seed(1)
    model = chain()
    it.init_(model, "he_normal", generator=torch.Generator().manual_seed(2), bias=0.1)
    X, y = batch()
    table = it.diagnose(model, X, y, loss=F.cross_entropy).table()
    outputs, _ = hand_numbers(model, X, y)
    linear = [i for i, layer in enumerate(model) if isinstance(layer, nn.Linear)]
    assert list(table["name"]) == [str(i) for i in linear]
    assert list(table["kind"]) == ["Linear"] * 4
    for row, i in zip(table.itertuples(), linear, strict=True):
        z = outputs[i].detach().numpy()
        assert abs(row.preact_std - z.std()) < 1e-6 and abs(row.preact_mean - z.mean()) < 1e-6
        assert row.weight_std == pytest.approx(model[i].weight.detach().numpy().std(), abs=1e-12)
        assert (row.fan_in, row.fan_out) == (model[i].in_features, model[i].out_features)
        assert row.grad_norm == pytest.approx(float(model[i].weight.grad.norm()), rel=1e-9)
        if i + 1 < len(model):
            a = outputs[i + 1].detach().numpy()
            assert abs(row.act_std - a.std()) < 1e-6
    relu_z = outputs[0].detach().numpy()
    assert table["dead_fraction"][0] == pytest.approx(float(np.mean((relu_z <= 0).all(axis=0))))
    tanh_z = outputs[2].detach().numpy()
    saturated = np.mean(1 - np.tanh(tanh_z) ** 2 < 0.01)
    assert table["saturated_fraction"][1] == pytest.approx(float(saturated))
    assert math.isnan(table["act_std"][3])  # the logits are followed by no activation


def test_theory_equals_initlabs_theory_for_the_equivalent_mlp():
    model = chain(width=400)
    it.init_(model, "he_normal", generator=torch.Generator().manual_seed(3))
    X, _ = batch()
    table = it.diagnose(model, X).table()
    hidden = [activations.get(name) for name in ("relu", "tanh", "relu")]
    x = X.numpy()
    sigma_w2 = [lin.in_features * float((lin.weight.detach() ** 2).mean()) for lin in model[::2]]
    q = theory.predicted_q(hidden, sigma_w2, [0.0] * 4, np.mean(x**2, axis=1))
    expected = np.sqrt(q.mean(axis=1))
    assert np.allclose(table["theory_preact_std"], expected, rtol=1e-12)
    # the weights' own moments estimate the registry's rule (σ_w² = 2 for He): within 2 %
    sw2, sb2 = theory.weight_variances(get("he_normal"), [6, 400, 400, 400, 3])
    by_rule = np.sqrt(theory.predicted_q(hidden, sw2, sb2, np.mean(x**2, axis=1)).mean(axis=1))
    assert np.allclose(table["theory_preact_std"][:3], by_rule[:3], rtol=0.05)


def test_a_cnn_is_measured_without_a_theory():
    model = nn.Sequential(
        nn.Conv2d(3, 6, 3), nn.ReLU(), nn.Conv2d(6, 4, 3, groups=2), nn.Flatten(), nn.Linear(16, 2)
    )
    X = torch.randn(20, 3, 6, 6)
    table = it.diagnose(model, X, torch.randint(0, 2, (20,)), loss="cross_entropy").table()
    assert list(table["kind"]) == ["Conv2d", "Conv2d", "Linear"]
    assert table["fan_in"][1] == 3 * 9 and table["fan_out"][1] == 4 * 9
    assert table["theory_preact_std"].isna().all()
    with torch.no_grad():
        z = model[0](X).numpy()
    dead_channels = float(np.mean((z <= 0).all(axis=(0, 2, 3))))
    assert table["dead_fraction"][0] == dead_channels
    assert (table["grad_norm"] > 0).all()


def test_the_module_is_left_as_it_was():
    model = chain(width=8)
    before = [p.detach().clone() for p in model.parameters()]
    X, y = batch(20)
    it.diagnose(model, X, y, loss=F.cross_entropy)
    assert all(p.grad is None for p in model.parameters())
    assert all(torch.equal(p, b) for p, b in zip(model.parameters(), before, strict=True))


def test_figures_report_and_json(tmp_path):
    model = chain(width=16)
    X, y = batch(50)
    result = it.diagnose(model, X, y, loss="cross_entropy")
    assert set(result.figures()) == {"signal", "gradients", "activations"}
    data = json.loads(result.to_json())
    assert [layer["name"] for layer in data["layers"]] == ["0", "2", "4", "6"]
    assert data["layers"][3]["act_std"] is None  # NaN → null
    result.report(tmp_path / "out")
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == [
        "activations.png",
        "gradients.png",
        "report.html",
        "report.md",
        "results.json",
        "signal.png",
    ]
    assert "theory_preact_std" in (tmp_path / "out" / "report.md").read_text()
    assert "TorchDiagnostics: Sequential" in repr(result)


def readme_example() -> str:
    """The Python block of the README's "Your own PyTorch model" section."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    section = readme.split("## Your own PyTorch model", 1)[1]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


def test_the_readme_example_runs_and_gives_the_readmes_table(tmp_path, monkeypatch):
    """The README's example, executed as written there: the files it names, and its table."""
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    exec(compile(readme_example(), "README.md", "exec"), namespace)
    written = {p.name for p in (tmp_path / "out").iterdir()}
    assert written == {
        "report.html",
        "report.md",
        "results.json",
        "signal.png",
        "gradients.png",
        "activations.png",
    }
    layers = json.loads((tmp_path / "out" / "results.json").read_text())["layers"]
    shown = [  # the README's table: preact_std, grad_norm, theory_preact_std
        ("body.0", 1.39, 0.0, 1.40),
        ("body.2", 1.43, 0.0, 1.41),
        ("head", 0.0, 0.483, 0.0),
    ]
    for layer, (name, std, grad, theory_std) in zip(layers, shown, strict=True):
        assert layer["name"] == name
        assert layer["preact_std"] == pytest.approx(std, abs=0.006)
        assert layer["grad_norm"] == pytest.approx(grad, abs=0.0006)
        assert layer["theory_preact_std"] == pytest.approx(theory_std, abs=0.006)


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda m, X, y: it.diagnose(m, X[:, :4], y, loss="mse"), ["X of shape (20, 4)"]),
        (lambda m, X, y: it.diagnose(m, X, y[:5], loss="cross_entropy"), ["y of shape (5,)"]),
        (lambda m, X, y: it.diagnose(m, X, y), ["y without loss"]),
        (lambda m, X, y: it.diagnose(m, X, loss="mse"), ["loss without y"]),
        (lambda m, X, y: it.diagnose(m, X, y, loss="hinge"), ["'hinge'", "cross_entropy"]),
        (lambda m, X, y: it.diagnose("model", X), ["torch.nn.Module"]),
        (lambda m, X, y: it.diagnose(m, X[:0]), ["X must hold a batch"]),
        (lambda m, X, y: it.diagnose(nn.ReLU(), X), ["no nn.Linear"]),
    ],
    ids=["X-shape", "y-shape", "y-alone", "loss-alone", "loss-name", "non-module", "empty", "none"],
)
def test_bad_input_is_an_initlab_error_naming_it(call, words):
    X, y = batch(20)
    with pytest.raises(InitlabError) as error:
        call(chain(width=8), X, y)
    for word in words:
        assert word in str(error.value)


@pytest.mark.parametrize(
    "module",
    [
        nn.ReLU(),
        nn.Tanh(),
        nn.Sigmoid(),
        nn.SELU(),
        nn.Identity(),
        nn.LeakyReLU(0.2),
        nn.ELU(0.7),
        nn.GELU(),
        nn.Softplus(),
    ],
    ids=lambda m: type(m).__name__,
)
def test_each_recognised_activation_is_the_same_function_in_initlab(module):
    from initlab.torch.activations import activation

    z = torch.linspace(-6, 6, 241, dtype=torch.float64)
    phi = activation(module)
    assert phi is not None
    assert np.allclose(phi.forward(z.numpy()), module(z).numpy(), rtol=1e-12, atol=1e-12)


def test_unrecognised_and_approximate_activations_get_no_name():
    from initlab.torch.activations import activation

    assert activation(nn.GELU(approximate="tanh")) is None
    assert activation(nn.Softplus(beta=2)) is None
    assert activation(nn.Hardswish()) is None


class Residual(nn.Module):
    def __init__(self):
        super().__init__()
        self.a, self.b = nn.Linear(6, 6), nn.Linear(6, 3)

    def forward(self, x):
        return self.b(torch.relu(self.a(x)) + x)


def test_a_module_that_is_no_chain_gets_no_theory_and_hidden_activations_no_stats():
    X, _ = batch(30, dtype=torch.float32)
    table = it.diagnose(Residual(), X).table()
    assert list(table["name"]) == ["a", "b"]
    assert table["theory_preact_std"].isna().all()
    assert table["act_std"].isna().all()  # torch.relu in forward is invisible to hooks


def test_bfloat16_models_are_measured_in_their_own_dtype():
    model = chain(width=16, dtype=torch.bfloat16)
    X, y = batch(40, dtype=torch.float64)
    table = it.diagnose(model, X, y, loss="cross_entropy").table()
    with torch.no_grad():
        z = model[0](X.to(torch.bfloat16)).double().numpy()
    assert table["preact_std"][0] == pytest.approx(float(z.std()), rel=1e-12)
    assert model[0].weight.dtype == torch.bfloat16
    record = it.lsuv_(model, X, tol=0.1)
    assert all(abs(v - 1) < 0.1 for v in record.variances)


def test_a_frozen_layer_has_no_gradient_and_the_others_keep_theirs():
    model = chain(width=8)
    model[0].requires_grad_(False)
    X, y = batch(20)
    table = it.diagnose(model, X, y, loss="cross_entropy").table()
    assert math.isnan(table["grad_norm"][0]) and math.isnan(table["grad_preact_norm"][0])
    assert (table["grad_norm"][1:] > 0).all()
