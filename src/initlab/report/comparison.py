"""The prose of a comparison's report (:func:`initlab.compare`): title, lead and figure captions.

Each caption says what to look at in its figure; the formulas are those of
:mod:`initlab.analysis.theory` (Poole et al. 2016, Schoenholz et al. 2017).
"""

from __future__ import annotations

from initlab.data.dataset import Dataset
from initlab.data.naming import dataset_name
from initlab.data.registry import short_spec
from initlab.nn.network import Network
from initlab.report.format import percent
from initlab.report.why import no_boundary_note

# figure name -> (section title, caption); the data figure's is captions()' own
CAPTIONS = {
    "costs": (
        "The cost during training",
        "Each curve is one initialization: a flat line means gradient descent is not "
        "moving the network; a curve that starts very high began with saturated outputs.",
    ),
    "boundaries": (
        "What each network learned",
        "The shaded regions are the class each trained network predicts at every "
        "point of the plane; a good initialization ends with a boundary that follows "
        "the data.",
    ),
    "signal": (
        "Why: the signal layer by layer",
        "The spread (std) of each layer's pre-activations on the training data at "
        "initialization (coloured), as the mean-field theory predicts it (dashed: "
        "q_l = σ_w²·E[φ(√q_{l−1} z)²] + σ_b², exact for wide random layers) and after "
        "training (grey). Zero weights give nothing at all; too large weights blow the "
        "signal up layer after layer.",
    ),
    "gradients": (
        "Why: the gradient layer by layer",
        "The size of ∂C/∂z in each layer: going back from the output the theory "
        "multiplies it by √χ per layer (χ = σ_w²·E[φ'(√q z)²]); χ > 1 explodes, "
        "χ < 1 vanishes. Layers missing on the log axis had a gradient of exactly 0.",
    ),
}

# the per-layer figures' y labels and titles: quantity -> (y label, title)
LAYER_FIGURES = {
    "pre_std": (
        "std of pre-activations z",
        "Why, layer by layer: the signal at init (theory dashed) and after training",
    ),
    "grad_z": (
        "‖∂C/∂z‖ of the layer",
        "Why, layer by layer: the gradient at init (theory dashed) and after training",
    ),
}


def comparison_title(dataset: Dataset) -> str:
    return f"Weight initialization on {dataset_name(dataset.spec)}"


def captions(dataset: Dataset, projection_note: str) -> dict[str, tuple[str, str]]:
    """Every figure's section title and caption: the data figure's names ``dataset`` and says,
    in ``projection_note``, how data that is not 2-D is shown; the others are :data:`CAPTIONS`."""
    data = (
        f"{short_spec(dataset.spec)}: the classifier must separate the colours. "
        "Filled points train the network; hollow ones are held out to test it." + projection_note
    )
    return {"dataset": ("The data", data), **CAPTIONS}


def comparison_lead(
    network: Network, dataset: Dataset, lr: float, iterations: int, boundaries: bool
) -> str:
    """What was trained, how, and that only the initial weights differ; without a boundary
    figure (``boundaries`` False), why there is none."""
    lead = (
        f"A {network} network ({network.activation_text()} hidden layers, "
        f"{network.output} output) trained by full-batch gradient descent "
        f"(learning rate {lr:g}, {iterations:,} iterations) on "
        f"{short_spec(dataset.spec)}, "
        f"once per initialization. Same data, same network, same learning rate: only the "
        "initial weights differ."
    )
    return lead if boundaries else lead + no_boundary_note(dataset)


def over_seeds_captions(n: int, confidence: float, target: float) -> list[tuple[str, str]]:
    """The titles and captions of the "over N seeds" table and of the paired tests."""
    return [
        (
            f"Over {n} seeds",
            f"The same runs repeated with {n} seeds (each seed S draws the initial weights "
            f"from RandomState(S)): accuracy in percent, mean with a {percent(confidence, 0)} "
            f"bootstrap confidence interval of the mean; success is a test accuracy "
            f"≥ {percent(target, 0)} "
            "with a Wilson interval; a diverged run counts as a failure.",
        ),
        (
            f"Initializers compared over the {n} seeds",
            "Wilcoxon signed-rank test on the test accuracy of runs with the same seed; "
            "r is the matched-pairs rank-biserial correlation (> 0: a did better).",
        ),
    ]
