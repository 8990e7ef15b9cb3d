"""What guessing scores: the yardstick a verdict compares a run against.

A classifier that ignores its inputs does best by predicting the training labels' frequencies
p_c. Its accuracy is the share of the most common class, max_c p_c, and its mean cross-entropy
the entropy of the labels, H = −Σ_c p_c·ln p_c (ln 2 ≈ 0.693 for two balanced classes, ln K for
K). It is computed here with the output's own cost on constant logits (softmax: z_c = ln p_c;
sigmoid: z = ln(p/(1−p))), so it is the cost the run reports, in the same units.
"""

from __future__ import annotations

import numpy as np

from initlab.nn.outputs import Output, targets


def chance(y_train: np.ndarray, output: Output, n_classes: int) -> tuple[float, float]:
    """``(cost, accuracy)`` of predicting the label frequencies of ``y_train`` for every input."""
    Y = targets(y_train, output, n_classes).astype(float)
    p = np.clip(Y.mean(axis=-1, keepdims=True), 1e-12, 1 - 1e-12)
    logits = np.log(p) if output.name == "softmax" else np.log(p / (1 - p))
    cost = float(np.asarray(output.cost(np.broadcast_to(logits, Y.shape), Y)))
    _, counts = np.unique(y_train, return_counts=True)
    return cost, float(counts.max() / counts.sum())
