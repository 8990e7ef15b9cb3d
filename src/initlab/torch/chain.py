"""The mean-field prediction for a module that is a chain of Linear layers and activations.

When ``module`` is an ``nn.Sequential`` (nested ones flattened) of ``nn.Linear`` layers with at
most one elementwise activation initlab knows between two of them (:mod:`initlab.torch.activations`;
none counts as the identity), it is the MLP initlab's theory describes (Poole et al. 2016,
Schoenholz et al. 2017; :mod:`initlab.analysis.theory`)::

    q_1 = σ_w,1²·mean_j(x_j²) + σ_b,1²,   q_l = σ_w,l²·E_z[φ(√q_{l−1} z)²] + σ_b,l²

run from each sample's mean squared input and averaged over the samples, predicted std
``√q_l``, as :func:`initlab.diagnose` does. The weights are already drawn, so σ_w² and σ_b² are
read off them: σ_w,l² = fan_in·mean(W_l²) and σ_b,l² = mean(b_l²), the second moments the theory's
i.i.d. zero-mean draw has (for a variance-based initializer they estimate the registry's
σ_w² = fan_in·Var(W)). Any other module has no prediction (``None``).
"""

from __future__ import annotations

import numpy as np
from torch import nn

from initlab.analysis import theory
from initlab.nn import activations
from initlab.nn.activations import Activation
from initlab.torch.activations import activation


def _leaves(module: nn.Module) -> list[nn.Module] | None:
    """The modules of a (nested) ``nn.Sequential`` in order; ``None`` if it is not one."""
    if not isinstance(module, nn.Sequential):
        return None
    out: list[nn.Module] = []
    for child in module:
        inner = _leaves(child) if isinstance(child, nn.Sequential) else [child]
        if inner is None:
            return None
        out.extend(inner)
    return out


def mlp_chain(module: nn.Module) -> tuple[list[nn.Linear], list[Activation]] | None:
    """``(linears, hidden activations)`` when ``module`` is such a chain, else ``None``: L linear
    layers and the L−1 activations between them (a trailing activation is allowed)."""
    leaves = _leaves(module)
    if not leaves or not isinstance(leaves[0], nn.Linear):
        return None
    linears: list[nn.Linear] = []
    hidden: list[Activation] = []
    pending: Activation | None = None
    for leaf in leaves:
        if isinstance(leaf, nn.Linear):
            if linears:
                hidden.append(pending if pending is not None else activations.get("linear"))
            linears.append(leaf)
            pending = None
            continue
        phi = activation(leaf)
        if phi is None or pending is not None:
            return None  # an unknown module, or two activations in a row
        pending = phi
    return linears, hidden


def weight_moments(linears: list[nn.Linear]) -> tuple[np.ndarray, np.ndarray]:
    """``(σ_w², σ_b²)`` per layer: fan_in·mean(W²) and mean(b²) (0 without a bias)."""
    sw2, sb2 = [], []
    for layer in linears:
        weight = layer.weight.detach().double().cpu().numpy()
        sw2.append(weight.shape[1] * float(np.mean(weight**2)))
        bias = layer.bias
        if bias is None:
            sb2.append(0.0)
        else:
            sb2.append(float(np.mean(bias.detach().double().cpu().numpy() ** 2)))
    return np.array(sw2), np.array(sb2)


def theory_preact_std(module: nn.Module, X: np.ndarray) -> np.ndarray | None:
    """The predicted std of every Linear layer's pre-activations on ``X`` ``(m, n_in)``, or
    ``None`` when ``module`` is not a chain (see the module docstring) or ``X`` is not 2-D."""
    chain = mlp_chain(module)
    if chain is None or X.ndim != 2:
        return None
    linears, hidden = chain
    sigma_w2, sigma_b2 = weight_moments(linears)
    q_in = np.mean(np.asarray(X, dtype=float) ** 2, axis=1)
    with np.errstate(over="ignore", invalid="ignore"):
        q = theory.predicted_q(hidden, sigma_w2, sigma_b2, q_in)
        return np.sqrt(q.mean(axis=1))
