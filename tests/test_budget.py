"""Issue 14 G: sizes that cannot fit are refused before the work, with the estimate and the
limit (:func:`initlab.checks.check_budget`): one message on stderr, exit code 2, no traceback, no
file left or changed. The machine's memory is fixed at 4 GiB here so the messages are the same
on every machine."""

import io
import zipfile

import numpy as np
import pytest
from helpers import run_main, snapshot

from initlab import checks
from initlab.errors import InitlabError

GIB = 2**30


@pytest.fixture
def four_gib(monkeypatch):
    monkeypatch.setattr(checks, "available_memory", lambda: 4 * GIB)


def test_training_budget_counts_by_hand():
    # 2-3-1 on 5 samples, 2 models, 7 iterations: W = 2·3 + 3·1 = 9, P = 9 + 3 + 1 = 13, N = 6
    memory, work = checks.training_budget([2, 3, 1], 5, 2, 7, records=4)
    assert memory == 8 * 2 * (3 * 13 + 3 * 6 * 5 + 4)
    assert work == 6 * 2 * 5 * 9 * 7


def test_available_memory_is_the_kernels_figure():
    with open("/proc/meminfo") as handle:
        line = next(li for li in handle if li.startswith("MemAvailable:"))
    kernel = int(line.split()[1]) * 1024
    assert abs(checks.available_memory() - kernel) < 0.5 * kernel  # it moves while we read


@pytest.mark.parametrize(
    "args, message",
    [
        (["compare", "--layers", "auto,300000,300000,auto"], "compare: 3 networks 2-300000-"),
        (["compare", "--iterations", "900000000000"], "floating-point operations; the limit is"),
        (["compare", "--seeds", "0-9999999"], "the list of 10,000,000 seeds needs about 19.1 GiB"),
        (["compare", "--seeds", "0-500000"], "compare --seeds: 1,500,003 networks"),
        (["compare", "--dataset", "moons:n_samples=100000000"], "100,000,000 + 100 samples"),
        (["compare", "--dataset", "blobs:n_features=20000000"], "of 20,000,000 features"),
        (["diagnose", "--width", "50000"], "diagnose: 4 networks of 20 hidden layers of 50,000"),
        (["diagnose", "--depth", "100000000000000"], "of 100,000,000,000,000 hidden layers"),
        (["sweep", "--depth", "1000000000", "--width", "3"], "1,000,000,000 hidden layers"),
        (["sweep", "--seeds", "0-4294967295"], "the list of 4,294,967,296 seeds"),
        (
            ["sweep", "--layers", "2,1000000,1", "--batch-size", "500"],
            "the sweep (20 runs) needs about 135.9 GiB",
        ),
        (
            ["sweep", "--iterations", "1000000000", "--every", "1000000"],
            "is about 2.7e+15 floating",
        ),
    ],
)
def test_refused_with_estimate_and_limit(tmp_path, monkeypatch, capsys, four_gib, args, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "keep.txt").write_text("x")
    before = snapshot(tmp_path)
    if args[0] == "sweep":
        args = [*args, "--inits", "he,zeros", "--store", "s.db"]
    else:
        args = [*args, "--out", "out"]
    code, out, err = run_main(monkeypatch, capsys, *args)
    assert code == 2
    assert message in err
    assert "this machine has 4.0 GiB available" in err or "the limit is 1e+15" in err
    assert err.count("initlab: error:") == 1 and "Traceback" not in out + err
    assert snapshot(tmp_path) == before


def test_summarize_refuses_a_bootstrap_too_large(tmp_path, monkeypatch, capsys, four_gib):
    import initlab

    monkeypatch.chdir(tmp_path)
    initlab.sweep(["he"], "0-1", iterations=2, every=1, store="s.db")
    before = snapshot(tmp_path)
    code, out, err = run_main(
        monkeypatch, capsys, "summarize", "--store", "s.db", "--resamples", "1000000000000"
    )
    assert code == 2
    assert (
        "the bootstrap of 1,000,000,000,000 resamples of up to 2 runs needs about 29.1 TiB" in err
    )
    assert "Traceback" not in out + err
    assert snapshot(tmp_path) == before


def _forged_npz(path, shape):
    """An .npz whose X.npy header claims ``shape`` float64 but holds no data."""
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"descr": "<f8", "fortran_order": False, "shape": shape}
    )
    labels = io.BytesIO()
    np.save(labels, np.zeros(shape[0], dtype=np.int64))
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("X.npy", header.getvalue())
        archive.writestr("y.npy", labels.getvalue())


def test_an_npz_header_claiming_93_gib_is_refused_before_loading(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    _forged_npz(tmp_path / "big.npz", (100_000, 125_000))  # 1.25e10 × 8 bytes = 93.1 GiB
    monkeypatch.setattr(checks, "available_memory", lambda: 4 * GIB)
    before = snapshot(tmp_path)
    code, out, err = run_main(monkeypatch, capsys, "compare", "--dataset", "npz:big.npz")
    assert code == 2
    assert "big.npz needs about 93.1 GiB of memory; this machine has 4.0 GiB available" in err
    assert "Traceback" not in out + err
    assert snapshot(tmp_path) == before


def test_the_estimator_refuses_a_billion_units_before_allocating():
    from initlab import MLPClassifier

    X = np.random.default_rng(0).normal(size=(20, 2))
    y = np.arange(20) % 2
    with pytest.raises(
        InitlabError,
        match=r"MLPClassifier.fit: 1 network 2-1000000000-1 on 20 samples .* 536.4 GiB",
    ):
        MLPClassifier(hidden_layer_sizes=(10**9,), max_iter=10).fit(X, y)


def test_what_fits_still_runs(monkeypatch, four_gib):
    import initlab

    result = initlab.compare(["he"], "auto,64,auto", iterations=3, every=1)
    assert result.run("he").train_accuracy is not None
