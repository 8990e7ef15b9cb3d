"""One default per setting, read by the Python API, the command line and sweep files alike.

The defaults of ``compare`` are the course's experiment ("Initialization", deeplearning.ai): a
2-10-5-1 ReLU network with a sigmoid output on the course's circles, full-batch gradient descent
at learning rate 0.01 for 15,000 iterations, the cost printed every 1,000, each initializer drawing
from ``RandomState(3)``. ``diagnose`` looks at a deep network (20 ReLU layers of 64) for 500
iterations; ``sweep`` repeats the course's experiment over seeds; ``theory`` draws tanh's phase
diagram. This module imports nothing, so the CLI reads it without loading any library.
"""

from __future__ import annotations

# -- every study -------------------------------------------------------------------------------
DATASET = "circles"
ACTIVATION = "relu"
OUTPUT = "auto"  # sigmoid for 2 classes, softmax for more
LR = 0.01
SEED = 3  # the course's np.random.seed(3)
ENGINE = "auto"  # the compiled engine where it covers the network, else numpy
DTYPE = "float64"

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
CONFIDENCE = 0.95
RESAMPLES = 10_000
BOOTSTRAP_SEED = 0
SUMMARY_OUT = "initlab-summary"

# -- theory: the order-to-chaos phase diagram ---------------------------------------------------
THEORY_ACTIVATION = "tanh"
THEORY_INITS = ("zeros", "lecun_normal", "glorot_normal", "he", "torch_linear", "random")
THEORY_WIDTH = 64
SIGMA_B2_MAX = 0.5
THEORY_OUT = "initlab-theory"
