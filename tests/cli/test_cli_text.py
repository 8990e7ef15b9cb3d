"""The command line's own text: ``--help`` without ``<bool>`` placeholders and with every
built-in dataset; "drawing figures…" while figures render, on a terminal only."""

import io
import sys

import pytest
from helpers import run_main

COMMANDS = ["compare", "diagnose", "theory", "sweep", "summarize", "export", "inits", "bench"]
FLAGS = {"compare": "--verbose", "export": "--history", "bench": "--quick", "inits": "--json"}


@pytest.mark.parametrize("command", [*COMMANDS, None])
def test_flags_have_no_bool_placeholder(monkeypatch, capsys, command):
    args = [command, "--help"] if command else ["--help"]
    code, out, _ = run_main(monkeypatch, capsys, *args)
    assert code == 0
    assert "<bool>" not in out and "--help" in out
    flag = FLAGS.get(command or "")
    if flag:
        line = next(line for line in out.splitlines() if flag in line)
        assert "<" not in line.split(flag, 1)[1].split("  ")[0]


def test_options_with_values_keep_their_type(monkeypatch, capsys):
    _, out, _ = run_main(monkeypatch, capsys, "compare", "--help")
    assert "<int>" in next(line for line in out.splitlines() if "--seed " in line)


def test_compare_help_lists_the_real_datasets(monkeypatch, capsys):
    _, out, _ = run_main(monkeypatch, capsys, "compare", "--help")
    flat = " ".join(out.replace("│", " ").split())
    for name in ("iris", "wine", "breast_cancer", "digits", "circles"):
        assert name in flat


@pytest.mark.parametrize(("command", "extra"), [("bench", "peers"), ("diagnose", "torch")])
def test_help_names_the_extra_to_install(monkeypatch, capsys, command, extra):
    """Rich reads ``[peers]`` as markup and drops it unless escaped: the help must keep it."""
    _, out, _ = run_main(monkeypatch, capsys, command, "--help")
    flat = "".join(out.replace("│", " ").split())
    assert f"initlab[{extra}]" in flat


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_drawing_figures_message_on_a_terminal_only(monkeypatch):
    from initlab.cli.app import drawing

    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with drawing():
        pass
    assert "drawing figures…" in terminal.getvalue()
    pipe = io.StringIO()
    monkeypatch.setattr(sys, "stderr", pipe)
    with drawing():
        pass
    assert pipe.getvalue() == ""
