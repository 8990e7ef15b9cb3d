"""initlab: the weight-initialization lab.

See how the way a network's weights start decides whether it learns.

>>> import initlab
>>> result = initlab.compare(iterations=2000)      # doctest: +SKIP
>>> result.table()                                  # doctest: +SKIP
"""

from initlab._version import __version__
from initlab.api import compare, diagnose, export, load, summarize, sweep  # noqa: E402
from initlab.errors import InitlabError  # noqa: E402
from initlab.estimator import MLPClassifier  # noqa: E402

__all__ = [
    "InitlabError",
    "MLPClassifier",
    "__version__",
    "compare",
    "diagnose",
    "export",
    "load",
    "summarize",
    "sweep",
]
