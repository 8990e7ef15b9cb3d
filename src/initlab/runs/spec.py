"""One run of a sweep in canonical form, and its key.

Every run is a :class:`RunSpec` whose canonical form (every name resolved through its registry,
every parameter filled in) is hashed into its ``key``: the same run always has the same key,
whatever aliases or spelling the command line used, so a results store can tell what is done.

A seed ``S`` means numpy's legacy ``RandomState(S)`` drawing W1, (b1), W2, ... in order, as
``initlab compare --seed S`` does: ``he`` with seed 3 on the course's problem is the course's run.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from initlab import checks, data
from initlab.data.dataset import Dataset
from initlab.errors import InitlabError
from initlab.nn.residual import Block, layer_items

SPEC_VERSION = 1  # bump if the meaning of a canonical spec changes
SETTINGS = ("activation", "output", "dataset", "lr", "iterations", "every", "seed")


@dataclass(frozen=True)
class RunSpec:
    """Everything that decides a run's numbers, in canonical form.

    ``init``, ``activation`` and ``dataset`` are canonical spec texts (registry name with every
    parameter), ``layers`` the full size list (every weight layer's width), ``output`` the output
    layer's name; ``blocks`` the ``(start, m)`` residual blocks of a residual network
    (:mod:`initlab.nn.residual`), ``()`` for a plain MLP.
    """

    init: str
    layers: tuple[int, ...]
    activation: str
    output: str
    dataset: str
    lr: float
    iterations: int
    every: int
    seed: int
    data: str = ""  # "sha256:<hex>" of a user file's bytes (csv:, npz:), else ""
    blocks: tuple[Block, ...] = ()
    parametrization: str = "sp"
    base_width: int | None = None  # the base hidden width of ntk and mup (None for sp)

    def canonical(self) -> dict[str, Any]:
        """The JSON-ready canonical spec; its hash is :attr:`key`. A user file is named by its
        content (:attr:`data`), not its path: an edited file is new data, and ``csv:./d.csv``
        and ``csv:d.csv`` are one dataset. A residual network adds its ``blocks``; a plain one
        has none, so its key is the one it had before residual networks existed and a residual
        network never shares a key with the plain one of the same widths."""
        out: dict[str, Any] = {
            "spec_version": SPEC_VERSION,
            "init": self.init,
            "layers": list(self.layers),
            **self._settings(),
            "rng": "numpy.random.RandomState",
        }
        if self.data:
            out["dataset"] = _without_path(self.dataset, self.data)
        if self.blocks:
            out["blocks"] = [list(block) for block in self.blocks]
        if self.parametrization != "sp":  # sp's key is the one it had before parametrizations
            out["parametrization"] = self.parametrization
            out["base_width"] = self.base_width
        return out

    def to_json(self) -> str:
        return json.dumps(self.canonical(), sort_keys=True, separators=(",", ":"))

    @property
    def key(self) -> str:
        """SHA-256 of the canonical JSON (sorted keys, no spaces), first 32 hex digits."""
        return hashlib.sha256(self.to_json().encode("utf-8")).hexdigest()[:32]

    @property
    def group(self) -> tuple:
        """What runs must share to train in one batch."""
        return (
            self.dataset,
            self.activation,
            self.output,
            self.layers,
            self.blocks,
            self.parametrization,
            self.base_width,
            self.iterations,
            self.every,
        )

    @property
    def depth(self) -> int:
        """Number of hidden layers."""
        return len(self.layers) - 2

    @property
    def width(self) -> int | None:
        """The hidden width when every hidden layer has it, else ``None``."""
        hidden = set(self.layers[1:-1])
        return hidden.pop() if len(hidden) == 1 else None

    def columns(self) -> dict[str, Any]:
        """The spec as table columns (what :func:`initlab.load` shows and ``--by`` groups on)."""
        return {
            "init": self.init,
            "init_name": self.init.partition(":")[0],
            "layers": "-".join(str(s) for s in layer_items(self.layers, self.blocks)),
            "depth": self.depth,
            "width": self.width,
            **self._settings(),
        }

    def _settings(self) -> dict[str, Any]:
        """The fields both the canonical spec and the columns show as they are."""
        return {name: getattr(self, name) for name in SETTINGS}


def parse_seeds(text: str | int | Sequence[int]) -> tuple[int, ...]:
    """Seeds from ``"0-31"``, ``"0-9,20,30-32"``, an int or a list of ints (duplicates dropped).

    >>> parse_seeds("0-2,7")
    (0, 1, 2, 7)
    """
    if isinstance(text, str):
        items: list[Any] = [piece.strip() for piece in text.split(",") if piece.strip()]
    elif isinstance(text, (list, tuple)):
        items = list(text)
    else:
        items = [text]
    parts: list[range] = []  # each item a range (one seed: a range of one), checked unexpanded
    for item in items:
        single = re.fullmatch(r"\d+", item) if isinstance(item, str) else None
        span = re.fullmatch(r"(\d+)\s*-\s*(\d+)", item) if isinstance(item, str) else None
        if (isinstance(item, int) and not isinstance(item, bool)) or single:
            seed = checks.check("a seed", int(item), checks.SEED)
            parts.append(range(seed, seed + 1))
        elif span:
            low, high = int(span[1]), int(span[2])
            if high < low:
                raise InitlabError(
                    f"seed range {item!r} runs backwards; write low-high with low <= high, "
                    f"e.g. {high}-{low}"
                )
            checks.check("a seed", high, checks.SEED)
            parts.append(range(low, high + 1))
        else:
            raise InitlabError(
                f"seeds are integers >= 0 or ranges low-high, separated by commas, e.g. 0-31 or "
                f"0-9,20; got {item!r}"
            )
    count = sum(len(part) for part in parts)
    # each seed becomes at least one run to list, train and store: refused before the list exists
    checks.check_budget(f"the list of {count:,} seeds", memory=count * checks.RUN_RECORD_BYTES)
    seeds = [seed for part in parts for seed in part]
    return tuple(dict.fromkeys(seeds))


def _user_file(spec: str) -> Path | None:
    """The file behind a ``csv:``/``npz:`` spec, ``None`` for synthetic data."""
    parsed = data.parse_dataset_spec(spec)
    entry = data.REGISTRY[parsed.name] if parsed.name in data.REGISTRY else None
    return Path(parsed.params["path"]) if entry is not None and entry.takes_path else None


def _stamp(spec: str) -> tuple[int, ...]:
    """What tells a user file's versions apart cheaply (inode, size, modification time in ns);
    ``()`` for synthetic data or a file that cannot be read (loading it says why)."""
    path = _user_file(spec)
    try:
        stat = path.stat() if path is not None else None
    except OSError:
        return ()
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns) if stat is not None else ()


def load_dataset(spec: str) -> Dataset:
    """The dataset of a canonical spec, loaded once per process and version of its file."""
    return _load(spec, _stamp(spec))


def data_hash(spec: str) -> str:
    """``"sha256:<hex>"`` of the bytes of the user file behind ``spec``; ``""`` for synthetic
    data (its spec already says everything)."""
    return _hash(spec, _stamp(spec)) if _user_file(spec) is not None else ""


@lru_cache(maxsize=32)
def _load(spec: str, stamp: tuple[int, ...]) -> Dataset:
    return data.load(spec)


@lru_cache(maxsize=32)
def _hash(spec: str, stamp: tuple[int, ...]) -> str:
    path = _user_file(spec)
    assert path is not None
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as error:
        raise InitlabError(f"cannot read {str(path)!r}: {error.strerror}") from None
    return f"sha256:{digest.hexdigest()}"


def _without_path(spec: str, content: str) -> str:
    """``spec`` with its file's path replaced by its content hash: ``csv:sha256:…,label=y``."""
    path = data.parse_dataset_spec(spec).params["path"]
    name, _, rest = spec.partition(":")
    return f"{name}:{content}{rest.strip()[len(path) :]}"
