"""initlab: the weight-initialization lab.

See how the way a network's weights start decides whether it learns.

>>> import initlab
>>> result = initlab.compare(iterations=2000)      # doctest: +SKIP
>>> result.table()                                  # doctest: +SKIP

The public surface is loaded lazily: ``import initlab`` imports none of scikit-learn, SciPy,
matplotlib, pandas or numba; each loads when a function that needs it is first used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from initlab._version import __version__
from initlab.errors import InitlabError

# name -> the module that defines it (imported on first use)
_LAZY = {
    "compare": "initlab.experiments.compare",
    "diagnose": "initlab.experiments.diagnose",
    "sweep": "initlab.experiments.sweep",
    "load": "initlab.experiments.sweep",
    "export": "initlab.experiments.sweep",
    "summarize": "initlab.experiments.summary",
    "phase_diagram": "initlab.experiments.phase",
    "MLPClassifier": "initlab.estimator",
}
# callable packages: ``initlab.explore(...)`` is the playground widget (initlab/explore)
_CALLABLE_SUBMODULES = ("explore",)
_SUBMODULES = ("course", "initializers", "data", "nn", "engine", "experiments", "torch")

if TYPE_CHECKING:
    from initlab import course, data, engine, experiments, initializers, nn  # noqa: F401
    from initlab.estimator import MLPClassifier
    from initlab.experiments.compare import compare
    from initlab.experiments.diagnose import diagnose
    from initlab.experiments.phase import phase_diagram
    from initlab.experiments.summary import summarize
    from initlab.experiments.sweep import export, load, sweep


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
    elif name in _SUBMODULES or name in _CALLABLE_SUBMODULES:
        value = importlib.import_module(f"initlab.{name}")
    else:
        raise AttributeError(f"module 'initlab' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY, *_SUBMODULES, *_CALLABLE_SUBMODULES])


__all__ = [
    "InitlabError",
    "MLPClassifier",
    "__version__",
    "compare",
    "diagnose",
    "export",
    "explore",
    "load",
    "phase_diagram",
    "summarize",
    "sweep",
]
