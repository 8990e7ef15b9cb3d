"""The prose of a look inside (:func:`initlab.diagnose`): title, lead, figure captions and the
sentence added to an initializer the mean-field theory does not cover.

The theory drawn over the measurements is that of Poole et al. 2016 and Schoenholz et al. 2017
(:mod:`initlab.analysis.theory`).
"""

from __future__ import annotations

from collections.abc import Sequence

from initlab.data.dataset import Dataset
from initlab.data.naming import dataset_name
from initlab.data.registry import short_spec
from initlab.nn.network import Network

# figure name -> (section title, caption)
CAPTIONS = {
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

# the depth figures' y labels and titles: figure name -> (y label, title)
DEPTH_FIGURES = {
    "signal": (
        "std of pre-activations z",
        "Signal through the layers at initialization: measured vs mean-field theory",
    ),
    "gradients": (
        "‖∂C/∂z‖ of the layer",
        "Gradient through the layers at initialization: measured vs theory (χ per layer)",
    ),
    "training_signal": ("std of pre-activations z", "How the signal moves during training"),
    "training_gradients": ("‖∂C/∂z‖ of the layer", "How the gradient moves during training"),
}

# written in a depth panel of an initializer the theory does not cover
NO_THEORY_NOTE = "no theory line (not an i.i.d. zero-mean initializer)"


def network_text(network: Network) -> str:
    """``2-10-5-1``, or for many equal hidden layers ``2-(64 × 20)-1``: short enough for a title."""
    sizes = network.sizes
    hidden = sizes[1:-1]
    if len(hidden) > 4 and len(set(hidden)) == 1:
        return f"{sizes[0]}-({hidden[0]} × {len(hidden)})-{sizes[-1]}"
    return str(network)


def diagnostics_title(network: Network, dataset: Dataset) -> str:
    return f"Layer by layer: {network_text(network)} on {dataset_name(dataset.spec)}"


def diagnostics_lead(
    network: Network, dataset: Dataset, checkpoints: Sequence[int], lr: float
) -> str:
    """What was trained and where it was measured, and whose theory is drawn over it."""
    return (
        f"A {network_text(network)} network ({network.activation_text()} hidden layers, "
        f"{network.output} output) on {short_spec(dataset.spec)}, "
        "once per initialization, "
        f"measured layer by layer at iterations {', '.join(f'{c:,}' for c in checkpoints)}"
        f" of full-batch gradient descent (learning rate {lr:g}); the mean-field theory "
        "(Poole et al. 2016, Schoenholz et al. 2017) is drawn over the measurements."
    )


def no_theory_sentence(init: str) -> str:
    """Why an initializer's explanation has no theory line."""
    return (
        f" No theory line: {init} does not draw i.i.d. zero-mean weights of "
        "a known variance, which the mean-field theory assumes."
    )
