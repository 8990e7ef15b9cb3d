"""The messages a browser may send, as pydantic models: validation happens here, at the boundary.

Every message is one JSON object with a ``type``; :func:`parse` turns raw text into one of the
models below or raises :class:`BadMessage` with a sentence saying what was wrong. The session
answers a :class:`BadMessage` with an ``error`` frame and goes on: nothing a browser sends can stop
a session or the server. Sizes (models, widths, samples, iterations) are checked against the
session's :class:`~initlab.explore.limits.Limits` when the configuration is built, since they
depend on the data as well as on the message.

The schema (also in docs/explorer.md)::

    {"type": "configure", "settings": {"dataset": "circles", "layers": "auto,10,5,auto",
         "activation": "relu", "inits": "zeros,random,he", "lr": 0.01, "seed": 3},
     "csv": null | {"name": "iris.csv", "content": "...", "options": "label=species"}}
    {"type": "play", "until": null | N}     train until paused (or until iteration N)
    {"type": "pause"}
    {"type": "step", "n": 1 ... 100}       exactly n more updates
    {"type": "rewind"}                      back to the initial weights, iteration 0
    {"type": "speed", "updates_per_second": 2000}
    {"type": "ping"}
    {"type": "report"}                      initlab compare's report, figures and JSON, now
"""

from __future__ import annotations

import json
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from initlab.checks import MAX_SEED
from initlab.explore.limits import Limits


class BadMessage(ValueError):
    """A message the session cannot act on; its text goes back to the browser."""


class _Strict(BaseModel):
    """No unknown keys, no silent coercion of strings to numbers."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Settings(_Strict):
    """What the page trains: the URL's keys in the CLI's syntax (``inits=zeros,random:scale=5``)."""

    dataset: str = Field("circles", min_length=1, max_length=300)
    layers: str = Field("auto,10,5,auto", min_length=1, max_length=300)
    activation: str = Field("relu", min_length=1, max_length=300)
    inits: str = Field("zeros,random,he", min_length=1, max_length=1000)
    lr: float = Field(0.01, gt=0, le=100, allow_inf_nan=False)
    seed: int = Field(3, ge=0, le=MAX_SEED)


class Upload(_Strict):
    """A CSV file's content (never a path on the server), with the CSV loader's options."""

    name: str = Field(min_length=1, max_length=200, pattern=r"^[^/\\\x00]+$")
    content: str
    options: str = Field("", max_length=300)


class Configure(_Strict):
    type: Literal["configure"]
    settings: Settings
    csv: Upload | None = None


class Play(_Strict):
    type: Literal["play"]
    until: int | None = Field(None, ge=0)


class Pause(_Strict):
    type: Literal["pause"]


class Step(_Strict):
    type: Literal["step"]
    n: int = Field(ge=1, le=100)


class Rewind(_Strict):
    type: Literal["rewind"]


class Speed(_Strict):
    type: Literal["speed"]
    updates_per_second: int = Field(ge=1)


class Ping(_Strict):
    type: Literal["ping"]


class ReportRequest(_Strict):
    """Ask for ``initlab compare``'s report, figures and JSON for the current iteration."""

    type: Literal["report"]


Message = Annotated[
    Configure | Play | Pause | Step | Rewind | Speed | Ping | ReportRequest,
    Field(discriminator="type"),
]
_MESSAGE = TypeAdapter(Message)
TYPES = ("configure", "play", "pause", "step", "rewind", "speed", "ping", "report")


def parse(raw: str | bytes, limits: Limits) -> Message:
    """One message from the raw text of a WebSocket frame, or :class:`BadMessage` saying why not."""
    if isinstance(raw, bytes):
        raise BadMessage("binary frames are not accepted; send JSON text")
    if len(raw) > limits.max_message_bytes:
        raise BadMessage(
            f"message of {len(raw):,} characters is over the limit of {limits.max_message_bytes:,}"
        )
    try:
        value = json.loads(raw, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as error:
        raise BadMessage(f"not valid JSON: {error}") from None
    if not isinstance(value, dict):
        raise BadMessage(f"a message is a JSON object with a type; got {type(value).__name__}")
    kind = value.get("type")
    if kind not in TYPES:
        raise BadMessage(f"unknown message type {kind!r}; valid: {', '.join(TYPES)}")
    try:
        message = _MESSAGE.validate_python(value)
    except ValidationError as error:
        raise BadMessage(_describe(kind, error)) from None
    if isinstance(message, Configure) and message.csv is not None:
        size = len(message.csv.content.encode("utf-8", "surrogatepass"))
        if size > limits.max_csv_bytes:
            raise BadMessage(
                f"the CSV file {message.csv.name!r} has {size:,} bytes; the limit is "
                f"{limits.max_csv_bytes:,}"
            )
    if isinstance(message, Play) and message.until is not None:
        if message.until > limits.max_iterations:
            raise BadMessage(
                f"until must be at most {limits.max_iterations:,}; got {message.until}"
            )
    return message


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


def _describe(kind: str, error: ValidationError) -> str:
    """The first few problems of a validation error as one sentence: field, problem, value."""
    parts = []
    for item in error.errors()[:3]:
        loc = list(item["loc"])
        if loc and loc[0] == kind:  # the union's tag, not a field
            loc = loc[1:]
        where = ".".join(str(p) for p in loc) or "message"
        value = repr(item.get("input"))
        value = value if len(value) <= 60 else value[:57] + "..."
        parts.append(f"{where}: {item['msg'].lower()} (got {value})")
    return f"bad {kind!r} message: " + "; ".join(parts)
