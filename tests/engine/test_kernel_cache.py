"""Which compiled kernel a network needs, and each kernel's first compile: from an empty numba
cache, nothing is cached; ``initlab compare`` on a wide or a residual network compiles that
kernel alone, says so once before and once after, and leaves it (only it) cached. Two cold
compiles in all (≈15-20 s of CPU each), in subprocesses with their own empty cache."""

import os
import subprocess
import sys

import pytest

from initlab.engine import fast_wide, kernel_cache
from initlab.nn.network import Network


@pytest.mark.parametrize(
    "sizes", [(2, 10, 5, 1), (2, 64, 1), (2, 15, 64, 1), (2, 16, 16, 1), (3, 64, 64, 64, 2)]
)
def test_the_wide_kernel_is_chosen_by_fast_wides_own_rule(sizes):
    assert kernel_cache.WIDE == fast_wide.WIDE
    expected = "wide" if fast_wide.wide_layers(sizes).any() else "fast"
    assert kernel_cache.kernel_for(Network(sizes)) == expected


def test_a_residual_network_needs_the_residual_kernel_even_when_wide():
    network = Network((2, 64, 64, 64, 1), blocks=((1, 1), (2, 1)))
    assert kernel_cache.kernel_for(network) == "residual"


def test_each_warm_up_network_is_of_its_kernels_kind():
    for name, spec in kernel_cache.KERNELS.items():
        assert kernel_cache.kernel_for(Network(spec.sizes, blocks=spec.blocks)) == name


@pytest.mark.parametrize(
    "kernel, layers",
    [("wide", "auto,16,16,auto"), ("residual", "auto,4,res4x1,auto")],
)
def test_a_cold_kernel_compiles_alone_says_so_once_and_is_cached(
    kernel, layers, tmp_path, monkeypatch
):
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path / "numba"))
    assert not any(kernel_cache.is_cached("float64", name) for name in kernel_cache.KERNELS)
    argv = ["compare", "--layers", layers, "--engine", "fast", "--iterations", "4", "--every", "2"]
    probe = (
        f"import sys\nsys.argv = ['initlab', *{argv + ['--out', str(tmp_path / 'out')]!r}]\n"
        "from initlab.cli import main\nmain()\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=dict(os.environ)
    )
    assert out.returncode == 0, out.stderr
    words = kernel_cache.KERNELS[kernel].words
    said = [line for line in out.stderr.splitlines() if "compil" in line]
    assert len(said) == 2, out.stderr
    assert said[0].startswith(f"initlab: compiling {words} for float64 (numba, once per install")
    assert said[1].startswith(f"initlab: compiled {words} for float64 in ")
    cached = {name for name in kernel_cache.KERNELS if kernel_cache.is_cached("float64", name)}
    assert cached == {kernel}
    assert not kernel_cache.is_cached("float32", kernel)
