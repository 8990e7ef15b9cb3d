"""initlab.torch.init_ against torch.nn.init itself: the same law on the same layer, PyTorch's
fans, reproducible draws, dtype and device kept, selectors, and one clear error per bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from scipy import stats
from torch import nn
from torch.nn import init as tinit

import initlab.torch as it
from initlab.errors import InitlabError
from initlab.initializers import get


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    """One intra-op thread: on a loaded shared machine PyTorch's thread pool spins for seconds."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


FIVE_SIGMA_P = 5.733e-7  # two-sided p-value of a 5-sigma deviation


def _gen(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def _values(tensor: torch.Tensor) -> np.ndarray:
    return tensor.detach().double().numpy().ravel()


def assert_same_law(ours: np.ndarray, theirs: np.ndarray) -> None:
    """Two samples from one law: means and variances within 5 standard errors, and the
    two-sample Kolmogorov–Smirnov test not rejecting at 5 sigma."""
    n, m = ours.size, theirs.size
    se_mean = math.sqrt(ours.var() / n + theirs.var() / m)
    assert abs(ours.mean() - theirs.mean()) <= 5 * se_mean + 1e-12
    fourth = lambda v: np.mean((v - v.mean()) ** 4) - v.var() ** 2  # noqa: E731
    se_var = math.sqrt(fourth(ours) / n + fourth(theirs) / m)
    assert abs(ours.var() - theirs.var()) <= 5 * se_var + 1e-12
    assert stats.ks_2samp(ours, theirs).pvalue > FIVE_SIGMA_P


# (initlab spec, the same draw with torch.nn.init, the largest |w| allowed or None)
SHARED = [
    ("kaiming_normal", lambda w, g: tinit.kaiming_normal_(w, generator=g), None),
    (
        "kaiming_normal:mode=fan_out,nonlinearity=tanh",
        lambda w, g: tinit.kaiming_normal_(w, mode="fan_out", nonlinearity="tanh", generator=g),
        None,
    ),
    (
        "kaiming_uniform:a=2.23606797749979",
        lambda w, g: tinit.kaiming_uniform_(w, a=math.sqrt(5), generator=g),
        lambda fi, fo: math.sqrt(6 / ((1 + 5) * fi)),
    ),
    (
        "xavier_uniform:gain=1.5",
        lambda w, g: tinit.xavier_uniform_(w, gain=1.5, generator=g),
        lambda fi, fo: 1.5 * math.sqrt(6 / (fi + fo)),
    ),
    ("xavier_normal", lambda w, g: tinit.xavier_normal_(w, generator=g), None),
    (
        "lecun_normal",
        lambda w, g: tinit.kaiming_normal_(w, nonlinearity="linear", generator=g),
        None,
    ),
    (
        "lecun_uniform",
        lambda w, g: tinit.kaiming_uniform_(w, nonlinearity="linear", generator=g),
        lambda fi, fo: math.sqrt(3 / fi),
    ),
    ("normal:mean=0.5,std=2", lambda w, g: tinit.normal_(w, 0.5, 2.0, generator=g), None),
    (
        "uniform:low=-1,high=3",
        lambda w, g: tinit.uniform_(w, -1.0, 3.0, generator=g),
        lambda fi, fo: 3.0,
    ),
    (
        "truncated_normal:std=1,low=-1,high=1.5",
        lambda w, g: tinit.trunc_normal_(w, 0.0, 1.0, -1.0, 1.5, generator=g),
        lambda fi, fo: 1.5,
    ),
]
LAYERS = [
    lambda: nn.Linear(400, 300),  # 120 000 weights
    lambda: nn.Conv2d(24, 48, 5),  # fan_in 600, fan_out 1200: 28 800 weights
    lambda: nn.Conv1d(30, 40, 7),
]


@pytest.mark.parametrize("layer_of", LAYERS, ids=["linear", "conv2d", "conv1d"])
@pytest.mark.parametrize("spec, torch_draw, bound", SHARED, ids=[s[0] for s in SHARED])
def test_init_draws_the_law_of_torch_nn_init(layer_of, spec, torch_draw, bound):
    ours, theirs = layer_of(), layer_of()
    it.init_(ours, spec, generator=_gen(1))
    with torch.no_grad():
        torch_draw(theirs.weight, _gen(2))
    assert_same_law(_values(ours.weight), _values(theirs.weight))
    if bound is not None:
        fan_in, fan_out = tinit._calculate_fan_in_and_fan_out(theirs.weight)
        assert np.abs(_values(ours.weight)).max() <= bound(fan_in, fan_out) * (1 + 1e-7)


def test_torch_linear_is_nn_linears_own_default_weight_and_bias():
    ours, theirs = nn.Linear(500, 400), nn.Linear(500, 400)
    it.init_(ours, "torch_linear", generator=_gen(3))
    torch.manual_seed(4)
    theirs.reset_parameters()
    assert_same_law(_values(ours.weight), _values(theirs.weight))
    assert np.abs(_values(ours.bias)).max() <= 1 / math.sqrt(500)
    assert stats.kstest(
        _values(ours.bias), stats.uniform(-1 / 500**0.5, 2 / 500**0.5).cdf
    ).pvalue > (FIVE_SIGMA_P)


@pytest.mark.parametrize("shape", [(20, 50), (50, 20)])
def test_orthogonal_gives_gain_squared_identity(shape):
    layer = nn.Linear(shape[1], shape[0])
    it.init_(layer, "orthogonal:gain=2", generator=_gen(5))
    w = layer.weight.detach().double()
    gram = w @ w.T if shape[0] <= shape[1] else w.T @ w
    assert torch.allclose(gram, 4 * torch.eye(min(shape), dtype=torch.float64), atol=1e-5)


def test_orthogonal_on_a_conv_is_torch_orthogonal_flattening():
    conv = nn.Conv2d(8, 16, 3)
    it.init_(conv, "orthogonal", generator=_gen(6))
    flat = conv.weight.detach().double().reshape(16, -1)  # torch flattens to (rows, numel/rows)
    assert torch.allclose(flat @ flat.T, torch.eye(16, dtype=torch.float64), atol=1e-5)


@pytest.mark.parametrize(
    "spec, torch_fill",
    [
        ("zeros", tinit.zeros_),
        ("ones", tinit.ones_),
        ("constant:value=0.25", lambda w: tinit.constant_(w, 0.25)),
        ("identity", tinit.eye_),
    ],
)
def test_deterministic_initializers_equal_torch_exactly(spec, torch_fill):
    ours, theirs = nn.Linear(12, 12), nn.Linear(12, 12)
    it.init_(ours, spec)
    with torch.no_grad():
        torch_fill(theirs.weight)
    assert torch.equal(ours.weight, theirs.weight)


def test_sparse_zeroes_as_many_entries_per_column_as_torch():
    ours, theirs = nn.Linear(60, 100), nn.Linear(60, 100)
    it.init_(ours, "sparse:sparsity=0.07,std=0.5", generator=_gen(7))
    with torch.no_grad():
        tinit.sparse_(theirs.weight, 0.07, 0.5, generator=_gen(8))
    zeros = lambda w: (w == 0).sum(dim=0)  # noqa: E731
    assert torch.equal(zeros(ours.weight), zeros(theirs.weight))  # 8 per column, each
    nonzero = lambda w: _values(w)[_values(w) != 0]  # noqa: E731
    assert_same_law(nonzero(ours.weight), nonzero(theirs.weight))


@pytest.mark.parametrize(
    "spec", ["he_truncated_normal", "glorot_truncated_normal", "random:scale=3"]
)
def test_initializers_torch_lacks_draw_initlabs_own_law(spec):
    layer = nn.Linear(300, 200)
    it.init_(layer, spec, generator=_gen(9))
    reference = get(spec)((200, 300), np.random.default_rng(10))
    assert_same_law(_values(layer.weight), reference.ravel())


def test_conv_fan_out_modes_use_torchs_fans_for_initlab_only_schemes():
    """variance_scaling has no torch twin: its variance is scale / fan with torch's conv fans."""
    conv = nn.Conv2d(16, 32, 5)  # fan_in 400, fan_out 800
    it.init_(conv, "variance_scaling:scale=2,mode=fan_out,distribution=uniform", generator=_gen(11))
    values = _values(conv.weight)
    assert abs(values.var() / (2 / 800) - 1) < 5 * math.sqrt(0.8 / values.size)
    assert np.abs(values).max() <= math.sqrt(3 * 2 / 800) * (1 + 1e-7)


@pytest.mark.parametrize(
    "layer",
    [
        nn.Linear(7, 3),
        nn.Conv1d(4, 6, 5),
        nn.Conv2d(3, 8, (3, 5)),
        nn.Conv2d(8, 16, 3, groups=4),
        nn.Conv3d(2, 4, (1, 2, 3)),
    ],
    ids=["linear", "conv1d", "conv2d", "grouped", "conv3d"],
)
def test_fans_equal_torchs(layer):
    assert it.torch_fans(tuple(layer.weight.shape)) == tinit._calculate_fan_in_and_fan_out(
        layer.weight
    )


def _model(dtype=torch.float32) -> nn.Module:
    return nn.Sequential(nn.Conv1d(2, 4, 3), nn.Flatten(), nn.Linear(24, 5), nn.Tanh()).to(dtype)


def test_same_generator_state_same_tensors_and_the_generator_moves_on():
    a, b = _model(), _model()
    it.init_(a, "kaiming_uniform", generator=_gen(12))
    it.init_(b, "kaiming_uniform", generator=_gen(12))
    for pa, pb in zip(a.parameters(), b.parameters(), strict=True):
        assert torch.equal(pa, pb)
    g = _gen(12)
    it.init_(a, "kaiming_uniform", generator=g)
    it.init_(b, "kaiming_uniform", generator=g)
    assert not torch.equal(a[0].weight, b[0].weight)
    torch.manual_seed(13)
    it.init_(a, "xavier_normal")
    torch.manual_seed(13)
    it.init_(b, "xavier_normal")
    assert torch.equal(a[2].weight, b[2].weight)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64, torch.bfloat16])
def test_dtype_device_and_parameters_are_kept(dtype):
    model = _model(dtype)
    before = {name: p for name, p in model.named_parameters()}
    it.init_(model, "kaiming_normal", generator=_gen(14))
    reference = it.init_(_model(torch.float64), "kaiming_normal", generator=_gen(14))
    for (name, p), ref in zip(model.named_parameters(), reference.parameters(), strict=True):
        assert p is before[name] and p.requires_grad
        assert p.dtype == dtype and p.device == torch.device("cpu")
        assert torch.equal(p, ref.to(dtype))  # one rounding from the same float64 draw


def test_biases_follow_the_rule_unless_told():
    model = nn.Sequential(nn.Linear(50, 40), nn.Linear(40, 30))
    it.init_(model, "kaiming_normal")
    assert all(float(layer.bias.detach().abs().sum()) == 0 for layer in model)
    it.init_(model, "torch_linear", bias=0)  # 0 overrides torch_linear's own bias rule
    assert all(float(layer.bias.detach().abs().sum()) == 0 for layer in model)
    it.init_(model, "kaiming_normal", bias=0.5)
    assert all(bool((layer.bias == 0.5).all()) for layer in model)
    kept = model[1].bias.clone()
    it.init_(model, "orthogonal", bias="keep")
    assert torch.equal(model[1].bias, kept)
    it.init_(model, "zeros", bias="torch_linear", generator=_gen(15))
    assert 0 < float(model[0].bias.detach().abs().max()) <= 1 / math.sqrt(50)
    assert float(model[0].weight.detach().abs().sum()) == 0


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Flatten(), nn.Linear(16, 8))
        self.head = nn.Linear(8, 2)

    def forward(self, x):
        return self.head(self.body(x))


def test_a_mapping_applies_later_entries_over_earlier_ones():
    net = Net()
    it.init_(net, {nn.Linear: "ones", r"head\.": "zeros", nn.Conv2d: "constant:value=2"})
    assert bool((net.body[3].weight == 1).all())
    assert bool((net.head.weight == 0).all())
    assert bool((net.body[0].weight == 2).all())


def test_include_and_callable_selectors():
    net = Net()
    it.init_(net, "zeros")
    it.init_(net, "ones", include=lambda name, layer: name.startswith("body"))
    assert bool((net.body[0].weight == 1).all()) and bool((net.body[3].weight == 1).all())
    assert bool((net.head.weight == 0).all())
    it.init_(net, "zeros", include=(nn.Conv2d,))
    assert bool((net.body[0].weight == 0).all()) and bool((net.body[3].weight == 1).all())


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: it.init_("not a model", "he"), ["torch.nn.Module", "str"]),
        (lambda: it.init_(Net(), "no_such_init"), ["no_such_init"]),
        (lambda: it.init_(Net(), {r"tail\.": "zeros"}), ["regex 'tail\\\\.'", "head.weight"]),
        (lambda: it.init_(Net(), "he", include=nn.Conv3d), ["include=", "Conv3d"]),
        (lambda: it.init_(Net(), "identity"), ["'body.0'", "Conv2d", "2-D"]),
        (lambda: it.init_(Net(), "lsuv"), ["lsuv_"]),
        (lambda: it.init_(nn.ReLU(), "he"), ["no nn.Linear"]),
        (lambda: it.init_(Net(), "he", generator=7), ["torch.Generator"]),
        (lambda: it.init_(Net(), "he", bias=[1]), ["bias"]),
        (lambda: it.init_(Net(), {"(": "he"}), ["regex '('"]),
    ],
    ids=[
        "non-module",
        "unknown-init",
        "regex-matches-nothing",
        "include-matches-nothing",
        "identity-on-conv",
        "lsuv",
        "no-layers",
        "generator",
        "bias",
        "bad-regex",
    ],
)
def test_bad_input_is_one_initlab_error_naming_it(call, words):
    with pytest.raises(InitlabError) as error:
        call()
    for word in words:
        assert word in str(error.value)


def test_the_docstring_examples_hold():
    import doctest
    import importlib
    import pkgutil

    import initlab.torch as package

    names = [info.name for info in pkgutil.iter_modules(package.__path__)]
    tried = 0
    for name in ["__init__", *names]:
        module = package if name == "__init__" else importlib.import_module(f"initlab.torch.{name}")
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert result.failed == 0, name
        tried += result.attempted
    assert tried >= 10
