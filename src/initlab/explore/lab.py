"""Everything the explorer takes from the rest of initlab, in one place.

The explorer is a front door: it trains with initlab's own engine and measures with initlab's own
statistics, so the page shows exactly what ``initlab compare`` computes. Every import of initlab's
internals lives in this module (and only here), so a change of the package layout touches one file.
The functions below are thin: they adapt initlab's calls to what a live session needs (train a
segment from the current parameters, measure the layers now) and add no numerics of their own.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import os
import tempfile
import threading
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from initlab import data, engine
from initlab import errors as _errors
from initlab import initializers as _initializers
from initlab import specs as _specs
from initlab.analysis import layer_stats as _layer_stats
from initlab.analysis import prediction as _prediction
from initlab.analysis import verdict as _verdict
from initlab.engine import reference as _reference
from initlab.nn import activations as _activations
from initlab.nn import network as _network
from initlab.nn import outputs as _outputs
from initlab.nn import residual as _residual

InitlabError = _errors.InitlabError
Dataset = data.Dataset
Network = _network.Network
Params = engine.Params
LayerStats = _layer_stats.LayerStats
is_residual = _residual.is_residual
parse_block = _residual.parse_block

# The compiled kernel runs its models on numba's thread pool; numba's default ("workqueue")
# threading layer must not be entered from two Python threads at once, and the kernel holds the
# GIL anyway. One lock serializes the kernel calls of all sessions: each call is a short segment,
# so sessions take turns at segment granularity.
_ENGINE_LOCK = threading.Lock()


def split_specs(text: str) -> list[str]:
    """``"zeros,random:scale=5,he"`` → ``["zeros", "random:scale=5", "he"]`` (the CLI's rule)."""
    return _specs.split_spec_list(text)


def initializer_names() -> list[str]:
    return _initializers.names(include_aliases=False)


def dataset_names() -> list[str]:
    """The generated datasets (those without a file path)."""
    return [name for name in data.names() if not data.REGISTRY[name].takes_path]


def activation_names() -> list[str]:
    return _activations.names()


def choices() -> dict[str, list[str]]:
    """What the page offers in its menus, from initlab's registries."""
    return {
        "datasets": dataset_names(),
        "inits": initializer_names(),
        "activations": activation_names(),
    }


def initializer(spec: str) -> Any:
    """The registry's initializer for ``spec`` (raises :class:`InitlabError` for unknown ones)."""
    return _initializers.get(spec)


def load_dataset(spec: str, max_samples: int) -> Dataset:
    """A generated dataset from its spec, refused before it is generated when its ``n_samples``
    and ``n_test`` ask for more than ``max_samples``; file-backed specs are refused (the browser
    never names a server file: uploads go through :func:`dataset_from_csv_text`)."""
    name = spec.partition(":")[0].strip()
    if name in data.REGISTRY and data.REGISTRY[name].takes_path:
        raise InitlabError(
            f"dataset {name!r} reads a file on the server; upload the file's content instead"
        )
    params = data.parse_dataset_spec(spec).params
    asked = sum(v for k in ("n_samples", "n_test") if isinstance(v := params.get(k), int) and v > 0)
    if asked > max_samples:
        raise InitlabError(
            f"at most {max_samples:,} samples (train and test) per session; {spec!r} asks for "
            f"{asked:,}"
        )
    return data.load(spec)


def dataset_from_csv_text(text: str, filename: str, options: str = "") -> Dataset:
    """A dataset from a CSV file's content, parsed by initlab's own CSV reader.

    The content goes to a temporary file that this process names and deletes; ``filename`` is only
    a label (the spec becomes ``csv:FILENAME,...`` so titles and commands name the user's file).
    ``options`` are the CSV loader's parameters (``label=species,standardize=true``).
    """
    handle, path = tempfile.mkstemp(prefix="initlab-upload-", suffix=".csv")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            file.write(text)
        spec = f"csv:{path}" + (f",{options}" if options else "")
        try:
            dataset = data.load(spec)
        except InitlabError as error:
            raise InitlabError(str(error).replace(path, filename)) from None
    finally:
        os.unlink(path)
    shown = f"csv:{filename}" + (f",{options}" if options else "")
    return dataclasses.replace(dataset, spec=shown)


def build_network(
    layers: Sequence[int | str], dataset: Dataset, activation: str, output: str = "auto"
) -> Network:
    """The network for ``dataset``: ``auto`` first/last sizes become the number of features and
    the output units the labels need (as :func:`initlab.compare` builds it)."""
    return _network.network_for(list(layers), dataset, activation, output)


def parse_layers(text: str) -> tuple[int | str, ...]:
    return _network.parse_layers(text)


def targets(network: Network, dataset: Dataset, y: np.ndarray) -> np.ndarray:
    """Labels as the output layer's target array ``(n_out, m)``."""
    return _outputs.targets(y, network.output_layer(), dataset.n_classes)


def initial_params(
    network: Network, inits: Sequence[Any], seed: int, X_train: np.ndarray
) -> Params:
    """K models' initial parameters, each drawn from a fresh ``RandomState(seed)`` as
    :func:`initlab.compare` draws them (data-dependent ones completed on the training data)."""
    forward = _reference.layer_forward(network, X_train.T)
    models = [
        _initializers.init_network(
            network.sizes, ini, np.random.RandomState(seed), forward=forward, blocks=network.blocks
        )
        for ini in inits
    ]
    return engine.stack(models)


def copy_params(params: Params) -> Params:
    return [(W.copy(), b.copy()) for W, b in params]


def train_segment(
    network: Network, params: Params, X: np.ndarray, Y: np.ndarray, lr: np.ndarray, n: int
) -> engine.History:
    """``n`` updates of the K models from ``params`` on the engine ``compare`` uses (``auto``).

    The engine is deterministic and starts each call from the parameters it is given, so segments
    of 10 + 90 updates give the same bits as one run of 100 (what ``initlab diagnose`` relies on).
    """
    with _ENGINE_LOCK, _one_thread():
        return engine.train(network, params, X, Y, lr, n, every=max(n, 1), engine="auto")


@contextlib.contextmanager
def _one_thread() -> Iterator[None]:
    """Run the compiled kernel on one thread. A session's segment is short (a few ms), and a
    classroom server runs many sessions on few cores: a parallel region must wait for all its
    threads to be scheduled, which on a busy machine costs a time slice (tens of ms) per call.
    The models are independent, so the thread count does not change a single bit."""
    try:
        import numba
    except ImportError:  # the numpy engine runs; nothing to set
        yield
        return
    before = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        yield
    finally:
        numba.set_num_threads(before)


def predict_proba(network: Network, params: Params, X: np.ndarray) -> np.ndarray:
    """Output probabilities ``(K, n_out, m)`` for ``X`` ``(n_in, m)``."""
    with np.errstate(over="ignore", invalid="ignore"):
        return _reference.predict_proba(network, params, X)


def decide(probabilities: np.ndarray) -> np.ndarray:
    return _outputs.decide(probabilities)


def pre_activations_and_gradients(
    network: Network, params: Params, X: np.ndarray, Y: np.ndarray
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Every weight layer's pre-activations ``z`` of the K models and the gradient of the cost
    with respect to them, ∂C/∂z (the engine's backward pass on ``X``, ``Y``), ``(K, units, m)``
    each."""
    with np.errstate(all="ignore"):
        cache = _reference.forward(network, params, X)
        dlogits = network.output_layer().grad(cache.logits, Y)
        return cache.Z, _reference.deltas(network, params, cache, dlogits)


def cost(network: Network, params: Params, X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore", invalid="ignore"):
        return _reference.cost(network, params, X, Y)


def layer_stats(
    network: Network,
    params: Params,
    X: np.ndarray,
    Y: np.ndarray,
    iteration: int,
    symmetry: bool = True,
) -> LayerStats:
    return _layer_stats.layer_stats(network, params, X, Y, iteration=iteration, symmetry=symmetry)


def theory(ini: Any, network: Network, at_init: LayerStats, k: int) -> dict[str, Any] | None:
    """The mean-field prediction for model ``k`` (σ_w², σ_b², q, √q, χ, ‖∂C/∂z‖ per layer), or
    ``None`` for initializers the theory does not cover."""
    try:
        return _prediction.predict(ini, network, at_init, k).to_dict()
    except InitlabError:
        return None


def verdict(
    at_init: LayerStats,
    now: LayerStats,
    k: int,
    *,
    diverged_at: int | None,
    initial_cost: float,
    cost_now: float | None,
    train_accuracy: float | None,
) -> str:
    """The one-line diagnosis ``initlab compare`` writes in its table, for the state now."""
    facts = _verdict.facts_from_stats(
        at_init,
        now,
        k,
        diverged_at=diverged_at,
        initial_cost=initial_cost,
        final_cost=cost_now,
        train_accuracy=train_accuracy,
    )
    return _verdict.verdict(facts)


def explanation(
    network: Network,
    at_init: LayerStats,
    now: LayerStats,
    k: int,
    theory_: dict[str, Any] | None,
    **numbers: Any,
) -> str:
    """The sentences the report writes for a run ("why it ended as it did"), for the state now."""
    from initlab.report import why as _why

    return _why.explain_layers(
        sizes=network.sizes,
        at_init=at_init.model(k),
        at_end=now.model(k),
        theory=theory_,
        **numbers,
    )


def compare(**kwargs: Any) -> Any:
    """:func:`initlab.compare` (by its module path: nothing imports the package root, and the
    package ``initlab.experiments`` exports a function named like the module)."""
    return importlib.import_module("initlab.experiments.compare").compare(**kwargs)
