"""Comma-separated number options (``--depths 8,32,128``, ``--sigma-w2 0.5,1,2``), read once."""

from __future__ import annotations

from initlab.errors import InitlabError


def numbers(option: str, text: str, kind: type = float) -> list:
    """``"8,32,128"`` → ``[8, 32, 128]`` (``kind`` int or float); one clear error otherwise."""
    parts = [part.strip() for part in text.split(",")]
    try:
        values = [kind(part) for part in parts if part]
    except ValueError:
        what = "integers" if kind is int else "numbers"
        raise InitlabError(
            f"{option} must be {what} separated by commas, e.g. "
            f"{'8,32,128' if kind is int else '0.5,1,2'}; got {text!r}"
        ) from None
    if not values or "" in parts:
        raise InitlabError(f"{option} needs one value between each pair of commas; got {text!r}")
    return values
