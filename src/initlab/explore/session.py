"""One browser session: K models training in a worker thread, driven by messages, streaming frames.

The transport (a WebSocket, or a Jupyter widget's comm) hands validated messages to
:meth:`Session.submit` and receives frames through the ``send`` callable it gave; it never waits
for training, so the server's event loop never blocks. The worker thread owns every array: it
takes commands from a queue between training segments, so a ``pause`` is acted on as soon as the
current segment (a few milliseconds) ends.

Training runs in segments from the current parameters on initlab's engine, which gives the same
bits as one uninterrupted run: each segment trains the updates due at the session's speed (as the
server's :class:`~initlab.explore.budget.Budget` allows), then the session measures the models
and sends a frame. The training cost shown at iteration N
is therefore exactly ``initlab compare --iterations N``'s final cost for the same settings.

A model whose cost stops being finite is frozen as the engine freezes it (parameters zeroed) and
its learning rate set to 0 for the following segments; it is reported as diverged at the same
iteration a single run reports.
"""

from __future__ import annotations

import base64
import dataclasses
import itertools
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from initlab.explore import configuration, frames, lab, messages
from initlab.explore.budget import Average, Budget
from initlab.explore.limits import Limits

Send = Callable[[dict[str, Any], bool], None]  # (message, droppable)

log = logging.getLogger(__name__)
_CLOSE = object()
_NUMBERS = itertools.count(1)
WHY_EVERY = 10  # the report's sentences ride on every 10th frame while running, and when stopping
DEFAULT_UPDATES_PER_SECOND = 2000
CATCH_UP = 0.25  # seconds of updates a late segment may make up for


@dataclass(frozen=True)
class _Query:
    """A question from Python (the widget) answered by the worker: see :meth:`Session.query`."""

    ask: Callable[[Session], Any]
    box: queue.Queue[tuple[bool, Any]]


class Session:
    """The state of one page: a configuration, the current parameters, and whether it runs."""

    def __init__(
        self,
        send: Send,
        limits: Limits,
        *,
        name: str | None = None,
        budget: Budget | None = None,
    ) -> None:
        self.name = name or f"s{next(_NUMBERS)}"
        self.limits = limits
        self.budget = budget or Budget()
        self._running = False
        self._update_cost = Average()  # seconds per update (all K models), measured
        self._frame_cost = Average()  # seconds to build a frame, measured
        self._distinct: np.ndarray | None = None
        self._send = send
        self._commands: queue.Queue[Any] = queue.Queue()
        self.thread = threading.Thread(
            target=self._run, name=f"initlab-explore-{self.name}", daemon=True
        )
        self.config: configuration.Configuration | None = None
        self.params: lab.Params | None = None
        self.iteration = 0
        self.until: int | None = None
        self.updates_per_second = min(DEFAULT_UPDATES_PER_SECOND, limits.max_updates_per_second)
        self._lr = np.zeros(0)
        self._diverged_at = np.zeros(0, dtype=np.int64)
        self._initial_costs = np.zeros(0)
        self._current_costs = np.zeros(0)
        self._frames = 0

    @property
    def running(self) -> bool:
        return self._running

    @running.setter
    def running(self, value: bool) -> None:
        self._running = value
        self.budget.set_running(self.name, value)

    # -- called by the transport (any thread) ----------------------------------------------------

    def start(self) -> None:
        self.thread.start()

    def submit(self, message: Any) -> None:
        """Queue a validated message for the worker."""
        self._commands.put(message)

    def reject(self, error: Exception) -> None:
        """Answer a message that failed validation with an error frame."""
        self._send(frames.error(str(error), about="message"), False)

    def query(self, ask: Callable[[Session], Any], timeout: float | None = 60.0) -> Any:
        """``ask(self)`` run by the worker between segments (so it sees a consistent state), after
        every message queued before it; its value is returned here."""
        box: queue.Queue[tuple[bool, Any]] = queue.Queue(maxsize=1)
        self._commands.put(_Query(ask, box))
        ok, value = box.get(timeout=timeout)
        if not ok:
            raise value
        return value

    def close(self) -> None:
        """Stop the worker after its current segment; the thread then ends."""
        self._commands.put(_CLOSE)

    # -- the worker ------------------------------------------------------------------------------

    def _run(self) -> None:
        """Commands first; while running, one segment per frame period. A segment trains the
        updates due since the last one (speed × elapsed time, at most :data:`CATCH_UP` seconds'
        worth), at the speed the server's :class:`~initlab.explore.budget.Budget` allows, so a
        busy server sends fewer frames but shares its cores fairly and stays responsive."""
        fastest = 1.0 / self.limits.frames_per_second
        next_frame = last = time.monotonic()
        try:
            while True:
                timeout = max(0.0, next_frame - time.monotonic()) if self.running else None
                try:
                    message = self._commands.get(timeout=timeout)
                except queue.Empty:
                    message = None
                if message is _CLOSE:
                    return
                if message is not None:
                    was_running = self.running
                    self._guarded(self._handle, message)
                    if self.running and not was_running:
                        next_frame = last = time.monotonic() - fastest  # a first segment now
                    continue  # act on everything queued before training on
                now = time.monotonic()
                speed = self.budget.updates_per_second(
                    self.updates_per_second, self._update_cost.value
                )
                due = speed * min(now - last, CATCH_UP)
                last = now
                self._guarded(self._advance, max(1, round(due)))
                next_frame = now + self.budget.frame_period(fastest, self._frame_cost.value)
        finally:
            self.running = False

    def _guarded(self, act: Callable[[Any], None], message: Any) -> None:
        """Run ``act(message)``; bad input or a bug becomes an error frame, never the end of the
        worker."""
        try:
            act(message)
        except lab.InitlabError as error:
            self.running = False
            self._send(frames.error(str(error), about=getattr(message, "type", None)), False)
        except Exception as error:  # a bug must not end the session: say so and go on
            log.exception("explore session %s failed on %r", self.name, message)
            self.running = False
            self._send(
                frames.error(f"internal error: {type(error).__name__}: {error}", about="server"),
                False,
            )

    def _handle(self, message: Any) -> None:
        if isinstance(message, _Query):
            try:
                message.box.put((True, message.ask(self)))
            except Exception as error:  # handed to the caller, who raises it
                message.box.put((False, error))
            return
        if isinstance(message, messages.Ping):
            self._send({"type": "pong"}, False)
            return
        if isinstance(message, messages.Speed):
            self.updates_per_second = min(
                message.updates_per_second, self.limits.max_updates_per_second
            )
            self._send({"type": "speed", "updates_per_second": self.updates_per_second}, False)
            return
        if isinstance(message, messages.Configure):
            self.running = False
            config = configuration.build(message.settings, message.csv, self.limits)
            self._rewind(config)  # only a configuration that built replaces the current one
            ready = {"type": "ready", "session": self.name, "limits": self.limits.to_dict()}
            ready["choices"] = lab.choices()
            self._send({**ready, **config.describe()}, False)
            self._send(self._frame(why=True), False)
            return
        if self.config is None:
            raise lab.InitlabError("send a configure message first: nothing is set up to train")
        if isinstance(message, messages.Pause):
            self.running = False
            self._send(self._frame(why=True), False)
        elif isinstance(message, messages.Play):
            self.until = message.until
            self.running = self.until is None or self.iteration < self.until
            if not self.running:
                self._send(self._frame(why=True), False)
        elif isinstance(message, messages.Step):
            self.running = False
            self._advance(message.n)
        elif isinstance(message, messages.ReportRequest):
            self.running = False
            self._send(self._report(), False)
        elif isinstance(message, messages.Rewind):
            self.running = False
            self._rewind(self.config)
            self._send(self._frame(why=True), False)

    def _rewind(self, config: configuration.Configuration) -> None:
        """Back to ``config``'s initial weights (the same arrays, so the same bits)."""
        K = config.n_models
        lr = np.full(K, config.settings.lr)
        start = lab.train_segment(config.network, config.initial, config.X, config.Y, lr, 0)
        self.config = config
        self.params = lab.copy_params(config.initial)
        self.iteration = 0
        self._lr = lr
        self._diverged_at = np.full(K, -1, dtype=np.int64)
        self._initial_costs = start.final_costs.copy()
        self._current_costs = start.final_costs.copy()
        self._mark_diverged(start.diverged_at, 0)
        self._frames = 0
        self._distinct = None

    def _advance(self, n: int) -> None:
        """``n`` more updates (fewer if ``until`` comes first), then a frame."""
        config = self.config
        assert config is not None and self.params is not None
        if self.until is not None:
            n = min(n, self.until - self.iteration)
        n = min(n, self.limits.max_iterations - self.iteration)
        if n > 0:
            started = time.thread_time()  # CPU time: waiting for the lock is not a cost
            history = lab.train_segment(
                config.network, self.params, config.X, config.Y, self._lr, n
            )
            self._update_cost.add((time.thread_time() - started) / n)
            self._mark_diverged(history.diverged_at, self.iteration)
            self.params = history.params
            self._current_costs = history.final_costs.copy()
            self.iteration += n
        done = self.until is not None and self.iteration >= self.until
        if done or self.iteration >= self.limits.max_iterations:
            self.running = False
        self._frames += 1
        why = not self.running or self._frames % WHY_EVERY == 0
        started = time.thread_time()
        frame = self._frame(why=why)
        self._frame_cost.add(time.thread_time() - started)
        self._send(frame, self.running)

    def result(self) -> Any:
        """:func:`initlab.compare`'s result for the current settings and iteration (at least 1),
        on the session's own dataset (so an uploaded file works too)."""
        config = self.config
        if config is None:
            raise lab.InitlabError("nothing is configured yet")
        s = config.settings
        return lab.compare(
            inits=s.inits,
            layers=s.layers,
            dataset=config.dataset,
            activation=s.activation,
            lr=s.lr,
            seed=s.seed,
            iterations=max(1, self.iteration),
            progress=False,  # a report asked for by the page: no bar in the server's terminal
        )

    def _report(self) -> dict[str, Any]:
        """The files ``initlab compare --iterations N`` writes, for the page to download:
        text files as text, figures as base64 PNG."""
        files = {}
        for name, content in self.result().files().items():
            if isinstance(content, bytes):
                files[name] = {"base64": base64.b64encode(content).decode("ascii")}
            else:
                files[name] = {"text": content}
        return {"type": "report", "iteration": max(1, self.iteration), "files": files}

    def _mark_diverged(self, diverged_at: np.ndarray, offset: int) -> None:
        newly = (diverged_at >= 0) & (self._diverged_at < 0)
        self._diverged_at[newly] = diverged_at[newly] + offset
        self._lr[self._diverged_at >= 0] = 0.0

    def _frame(self, *, why: bool) -> dict[str, Any]:
        """The page's numbers now (see :mod:`initlab.explore.frames`)."""
        config = self.config
        assert config is not None and self.params is not None
        # counting distinct units is a third of a frame's cost; while running it is refreshed
        # with the report's sentences (every WHY_EVERY frames) and whenever the session stops
        symmetry = why or self._distinct is None
        now = lab.layer_stats(
            config.network, self.params, config.X, config.Y, self.iteration, symmetry=symmetry
        )
        if symmetry:
            self._distinct = now.distinct
        elif self._distinct is not None:
            now = dataclasses.replace(now, distinct=self._distinct)
        train_acc, test_acc = frames.accuracies(config, self.params)
        grids = frames.boundary(config, self.params)
        z_hist, dz_hist = frames.histograms(config, self.params)
        models = []
        for k in range(config.n_models):
            diverged = self._diverged_at[k] >= 0
            cost = None if diverged else frames.number(self._current_costs[k])
            diverged_at = int(self._diverged_at[k]) if diverged else None
            initial_cost = float(self._initial_costs[k])
            train_accuracy = None if diverged else float(train_acc[k])
            test_accuracy = None if diverged else float(test_acc[k])
            model: dict[str, Any] = {
                "cost": cost,
                "train_accuracy": train_accuracy,
                "test_accuracy": test_accuracy,
                "diverged_at": diverged_at,
                "boundary": None if diverged else grids[k],
                "layers": {
                    **frames.layers(now, k),
                    "z_hist": None if diverged else z_hist[k],
                    "dz_hist": None if diverged else dz_hist[k],
                },
                "verdict": lab.verdict(
                    config.at_init,
                    now,
                    k,
                    diverged_at=diverged_at,
                    initial_cost=initial_cost,
                    cost_now=cost,
                    train_accuracy=train_accuracy,
                ),
            }
            if why:
                model["why"] = lab.explanation(
                    config.network,
                    config.at_init,
                    now,
                    k,
                    config.theories[k],
                    diverged_at=diverged_at,
                    initial_cost=initial_cost,
                    final_cost=cost,
                    train_accuracy=train_accuracy,
                    test_accuracy=test_accuracy,
                )
            models.append(model)
        return {
            "type": "frame",
            "iteration": self.iteration,
            "running": self.running,
            "until": self.until,
            "models": models,
        }
