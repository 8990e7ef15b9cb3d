"""The shape of a multilayer perceptron: layer sizes, hidden activation, output."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from initlab.errors import InitlabError
from initlab.nn import activations, outputs


@dataclass(frozen=True)
class Network:
    """An MLP ``sizes[0] → sizes[1] → ... → sizes[-1]``; every hidden layer uses ``activation``.

    The course's network is ``Network((2, 10, 5, 1))``: LINEAR→RELU→LINEAR→RELU→LINEAR→SIGMOID.
    """

    sizes: tuple[int, ...]
    activation: str = "relu"
    output: str = "sigmoid"

    def __post_init__(self) -> None:
        object.__setattr__(self, "sizes", check_sizes(self.sizes))
        object.__setattr__(self, "activation", activations.get(self.activation).spec)
        outputs.get(self.output)

    @property
    def depth(self) -> int:
        """Number of weight layers (the course's L)."""
        return len(self.sizes) - 1

    @property
    def hidden(self) -> tuple[int, ...]:
        return self.sizes[1:-1]

    def hidden_activations(self) -> list[activations.Activation]:
        return [activations.get(self.activation)] * (self.depth - 1)

    def output_layer(self) -> outputs.Output:
        return outputs.get(self.output)

    def __str__(self) -> str:
        return "-".join(str(s) for s in self.sizes)


def check_sizes(sizes: Sequence[int]) -> tuple[int, ...]:
    """Validate a layer list: at least 2 entries, each an integer >= 1."""
    sizes = tuple(sizes)
    if len(sizes) < 2:
        raise InitlabError(
            f"a layer list needs at least 2 sizes (inputs and outputs); got {list(sizes)}"
        )
    for size in sizes:
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise InitlabError(f"every layer size must be an integer >= 1; got {list(sizes)}")
    return sizes


def parse_sizes(text: str) -> tuple[int, ...]:
    """``"2,10,5,1"`` → ``(2, 10, 5, 1)``."""
    try:
        sizes = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise InitlabError(
            f"--layers must be integers separated by commas, e.g. 2,10,5,1; got {text!r}"
        ) from None
    return check_sizes(sizes)
