"""The settings every result's JSON starts with: version, time, dataset, network and training."""

from __future__ import annotations

from typing import Any

from initlab._version import __version__
from initlab.data.dataset import Dataset
from initlab.nn.network import Network


def settings_header(
    *,
    created: str,
    dataset: Dataset,
    network: Network,
    lr: float,
    iterations: int,
    seed: int,
    engine: str,
    every: int | None = None,
) -> dict[str, Any]:
    """``initlab_version``, ``created``, ``dataset``, ``network``, ``lr``, ``iterations``,
    ``every`` (only if given), ``seed`` and ``engine``, in that order, JSON-ready. A residual
    network's ``network`` also gives its ``blocks`` (``[start, m]`` each, weight layers 0-based,
    :mod:`initlab.nn.residual`) and its layer list as typed (``"2-8-res8x4-1"``)."""
    header: dict[str, Any] = {
        "initlab_version": __version__,
        "created": created,
        "dataset": dataset.spec,
        "network": {
            "layers": list(network.sizes),
            "activation": network.activation,
            "output": network.output,
            **(
                {"parametrization": network.parametrization, "base_width": network.base_width}
                if network.parametrization != "sp"
                else {}
            ),
        },
        "lr": lr,
        "iterations": iterations,
    }
    if network.blocks:
        header["network"]["blocks"] = [list(block) for block in network.blocks]
        header["network"]["text"] = str(network)
    if every is not None:
        header["every"] = every
    header["seed"] = seed
    header["engine"] = engine
    return header
