"""The studies: each is a function a user calls and the result object it returns.

compare (:mod:`.compare`, its result :mod:`.comparison`), diagnose (:mod:`.diagnose`, its result
:mod:`.diagnostics`), sweep with load and export (:mod:`.sweep`), summarize (:mod:`.summary`) and
the phase diagram (:mod:`.phase`). What the results share is in :mod:`.result`.
"""

from initlab.experiments.compare import compare
from initlab.experiments.diagnose import diagnose
from initlab.experiments.phase import THEORY_INITS, phase_diagram
from initlab.experiments.summary import summarize
from initlab.experiments.sweep import export, load, sweep

__all__ = [
    "THEORY_INITS",
    "compare",
    "diagnose",
    "export",
    "load",
    "phase_diagram",
    "summarize",
    "sweep",
]
