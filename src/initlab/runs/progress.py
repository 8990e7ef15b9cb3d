"""Progress bars, for Python and the command line alike: shown where a person watches, never in a
pipe.

Every study takes ``progress``: ``True`` (the default) draws a bar when someone can see it — a
Jupyter notebook (an HTML ``<progress>`` element updated in place through IPython's
``display_id``, which needs no widget library) or a terminal on standard error (Rich's progress
bar) — and nothing when standard error is a file or a pipe and no notebook runs the code, so CI
logs stay clean; ``False`` or ``None`` never draws; a function is called with the count done (and
nothing is drawn). Totals are in the user's units: iterations of each model for ``compare`` and
``diagnose`` (all models train together), model-iterations for a sweep; counts are written with
thousands separators ("1,200/15,000 iterations").
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from initlab import checks

#: ``progress(done)``: called with the count finished so far
Callback = Callable[[int], None]
#: what a study's ``progress`` parameter accepts
Choice = bool | Callback | None


def in_notebook() -> bool:
    """Whether this code runs in a Jupyter kernel (IPython's ``ZMQInteractiveShell``, as Rich's
    ``Console.is_jupyter`` detects it)."""
    if "IPython" not in sys.modules:
        return False
    from rich.console import Console

    return bool(Console().is_jupyter)


def interactive() -> bool:
    """A person can see a bar: a notebook, or standard error is a terminal."""
    return in_notebook() or sys.stderr.isatty()


class Bar:
    """One progress bar: ``description``, a bar, ``done/total unit`` with thousands separators.

    ``console`` (a :class:`rich.console.Console`) draws it there unconditionally — how the tests
    see a bar without a terminal; by default :meth:`start` picks a notebook, standard error when
    it is a terminal, or nothing.
    """

    def __init__(self, description: str, unit: str, console: Any = None) -> None:
        self.description, self.unit, self.console = description, unit, console
        self.total, self.done = 0, 0
        self._rich: Any = None
        self._task: Any = None
        self._html: Any = None

    def start(self, total: int) -> None:
        self.total, self.done = int(total), 0
        if self.console is None and in_notebook():
            from IPython.display import HTML, display

            self._html = display(HTML(self._html_text()), display_id=True)
            return
        if self.console is None and not sys.stderr.isatty():
            return
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

        self._rich = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed:,}/{task.total:,} " + self.unit.replace("[", r"\[")),
            TimeRemainingColumn(),
            console=self.console or Console(stderr=True),
            transient=self.console is None,
        )
        self._rich.start()
        self._task = self._rich.add_task(self.description, total=self.total)

    def update(self, done: int) -> None:
        """``done`` of the total are finished."""
        step = max(self.total // 100, 1)
        previous, self.done = self.done, min(int(done), self.total)
        if self._rich is not None:
            self._rich.update(self._task, completed=self.done)
        elif self._html is not None and (
            self.done // step > previous // step or done >= self.total
        ):
            from IPython.display import HTML

            self._html.update(HTML(self._html_text()))

    def advance(self, n: int) -> None:
        """``n`` more are finished."""
        self.update(self.done + n)

    def stop(self) -> None:
        if self._rich is not None:
            self._rich.stop()
            self._rich = None
        if self._html is not None:  # the count where it ended (the last update may be skipped)
            from IPython.display import HTML

            self._html.update(HTML(self._html_text()))
            self._html = None

    def _html_text(self) -> str:
        from html import escape

        label = f"{self.description} {self.done:,}/{self.total:,} {self.unit}"
        return (
            f'<div class="initlab-progress"><progress value="{self.done}" max="{self.total}" '
            f'style="width: 20em; vertical-align: middle"></progress> {escape(label)}</div>'
        )


@contextmanager
def progress_bar(
    progress: Choice, total: int, description: str, unit: str = "iterations", console: Any = None
) -> Iterator[Callback | None]:
    """The callback a study passes to its training for ``progress`` (see the module docstring):
    ``progress`` itself when it is a function, ``None`` when off or when nobody would see it,
    else the update of a :class:`Bar` of ``total`` ``unit``, stopped on leaving."""
    if callable(progress):
        yield progress
        return
    if progress is None:
        yield None
        return
    checks.check("progress", progress, checks.Boolean())
    if not progress or (console is None and not interactive()):
        yield None
        return
    bar = Bar(description, unit, console)
    bar.start(total)
    try:
        yield bar.update
    finally:
        bar.stop()


def plural(n: int, word: str, words: str | None = None) -> str:
    """``"1 batch"``, ``"3 batches"``, ``"15,000 iterations"``: ``n`` with thousands separators
    and the word in the number it takes."""
    return f"{n:,} {word if n == 1 else (words or word + 's')}"


def per_model(update: Callback | None, n_models: int) -> Callback | None:
    """A callback of increments of model-iterations (what a batch of ``n_models`` trained together
    reports) that calls ``update`` with the iterations every model has done."""
    if update is None:
        return None
    done = [0]

    def advance(n: int) -> None:
        done[0] += n
        update(done[0] // n_models)

    return advance


@contextmanager
def counting_bar(
    progress: Choice, description: str, unit: str, console: Any = None
) -> Iterator[tuple[Callback | None, Callback | None]]:
    """``(start, advance)`` for work whose total is known only once it starts (a sweep learns
    which runs are already stored): ``start(total)`` opens the bar, ``advance(n)`` adds ``n``.
    ``progress`` as in :func:`progress_bar`; a function is ``advance`` itself (no bar)."""
    if callable(progress):
        yield None, progress
        return
    if progress is not None:
        checks.check("progress", progress, checks.Boolean())
    if not progress or (console is None and not interactive()):
        yield None, None
        return
    bar = Bar(description, unit, console)
    try:
        yield bar.start, bar.advance
    finally:
        bar.stop()
