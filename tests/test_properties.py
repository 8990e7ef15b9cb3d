"""Issue 14: generated option values and specs thrown at the command line and the Python API.
The only outcomes allowed: a valid run, or a refusal — on the command line exit code 2 with one
message on stderr and no traceback; in Python an :class:`~initlab.errors.InitlabError`. Any
other exception fails the test (hypothesis shrinks it to the smallest input).

Runs are tiny (at most 3 iterations, small data) so the examples stay fast."""

import os
import tempfile
from contextlib import contextmanager

from helpers import run_main
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import initlab
from initlab.errors import InitlabError

SETTINGS = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

JUNK = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", " ", "nan", "inf", "-inf", "1e308", "-1", "0", "1.5", "abc", ",", ";"]),
    st.integers(-(2**70), 2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
SMALL = st.integers(-2, 3).map(str)  # iterations, every
INITS = st.one_of(
    st.sampled_from(["he", "zeros", "random", "glorot_uniform", "orthogonal", "lsuv", "he,zeros"]),
    st.sampled_from(["random:scale=1e100", "random:scale=-1", "he:gain=nan", "nope", "he,,he"]),
    JUNK,
)
LAYERS = st.one_of(
    st.lists(st.integers(-1, 6), min_size=0, max_size=5).map(lambda s: ",".join(map(str, s))),
    st.sampled_from(
        ["auto,4,auto", "auto,auto", "2,3,1", "auto,0,auto", "2,,1", "auto;auto,3,auto"]
    ),
    JUNK,
)
DATASETS = st.one_of(
    st.sampled_from(
        [
            "circles:n_samples=20,n_test=10",
            "moons:n_samples=20,n_test=10,noise=0.3",
            "blobs:n_samples=30,n_test=9,classes=3",
            "xor:n_samples=20,n_test=10,noise=-1",
            "spiral:n_samples=20,n_test=10,turns=abc",
            "circles:seed=-1",
            "moons:n_samples=1",
            "csv:missing.csv",
            "npz:",
        ]
    ),
    JUNK,
)
NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr), st.sampled_from(["0.1", "10"]), JUNK
)


@contextmanager
def sandbox():
    """A fresh empty working folder for one example."""
    old = os.getcwd()
    with tempfile.TemporaryDirectory() as folder:
        os.chdir(folder)
        try:
            yield folder
        finally:
            os.chdir(old)


def _options(draw, pairs):
    """Some of ``pairs`` (option, strategy), each drawn."""
    chosen = draw(st.lists(st.sampled_from(pairs), unique_by=lambda p: p[0], max_size=len(pairs)))
    out = []
    for option, strategy in chosen:
        out += [option, draw(strategy)]
    return out


@st.composite
def command_lines(draw):
    command = draw(
        st.sampled_from(["compare", "diagnose", "sweep", "theory", "summarize", "inits"])
    )
    common = [("--inits", INITS), ("--dataset", DATASETS), ("--lr", NUMBERS), ("--every", SMALL)]
    if command == "compare":
        extra = [("--layers", LAYERS), ("--seed", JUNK), ("--seeds", JUNK), ("--activation", JUNK)]
        return [
            "compare",
            "--iterations",
            draw(SMALL),
            "--out",
            "o",
            *_options(draw, common + extra),
        ]
    if command == "diagnose":
        extra = [("--depth", st.integers(-1, 4).map(str)), ("--width", st.integers(-1, 5).map(str))]
        extra += [("--layers", LAYERS), ("--seed", JUNK)]
        return [
            "diagnose",
            "--iterations",
            draw(SMALL),
            "--out",
            "o",
            *_options(draw, common + extra),
        ]
    if command == "sweep":
        extra = [("--seeds", st.sampled_from(["0", "0-1", "1-0", "-1", "x"])), ("--layers", LAYERS)]
        extra += [("--batch-size", SMALL), ("--target", NUMBERS), ("--backend", JUNK)]
        return [
            "sweep",
            "--iterations",
            draw(SMALL),
            "--store",
            "s.db",
            *_options(draw, common + extra),
        ]
    if command == "theory":
        pairs = [("--width", JUNK), ("--sigma-w2-max", NUMBERS), ("--sigma-b2-max", NUMBERS)]
        pairs += [("--activation", st.sampled_from(["tanh", "relu", "erf", "nope"]))]
        return ["theory", "--out", "o", *_options(draw, pairs)]
    if command == "summarize":
        pairs = [("--by", JUNK), ("--target", NUMBERS), ("--confidence", NUMBERS)]
        pairs += [("--resamples", JUNK), ("--seed", JUNK), ("--metric", JUNK), ("--x", JUNK)]
        return ["summarize", "--store", "s.db", "--out", "o", *_options(draw, pairs)]
    return ["inits", *draw(st.sampled_from([[], ["--json"], ["--nope"]]))]


@st.composite
def spec_files(draw):
    """A TOML sweep spec of generated keys and values (strings, numbers, lists, tables)."""
    values = st.recursive(
        st.one_of(
            st.integers(-3, 3),
            st.floats(allow_nan=False, allow_infinity=False, width=32),
            st.booleans(),
            st.sampled_from(['"he"', '"0-1"', '"circles:n_samples=20"', '"auto,3,auto"', '""']),
        ).map(lambda v: str(v).lower() if isinstance(v, bool) else str(v)),
        lambda inner: st.lists(inner, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]"),
        max_leaves=4,
    )
    keys = st.sampled_from(
        [
            "inits",
            "seeds",
            "layers",
            "depth",
            "width",
            "lr",
            "dataset",
            "every",
            "target",
            "store",
            "backend",
            "scheduler",
            "batch_size",
            "engine",
            "timeout",
            "learning_rate",
        ]
    )
    lines = draw(st.dictionaries(keys, values, max_size=5))
    return "iterations = 2\n" + "".join(f"{k} = {v}\n" for k, v in lines.items())


def _accepted(code, out, err):
    if code in (0, None):
        return
    assert code == 2, (code, err)
    assert "Traceback" not in out + err
    if "initlab: error:" in err:
        assert err.count("initlab: error:") == 1, err


@SETTINGS
@given(args=command_lines())
def test_the_command_line_runs_or_refuses(monkeypatch, capsys, args):
    with sandbox():
        if args[0] == "summarize":
            initlab.sweep(["he"], "0-1", iterations=1, every=1, store="s.db", engine="numpy")
        _accepted(*run_main(monkeypatch, capsys, *args))


@SETTINGS
@given(text=spec_files())
def test_sweep_spec_files_run_or_are_refused(monkeypatch, capsys, text):
    with sandbox() as folder:
        with open(os.path.join(folder, "s.toml"), "w", encoding="utf-8") as handle:
            handle.write(text)
        _accepted(*run_main(monkeypatch, capsys, "sweep", "--spec", "s.toml", "--store", "r.db"))


ANY = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.lists(st.integers(-2, 5), max_size=4),
    st.sampled_from([(), [[]], {"a": 1}, b"he", object()]),
)


@SETTINGS
@given(
    study=st.sampled_from(["compare", "diagnose", "sweep"]),
    inits=st.one_of(INITS, ANY, st.lists(INITS, max_size=2)),
    layers=st.one_of(LAYERS, ANY),
    dataset=st.one_of(DATASETS, ANY),
    lr=st.one_of(st.just(0.1), ANY),
    iterations=st.one_of(st.integers(-1, 3), ANY),
    seed=st.one_of(st.just(0), ANY),
)
@example(  # found by this test: inits=None reached list(None)
    study="diagnose", inits=None, layers="", dataset=None, lr=0.1, iterations=0, seed=0
)
def test_the_api_runs_or_raises_initlab_error(study, inits, layers, dataset, lr, iterations, seed):
    if isinstance(iterations, int) and not isinstance(iterations, bool) and iterations > 3:
        iterations = 3  # a valid but long run is not what this test looks for
    kwargs = {"layers": layers, "dataset": dataset, "lr": lr, "iterations": iterations}
    with sandbox():
        try:
            if study == "compare":
                initlab.compare(inits, seed=seed, every=1, **kwargs)
            elif study == "diagnose":
                initlab.diagnose(inits, seed=seed, every=1, **kwargs)
            else:
                initlab.sweep(inits, seed, every=1, store="s.db", **kwargs)
        except InitlabError:
            pass
