"""``initlab.torch``: initialize, diagnose and LSUV any PyTorch module (``pip install
"initlab[torch]"``).

- :func:`init_` fills the weights of every ``nn.Linear`` and ``nn.Conv1d/2d/3d`` with any initlab
  initializer, chosen per layer type, per parameter name or per predicate;
- :func:`lsuv_` runs LSUV (Mishkin & Matas 2016) on the module with forward hooks;
- :func:`diagnose` measures every layer on one batch (one forward, one backward pass) beside the
  mean-field theory, as :func:`initlab.diagnose` does for initlab's own networks.

PyTorch is imported here and nowhere else in initlab: ``import initlab`` never loads it.

>>> import torch
>>> from torch import nn
>>> import initlab.torch
>>> model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
>>> _ = initlab.torch.init_(model, {nn.Linear: "kaiming_normal", r"^2\\.": "zeros"})
>>> float(model[2].weight.detach().abs().sum())
0.0
"""

from __future__ import annotations

from initlab.errors import InitlabError

try:
    import torch as _torch  # noqa: F401
except ImportError:  # pragma: no cover - the extra is installed in the test environment
    raise InitlabError(
        'initlab.torch needs PyTorch, which is not installed: pip install "initlab[torch]"'
    ) from None

from initlab.torch.diagnose import LOSSES, diagnose
from initlab.torch.diagnostics import TorchDiagnostics
from initlab.torch.fans import torch_fans
from initlab.torch.init import init_
from initlab.torch.layers import weight_layers
from initlab.torch.load import load_array, load_model
from initlab.torch.lsuv import LsuvRecord, lsuv_

__all__ = [
    "LOSSES",
    "LsuvRecord",
    "TorchDiagnostics",
    "diagnose",
    "init_",
    "load_array",
    "load_model",
    "lsuv_",
    "torch_fans",
    "weight_layers",
]
