"""Fan-in and fan-out of a PyTorch weight, as ``torch.nn.init`` computes them.

A ``nn.Linear`` weight is ``(out_features, in_features)``; a ``nn.ConvNd`` weight is
``(out_channels, in_channels / groups, *kernel_size)``. PyTorch's
``torch.nn.init._calculate_fan_in_and_fan_out`` multiplies both fans by the receptive field
(the product of the kernel sizes)::

    fan_in  = size(1) · Π kernel_size
    fan_out = size(0) · Π kernel_size

(so a conv's fan_out counts every output position a single input feeds, He et al. 2015, §2.2).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from initlab.errors import InitlabError


def torch_fans(shape: Sequence[int]) -> tuple[int, int]:
    """``(fan_in, fan_out)`` of a weight of ``shape``, exactly as PyTorch computes them.

    >>> torch_fans((16, 3, 5, 5))
    (75, 400)
    >>> torch_fans((10, 4))
    (4, 10)
    """
    if len(shape) < 2:
        raise InitlabError(
            f"fans need a weight with at least 2 dimensions (out, in, *kernel); got shape "
            f"{tuple(shape)}"
        )
    receptive_field = math.prod(int(k) for k in shape[2:])
    return int(shape[1]) * receptive_field, int(shape[0]) * receptive_field
