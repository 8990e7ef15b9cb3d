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
from typing import Any

from initlab import checks, data
from initlab.data.dataset import Dataset
from initlab.errors import InitlabError

SPEC_VERSION = 1  # bump if the meaning of a canonical spec changes
SETTINGS = ("activation", "output", "dataset", "lr", "iterations", "every", "seed")


@dataclass(frozen=True)
class RunSpec:
    """Everything that decides a run's numbers, in canonical form.

    ``init``, ``activation`` and ``dataset`` are canonical spec texts (registry name with every
    parameter), ``layers`` the full size list, ``output`` the output layer's name.
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

    def canonical(self) -> dict[str, Any]:
        """The JSON-ready canonical spec; its hash is :attr:`key`."""
        return {
            "spec_version": SPEC_VERSION,
            "init": self.init,
            "layers": list(self.layers),
            **self._settings(),
            "rng": "numpy.random.RandomState",
        }

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
            "layers": "-".join(str(s) for s in self.layers),
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
    seeds: list[int] = []
    spans: list[range] = []
    for item in items:
        if isinstance(item, int) and not isinstance(item, bool):
            seeds.append(item)
            continue
        single = re.fullmatch(r"\d+", item) if isinstance(item, str) else None
        span = re.fullmatch(r"(\d+)\s*-\s*(\d+)", item) if isinstance(item, str) else None
        if single:
            seeds.append(int(item))
        elif span:
            low, high = int(span[1]), int(span[2])
            if high < low:
                raise InitlabError(
                    f"seed range {item!r} runs backwards; write low-high with low <= high, "
                    f"e.g. {high}-{low}"
                )
            checks.check("a seed", high, checks.SEED)
            spans.append(range(low, high + 1))
        else:
            raise InitlabError(
                f"seeds are integers >= 0 or ranges low-high, separated by commas, e.g. 0-31 or "
                f"0-9,20; got {item!r}"
            )
    count = len(seeds) + sum(len(span) for span in spans)
    # each seed becomes at least one run to list, train and store: refused before the list exists
    checks.check_budget(f"the list of {count:,} seeds", memory=count * checks.RUN_RECORD_BYTES)
    for seed in seeds:  # a range's ends were checked above
        checks.check("a seed", seed, checks.SEED)
    for span in spans:
        seeds.extend(span)
    return tuple(dict.fromkeys(seeds))


@lru_cache(maxsize=32)
def load_dataset(spec: str) -> Dataset:
    """The dataset of a canonical spec, loaded once per process."""
    return data.load(spec)
