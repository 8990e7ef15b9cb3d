"""initlab never changes matplotlib's backend, and its figures save without one."""

import subprocess
import sys

SCRIPT = """
import matplotlib
matplotlib.use("svg")
from initlab.experiments import comparison, diagnostics, phase, summary  # every figure module
from initlab.report.document import png_bytes
from initlab.viz import activations, boundary, costs, dataset, depth, style
from initlab.viz import phase as phase_figure
from initlab.viz import summary as summary_figure
assert matplotlib.get_backend() == "svg", matplotlib.get_backend()
fig = style.new_figure(2, 2)
fig.add_subplot().plot([0, 1], [1, 0])
assert png_bytes(fig)[:4] == b"\\x89PNG"
assert matplotlib.get_backend() == "svg", matplotlib.get_backend()
"""


def test_importing_and_drawing_keep_the_user_s_backend():
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
