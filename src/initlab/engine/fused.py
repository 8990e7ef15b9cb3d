"""A training kernel generated for one network shape: the whole network, a few vectors of samples
at a time, in registers.

The compiled engine's general kernel (:mod:`initlab.engine.fast`) runs one layer at a time over
all the samples: every activation goes to memory and comes back, and its loops, written for any
shape, spend on bookkeeping what a 10 × 5 layer has little of. For the small networks learners and
researchers train by the thousand, the field's answer is a kernel generated for the exact shape
(LIBXSMM: Heinecke et al. 2016, "LIBXSMM: accelerating small matrix multiplications by runtime
code generation", SC16): every loop bound a constant, every loop written out. Here the generated
kernel takes ``T`` vectors of samples (``T × 8`` in float64, ``T × 16`` in float32) through the
whole iteration in :class:`~initlab.engine.simd.Vec` registers::

    forward    a_l[j] = relu(Σ_i W_l[j, i]·a_{l−1}[i] + b_l[j])    (i in order, then + b)
    output     d_L = (σ(z_L) − y)/m                                 (zero past the m samples)
    backward   d_{l−1}[i] = (Σ_j W_l[j, i]·d_l[j])·(a_{l−1}[i] > 0)  (j in order, the old W)
    gradient   G[W_l[j, i]] += d_l[j]·a_{l−1}[i]    G[b_l[j]] += d_l[j]

One accumulator vector per parameter (``G``, in L1) is loaded and stored once per ``T`` vectors;
after the last vector the step is ``θ ← θ − η·(lane sum of G)``. Each multiply-add reads its weight
as a broadcast memory operand, not from a register the vectors share (:func:`_theta`).

Every operation and every order is the general kernel's — forward sums over units from the first
term (a product, then fused multiply-adds), + b last; sums over samples kept in lanes vector after
vector from zero, then :func:`~initlab.engine.simd.vhsum`; the sigmoid's gradient as
:func:`~initlab.engine.microkernels.sigmoid_grad` — so both kernels give the same bits, and which
one ran never changes a result (tests/engine/test_fused.py checks it).

Covered (:func:`covers`): ReLU hidden layers, a sigmoid output, no residual blocks, no wide layer
and at most :data:`MAX_PARAMS` parameters — the course's 2-10-5-1 and its kin. Everything else
trains on the general kernels.

Each shape and dtype is its own module, written once into :func:`cache_folder` and compiled by
numba (``cache=True``, about :data:`COMPILE_SECONDS` the first time; loaded from disk after). Its
name carries a stamp of the engine files compiled into it (:data:`SOURCES`), so editing any of
them generates a fresh module instead of loading a stale one. A shape is compiled when a job asks
for it and would run at least :data:`COMPILE_SECONDS` on the general kernel (:func:`chosen`), or
when :func:`compile` is called (``initlab bench`` does, for the course's network); a short job on
a new shape runs on the general kernel instead of waiting for a compile.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import logging
import os
import sys
import tempfile
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from initlab.engine import kernel_cache
from initlab.engine.flops import training_flops
from initlab.engine.inputs import DTYPES
from initlab.engine.layout import layout

if TYPE_CHECKING:
    import numpy as np

    from initlab.engine.history import History
    from initlab.engine.inputs import Progress
    from initlab.engine.params import Params
    from initlab.nn.network import Network

LOG = logging.getLogger("initlab.engine")

#: the largest network (parameters) a kernel is generated for: the generated code grows with it
#: (the course's 91 parameters make ≈1,100 lines)
MAX_PARAMS = 128
#: vectors of samples per pass: each accumulator is loaded and stored once per T vectors
TILE = 2
#: seconds a cold compile of one shape and dtype takes (2-10-5-1 on the development machine,
#: 2 cores, AVX-512, 2026-12-03: 8.7 and 10.0 s float64, 9.9 and 12.1 s float32); used to estimate
COMPILE_SECONDS = 10.0
#: the general kernel's rate on covered networks, fused multiply-adds per second per core, from
#: 2-10-5-1 on 300 points (6-7 µs per model-iteration on one core of the development machine,
#: 2026-12-03): only to judge whether a job is long enough to compile for
GENERAL_FLOPS_PER_SECOND = 2 * 9e9
#: the engine files compiled into a generated module: its name carries their stamp
SOURCES = ("fused.py", "simd.py", "fast.py", "fast_outputs.py", "microkernels.py", "reductions.py")
#: the environment variable naming the folder generated modules are kept in
CACHE_VARIABLE = "INITLAB_CACHE_DIR"

_loaded: dict[tuple[tuple[int, ...], str], Callable[..., None]] = {}


def covers(network: Network, dtype: str = "float64") -> str | None:
    """Why no kernel is generated for ``network`` in ``dtype``, or ``None`` when one is."""
    if network.blocks:
        return "residual networks train on the residual kernel"
    if any(a.name != "relu" for a in network.hidden_activations()):
        return "only ReLU hidden layers have a generated kernel"
    if network.output != "sigmoid":
        return "only a sigmoid output has a generated kernel"
    if kernel_cache.is_wide(network.sizes):
        return "a network with a wide layer trains on the wide kernel"
    if n_params(network.sizes) > MAX_PARAMS:
        return f"networks of more than {MAX_PARAMS} parameters train on the general kernel"
    if dtype not in DTYPES:
        return f"the fast engine runs float64 or float32, not {dtype}"
    return None


def n_params(sizes: tuple[int, ...]) -> int:
    """Weights and biases of an MLP of layer ``sizes``."""
    return sum(n_out * (n_in + 1) for n_in, n_out in pairwise(sizes))


def chosen(network: Network, dtype: str, samples: int, models: int, iterations: int) -> bool:
    """Whether the fast engine trains this job on a generated kernel: the network is covered, and
    its kernel is loaded or on disk, or the job would take the general kernel at least
    :data:`COMPILE_SECONDS` (estimated from its FLOPs, the models spread over the cores)."""
    if covers(network, dtype) is not None:
        return False
    if is_ready(network.sizes, dtype):
        return True
    cores = max(1, min(models, os.cpu_count() or 1))
    flops = training_flops(network.sizes, samples, models) * iterations
    return flops / (GENERAL_FLOPS_PER_SECOND * cores) >= COMPILE_SECONDS


def is_ready(sizes: tuple[int, ...], dtype: str) -> bool:
    """Whether the kernel of ``sizes`` in ``dtype`` is loaded in this process or compiled on disk
    (read without importing numba)."""
    if (tuple(sizes), dtype) in _loaded:
        return True
    path = module_path(sizes, dtype)
    return path.exists() and kernel_cache.index_has(path, dtype, "train_kernel")


def cache_folder() -> Path:
    """Where generated modules are kept: ``$INITLAB_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/initlab/kernels`` (``~/.cache/initlab/kernels``); numba keeps their compiled
    code in its ``__pycache__``."""
    if os.environ.get(CACHE_VARIABLE):
        return Path(os.environ[CACHE_VARIABLE])
    user = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(user) / "initlab" / "kernels"


@functools.cache
def stamp() -> str:
    """12 hex digits of the SHA-256 of the engine files compiled into a generated module (read
    once per process: numba, too, compiles a kernel from the code the process imported)."""
    digest = hashlib.sha256()
    here = Path(__file__).parent
    for name in SOURCES:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:12]


def module_path(sizes: tuple[int, ...], dtype: str) -> Path:
    """The generated module of ``sizes`` in ``dtype``."""
    shape = "_".join(str(n) for n in sizes)
    return cache_folder() / f"initlab_fused_{shape}_{dtype}_{stamp()}.py"


def compile(network: Network, dtype: str = "float64") -> float:  # noqa: A001 (the field's word)
    """Load, or generate and compile (saying so before and after), the kernel of ``network`` in
    ``dtype``; returns the seconds it took (0 when it was loaded in this process already). Raises
    :class:`~initlab.errors.InitlabError` when the network is not covered (:func:`covers`)."""
    from initlab.errors import InitlabError

    reason = covers(network, dtype)
    if reason is not None:
        raise InitlabError(reason)
    key = (tuple(network.sizes), dtype)
    if key in _loaded:
        return 0.0

    from initlab.engine import fast

    def load() -> None:
        kernel = _load(network.sizes, dtype)
        params, X, Y = kernel_cache.warm_up_job(network.sizes)  # numba compiles, or loads
        fast.train(network, params, X, Y, 0.1, 1, 1, None, dtype, kernel=kernel, padded=True)
        _loaded[key] = kernel

    shape = "-".join(str(n) for n in network.sizes)
    return kernel_cache.compile_saying(
        f"the fast engine's kernel for {shape} in {dtype}",
        "once per shape",
        COMPILE_SECONDS,
        not is_ready(network.sizes, dtype),
        load,
    )


def train(
    network: Network,
    params: Params,
    X: np.ndarray,
    Y: np.ndarray,
    lr: float | np.ndarray,
    iterations: int,
    every: int = 1000,
    progress: Progress | None = None,
    dtype: str = "float64",
) -> History:
    """:func:`initlab.engine.fast.train` on the kernel generated for ``network`` (compiled first
    when it is not yet, :func:`compile`): same arguments, same :class:`History`, the same bits."""
    from initlab.engine import fast

    compile(network, dtype)
    return fast.train(
        network,
        params,
        X,
        Y,
        lr,
        iterations,
        every,
        progress,
        dtype,
        kernel=_loaded[(tuple(network.sizes), dtype)],
        padded=True,
    )


def _load(sizes: tuple[int, ...], dtype: str) -> Callable[..., None]:
    """The generated module's ``train_kernel``, the module written first when it is not on disk
    (atomically: a whole file or none, so processes sharing the folder never read half of one)."""
    path = module_path(sizes, dtype)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(suffix=".tmp", dir=path.parent)
        with os.fdopen(handle, "w") as f:
            f.write(source(tuple(sizes), dtype))
        os.replace(temporary, path)
    name = path.stem
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:  # a .py path always has a loader
        raise ImportError(f"cannot import the generated kernel {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    kernel: Callable[..., None] = module.train_kernel
    return kernel


# -- the generated source ----------------------------------------------------------------------


def source(sizes: tuple[int, ...], dtype: str) -> str:
    """The Python source of the kernel module for ``sizes`` in ``dtype`` (``float64``: vectors of
    8, ``float32``: 16): ``_accumulate`` (one pass over the samples: logits and G), ``_logits``
    (the forward alone, for the final cost) and ``train_kernel`` (the loop over models and
    iterations, :func:`initlab.engine.fast._train_kernel`'s arguments and records)."""
    lanes = 8 if dtype == "float64" else 16
    net = _Net(sizes, lanes)
    lines = [
        f'"""initlab.engine.fused: the kernel of a {"-".join(map(str, sizes))} ReLU network with a',
        f'sigmoid output in {dtype}, generated; do not edit (stamp {stamp()})."""',
        "from numba import njit, prange",
        "from initlab.engine import microkernels",
        "from initlab.engine.fast import diverges, keep_final",
        "from initlab.engine.fast_outputs import SIGMOID_BCE, cost",
        "from initlab.engine.simd import (",
        "    at, vadd, vadd_s, vdiv, vexp, vfma, vfma_vv, vhsum, vhsums, vload, vmask, vmul,",
        "    vrelu, vsplat, vstore, vsub,",
        ")",
        "",
        "",
        "@njit(cache=True, fastmath=False)",
        "def _accumulate(th, th_, X, Y, valid, G, Z, M, inv_m):",
        "    zero = vsplat(th[0] - th[0], vload(X, 0))",
        "    one = vsplat(th[0] - th[0] + 1, zero)",
        f"    for p in range({net.P}):",
        f"        vstore(G, p * {lanes}, zero)",
        "    s = 0",
        f"    while s + {lanes * TILE} <= M:",
        *net.pass_(TILE, backward=True),
        f"        s += {lanes * TILE}",
        "    while s < M:",
        *net.pass_(1, backward=True),
        f"        s += {lanes}",
        "",
        "",
        "@njit(cache=True, fastmath=False)",
        "def _logits(th, X, Z, M):",
        "    s = 0",
        "    while s < M:",
        *net.pass_(1, backward=False),
        f"        s += {lanes}",
        "",
        "",
        "@njit(cache=True, fastmath=False)",
        "def _apply(th, G, lr):",
        *net.apply(),
        "",
        "",
        _DRIVER.format(
            n_out=sizes[-1],
            P=net.P,
            lanes=lanes,
            # one output: its row of Z starts with the m logits, read in place
            logits="Z[:m]" if sizes[-1] == 1 else "microkernels.aligned_zeros(n_out * m, theta)",
            compact="pass" if sizes[-1] == 1 else _COMPACT,
        ),
    ]
    return "\n".join(lines) + "\n"


class _Net:
    """Offsets of a flat parameter vector (:func:`initlab.engine.layout.layout`) and the text of
    one pass over ``T`` vectors of samples."""

    def __init__(self, sizes: tuple[int, ...], lanes: int) -> None:
        self.sizes, self.lanes, self.L = sizes, lanes, len(sizes) - 1
        _, woff, boff, _ = layout(sizes)
        self.woff, self.boff = [int(o) for o in woff], [int(o) for o in boff]
        self.P = n_params(sizes)

    def pass_(self, T: int, backward: bool) -> list[str]:
        """The loop body for vectors ``s, s + lanes, …`` (T of them): ``a{l}_{i}_{u}`` is layer
        l's activation i on vector u (layer 0 the input), ``d{l}_{j}_{u}`` its dCost/dZ."""
        out: list[str] = []
        w, U, W, L, sizes = out.append, range(T), self.lanes, self.L, self.sizes
        for u in U:
            for i in range(sizes[0]):
                w(f"a0_{i}_{u} = vload(X, {i} * M + s + {W * u})")
        for li in range(L):
            n_in, n_out = sizes[li], sizes[li + 1]
            for j in range(n_out):
                row = self.woff[li] + j * n_in
                for u in U:
                    w(f"z_{u} = vmul(at({_theta(u)}, {row}), a{li}_0_{u})")
                for i in range(1, n_in):
                    for u in U:
                        w(f"z_{u} = vfma(at({_theta(u)}, {row + i}), a{li}_{i}_{u}, z_{u})")
                for u in U:
                    bias = f"vadd_s(z_{u}, at({_theta(u)}, {self.boff[li] + j}))"
                    if li < L - 1:
                        w(f"a{li + 1}_{j}_{u} = vrelu({bias})")
                    else:
                        w(f"z{j}_{u} = {bias}")
                        w(f"vstore(Z, {j} * M + s + {W * u}, z{j}_{u})")
        if backward:
            for j in range(sizes[L]):
                for u in U:  # microkernels.sigmoid_grad's formula, zero past the m samples
                    o = f"s + {W * u}"
                    y = f"vload(Y, {j} * M + {o})"
                    w(f"p_ = vdiv(one, vadd(one, vexp(vsub(zero, z{j}_{u}))))")
                    w(f"d{L}_{j}_{u} = vmask(vmul(inv_m, vsub(p_, {y})), vload(valid, {o}))")
            for li in range(L - 1, -1, -1):
                out += self._gradient(li, T)
        return ["        " + line for line in out]

    def _gradient(self, li: int, T: int) -> list[str]:
        """Layer ``li``'s accumulators (over the T vectors in order), then the d of the layer
        below (with the old W, ReLU's derivative applied)."""
        out: list[str] = []
        w, U, W = out.append, range(T), self.lanes
        n_in, n_out = self.sizes[li], self.sizes[li + 1]
        for j in range(n_out):
            for i in range(n_in):
                g = (self.woff[li] + j * n_in + i) * W
                e = f"vload(G, {g})"
                for u in U:
                    e = f"vfma_vv(d{li + 1}_{j}_{u}, a{li}_{i}_{u}, {e})"
                w(f"vstore(G, {g}, {e})")
            g = (self.boff[li] + j) * W
            e = f"vload(G, {g})"
            for u in U:
                e = f"vadd({e}, d{li + 1}_{j}_{u})"
            w(f"vstore(G, {g}, {e})")
        if li > 0:
            for i in range(n_in):
                for u in U:
                    w(f"z_{u} = vmul(at({_theta(u)}, {self.woff[li] + i}), d{li + 1}_0_{u})")
                for j in range(1, n_out):
                    weight = self.woff[li] + j * n_in + i
                    for u in U:
                        w(f"z_{u} = vfma(at({_theta(u)}, {weight}), d{li + 1}_{j}_{u}, z_{u})")
                for u in U:
                    w(f"d{li}_{i}_{u} = vmask(z_{u}, a{li}_{i}_{u})")
        return out

    def apply(self) -> list[str]:
        """θ ← θ − η·(lane sum of G), each layer's W and b with its own η (``lr`` (L + 1, 2)):
        ``W`` parameters at a time as one vector (:func:`~initlab.engine.simd.vhsums`, the same
        sums), the rest of each group one by one."""
        out, W = [], self.lanes
        for li in range(self.L):
            w, b = self.woff[li], self.boff[li]
            groups = (w, b), (b, b + self.sizes[li + 1])
            for k, (first, last) in enumerate(groups):  # k = 0: W, 1: b
                eta = f"lr[{li}, {k}]"
                whole = first + (last - first) // W * W
                out += [
                    f"    for p in range({first}, {whole}, {W}):",
                    f"        vstore(th, p, vsub(vload(th, p), vmul({eta}, vhsums(G, p * {W}))))",
                    f"    for p in range({whole}, {last}):",
                    f"        th[p] = th[p] - {eta} * vhsum(vload(G, p * {W}))",
                ]
        return out


def _theta(u: int) -> str:
    """The name vector ``u`` of a pass reads θ by: ``th`` for even, ``th_`` (the same array, passed
    twice) for odd vectors. Two names keep the compiler from loading a weight once into a
    broadcast register shared by the vectors (``vbroadcastsd``): each FMA reads its weight as a
    broadcast memory operand instead, which takes a load. On the development machine (Zen 4) the
    broadcasts evidently competed with the FMAs for the vector pipes: the course's kernel is ≈10 %
    faster this way (timed; no port counters there)."""
    return "th_" if u % 2 else "th"


_COMPACT = "microkernels.compact_logits(Z, 0, n_out, m, M, logits)"

#: the loop over models and iterations of every generated module: fast._train_kernel's, with one
#: fused pass per iteration; the step applied only when the logits (and the recorded cost) are
#: finite (the reference's divergence rule)
_DRIVER = """@njit(cache=True, parallel=True, fastmath=False)
def train_kernel(
    X, Y, theta, flat, lr, start, stop, iterations, every, costs, diverged_at, final_costs
):
    n_out = {n_out}
    K = theta.shape[0]
    m = Y.size // n_out
    M = X.size // flat[0][0]
    m_t = theta.dtype.type(m)
    one = theta.dtype.type(1)
    inv_m = theta.dtype.type(1.0 / m)
    Yp = microkernels.aligned_zeros(n_out * M, theta)
    valid = microkernels.aligned_zeros(M, theta)
    for c in range(n_out):
        Yp[c * M : c * M + m] = Y[c * m : (c + 1) * m]
    valid[:m] = 1
    for k in prange(K):
        th = theta[k]
        G = microkernels.aligned_zeros({P} * {lanes}, theta)
        Z = microkernels.aligned_zeros(n_out * M, theta)
        logits = {logits}
        tmp = microkernels.aligned_zeros(n_out * m, theta)
        alive = diverged_at[k] < 0
        for it in range(start, stop if alive else start):
            _accumulate(th, th, X, Yp, valid, G, Z, M, inv_m)
            {compact}
            if diverges(SIGMOID_BCE, logits, Y, n_out, m, tmp, one, m_t, th, costs,
                        diverged_at, k, it, every):
                alive = False
                break
            _apply(th, G, lr[k])
        if alive and stop == iterations:
            _logits(th, X, Z, M)
            {compact}
            c = cost(SIGMOID_BCE, logits, Y, n_out, m, tmp, one, m_t)
            keep_final(th, final_costs, diverged_at, k, iterations, c)"""
