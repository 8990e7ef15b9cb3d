"""Whether a compiled kernel is already on disk, and compiling it once with a word to the user.

The compiled engine has three kernels, each a ``cache=True`` numba function ``_train_kernel`` in
its own file (:data:`KERNELS`): ``"fast"`` (:mod:`initlab.engine.fast`, the SIMD micro-kernels
of the course-size networks), ``"wide"`` (:mod:`initlab.engine.fast_wide`, BLAS for layers of
:data:`WIDE` units and more in and out) and ``"residual"`` (:mod:`initlab.engine.fast_residual`).
Each is compiled on its own the first time it runs (the wide and residual kernels compile
``fast.py``'s helpers in); :func:`kernel_for` says which one a network needs.

numba keeps each ``cache=True`` function of a module ``<stem>.py`` as an index file
``<stem>.<function>-<line>.py<major><minor>.nbi`` plus data files, in the first folder of (numba's
``numba.core.caching`` locators, in its order): ``$NUMBA_CACHE_DIR/<folder>_<sha1 of the module's
folder>``; the module's own ``__pycache__`` when writable; the user-wide
``$XDG_CACHE_HOME/numba/<folder>_<sha1>`` (``~/.cache/numba``). An index is fresh when it was
written by this numba version (its first pickled object) for this source file (the SHA-256 of the
source, which numba stores in it). A specialization for a dtype is in it when the pickled
signatures name ``array(<dtype>, …)``. A kernel is cached when the index of each of its entry
points (``_train_kernel``; the wide kernel's ``_train_split`` too) has that dtype: the helpers'
own indexes do not count (a wide or residual compile writes
``fast.py``'s helpers, not ``fast._train_kernel``). All of this is read without importing numba
(which costs ≈0.3 s), so the choice of engine (:mod:`initlab.engine.auto`) stays cheap.

:func:`ensure_compiled` loads or compiles one kernel for one dtype by training a tiny network of
its kind for one iteration, and, when the cache is cold, logs (logger ``initlab.engine``; the CLI
prints it on stderr) what it is doing before and how long it took after, once per process.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
import time
from dataclasses import dataclass
from importlib import metadata
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from initlab.nn.network import Network

LOG = logging.getLogger("initlab.engine")

#: a layer is wide when its fan-in and fan-out are both at least this many units: the rule of
#: :func:`initlab.engine.fast_wide.wide_layers`, repeated here so that choosing a kernel imports
#: no numba (a test checks the two agree)
WIDE = 16


@dataclass(frozen=True)
class Kernel:
    """One compiled kernel: the module of its ``_train_kernel``, its name in the log, and the
    warm-up job that compiles it (a network of ``sizes`` and ``blocks``, ``models`` models, one
    iteration each: :func:`warm_up_job`)."""

    module: str
    words: str
    sizes: tuple[int, ...]
    blocks: tuple[tuple[int, int], ...] = ()
    #: the kernel's ``cache=True`` entry points, each with its own index; all must be cached
    functions: tuple[str, ...] = ("_train_kernel",)
    #: the numbers of models the warm-up trains, one per entry point (the wide kernel's second
    #: run is told to split one model's samples over the threads, whatever the threads)
    models: tuple[int, ...] = (1,)

    @property
    def source(self) -> Path:
        """The kernel's file: its SHA-256 is the stamp numba writes into the kernel's index."""
        return Path(__file__).with_name(f"{self.module}.py")


KERNELS = {
    "fast": Kernel("fast", "the fast engine", (2, 3, 1)),
    "wide": Kernel(
        "fast_wide",
        "the fast engine's wide-layer kernel",
        (1, WIDE, WIDE, 1),
        functions=("_train_kernel", "_train_split"),
        models=(2, 1),  # models over the threads; one model's samples over them
    ),
    "residual": Kernel(
        "fast_residual", "the fast engine's residual kernel", (1, 2, 2, 1), ((1, 1),)
    ),
}

#: the kernel's source: its SHA-256 is the stamp numba writes into every index
FAST_SOURCE = KERNELS["fast"].source

#: (kernel, dtype) pairs this process has loaded or compiled
READY: set[tuple[str, str]] = set()


def kernel_for(network: Network) -> str:
    """The kernel that trains ``network``: ``"residual"`` when it has blocks, ``"wide"`` when one
    of its layers is wide (:func:`is_wide`), else ``"fast"``."""
    if network.blocks:
        return "residual"
    return "wide" if is_wide(network.sizes) else "fast"


def is_wide(sizes: Sequence[int]) -> bool:
    """Whether some weight layer of ``sizes`` has fan-in and fan-out both ≥ :data:`WIDE`."""
    return any(min(n_in, n_out) >= WIDE for n_in, n_out in pairwise(sizes))


def cache_folder(source: Path = FAST_SOURCE) -> Path:
    """The folder numba caches ``source``'s functions in (its locators' order, see above)."""
    folder = source.resolve().parent
    sub = f"{folder.name}_{hashlib.sha1(str(folder).encode()).hexdigest()}"
    if os.environ.get("NUMBA_CACHE_DIR"):
        return Path(os.environ["NUMBA_CACHE_DIR"]) / sub
    in_tree = folder / "__pycache__"
    if os.access(in_tree if in_tree.is_dir() else folder, os.W_OK):
        return in_tree
    user = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(user) / "numba" / sub


def is_cached(dtype: str = "float64", kernel: str = "fast") -> bool:
    """Whether a fresh compiled ``dtype`` specialization of every entry point of ``kernel`` (a
    key of :data:`KERNELS`) is on disk."""
    spec = KERNELS[kernel]
    return all(index_has(spec.source, dtype, function) for function in spec.functions)


def index_has(source: Path, dtype: str, function: str = "_train_kernel") -> bool:
    """Whether a fresh index of ``source``'s ``function`` holds a ``dtype`` specialization."""
    try:
        version = metadata.version("numba")
        stamp = hashlib.sha256(source.read_bytes()).digest()
    except (metadata.PackageNotFoundError, OSError):
        return False
    tag = f"py{sys.version_info[0]}{sys.version_info[1]}"
    signature = f"array({dtype},".encode()
    for index in cache_folder(source).glob(f"{source.stem}.{function}-*.{tag}*.nbi"):
        try:
            with open(index, "rb") as f:
                if pickle.load(f) != version:
                    continue
                rest = f.read()
        except (OSError, pickle.UnpicklingError, EOFError, ValueError):
            continue
        if stamp in rest and signature in rest:
            return True
    return False


def ensure_compiled(dtype: str, kernel: str = "fast") -> float:
    """Load (or compile, saying so) ``kernel`` for ``dtype`` in this process; returns the seconds
    it took (0 when it was already there)."""
    if (kernel, dtype) in READY:
        return 0.0
    spec = KERNELS[kernel]
    seconds = compile_saying(
        f"{spec.words} for {dtype}",
        "once per install",
        COLD_COMPILE_SECONDS[kernel],
        not is_cached(dtype, kernel),
        lambda: _warm_up(spec, dtype),
    )
    READY.add((kernel, dtype))
    return seconds


def compile_saying(
    what: str, once: str, estimate: float, cold: bool, work: Callable[[], object]
) -> float:
    """Run ``work`` (which loads a kernel, or compiles it when it is ``cold``) and return its
    seconds; when cold, log what is being compiled before (``once``: how often that happens,
    ``estimate``: about how long) and how long it took after — the one wording of every
    compile, here and in :mod:`initlab.engine.fused`."""
    if cold:
        LOG.info("compiling %s (numba, %s; about %.0f s) …", what, once, estimate)
    start = time.perf_counter()
    work()
    seconds = time.perf_counter() - start
    if cold:
        LOG.info("compiled %s in %.1f s; later runs load it", what, seconds)
    return seconds


def warm_up_job(
    sizes: Sequence[int], K: int = 1, blocks: int = 0
) -> tuple[list[tuple[np.ndarray, np.ndarray]], np.ndarray, np.ndarray]:
    """``(params, X, Y)`` of the job that compiles a kernel: K models of layer ``sizes`` (all
    weights 1, biases 0; with ``blocks`` residual blocks, their (α, trained) entry too) on 4
    samples of ones, for one iteration."""
    params = [(np.ones((K, o, i)), np.zeros((K, o, 1))) for i, o in pairwise(sizes)]
    if blocks:
        params.append((np.ones((K, blocks, 1)), np.ones((K, blocks, 1))))
    return params, np.ones((sizes[0], 4)), np.ones((sizes[-1], 4))


def _warm_up(spec: Kernel, dtype: str) -> None:
    """Train ``spec``'s network for one iteration (:func:`warm_up_job`), once per count of models
    in ``spec.models``, with its module's ``train`` (which compiles each entry point, or loads it
    from the cache)."""
    from initlab.engine import fast, fast_residual, fast_wide
    from initlab.nn.network import Network

    modules = {"fast": fast, "fast_wide": fast_wide, "fast_residual": fast_residual}
    network = Network(spec.sizes, blocks=spec.blocks)
    for K in spec.models:
        params, X, Y = warm_up_job(network.sizes, K, len(spec.blocks))
        split = {"split": K == 1} if spec.module == "fast_wide" else {}
        modules[spec.module].train(network, params, X, Y, 0.1, 1, 1, None, dtype, **split)


#: seconds a cold compile (empty cache, numba's import included, as :func:`ensure_compiled` times
#: it) of one dtype of each kernel takes; used only to estimate. Measured on the development
#: machine (2 cores, AVX-512, shared with another engineer's benchmarks) on 2026-12-03: fast
#: (the SIMD micro-kernels, :mod:`initlab.engine.microkernels`) 17.5, 19.6 s (float64), 17.5 s
#: (float32) at load ≈0.9, 07:17 UTC, 18.7 s in ``initlab bench`` at 09:42 UTC; wide 28.7 s
#: (float64, 09:53 UTC, load 0.9: both entry points, the models' and the one model's split;
#: 16-19 s before the split existed); residual 13.3, 15.1 s (float64), 11.1, 14.4 s (float32)
#: at 06:40-06:58 UTC, load 0.5-2 (one more at load 2.7: 23.8 s). ``initlab bench`` times the
#: fast kernel again.
COLD_COMPILE_SECONDS = {"fast": 18.0, "wide": 28.0, "residual": 14.0}
