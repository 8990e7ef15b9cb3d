"""Issue 14 I: every field of a sweep spec file is type-checked with one message naming the key,
its line, what it may be and the value given; an empty layer list is refused, never read as "the
default network". Exit code 2, no traceback, no store or other file left."""

import pytest
from helpers import run_main, snapshot

import initlab
from initlab.errors import InitlabError
from initlab.runs.sweep_file import SPEC_KEYS, SPEC_TYPES, read_spec


@pytest.mark.parametrize(
    "line, message",
    [
        ('every = "abc"', "every on line 2 of spec file 's.toml' must be an integer; got 'abc'"),
        ("every = 2.5", "every on line 2 of spec file 's.toml' must be an integer; got 2.5"),
        ("layers = 5", "layers on line 2 of spec file 's.toml' must be text like"),
        ("layers = []", "must be text like 'auto,10,5,auto', a non-empty list of sizes"),
        ("layers = [[2, 4, 1], []]", "got [[2, 4, 1], []]"),
        ("backend = 3", "backend on line 2 of spec file 's.toml' must be text: local or dask"),
        ("scheduler = 5", "scheduler on line 2 of spec file 's.toml' must be text like"),
        ('store = ["a", "b"]', "store on line 2 of spec file 's.toml' must be text (a file name)"),
        ("seeds = 1.5", "seeds on line 2 of spec file 's.toml' must be an integer, text like"),
        ("seeds = [0, true]", "got [0, True]"),
        ("lr = true", "lr on line 2 of spec file 's.toml' must be a number, text or"),
        ("target = 'high'", "target on line 2 of spec file 's.toml' must be a number; got 'high'"),
        ("inits = []", "inits on line 2 of spec file 's.toml' must be text or a non-empty list"),
        ("dataset = {name = 'moons'}", "dataset on line 2 of spec file 's.toml' must be text"),
        ("batch_size = '64'", "batch_size on line 2 of spec file 's.toml' must be an integer"),
        ("timeout = [1]", "timeout on line 2 of spec file 's.toml' must be a number; got [1]"),
        ("engine = 1", "engine on line 2 of spec file 's.toml' must be text; got 1"),
    ],
)
def test_a_field_of_the_wrong_type_is_one_message(tmp_path, monkeypatch, capsys, line, message):
    monkeypatch.chdir(tmp_path)
    first = "" if line.startswith("inits") else 'inits = "he"'
    (tmp_path / "s.toml").write_text(f"{first}\n{line}\n")
    before = snapshot(tmp_path)
    code, out, err = run_main(monkeypatch, capsys, "sweep", "--spec", "s.toml", "--iterations", "2")
    assert code == 2
    assert message in err
    assert err.count("initlab: error:") == 1 and "Traceback" not in out + err
    assert snapshot(tmp_path) == before


def test_a_file_that_is_not_utf8_names_the_byte(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.toml").write_bytes('inits = "h\u00e9"\n'.encode("latin-1"))
    before = snapshot(tmp_path)
    code, out, err = run_main(monkeypatch, capsys, "sweep", "--spec", "s.toml")
    assert code == 2
    assert "spec file 's.toml' is not UTF-8 text (byte 0xe9 at position 10)" in err
    assert "Traceback" not in out + err
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("layers", ["", ";", " ; "])
def test_an_empty_layers_option_is_refused(tmp_path, monkeypatch, capsys, layers):
    monkeypatch.chdir(tmp_path)
    code, out, err = run_main(
        monkeypatch, capsys, "sweep", "--layers", layers, "--inits", "he", "--iterations", "2"
    )
    assert code == 2
    assert "--layers gives no network; give sizes such as auto,10,5,auto" in err
    assert "Traceback" not in out + err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "kwargs",
    [{"layers": []}, {"layers": ""}, {"layers": 5}, {"every": "abc"}, {"every": 0}],
)
def test_the_api_refuses_the_same(tmp_path, monkeypatch, kwargs):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InitlabError):
        initlab.sweep(["he"], "0", iterations=2, store="s.db", **kwargs)
    assert list(tmp_path.iterdir()) == []


def test_every_key_has_a_type_and_good_values_pass(tmp_path):
    assert set(SPEC_TYPES) == set(SPEC_KEYS)
    spec = tmp_path / "ok.toml"
    spec.write_text(
        'inits = ["he", "zeros"]\nseeds = [0, 1]\nlayers = [[2, 4, 1], ["auto", 3, "auto"]]\n'
        "depth = 2\nwidth = [3, 4]\nactivation = 'relu'\nlr = [0.1, 1]\ndataset = 'moons'\n"
        "iterations = '10'\nevery = 5\ntarget = 1\nbatch_size = 8\nstore = 'r.db'\n"
        "backend = 'local'\ntimeout = 3\nengine = 'numpy'\n"
    )
    assert read_spec(spec)["layers"] == [[2, 4, 1], ["auto", 3, "auto"]]
