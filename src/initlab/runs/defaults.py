"""One default per setting, read by the Python API, the command line and sweep files alike.

The defaults of ``compare`` are the course's experiment ("Initialization", deeplearning.ai): a
2-10-5-1 ReLU network with a sigmoid output on the course's circles, full-batch gradient descent
at learning rate 0.01 for 15,000 iterations, the cost printed every 1,000, each initializer drawing
from ``RandomState(3)``. ``diagnose`` looks at a deep network (20 ReLU layers of 64) for 500
iterations; ``sweep`` repeats the course's experiment over seeds; ``theory`` draws tanh's phase
diagram. The statistical methods' own settings (confidence level, bootstrap resamples and seed)
are defined beside the methods in :mod:`initlab.analysis.statistics` and named here. Nothing
heavy is imported, so the CLI reads this module without loading any library.
"""

from __future__ import annotations

from initlab.analysis import statistics

# -- every study -------------------------------------------------------------------------------
DATASET = "circles"
ACTIVATION = "relu"
OUTPUT = "auto"  # sigmoid for 2 classes, softmax for more
LR = 0.01
SEED = 3  # the course's np.random.seed(3)
ENGINE = "auto"  # the compiled engine where it covers the network, else numpy
DTYPE = "float64"
PARAMETRIZATION = "sp"  # standard; "ntk" and "mup" need a base width

# -- compare: the course's experiment -----------------------------------------------------------
INITS = ("zeros", "random", "he")
LAYERS = ("auto", 10, 5, "auto")  # 2-10-5-1 on circles; fits any dataset
ITERATIONS = 15_000
EVERY = 1_000
OUT = "initlab-out"

# -- diagnose: layer by layer -------------------------------------------------------------------
DIAGNOSE_INITS = ("zeros", "random", "lecun_normal", "he")
DIAGNOSE_DEPTH = 20
DIAGNOSE_WIDTH = 64
DIAGNOSE_ITERATIONS = 500
DIAGNOSE_EVERY = 10
DIAGNOSE_OUT = "initlab-diagnose"

# -- sweep and summarize ------------------------------------------------------------------------
SWEEP_SEEDS = "0-9"
STORE = "results.db"
BACKEND = "local"
SCHEDULER_TIMEOUT = 10.0  # seconds to reach a Dask scheduler
BATCH_SIZE = 64
TARGET = 0.9  # a run "succeeds" when its test accuracy reaches this
SUMMARY_OUT = "initlab-summary"
CONFIDENCE = statistics.DEFAULT_CONFIDENCE  # the statistics' own settings, named here
RESAMPLES = statistics.DEFAULT_RESAMPLES
BOOTSTRAP_SEED = statistics.DEFAULT_BOOTSTRAP_SEED

# -- theory: the order-to-chaos phase diagram ---------------------------------------------------
THEORY_ACTIVATION = "tanh"
THEORY_INITS = ("zeros", "lecun_normal", "glorot_normal", "he", "torch_linear", "random")
THEORY_WIDTH = 64
SIGMA_B2_MAX = 0.5
THEORY_OUT = "initlab-theory"

# -- signal: isometry, trainability, width scaling (initlab.signal) ------------------------------
ISOMETRY_ACTIVATION = "tanh"
ISOMETRY_DEPTHS = (8, 32, 128)
ISOMETRY_WIDTH = 128
ISOMETRY_SIGMA_B2 = 1e-4  # q* ≈ 0.05 on tanh's critical line: near the isometric limit q* → 0
ISOMETRY_OFF_CRITICAL = 0.7  # off-critical σ_w² = 0.7 × the critical one (ordered)
ISOMETRY_INPUTS = 4
ISOMETRY_OUT = "initlab-isometry"
TRAINABILITY_ACTIVATION = "tanh"
TRAINABILITY_SIGMA_W2 = (0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0)
TRAINABILITY_DEPTHS = (2, 4, 8, 16, 32)
TRAINABILITY_DATASET = "digits:standardize=true"  # scikit-learn's 8×8 digits, pixels standardized
TRAINABILITY_WIDTH = 16
TRAINABILITY_LR = 0.1
TRAINABILITY_ITERATIONS = 200
TRAINABILITY_SEEDS = "0"
TRAINABILITY_STORE = "trainability.db"
TRAINABILITY_OUT = "initlab-trainability"
COORD_ACTIVATION = "relu"
COORD_WIDTHS = (64, 128, 256, 512, 1024, 2048)
COORD_DEPTH = 3
COORD_STEPS = 3
COORD_LR = 0.1
COORD_DATASET = "digits:standardize=true"
COORD_BATCH = 64
COORD_SEEDS = "0-1"
COORD_SIGMA_W2 = 2.0  # He: σ_w² = 2 for ReLU
COORD_LRS = (0.0078125, 0.015625, 0.03125, 0.0625, 0.125, 0.25, 0.5, 1.0, 2.0)
COORD_LR_WIDTHS = (64, 256, 1024)
COORD_LR_STEPS = 20
COORD_OUT = "initlab-coordcheck"


# -- a cap for test runs -------------------------------------------------------------------------
#: the environment variable that caps every study's iterations (compare, diagnose, sweep, the
#: estimator's max_iter): the test suite runs the README's examples as written, shortened by it
MAX_ITERATIONS_VARIABLE = "INITLAB_MAX_ITERATIONS"


def capped(iterations: int) -> int:
    """``iterations``, or fewer when ``INITLAB_MAX_ITERATIONS`` (a positive integer) is set lower;
    unset or empty: no cap."""
    import os

    text = os.environ.get(MAX_ITERATIONS_VARIABLE, "").strip()
    if not text:
        return iterations
    if not text.isdigit() or int(text) < 1:
        from initlab.errors import InitlabError

        raise InitlabError(
            f"{MAX_ITERATIONS_VARIABLE} must be a positive integer (or unset); got {text!r}"
        )
    return min(iterations, int(text))
