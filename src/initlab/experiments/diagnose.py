"""The result of :func:`initlab.diagnose`: what every layer does, measured beside the theory.

:func:`measure` trains the K networks in segments — up to each checkpoint, then on from the
parameters reached (the engine is deterministic, so the segments are one run) — and takes the
per-layer statistics (:mod:`initlab.analysis.layer_stats`) at every checkpoint. For each
variance-based initializer it adds the mean-field prediction (:mod:`initlab.analysis.theory`):
q_l of every layer run from each training sample's mean squared input, χ_l, and the gradient
norms ‖∂C/∂z_l‖ predicted from the measured output gradient at initialization.

:class:`Diagnostics` gives the numbers as a table (``table()``, ``summary()``), JSON
(``to_dict()``), figures (``figures()``) and the files of a report (``files()``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from initlab import data, initializers
from initlab._version import __version__
from initlab.analysis import theory
from initlab.analysis.layer_stats import LayerStats, layer_stats
from initlab.analysis.verdict import facts_from_stats, verdict
from initlab.checks import integer_at_least, positive_number
from initlab.data.dataset import Dataset
from initlab.data.registry import short_spec
from initlab.engine import Params, reference
from initlab.engine.initial import initial_batch
from initlab.engine.train import check_engine as engine_check
from initlab.errors import InitlabError
from initlab.initializers.registry import Initializer
from initlab.nn.network import Network, network_for
from initlab.nn.outputs import decide, targets
from initlab.report.document import FigureSection, Report, report_files
from initlab.report.header import settings_header
from initlab.report.why import explain_layers
from initlab.runs.segments import train_segments
from initlab.viz import depth as figures

DEFAULT_INITS = ("zeros", "random", "lecun_normal", "he")
DEFAULT_DEPTH = 20
DEFAULT_WIDTH = 64
HISTOGRAM_VALUES = 6000  # activations kept per layer for the histograms (an even stride)


def default_checkpoints(iterations: int) -> list[int]:
    """0, then 10, 100, 1000, ... below ``iterations``, then ``iterations``.

    >>> default_checkpoints(500)
    [0, 10, 100, 500]
    """
    points = [0]
    step = 10
    while step < iterations:
        points.append(step)
        step *= 10
    return [*points, iterations] if iterations > 0 else points


@dataclass
class InitTheory:
    """The theory's numbers for one initializer: per weight layer ``sigma_w2``, ``sigma_b2``,
    ``q`` (mean over samples) and ``pre_std`` = √q; per hidden layer ``chi`` (mean over samples);
    ``grad_z`` the predicted ‖∂C/∂z_l‖ from the measured output gradient at initialization."""

    sigma_w2: np.ndarray
    sigma_b2: np.ndarray
    q: np.ndarray
    chi: np.ndarray
    grad_z: np.ndarray

    @property
    def pre_std(self) -> np.ndarray:
        return np.sqrt(self.q)

    def to_dict(self) -> dict[str, Any]:
        def clean(values):
            return [float(v) if math.isfinite(v) else None for v in np.asarray(values, float)]

        return {
            "sigma_w2": clean(self.sigma_w2),
            "sigma_b2": clean(self.sigma_b2),
            "q": clean(self.q),
            "pre_std": clean(self.pre_std),
            "chi": clean(self.chi),
            "grad_z": clean(self.grad_z),
        }


def predict(initializer: Initializer, network: Network, stats: LayerStats, k: int) -> InitTheory:
    """The theory for model ``k`` of ``stats`` (taken at initialization) under ``initializer``.

    Raises :class:`InitlabError` for initializers the theory does not cover.
    """
    sigma_w2, sigma_b2 = theory.weight_variances(initializer, network.sizes)
    hidden = network.hidden_activations()
    q = theory.predicted_q(hidden, sigma_w2, sigma_b2, stats.q_in)  # (L, m)
    chi = theory.predicted_chi(hidden, sigma_w2, q)  # (L-1, m)
    with np.errstate(over="ignore", invalid="ignore"):
        grad_z = theory.gradient_norms(chi, stats.output_grad[k])
    return InitTheory(sigma_w2, sigma_b2, q.mean(axis=1), chi.mean(axis=1), grad_z)


@dataclass
class Diagnostics:
    """Per-layer statistics of one network under several initializers, through training.

    ``stats[c]`` holds the K models' :class:`LayerStats` at ``checkpoints[c]``; ``alive[c, k]`` is
    False once model k has diverged (its numbers are then left out). ``theories[k]`` is the
    theory's :class:`InitTheory` or ``None`` with the reason in ``theory_notes[k]``.
    """

    dataset: Dataset
    network: Network
    inits: list[str]
    lr: float
    iterations: int
    seed: int
    checkpoints: list[int]
    stats: list[LayerStats]
    alive: np.ndarray
    theories: list[InitTheory | None]
    theory_notes: list[str]
    costs: list[list[tuple[int, float]]]
    diverged_at: list[int | None]
    train_accuracy: list[float | None]
    test_accuracy: list[float | None]
    histogram_values: list[list[np.ndarray]] = field(repr=False)
    engine: str = "numpy"
    created: str = field(
        default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds")
    )

    # -- numbers ---------------------------------------------------------------------------

    @property
    def depth(self) -> int:
        return self.network.depth

    def _stat(self, c: int, k: int) -> dict[str, Any] | None:
        return self.stats[c].model(k) if self.alive[c, k] else None

    def diagnoses(self) -> list[str]:
        """The one-line diagnosis of each initializer (see :mod:`initlab.analysis.verdict`)."""
        out = []
        final = self.stats[-1]
        for k in range(len(self.inits)):
            facts = facts_from_stats(
                self.stats[0],
                final,
                k,
                diverged_at=self.diverged_at[k],
                initial_cost=float(self.stats[0].cost[k]),
                final_cost=None if self.diverged_at[k] is not None else float(final.cost[k]),
                train_accuracy=self.train_accuracy[k],
            )
            out.append(verdict(facts))
        return out

    def explanations(self) -> list[str]:
        """A few sentences per initializer saying why, from its numbers."""
        out = []
        for k in range(len(self.inits)):
            theory_ = self.theories[k]
            text = explain_layers(
                sizes=self.network.sizes,
                at_init=self._stat(0, k),
                at_end=self._stat(len(self.checkpoints) - 1, k),
                theory=theory_.to_dict() if theory_ is not None else None,
                diverged_at=self.diverged_at[k],
                initial_cost=float(self.stats[0].cost[k]),
                final_cost=float(self.stats[-1].cost[k]) if self.alive[-1, k] else None,
                train_accuracy=self.train_accuracy[k],
                test_accuracy=self.test_accuracy[k],
            )
            if theory_ is None:
                text += (
                    f" No theory line: {self.inits[k]} does not draw i.i.d. zero-mean weights of "
                    "a known variance, which the mean-field theory assumes."
                )
            out.append(text)
        return out

    def table(self) -> pd.DataFrame:
        """One row per initializer, checkpoint and weight layer (the last layer is the output):
        measured statistics beside the theory's (theory only at iteration 0)."""
        rows = []
        activations = [*self.network.activations, self.network.output]
        for c, stats in enumerate(self.stats):
            for k, init in enumerate(self.inits):
                if not self.alive[c, k]:
                    continue
                th = self.theories[k] if c == 0 else None
                for i in range(self.depth):
                    hidden = i < self.depth - 1
                    rows.append(
                        {
                            "init": init,
                            "iteration": stats.iteration,
                            "layer": i + 1,
                            "units": self.network.sizes[i + 1],
                            "activation": activations[i],
                            "mean z": stats.pre_mean[k, i],
                            "std z": stats.pre_std[k, i],
                            "theory std z": th.pre_std[i] if th is not None else np.nan,
                            "std a": stats.act_std[k, i] if hidden else np.nan,
                            "dead": stats.dead[k, i] if hidden else np.nan,
                            "saturated": stats.saturated[k, i] if hidden else np.nan,
                            "|dC/dW|": stats.grad_w[k, i],
                            "|dC/dz|": stats.grad_z[k, i],
                            "theory |dC/dz|": th.grad_z[i] if th is not None else np.nan,
                            "chi": th.chi[i] if th is not None and hidden else np.nan,
                            "distinct": int(stats.distinct[k, i]) if hidden else -1,
                        }
                    )
        return pd.DataFrame(rows)

    def summary(self) -> pd.DataFrame:
        """One row per initializer: σ_w², χ, the signal and gradient across the hidden layers at
        initialization, dead and distinct units, and the diagnosis."""
        rows = []
        first, end = self.stats[0], self.stats[-1]
        last_hidden = max(self.depth - 2, 0)
        diagnoses = self.diagnoses()
        for k, init in enumerate(self.inits):
            th = self.theories[k]
            hidden = self.network.hidden
            dead = float(np.dot(first.dead[k], hidden) / max(sum(hidden), 1)) if hidden else 0.0
            rows.append(
                {
                    "init": init,
                    "σ_w²": th.sigma_w2[-1] if th is not None else np.nan,
                    "χ": _geometric_mean(th.chi) if th is not None else np.nan,
                    "std z first": first.pre_std[k, 0],
                    "std z last": first.pre_std[k, last_hidden],
                    "grad ratio": first.gradient_ratio(k),
                    "dead": dead,
                    "distinct at end": (
                        "/".join(str(int(d)) for d in _summarize_distinct(end.distinct[k]))
                        if self.alive[-1, k]
                        else "—"
                    ),
                    "train accuracy": self.train_accuracy[k],
                    "diagnosis": diagnoses[k],
                }
            )
        return pd.DataFrame(rows)

    def display_summary(self) -> pd.DataFrame:
        """:meth:`summary` with its numbers as people read them."""
        return _display(self.summary())

    def to_dict(self) -> dict[str, Any]:
        """Every number, JSON-ready (non-finite numbers are ``None``)."""
        runs = []
        diagnoses = self.diagnoses()
        for k, init in enumerate(self.inits):
            th = self.theories[k]
            runs.append(
                {
                    "init": init,
                    "diagnosis": diagnoses[k],
                    "diverged_at": self.diverged_at[k],
                    "train_accuracy": self.train_accuracy[k],
                    "test_accuracy": self.test_accuracy[k],
                    "costs": [[i, c] for i, c in self.costs[k]],
                    "theory": th.to_dict() if th is not None else None,
                    "theory_note": self.theory_notes[k] or None,
                    "checkpoints": [
                        self._stat(c, k) for c in range(len(self.checkpoints)) if self.alive[c, k]
                    ],
                }
            )
        return {
            **settings_header(
                created=self.created,
                dataset=self.dataset,
                network=self.network,
                lr=self.lr,
                iterations=self.iterations,
                seed=self.seed,
                engine=self.engine,
            ),
            "checkpoints": list(self.checkpoints),
            "runs": runs,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, allow_nan=False)

    # -- figures ------------------------------------------------------------------------------

    def _panels(self, what: str) -> list[figures.Panel]:
        """Panels of ``pre_std`` or ``grad_z`` against depth: measured and theory at init."""
        panels = []
        for k, init in enumerate(self.inits):
            th = self.theories[k]
            panel = figures.run_panel(
                init, k, what, self._stat(0, k), theory=th.to_dict() if th is not None else None
            )
            if th is None:
                no_theory = "no theory line (not an i.i.d. zero-mean initializer)"
                panel.note = "; ".join(filter(None, [panel.note, no_theory]))
            panels.append(panel)
        return panels

    def _training_panels(self, what: str) -> list[figures.Panel]:
        layers = list(range(1, self.depth + 1))
        panels = []
        n = max(len(self.checkpoints) - 1, 1)
        for k, init in enumerate(self.inits):
            curves = []
            for c, stats in enumerate(self.stats):
                if not self.alive[c, k]:
                    continue
                kind = "measured" if c == 0 else "later"
                label = f"iteration {stats.iteration:,}"
                curves.append(
                    figures.Curve(label, layers, getattr(stats, what)[k].tolist(), kind, c / n)
                )
            notes = [figures.zero_note(getattr(self.stats[0], what)[k].tolist())]
            if self.diverged_at[k] is not None:
                notes.append(f"diverged at iteration {self.diverged_at[k]}")
            panels.append(figures.Panel(init, curves, k, "; ".join(filter(None, notes))))
        return panels

    def figures(self) -> dict[str, Figure]:
        """``activations`` (histograms at init), ``signal`` (std of z against depth, theory over
        it), ``gradients`` (‖∂C/∂z‖ against depth), ``training`` (both through training)."""
        activation = self.network.activation_text()
        signal = figures.depth_figure(
            self._panels("pre_std"),
            "std of pre-activations z",
            "Signal through the layers at initialization: measured vs mean-field theory",
        )
        gradients = figures.depth_figure(
            self._panels("grad_z"),
            "‖∂C/∂z‖ of the layer",
            "Gradient through the layers at initialization: measured vs theory (χ per layer)",
        )
        training_signal = figures.depth_figure(
            self._training_panels("pre_std"),
            "std of pre-activations z",
            "How the signal moves during training",
        )
        training_gradients = figures.depth_figure(
            self._training_panels("grad_z"),
            "‖∂C/∂z‖ of the layer",
            "How the gradient moves during training",
        )
        return {
            "activations": figures.activation_histograms(
                self.inits, self.histogram_values, activation
            ),
            "signal": signal,
            "gradients": gradients,
            "training_signal": training_signal,
            "training_gradients": training_gradients,
        }

    def report(self) -> Report:
        figs = self.figures()
        texts = {
            "activations": (
                "Activations layer by layer",
                "Each column is one hidden layer's activations on the training data. Zeros: "
                "nothing but 0. Too small weights shrink the activations layer after layer, too "
                "large ones blow them up; a good scale keeps them alike in every layer.",
            ),
            "signal": (
                "The signal against depth, with the theory drawn over it",
                "Solid: the measured spread of the pre-activations in each layer; dashed: the "
                "mean-field prediction q_l = σ_w²·E[φ(√q_{l−1} z)²] + σ_b² started from the data. "
                "The theory is the average over random draws of wide layers: one network of "
                "finite width wanders around it, the more the deeper (for ReLU the spread of "
                "log q grows like √(5·l/width)), while the trend — constant, shrinking, "
                "exploding — is the theory's.",
            ),
            "gradients": (
                "The gradient against depth",
                "The size of ∂C/∂z in each layer at initialization; the theory multiplies the "
                "output's gradient by √χ per layer going back: χ > 1 explodes, χ < 1 vanishes, "
                "χ = 1 (He for ReLU) keeps it.",
            ),
            "training_signal": (
                "How the signal moves during training",
                "The spread of the pre-activations at each checkpoint, light (early) to dark "
                "(late); coloured: at initialization.",
            ),
            "training_gradients": (
                "How the gradient moves during training",
                "‖∂C/∂z‖ per layer at each checkpoint, light (early) to dark (late).",
            ),
        }
        sections = [FigureSection(name, *texts[name], fig) for name, fig in figs.items()]
        lead = (
            f"A {self.network} network ({self.network.activation_text()} hidden layers, "
            f"{self.network.output} output) on {short_spec(self.dataset.spec)}, "
            "once per initialization, "
            f"measured layer by layer at iterations {', '.join(f'{c:,}' for c in self.checkpoints)}"
            f" of full-batch gradient descent (learning rate {self.lr:g}); the mean-field theory "
            "(Poole et al. 2016, Schoenholz et al. 2017) is drawn over the measurements."
        )
        return Report(
            title=f"Layer by layer: {self.network} on {self.dataset.spec.partition(':')[0]}",
            lead=lead,
            table=self.display_summary(),
            explanations=list(zip(self.inits, self.explanations(), strict=True)),
            sections=sections,
            settings={
                "initlab": __version__,
                "seed": str(self.seed),
                "engine": self.engine,
                "created": self.created,
            },
        )

    def files(self) -> dict[str, bytes | str]:
        """Every output file: the figures, ``results.json``, ``report.html`` and ``report.md``."""
        files = report_files(self.report())
        files["results.json"] = self.to_json()
        return files


def _geometric_mean(values: np.ndarray) -> float:
    """The typical per-layer factor of a list of χ's (NaN when empty or not all > 0)."""
    values = np.asarray(values, dtype=float)
    if values.size == 0 or not np.all(values > 0):
        return math.nan
    return float(np.exp(np.mean(np.log(values))))


def _summarize_distinct(distinct: np.ndarray) -> list[int]:
    """Distinct units per hidden layer, as the min and max over the layers when they differ."""
    low, high = int(distinct.min()), int(distinct.max())
    return [low] if low == high else [low, high]


def _display(table: pd.DataFrame) -> pd.DataFrame:
    out = table.copy()
    for column in ("σ_w²", "χ", "std z first", "std z last", "grad ratio"):
        out[column] = [("—" if not math.isfinite(v) else f"{v:.3g}") for v in out[column]]
    out["dead"] = [f"{v:.0%}" for v in out["dead"]]
    out["train accuracy"] = [
        "—" if v is None or not math.isfinite(v) else f"{v:.1%}" for v in out["train accuracy"]
    ]
    return out


def measure(
    network: Network,
    dataset: Dataset,
    inits: Sequence[Initializer],
    initial: Params,
    *,
    lr: float,
    iterations: int,
    checkpoints: Sequence[int],
    seed: int,
    every: int = 10,
    engine: str = "numpy",
    progress: Callable[[int], None] | None = None,
) -> Diagnostics:
    """Train the K models of ``initial`` in segments ending at each checkpoint
    (:func:`~initlab.runs.segments.train_segments`) and measure; ``engine`` is passed to
    :func:`initlab.engine.train` (``"numpy"``, ``"fast"`` or ``"auto"``)."""
    X = dataset.X_train.T
    Y = targets(dataset.y_train, network.output_layer(), dataset.n_classes)
    K = len(inits)
    alive = np.ones((len(checkpoints), K), dtype=bool)
    stats: list[LayerStats] = []

    def at_checkpoint(point: int, params: Params, diverged_at: np.ndarray) -> None:
        alive[len(stats)] = diverged_at < 0
        stats.append(layer_stats(network, params, X, Y, iteration=point))

    history = train_segments(
        network,
        initial,
        X,
        Y,
        float(lr),
        checkpoints[1:],
        every,
        engine=engine,
        progress=progress,
        at_stop=at_checkpoint,
        record_all=True,  # every iteration's cost is watched, those at multiples of every kept
    )
    params, diverged_at = history.params, history.diverged_at
    theories: list[InitTheory | None] = []
    notes: list[str] = []
    for k, ini in enumerate(inits):
        try:
            theories.append(predict(ini, network, stats[0], k))
            notes.append("")
        except InitlabError as error:
            theories.append(None)
            notes.append(str(error))
    with np.errstate(all="ignore"):
        train_labels = decide(reference.predict_proba(network, params, X))
        test_labels = decide(reference.predict_proba(network, params, dataset.X_test.T))
    ok = diverged_at < 0
    return Diagnostics(
        dataset=dataset,
        network=network,
        inits=[ini.spec for ini in inits],
        lr=float(lr),
        iterations=int(iterations),
        seed=int(seed),
        checkpoints=list(checkpoints),
        stats=stats,
        alive=alive,
        theories=theories,
        theory_notes=notes,
        costs=[history.cost_pairs(k) for k in range(K)],
        diverged_at=[int(d) if d >= 0 else None for d in diverged_at],
        train_accuracy=[
            float(np.mean(train_labels[k] == dataset.y_train)) if ok[k] else None for k in range(K)
        ],
        test_accuracy=[
            float(np.mean(test_labels[k] == dataset.y_test)) if ok[k] else None for k in range(K)
        ],
        histogram_values=histogram_values(network, initial, X),
        engine=history.engine,
    )


def histogram_values(network: Network, params: Params, X: np.ndarray) -> list[list[np.ndarray]]:
    """Each model's hidden activations on ``X`` (at most ``HISTOGRAM_VALUES`` per layer, an even
    stride through units and samples)."""
    with np.errstate(all="ignore"):
        cache = reference.forward(network, params, X)
    K = int(params[0][0].shape[0])
    out = []
    for k in range(K):
        layers = []
        for A in cache.A[1:]:
            flat = A[k].ravel()
            stride = max(1, math.ceil(flat.size / HISTOGRAM_VALUES))
            layers.append(flat[::stride].copy())
        out.append(layers)
    return out


def diagnose(
    inits: str | Sequence[initializers.InitSpec] = DEFAULT_INITS,
    layers: str | Sequence[int | str] | None = None,
    *,
    depth: int = DEFAULT_DEPTH,
    width: int = DEFAULT_WIDTH,
    dataset: str | Dataset = "circles",
    activation: str | Sequence[str] = "relu",
    output: str = "auto",
    lr: float = 0.01,
    iterations: int = 1000,
    checkpoints: Sequence[int] | None = None,
    every: int = 10,
    seed: int = 3,
    engine: str = "auto",
    progress: Callable[[int], None] | None = None,
) -> Diagnostics:
    """Look inside: per-layer statistics of one network under each initializer, at initialization
    and at checkpoints of training, beside the mean-field theory's prediction.

    The default is the seed's story layer by layer: ``depth`` = 20 hidden layers of ``width`` = 64
    ReLU units on the course's circles, initialized with zeros, large random, LeCun normal and He
    (each from ``RandomState(seed)``), trained by full-batch gradient descent for ``iterations``
    and measured at ``checkpoints`` (default 0, 10, 100, ..., ``iterations``). ``layers`` (as in
    :func:`compare`) overrides ``depth`` and ``width``. ``engine`` as in :func:`compare`.

    >>> result = diagnose(["zeros", "he"], depth=5, iterations=10)   # doctest: +SKIP
    >>> result.table()                                                 # doctest: +SKIP
    """
    lr = positive_number("lr", lr)
    iterations = integer_at_least("iterations", iterations, 0)
    every = integer_at_least("every", every, 1)
    seed = integer_at_least("seed", seed, 0)
    engine_name = engine_check(engine)
    if layers is None:
        depth = integer_at_least("depth", depth, 1)
        width = integer_at_least("width", width, 1)
        layers = ("auto", *([width] * depth), "auto")
    points = _checkpoints(checkpoints, iterations)
    inits_ = initializers.get_list(inits)
    dataset_ = data.load(dataset)
    network = network_for(layers, dataset_, activation, output)
    initial = initial_batch(network, [(ini, seed) for ini in inits_], dataset_.X_train.T)
    return measure(
        network,
        dataset_,
        inits_,
        initial,
        lr=lr,
        iterations=iterations,
        checkpoints=points,
        seed=seed,
        every=every,
        engine=engine_name,
        progress=progress,
    )


def _checkpoints(checkpoints: Sequence[int] | None, iterations: int) -> list[int]:
    """Sorted checkpoints with 0 and ``iterations`` always among them."""
    if checkpoints is None:
        return default_checkpoints(iterations)
    points = set()
    for point in checkpoints:
        if (
            isinstance(point, bool)
            or not isinstance(point, (int, np.integer))
            or not (0 <= point <= iterations)
        ):
            raise InitlabError(
                f"checkpoints must be integers from 0 to iterations ({iterations}); got "
                f"{list(checkpoints)}"
            )
        points.add(int(point))
    return sorted(points | {0, iterations})
