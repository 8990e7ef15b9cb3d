"""Progress bars from Python: shown where a person watches (a terminal, a notebook), never in a pipe
or with ``progress=False``, with totals in the user's units."""

import io
import subprocess
import sys

import pytest
from rich.console import Console

import initlab
from initlab.errors import InitlabError
from initlab.runs import progress as P

SMALL = dict(layers=["auto", 4, "auto"], iterations=300, every=100, engine="numpy")


def _forced(monkeypatch):
    """Make this process look interactive, with every bar drawn into a string."""
    sink = io.StringIO()
    console = Console(file=sink, force_terminal=True, width=120)
    original = P.Bar.__init__

    def init(self, description, unit, _console=None):
        original(self, description, unit, console)

    monkeypatch.setattr(P.Bar, "__init__", init)
    monkeypatch.setattr(P, "interactive", lambda: True)
    return sink


def test_interactive_run_shows_a_bar_of_iterations_per_model(monkeypatch, capsys):
    sink = _forced(monkeypatch)
    initlab.compare(["zeros", "he", "random"], **SMALL)  # three models, 300 iterations each
    drawn = sink.getvalue()
    assert "training" in drawn and "300/300 iterations" in drawn
    assert "900" not in drawn  # the total is per model, not summed over the models
    assert capsys.readouterr() == ("", "")


def test_seeds_get_their_own_bar(monkeypatch):
    sink = _forced(monkeypatch)
    initlab.compare(["zeros", "he"], seeds="0-2", **SMALL)
    drawn = sink.getvalue()
    assert "3 seeds" in drawn and "300/300 iterations" in drawn
    assert "600" not in drawn and "1,800" not in drawn


def test_thousands_separators(monkeypatch):
    sink = _forced(monkeypatch)
    initlab.diagnose(["he"], depth=1, width=3, iterations=1500, engine="numpy")
    assert "1,500/1,500 iterations" in sink.getvalue()


def test_progress_false_draws_nothing(monkeypatch, capsys):
    sink = _forced(monkeypatch)
    initlab.compare(["he"], progress=False, **SMALL)
    initlab.MLPClassifier(hidden_layer_sizes=(3,), max_iter=50, progress=False).fit(
        [[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 0.0]], [0, 1, 0, 1]
    )
    assert sink.getvalue() == ""
    assert capsys.readouterr() == ("", "")


def test_a_function_gets_the_counts():
    seen = []
    initlab.compare(["he"], progress=seen.append, **SMALL)
    assert seen and seen[-1] == 300 and seen == sorted(seen)


def test_sweep_counts_model_iterations(monkeypatch, tmp_path):
    sink = _forced(monkeypatch)
    initlab.sweep(["zeros", "he"], "0-1", iterations=200, every=100, store=str(tmp_path / "s.db"))
    assert "800/800 model-iterations" in sink.getvalue()  # 4 runs × 200 iterations


def test_estimator_fit_shows_a_bar(monkeypatch):
    sink = _forced(monkeypatch)
    initlab.MLPClassifier(hidden_layer_sizes=(3,), max_iter=1200).fit(
        [[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 0.0]], [0, 1, 0, 1]
    )
    assert "1,200/1,200 iterations" in sink.getvalue()


def test_bad_progress_is_one_error():
    with pytest.raises(InitlabError, match="progress"):
        initlab.compare(["he"], progress="yes", **SMALL)


def test_a_pipe_stays_clean():
    """A real subprocess whose stdout and stderr are pipes: the default progress=True draws
    nothing (not a terminal, not a notebook)."""
    code = (
        "import initlab; r = initlab.compare(['he'], layers=['auto', 4, 'auto'], "
        "iterations=200, engine='numpy'); initlab.diagnose(['he'], depth=1, width=3, "
        "iterations=20, engine='numpy')"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (done.stdout, done.stderr) == ("", "")


def test_notebook_bar_is_html_updated_in_place(monkeypatch):
    """In a notebook the bar is one HTML display, updated through its display_id."""
    shown = []

    class Handle:
        def update(self, obj):
            shown.append(obj.data)

    def display(obj, display_id=False):
        assert display_id is True
        shown.append(obj.data)
        return Handle()

    import IPython.display

    monkeypatch.setattr(IPython.display, "display", display)
    monkeypatch.setattr(P, "in_notebook", lambda: True)
    initlab.compare(["he"], **SMALL)
    assert "<progress" in shown[0] and "0/300 iterations" in shown[0]
    assert 'value="300" max="300"' in shown[-1] and "300/300 iterations" in shown[-1]


def test_plural():
    assert P.plural(1, "batch", "batches") == "1 batch"
    assert P.plural(15000, "iteration") == "15,000 iterations"
