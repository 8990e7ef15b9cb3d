"""The playground as a Jupyter widget (anywidget): the web app's front end, in a notebook.

The widget's front end is the very module the web app serves (``static/playground.js`` with what
it imports, joined by :mod:`initlab.explore.bundle`); its ``render({model, el})`` talks to the
widget's model here instead of a WebSocket. Messages from the page arrive as custom messages and
go through the same validation (:mod:`initlab.explore.messages`) to the same
:class:`~initlab.explore.session.Session`, whose frames go back with ``widget.send``.

>>> w = initlab.explore.explore(dataset="moons", inits=["zeros", "he"])   # doctest: +SKIP
>>> w.step(500); w.result().table()                                        # doctest: +SKIP
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import anywidget
import traitlets

from initlab.explore import lab, messages
from initlab.explore.bundle import STATIC, widget_module
from initlab.explore.limits import DEFAULT_LIMITS, Limits
from initlab.explore.session import Session
from initlab.runs import defaults as D

STEP = 100  # the largest step a message may ask for
LAYERS = ",".join(map(str, D.LAYERS))  # the layer list as the URL and the CLI write it


def checked_settings(
    dataset: str = D.DATASET,
    inits: str | Sequence[str] = D.INITS,
    layers: str = LAYERS,
    activation: str = D.ACTIVATION,
    lr: float = D.LR,
    seed: int = D.SEED,
    until: int | None = None,
) -> dict[str, Any]:
    """The widget's settings (the web app's URL keys), validated as the page's messages are."""
    text = inits if isinstance(inits, str) else ",".join(inits)
    try:
        checked = messages.Settings(
            dataset=dataset,
            layers=layers,
            activation=activation,
            inits=text,
            lr=float(lr),
            seed=seed,
        )
    except (ValueError, TypeError) as error:
        raise lab.InitlabError(f"initlab.explore: {error}") from None
    if until is not None and (not isinstance(until, int) or until < 0):
        raise lab.InitlabError(f"initlab.explore: until must be an integer >= 0; got {until!r}")
    return {**checked.model_dump(), "until": until}


class ExploreWidget(anywidget.AnyWidget):
    """Initializers racing side by side on one network and dataset, live in the notebook.

    ``settings`` holds the page's configuration (the web app's URL keys); ``iteration`` the number
    of updates done. :meth:`result` is :func:`initlab.compare`'s result for the current state.
    """

    _esm = widget_module()
    _css = (STATIC / "style.css").read_text(encoding="utf-8")
    settings = traitlets.Dict().tag(sync=True)

    def __new__(cls, *args: Any, **kwargs: Any) -> ExploreWidget:
        # check the settings before a widget (and its comm) exists: a refused widget leaves
        # nothing half-built behind for the garbage collector to trip over
        checked_settings(*args, **{k: v for k, v in kwargs.items() if k != "limits"})
        return super().__new__(cls)

    def __init__(
        self,
        dataset: str = D.DATASET,
        inits: str | Sequence[str] = D.INITS,
        *,
        layers: str = LAYERS,
        activation: str = D.ACTIVATION,
        lr: float = D.LR,
        seed: int = D.SEED,
        until: int | None = None,
        limits: Limits = DEFAULT_LIMITS,
    ) -> None:
        settings = checked_settings(dataset, inits, layers, activation, lr, seed, until)
        super().__init__(settings=settings)
        self._limits = limits
        self._session = Session(lambda message, droppable: self.send(message), limits)
        self._session.start()
        self.on_msg(self._receive)

    def _receive(self, _widget: Any, content: Any, buffers: Any) -> None:
        """A message from the page: validated (a bad one answered with an error frame), then
        handed to the session."""
        try:
            message = messages.parse(json.dumps(content), self._limits)
        except (messages.BadMessage, TypeError, ValueError) as error:
            self._session.reject(error)
            return
        if isinstance(message, messages.Configure):
            self.settings = {**message.settings.model_dump(), "until": None}
        self._session.submit(message)

    def _post(self, message: dict[str, Any]) -> None:
        """A message from Python: validated as the page's are, but bad ones raise here."""
        try:
            parsed = messages.parse(json.dumps(message), self._limits)
        except messages.BadMessage as error:
            raise lab.InitlabError(str(error)) from None
        self._session.submit(parsed)

    # -- driving it from Python ------------------------------------------------------------------

    def configure(self) -> None:
        """(Re)build the session from :attr:`settings` (the page does this when it renders)."""
        settings = {k: v for k, v in self.settings.items() if k != "until"}
        self._post({"type": "configure", "settings": settings})

    def step(self, n: int = 1) -> None:
        """Train ``n`` more iterations (configuring first if the page has not), in steps of at
        most 100 as the page sends them."""
        self._ensure_configured()
        if not isinstance(n, int) or isinstance(n, bool) or n < 1:
            raise lab.InitlabError(f"step takes a number of iterations >= 1; got {n!r}")
        while n > 0:
            self._post({"type": "step", "n": min(n, STEP)})
            n -= STEP

    def play(self, until: int | None = None) -> None:
        self._ensure_configured()
        self._post({"type": "play", "until": until})

    def pause(self) -> None:
        self._post({"type": "pause"})

    def rewind(self) -> None:
        self._post({"type": "rewind"})

    @property
    def iteration(self) -> int:
        return int(self._session.query(lambda s: s.iteration))

    def result(self) -> Any:
        """:func:`initlab.compare` for the widget's current settings and iteration (at least 1):
        the same result object, with the same numbers the widget shows."""
        return self._session.query(lambda s: s.result())

    def _ensure_configured(self) -> None:
        if self._session.query(lambda s: s.config is None):
            self.configure()

    def close(self) -> None:
        self._session.close()
        super().close()
