"""The first run: ``auto`` picks numpy for a job numpy finishes before a cold compile would, the
cache index is found where numba puts it, the FLOP count is the hand count, and the commands
import only what they use. Decisions are tested as functions of size and cache state, never by
timing."""

import hashlib
import logging
import pickle
import subprocess
import sys
from importlib import metadata

import numpy as np
import pytest

from initlab import engine
from initlab.engine import auto, flops, kernel_cache
from initlab.nn.network import Network
from initlab.runs.segments import train_segments

COURSE = (2, 10, 5, 1)


def test_flop_counts_are_the_hand_counts():
    # 2-10-5-1, one sample: forward 2·(20+50+5) = 150, backward dW 150, dA of layers 2 and 3
    # 2·(50+5) = 110: 410 per sample, 123,000 on the course's 300 points
    assert flops.training_flops(COURSE, 1) == 410
    assert flops.training_flops(COURSE, 300) == 123_000
    # 2-64-64-64-1 on 1,000 points: 4·128 + 6·(4096 + 4096 + 64) per sample, × 1,000, × K
    assert flops.training_flops((2, 64, 64, 64, 1), 1000, 64) == 64 * 1000 * (512 + 6 * 8256)


def test_the_numpy_estimate_grows_with_every_dimension():
    base = flops.numpy_seconds(COURSE, 300, 3, 15_000)
    assert flops.numpy_seconds(COURSE, 300, 3, 30_000) == pytest.approx(2 * base)
    assert flops.numpy_seconds(COURSE, 3000, 3, 15_000) > base
    assert flops.numpy_seconds(COURSE, 300, 64, 15_000) > base
    assert flops.numpy_seconds((2, 64, 64, 64, 1), 300, 3, 15_000) > base


def test_a_cold_cache_runs_the_courses_job_on_numpy_and_a_long_one_compiles():
    engine_name, note = auto.choose_cold(COURSE, 300, 3, 15_000)
    assert engine_name == "numpy"
    assert "numpy" in note and "compil" in note
    assert auto.choose_cold(COURSE, 300, 3, 1_000_000) == ("fast", "")
    assert auto.choose_cold((2, 64, 64, 64, 1), 1000, 64, 2_000) == ("fast", "")


def test_a_cached_or_loaded_kernel_is_always_chosen(monkeypatch):
    monkeypatch.setattr(kernel_cache, "READY", set())
    monkeypatch.setattr(auto, "READY", set())
    monkeypatch.setattr(auto, "is_cached", lambda dtype, kernel: True)
    assert auto.choose(COURSE, 300, 3, 10) == ("fast", "")
    monkeypatch.setattr(auto, "is_cached", lambda dtype, kernel: False)
    assert auto.choose(COURSE, 300, 3, 10)[0] == "numpy"
    monkeypatch.setattr(auto, "READY", {("fast", "float64")})
    assert auto.choose(COURSE, 300, 3, 10) == ("fast", "")
    assert auto.choose(COURSE, 300, 3, 10, "float32")[0] == "numpy"


def test_the_cold_kernel_that_counts_is_the_one_the_network_needs(monkeypatch):
    # only the course-size kernel is on disk: a short wide or residual job is still cold
    monkeypatch.setattr(auto, "READY", set())
    monkeypatch.setattr(auto, "is_cached", lambda dtype, kernel: kernel == "fast")
    monkeypatch.setattr(auto, "_told", [])
    wide = (2, 16, 16, 1)
    assert auto.choose(COURSE, 300, 3, 10) == ("fast", "")
    engine_name, note = auto.choose(wide, 300, 3, 10)  # the sizes say "wide"
    assert engine_name == "numpy" and "wide-layer kernel" in note
    engine_name, note = auto.choose(COURSE, 300, 3, 10, kernel="residual")
    assert engine_name == "numpy" and "residual kernel" in note
    monkeypatch.setattr(auto, "READY", {("wide", "float64")})
    assert auto.choose(wide, 300, 3, 10) == ("fast", "")
    assert auto.choose(wide, 300, 3, 10, "float32")[0] == "numpy"


def test_each_kernel_is_weighed_against_its_own_compile_time():
    # a job NumPy finishes between two kernels' compile times compiles the one that is quicker
    seconds = kernel_cache.COLD_COMPILE_SECONDS
    low, high = min(seconds, key=seconds.get), max(seconds, key=seconds.get)
    assert seconds[low] < seconds[high]
    per_iteration = flops.numpy_seconds(COURSE, 300, 3, 1_000) / 1_000
    iterations = round((seconds[low] + seconds[high]) / 2 / per_iteration)
    assert seconds[low] < flops.numpy_seconds(COURSE, 300, 3, iterations) < seconds[high]
    assert auto.choose_cold(COURSE, 300, 3, iterations, low) == ("fast", "")
    engine_name, note = auto.choose_cold(COURSE, 300, 3, iterations, high)
    assert engine_name == "numpy"
    assert note.endswith(
        f"{kernel_cache.KERNELS[high].words} first (≈{seconds[high]:.0f} s, once per install)"
    )


def _index(folder, source, version, stamp_of, dtype, function="_train_kernel"):
    """A numba index as numba writes one: its version pickled, then (stamp, overloads)."""
    name = f"{source.stem}.{function}-10.py{sys.version_info[0]}{sys.version_info[1]}.nbi"
    stamp = hashlib.sha256(stamp_of).digest()
    with open(folder / name, "wb") as f:
        pickle.dump(version, f)
        f.write(pickle.dumps((stamp, {(f"(array({dtype}, 1d, C),)", "cpu"): "x.1.nbc"})))


def test_the_cache_index_is_read_for_version_source_and_dtype(tmp_path, monkeypatch):
    source = tmp_path / "src" / "fast.py"
    source.parent.mkdir()
    source.write_text("x = 1\n")
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path / "cache"))
    folder = kernel_cache.cache_folder(source)
    folder.mkdir(parents=True)
    version = metadata.version("numba")
    assert not kernel_cache.index_has(source, "float64")
    _index(folder, source, "0.0.1", b"x = 1\n", "float64")  # another numba
    assert not kernel_cache.index_has(source, "float64")
    _index(folder, source, version, b"x = 2\n", "float64")  # an edited source
    assert not kernel_cache.index_has(source, "float64")
    _index(folder, source, version, b"x = 1\n", "float64", "_step")  # a helper, not the kernel
    assert not kernel_cache.index_has(source, "float64")
    _index(folder, source, version, b"x = 1\n", "float64")
    assert kernel_cache.index_has(source, "float64")
    assert not kernel_cache.index_has(source, "float32")


def test_the_cache_folder_is_numbas_own(tmp_path, monkeypatch):
    from numba.core.caching import UserProvidedCacheLocator

    from initlab.engine import fast

    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr("numba.core.config.CACHE_DIR", str(tmp_path))
    kernel = next(v for v in vars(fast).values() if hasattr(v, "py_func") and v._cache)
    locator = UserProvidedCacheLocator(kernel.py_func, fast.__file__)
    assert str(kernel_cache.cache_folder()) == locator.get_cache_path()


def test_auto_on_a_cold_cache_trains_on_numpy_says_so_once_and_segments_agree(monkeypatch, caplog):
    monkeypatch.setattr(auto, "READY", set())
    monkeypatch.setattr(auto, "is_cached", lambda dtype, kernel: False)
    monkeypatch.setattr(auto, "_told", [])
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((2, 20)), (rng.random((1, 20)) > 0.5).astype(float)
    network = Network((2, 4, 1))
    params = engine.stack([[(rng.standard_normal((4, 2)), np.zeros(4)), (np.ones((1, 4)), [0])]])
    with caplog.at_level(logging.INFO, logger="initlab.engine"):
        history = engine.train(network, params, X, Y, 0.1, 30, engine="auto")
        segmented = train_segments(network, params, X, Y, 0.1, [10, 30], 10, engine="auto")
    assert history.engine == segmented.engine == "numpy"
    assert history.note.startswith("auto: ran numpy") and segmented.note == history.note
    assert [r.message for r in caplog.records] == [history.note]
    reference = engine.train(network, params, X, Y, 0.1, 30, engine="numpy")
    np.testing.assert_array_equal(history.costs, reference.costs)


def test_a_cold_compile_is_announced_before_and_timed_after_once(monkeypatch, caplog):
    monkeypatch.setattr(kernel_cache, "READY", set())
    monkeypatch.setattr(kernel_cache, "is_cached", lambda dtype, kernel: False)
    with caplog.at_level(logging.INFO, logger="initlab.engine"):
        seconds = kernel_cache.ensure_compiled("float64")
        again = kernel_cache.ensure_compiled("float64")
    before, after = (r.getMessage() for r in caplog.records)
    assert before.startswith("compiling the fast engine for float64")
    assert after.startswith("compiled the fast engine for float64 in ")
    assert f"{seconds:.1f} s" in after and again == 0.0


HEAVY = ("numba", "sklearn", "scipy", "matplotlib", "pandas")


@pytest.mark.parametrize(
    "argv, shown", [(["--help"], "Usage"), (["inits"], "kaiming"), (["inits", "--json"], "kaiming")]
)
def test_help_and_inits_import_no_heavy_library(argv, shown):
    probe = (
        f"import sys\nsys.argv = ['initlab', *{argv!r}]\nfrom initlab.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert out.returncode == 0 and out.stderr.strip().splitlines()[-1] == "[]"
    assert shown in out.stdout


def test_one_command_registers_only_itself():
    probe = (
        "import sys\nsys.argv = ['initlab', 'inits', '--json']\nfrom initlab.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('initlab.cli.')), file=sys.stderr)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert out.stderr.strip().splitlines()[-1] == "['initlab.cli.app', 'initlab.cli.inits']"
