"""Whether the compiled kernel is already on disk, and compiling it once with a word to the user.

numba keeps each ``cache=True`` function of :mod:`initlab.engine.fast` as an index file
``fast.<function>-<line>.py<major><minor>.nbi`` plus data files, in the first folder of (numba's
``numba.core.caching`` locators, in its order): ``$NUMBA_CACHE_DIR/<folder>_<sha1 of the module's
folder>``; the module's own ``__pycache__`` when writable; the user-wide
``$XDG_CACHE_HOME/numba/<folder>_<sha1>`` (``~/.cache/numba``). An index is fresh when it was
written by this numba version (its first pickled object) for this ``fast.py`` (the SHA-256 of the
source, which numba stores in it). A specialization for a dtype is in it when the pickled
signatures name ``array(<dtype>, …)``. All of this is read without importing numba (which costs
≈0.3 s), so the choice of engine (:mod:`initlab.engine.auto`) stays cheap.

:func:`ensure_compiled` loads or compiles the kernel for one dtype by training a 2-3-1 network for
one iteration, and, when the cache is cold, logs (logger ``initlab.engine``; the CLI prints it on
stderr) what it is doing before and how long it took after, once per process.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
import time
from importlib import metadata
from pathlib import Path

import numpy as np

LOG = logging.getLogger("initlab.engine")

#: the kernel's source: its SHA-256 is the stamp numba writes into every index
FAST_SOURCE = Path(__file__).with_name("fast.py")

#: dtypes whose kernel this process has loaded or compiled
READY: set[str] = set()


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


def is_cached(dtype: str = "float64", source: Path = FAST_SOURCE) -> bool:
    """Whether a fresh compiled ``dtype`` specialization of ``source``'s kernels is on disk."""
    try:
        version = metadata.version("numba")
        stamp = hashlib.sha256(source.read_bytes()).digest()
    except (metadata.PackageNotFoundError, OSError):
        return False
    tag = f"py{sys.version_info[0]}{sys.version_info[1]}"
    signature = f"array({dtype},".encode()
    for index in cache_folder(source).glob(f"{source.stem}.*-*.{tag}*.nbi"):
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


def ensure_compiled(dtype: str) -> float:
    """Load (or compile, saying so) the fast kernel for ``dtype`` in this process; returns the
    seconds it took (0 when it was already there)."""
    if dtype in READY:
        return 0.0
    cold = not is_cached(dtype)
    if cold:
        LOG.info(
            "compiling the fast engine for %s (numba, once per install; about %.0f s) …",
            dtype,
            COLD_COMPILE_SECONDS,
        )
    start = time.perf_counter()
    from initlab.engine import fast

    params = [(np.ones((1, 3, 2)), np.zeros((1, 3, 1))), (np.ones((1, 1, 3)), np.zeros((1, 1, 1)))]
    X, Y = np.ones((2, 4)), np.ones((1, 4))
    from initlab.nn.network import Network

    fast.train(Network((2, 3, 1)), params, X, Y, 0.1, 1, 1, None, dtype)
    seconds = time.perf_counter() - start
    READY.add(dtype)
    if cold:
        LOG.info("compiled the fast engine for %s in %.1f s; later runs load it", dtype, seconds)
    return seconds


#: seconds a cold compile of one dtype takes: 12.6 s (float64) and 13.5 s (float32) measured on
#: the development machine (2 cores, AVX-512, shared, load ≈2; 2026-12-02; ``initlab bench``
#: times it again); used only to estimate
COLD_COMPILE_SECONDS = 13.0
