"""``initlab.MLPClassifier``: a scikit-learn classifier whose weight initialization is a parameter.

A multilayer perceptron trained by full-batch gradient descent on initlab's engine, with the
initializer named by ``init=`` (any spec of :func:`initlab.initializers.get`: ``"he"``,
``"glorot_uniform"``, ``"random:scale=10"``, ...). It follows scikit-learn's conventions
(``sklearn.neural_network.MLPClassifier``): ``__init__`` only stores its arguments, ``fit``
validates them and the data, learned attributes end in ``_``, and ``random_state`` is resolved once
per fit — an int ``S`` is ``numpy.random.RandomState(S)``, the stream ``initlab compare --seed S``
draws from, so the defaults on the course's data are the course's He run.

Layouts are scikit-learn's: ``X`` is ``(n_samples, n_features)``, ``coefs_[i]`` is ``(fan_in,
fan_out)`` (the transpose of initlab's ``(fan_out, fan_in)``), ``intercepts_[i]`` ``(fan_out,)``.
Two classes use one sigmoid output unit, more classes a softmax over one unit per class.

Residual blocks go into ``hidden_layer_sizes`` as text items beside the integers, the form of
``initlab compare --layers`` (:mod:`initlab.nn.residual`): ``(64, "res64x8", 64)`` is a hidden
layer of 64 units, 8 residual blocks ``x + α·f(x)`` of width 64 (``"res64x8:2"``: two layers per
branch), then a layer of 64. Such a network takes every initializer, the residual ones too
(``init="fixup"``, ``"skipinit"``, ``"rezero"``); the block scalars α it learned are ``alphas_``.

>>> from sklearn.model_selection import GridSearchCV                     # doctest: +SKIP
>>> search = GridSearchCV(MLPClassifier(max_iter=2000), {"init": ["he", "zeros"]})  # doctest: +SKIP
>>> search.fit(X, y).best_params_                                        # doctest: +SKIP
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np
from scipy.special import expit, log_expit, log_softmax, softmax
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted

from initlab import checks, initializers
from initlab import engine as engines
from initlab.engine import reference
from initlab.engine.initial import initial_params
from initlab.engine.train import check_engine
from initlab.errors import InitlabError
from initlab.nn import activations, outputs
from initlab.nn.network import Network
from initlab.nn.residual import expand, is_residual, parse_block
from initlab.runs import defaults as D
from initlab.runs.progress import progress_bar

try:  # scikit-learn >= 1.6
    from sklearn.utils.validation import validate_data as _validate_data
except ImportError:  # pragma: no cover - older scikit-learn

    def _validate_data(estimator, X, y="no_validation", reset=True, **kwargs):
        return estimator._validate_data(X, y, reset=reset, **kwargs)


# What each scalar parameter may be, declared once (scikit-learn's ``_parameter_constraints``; not
# under that name, which scikit-learn's own estimator checks would read in its vocabulary).
CONSTRAINTS: dict[str, checks.Constraint] = {
    "learning_rate": checks.POSITIVE,
    "max_iter": checks.POSITIVE_INTEGER,
    "activation": checks.Instance(
        str, f"a spec such as 'relu'; valid: {', '.join(activations.names())}"
    ),
    "engine": checks.Instance(str, "a string such as 'auto'"),
    "progress": checks.Boolean(),
}


class MLPClassifier(ClassifierMixin, BaseEstimator):
    """Multilayer perceptron classifier trained by full-batch gradient descent, with ``init=``.

    Parameters
    ----------
    hidden_layer_sizes : tuple of int and str, default (10, 5)
        Units of each hidden layer (the course's 2-10-5-1 network on 2-D data); an item
        ``"res<width>x<blocks>"`` (``"res<width>x<blocks>:2"`` for two-layer branches) is that
        many residual blocks of that width, after a layer of the same width:
        ``(64, "res64x8", 64)``.
    activation : str, default "relu"
        Hidden activation spec, from :mod:`initlab.nn.activations` ("relu", "tanh", ...).
    init : str or callable, default "he"
        Weight initializer spec (:func:`initlab.initializers.get`) or a callable ``(shape, rng)``;
        ``"fixup"``, ``"skipinit"`` and ``"rezero"`` need residual blocks.
    learning_rate : float, default 0.01
        Step size of gradient descent (``learning_rate_init`` in scikit-learn's MLP).
    max_iter : int, default 15000
        Gradient-descent iterations over the whole training set; no early stopping.
    random_state : int, RandomState instance or None, default 3
        Source of the initial weights; an int seeds a ``numpy.random.RandomState``.
    engine : str, default "auto"
        Training engine, passed to :func:`initlab.engine.train` when it offers a choice.
    progress : bool, default True
        Show a progress bar of the iterations in a notebook or a terminal (never in a pipe).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    coefs_ : list of ndarray, ``coefs_[i]`` of shape (fan_in, fan_out), one per weight layer
        (a residual block's branch layers included, in order)
    intercepts_ : list of ndarray, ``intercepts_[i]`` of shape (fan_out,)
    blocks_ : tuple of (start, m), the residual blocks: weight layers ``start .. start+m−1``
        (0-based, indices of ``coefs_``) form one branch; ``()`` without residual blocks
    alphas_ : ndarray of shape (n_blocks,), each block's scalar α after training
    loss_curve_ : list of float, the training cost before each iteration's update
    loss_ : float, the training cost after the last update
    n_iter_ : int, iterations run (fewer than ``max_iter`` only if training diverged)
    n_features_in_, feature_names_in_, n_layers_, n_outputs_, out_activation_ : as scikit-learn's
    """

    def __init__(
        self,
        hidden_layer_sizes=(10, 5),  # the course's hidden layers, D.LAYERS[1:-1]
        activation=D.ACTIVATION,
        init="he",
        learning_rate=D.LR,
        max_iter=D.ITERATIONS,
        random_state=D.SEED,
        engine=D.ENGINE,
        progress=True,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.init = init
        self.learning_rate = learning_rate
        self.max_iter = max_iter
        self.random_state = random_state
        self.engine = engine
        self.progress = progress

    # -- validation ------------------------------------------------------------------------------

    def _hidden_items(self) -> tuple[int | str, ...]:
        """The hidden layers as integers and residual items (``"res64x8"``), validated."""
        sizes = self.hidden_layer_sizes
        if isinstance(sizes, (numbers.Integral, str)) and not isinstance(sizes, bool):
            sizes = (sizes,)
        try:
            sizes = tuple(sizes)
        except TypeError:
            sizes = None
        if sizes is None or not all(
            checks.POSITIVE_INTEGER.accepts(s) or is_residual(s) for s in sizes
        ):
            raise InitlabError(
                "hidden_layer_sizes must be a tuple of integers >= 1 and residual items "
                f"'res<width>x<blocks>', e.g. (10, 5) or (64, 'res64x8', 64); "
                f"got {self.hidden_layer_sizes!r}"
            )
        try:
            for item in sizes:
                if is_residual(item):
                    parse_block(item)
        except InitlabError as error:
            raise InitlabError(f"hidden_layer_sizes: {error}") from None
        return tuple(s.strip().lower() if isinstance(s, str) else int(s) for s in sizes)

    def _network(self, n_in: int, output: outputs.Output, n_outputs: int) -> Network:
        """The network of ``hidden_layer_sizes`` between ``n_in`` inputs and the outputs."""
        try:
            sizes, blocks = expand([n_in, *self._hidden_items(), n_outputs])
        except InitlabError as error:
            raise InitlabError(f"hidden_layer_sizes {self.hidden_layer_sizes!r}: {error}") from None
        return Network(sizes, self.activation, output.name, blocks)

    def _check_params(self) -> None:
        """Check every parameter against :data:`CONSTRAINTS` before ``fit`` does any work."""
        for name, constraint in CONSTRAINTS.items():
            checks.check(name, getattr(self, name), constraint)
        state = self.random_state
        if state is not None and not isinstance(state, np.random.RandomState):
            if not checks.SEED.accepts(state):
                raise InitlabError(
                    f"random_state must be None, a numpy RandomState or {checks.SEED}; "
                    f"got {state!r}"
                )

    # -- fitting ---------------------------------------------------------------------------------

    def fit(self, X, y):
        """Train on ``X`` ``(n_samples, n_features)`` and labels ``y`` (any label values)."""
        self._check_params()
        self._hidden_items()
        X, y = _validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        self.classes_, y_index = np.unique(y, return_inverse=True)
        n_classes = len(self.classes_)
        if n_classes < 2:
            raise InitlabError(
                f"MLPClassifier needs samples of at least 2 classes in y; got 1 class "
                f"({self.classes_[0]!r})"
            )
        output = outputs.for_classes(n_classes)
        n_outputs = output.units(n_classes)
        network = self._network(X.shape[1], output, n_outputs)
        checks.check_training(
            "MLPClassifier.fit",
            network.sizes,
            X.shape[0],
            1,
            int(self.max_iter),
            int(self.max_iter),
        )
        initializer = initializers.get(self.init)
        rng = check_random_state(self.random_state)
        X_t = X.T  # a view, as initlab.compare passes it (the same BLAS path, the same bits)
        layers = initial_params(network, initializer, rng, X_t)
        Y = outputs.targets(y_index, output, n_classes)
        engine = check_engine(self.engine)
        max_iter = D.capped(int(self.max_iter))
        with progress_bar(self.progress, max_iter, "training") as update:
            history = engines.train(
                network,
                engines.stack([layers]),
                X_t,
                Y,
                float(self.learning_rate),
                max_iter,
                1,
                update,
                engine=engine,
            )
        diverged = bool(history.diverged_at[0] >= 0)
        self.n_iter_ = int(history.diverged_at[0]) if diverged else max_iter
        self.loss_curve_ = [float(c) for c in history.costs[0, : self.n_iter_]]
        self.loss_ = float(history.final_costs[0]) if not diverged else float("nan")
        if diverged:
            warnings.warn(
                f"training diverged at iteration {self.n_iter_} (the cost stopped being finite); "
                "the weights were zeroed — lower learning_rate or use a smaller-scale init",
                ConvergenceWarning,
                stacklevel=2,
            )
        weights = history.params[: network.depth]
        self.coefs_ = [np.ascontiguousarray(W[0].T) for W, _ in weights]
        self.intercepts_ = [b[0, :, 0].copy() for _, b in weights]
        self.blocks_ = network.blocks
        self.alphas_ = reference.residual_scalars(network, history.params)[0, :, 0].copy()
        self.n_layers_ = len(network.sizes)
        self.n_outputs_ = n_outputs
        self.out_activation_ = "logistic" if output.name == "sigmoid" else "softmax"
        self.engine_ = history.engine
        return self

    # -- predicting ------------------------------------------------------------------------------

    def _logits(self, X) -> np.ndarray:
        """Output-layer pre-activations, shape ``(n_outputs, n_samples)``."""
        check_is_fitted(self)
        X = _validate_data(self, X, reset=False, dtype=np.float64)
        network = Network(
            (self.n_features_in_, *(W.shape[1] for W in self.coefs_)),
            self.activation,
            "sigmoid" if self.out_activation_ == "logistic" else "softmax",
            self.blocks_,
        )
        layers = [(W.T, b) for W, b in zip(self.coefs_, self.intercepts_, strict=True)]
        if self.blocks_:
            layers.append((self.alphas_.reshape(-1, 1), np.zeros(len(self.alphas_))))
        params = engines.stack([layers])
        with np.errstate(over="ignore", invalid="ignore"):
            return reference.forward(network, params, np.ascontiguousarray(X.T)).logits[0]

    def decision_function(self, X) -> np.ndarray:
        """The logits: shape ``(n_samples,)`` for 2 classes (> 0 means ``classes_[1]``), else
        ``(n_samples, n_classes)``."""
        z = self._logits(X)
        return z[0].copy() if z.shape[0] == 1 else np.ascontiguousarray(z.T)

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities, ``(n_samples, n_classes)``: σ(z) for 2 classes, softmax else."""
        z = self._logits(X)
        if z.shape[0] == 1:
            p = expit(z[0])
            return np.column_stack([1.0 - p, p])
        return np.ascontiguousarray(softmax(z, axis=0).T)

    def predict_log_proba(self, X) -> np.ndarray:
        """Log class probabilities, computed from the logits (no log of a rounded 0)."""
        z = self._logits(X)
        if z.shape[0] == 1:
            return np.column_stack([log_expit(-z[0]), log_expit(z[0])])
        return np.ascontiguousarray(log_softmax(z, axis=0).T)

    def predict(self, X) -> np.ndarray:
        """The most probable class of each sample, as a value of ``classes_``."""
        z = self._logits(X)
        index = (z[0] > 0).astype(np.intp) if z.shape[0] == 1 else np.argmax(z, axis=0)
        return self.classes_[index]
