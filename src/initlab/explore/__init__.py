"""``initlab explore``: the live initialization playground, in the browser and in Jupyter.

The web app (:mod:`initlab.explore.app`, served by :mod:`initlab.explore.server`) and the Jupyter
widget (:mod:`initlab.explore.widget`) share one front end (``static/``, plain ES modules) and one
session (:mod:`initlab.explore.session`) training with initlab's own engine. Nothing here is
imported by ``import initlab``; the server's and the widget's packages load only when used.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Sequence
from typing import Any

from initlab.runs import defaults as D


def explore(
    dataset: str = D.DATASET,
    inits: str | Sequence[str] = D.INITS,
    *,
    layers: str = ",".join(map(str, D.LAYERS)),
    activation: str = D.ACTIVATION,
    lr: float = D.LR,
    seed: int = D.SEED,
    until: int | None = None,
) -> Any:
    """The playground as a Jupyter widget (anywidget): ``initlab.explore(dataset="moons",
    inits=["zeros", "he"])``. ``widget.result()`` is :func:`initlab.compare`'s result for the
    widget's current settings and iteration."""
    from initlab.explore.widget import ExploreWidget

    return ExploreWidget(
        dataset=dataset,
        inits=inits,
        layers=layers,
        activation=activation,
        lr=lr,
        seed=seed,
        until=until,
    )


class _CallableModule(types.ModuleType):
    """This package, callable as :func:`explore`.

    ``initlab.explore`` is both this package and the function a notebook calls. Importing any
    submodule (``import initlab.explore.widget``) makes Python bind the package to the name
    ``explore`` in ``initlab``'s namespace, replacing whatever the package root put there; with a
    callable package, ``initlab.explore(dataset=..., inits=[...])`` works either way.
    """

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return explore(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule

__all__ = ["explore"]
