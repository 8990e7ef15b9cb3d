"""Residual blocks of an MLP: the ``res<width>x<blocks>[:<m>]`` item of a layer list.

A residual block of width n maps its input x (n units) to ``x + α·f(x)``, where the branch f is
m ∈ {1, 2} Linear+activation layers of width n, ``f(x) = φ(W_m … φ(W_1 x + b_1) … + b_m)``, and α
is one scalar per block (He et al. 2016's identity shortcut; the scalar of SkipInit, De & Smith
2020, and ReZero, Bachlechner et al. 2021). The layer list ``auto,64,res64x16,auto`` is 16 blocks
of width 64 with one-layer branches after a plain layer of 64 units; ``res64x16:2`` gives each
branch two layers. A block needs an input of its own width, so the item right before it is a
plain layer or another block of that width.

A :class:`~initlab.nn.network.Network` keeps the expanded widths in ``sizes`` (every weight layer)
and the blocks as ``(start, m)``: weight layers ``start .. start+m−1`` (0-based) form one branch;
its input is ``A[start]`` and its output ``A[start+m]``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from initlab.errors import InitlabError

Block = tuple[int, int]

RESIDUAL_FORM = "res<width>x<blocks> or res<width>x<blocks>:<m> with m = 1 or 2, e.g. res64x16"
BRANCH_LAYERS = (1, 2)
_TOKEN = re.compile(r"^res(\d+)x(\d+)(?::(\d+))?$")


def is_residual(item: object) -> bool:
    """Whether a layer-list item is meant as a residual block (text starting with ``res``)."""
    return isinstance(item, str) and item.strip().lower().startswith("res")


def parse_block(item: str) -> tuple[int, int, int]:
    """``"res64x16:2"`` → ``(width, blocks, m)`` = ``(64, 16, 2)``; ``m`` defaults to 1.

    >>> parse_block("res8x3")
    (8, 3, 1)
    """
    match = _TOKEN.match(item.strip().lower())
    if match is None:
        raise InitlabError(f"a residual item of --layers is {RESIDUAL_FORM}; got {item!r}")
    width, count, m = int(match[1]), int(match[2]), int(match[3] or 1)
    if width < 1 or count < 1 or m not in BRANCH_LAYERS:
        raise InitlabError(
            f"a residual item needs width >= 1, blocks >= 1 and m in {BRANCH_LAYERS}; got {item!r}"
        )
    return width, count, m


def expand(items: Sequence[int | str]) -> tuple[tuple[int, ...], tuple[Block, ...]]:
    """A layer list with residual items → ``(sizes, blocks)``; the first and last items must be
    integers (resolve ``auto`` first).

    >>> expand([2, 4, "res4x2", 1])
    ((2, 4, 4, 4, 1), ((1, 1), (2, 1)))
    """
    sizes: list[int] = [int(items[0])]
    blocks: list[Block] = []
    for item in items[1:]:
        if not is_residual(item):
            sizes.append(int(item))
            continue
        width, count, m = parse_block(str(item))
        if sizes[-1] != width or len(sizes) < 2:
            before = "the inputs" if len(sizes) < 2 else f"a layer of {sizes[-1]} units"
            raise InitlabError(
                f"residual item {item!r} adds its input to blocks of width {width}, so the item "
                f"before it must be a layer of {width} units; it follows {before}: put a layer of "
                f"{width} before it, e.g. auto,{width},{item},auto"
            )
        for _ in range(count):
            blocks.append((len(sizes) - 1, m))
            sizes.extend([width] * m)
    return tuple(sizes), tuple(blocks)


def check_blocks(sizes: tuple[int, ...], blocks: Sequence[Sequence[int]]) -> tuple[Block, ...]:
    """Validate ``(start, m)`` blocks against ``sizes``: in order, not overlapping, after the
    first weight layer and before the output layer, every layer of a block of the input's width."""
    out: list[Block] = []
    end = 1
    for block in blocks:
        start, m = (int(v) for v in block)
        width = sizes[start] if 0 <= start < len(sizes) else None
        if (
            start < end
            or m not in BRANCH_LAYERS
            or start + m > len(sizes) - 2
            or any(size != width for size in sizes[start : start + m + 1])
        ):
            raise InitlabError(
                f"residual block (start={start}, m={m}) does not fit sizes {list(sizes)}: blocks "
                f"run in order after the first layer and before the output layer, m in "
                f"{BRANCH_LAYERS}, and every layer of a block has the width of its input"
            )
        out.append((start, m))
        end = start + m
    return tuple(out)


def layer_items(sizes: tuple[int, ...], blocks: tuple[Block, ...]) -> list[int | str]:
    """The layer list of ``sizes`` with runs of equal blocks written back as residual items.

    >>> layer_items((2, 4, 4, 4, 1), ((1, 1), (2, 1)))
    [2, 4, 'res4x2', 1]
    """
    starts = dict(blocks)
    items: list[int | str] = [sizes[0]]
    i = 1
    while i < len(sizes):
        if i - 1 not in starts:
            items.append(sizes[i])
            i += 1
            continue
        m, count = starts[i - 1], 0
        while starts.get(i - 1) == m:
            count += 1
            i += m
        items.append(f"res{sizes[i - 1]}x{count}" + (f":{m}" if m > 1 else ""))
    return items


def branch_ends(blocks: tuple[Block, ...]) -> dict[int, tuple[int, int]]:
    """Weight layer (0-based) whose activation ends a branch → ``(block index, block start)``."""
    return {start + m - 1: (j, start) for j, (start, m) in enumerate(blocks)}
