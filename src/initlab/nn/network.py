"""The shape of a multilayer perceptron: layer sizes, hidden activation(s), output."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from initlab.errors import InitlabError
from initlab.nn import activations, outputs
from initlab.nn.activations import Activation
from initlab.nn.parametrization import Multipliers, check_parametrization, network_multipliers
from initlab.nn.residual import (
    Block,
    check_blocks,
    expand,
    is_residual,
    layer_items,
    parse_block,
)
from initlab.specs import split_spec_list

if TYPE_CHECKING:
    from initlab.data.dataset import Dataset

AUTO = "auto"

ActivationSpec = str | activations.Activation


@dataclass(frozen=True)
class Network:
    """An MLP ``sizes[0] → sizes[1] → ... → sizes[-1]``.

    ``activation`` is one spec for every hidden layer (``"tanh"``, ``"leaky_relu:slope=0.1"``) or
    one per hidden layer, as a sequence or a comma-separated text (``"relu,tanh"``). It is kept in
    canonical form: a single spec when all layers agree, else a tuple with one spec per layer.
    The course's network is ``Network((2, 10, 5, 1))``: LINEAR→RELU→LINEAR→RELU→LINEAR→SIGMOID.

    ``blocks`` makes it a residual MLP: each ``(start, m)`` says that weight layers ``start ..
    start+m−1`` (0-based) are the branch f of one residual block, ``A[start+m] = A[start] +
    α·f(A[start])`` (:mod:`initlab.nn.residual`); ``sizes`` lists every weight layer's width.

    ``parametrization`` is how the initial scale and the learning rate of each layer follow the
    width (:mod:`initlab.nn.parametrization`): ``"sp"`` (standard, the default), ``"ntk"`` or
    ``"mup"`` (μP, Yang et al. 2022), relative to a base network whose hidden layers are all
    ``base_width`` wide — where every parametrization is SP exactly. ``ntk`` and ``mup`` need it.
    """

    sizes: tuple[int, ...]
    activation: str | tuple[str, ...] = "relu"
    output: str = "sigmoid"
    blocks: tuple[Block, ...] = ()
    parametrization: str = "sp"
    base_width: int | None = None
    _hidden: tuple[activations.Activation, ...] = field(
        init=False, repr=False, compare=False, default=()
    )

    def __post_init__(self) -> None:
        sizes = check_sizes(self.sizes)
        object.__setattr__(self, "blocks", check_blocks(sizes, self.blocks))
        _check_base(self.parametrization, self.base_width)
        hidden = resolve_activations(self.activation, len(sizes) - 2)
        specs = tuple(a.spec for a in hidden)
        if len(set(specs)) <= 1:
            canonical: str | tuple[str, ...] = specs[0] if specs else _single_spec(self.activation)
        else:
            canonical = specs
        object.__setattr__(self, "sizes", sizes)
        object.__setattr__(self, "activation", canonical)
        object.__setattr__(self, "output", outputs.get(self.output).name)
        object.__setattr__(self, "_hidden", hidden)

    @property
    def depth(self) -> int:
        """Number of weight layers (the course's L)."""
        return len(self.sizes) - 1

    @property
    def hidden(self) -> tuple[int, ...]:
        return self.sizes[1:-1]

    @property
    def activations(self) -> tuple[str, ...]:
        """The activation spec of each hidden layer, in order."""
        return tuple(a.spec for a in self._hidden)

    def activation_text(self) -> str:
        """``"tanh"`` when every hidden layer uses it, else ``"relu, tanh, tanh"``."""
        return self.activation if isinstance(self.activation, str) else ", ".join(self.activation)

    def hidden_activations(self) -> list[Activation]:
        return list(self._hidden)

    def output_layer(self) -> outputs.Output:
        return outputs.get(self.output)

    @property
    def n_blocks(self) -> int:
        """Number of residual blocks (0: a plain MLP)."""
        return len(self.blocks)

    def multipliers(self) -> Multipliers:
        """Each weight layer's factors on its drawn weights and on η for W and b (all 1 under
        SP): :func:`initlab.nn.parametrization.network_multipliers`."""
        return network_multipliers(self.parametrization, self.sizes, self.base_width)

    def parametrization_text(self) -> str:
        """``"sp"``, or e.g. ``"mup (base width 64)"``."""
        if self.parametrization == "sp":
            return "sp"
        return f"{self.parametrization} (base width {self.base_width})"

    def __str__(self) -> str:
        return "-".join(str(s) for s in layer_items(self.sizes, self.blocks))

    def __reduce__(self):
        """Pickle by its specs (the resolved activations hold functions), e.g. for worker
        processes."""
        return (
            Network,
            (
                self.sizes,
                self.activation,
                self.output,
                self.blocks,
                self.parametrization,
                self.base_width,
            ),
        )


def _check_base(parametrization: str, base_width: int | None) -> None:
    """``ntk`` and ``mup`` need a ``base_width`` (an integer >= 1); ``sp`` takes none."""
    check_parametrization(parametrization)
    if parametrization == "sp":
        if base_width is not None:
            raise InitlabError(
                f"a base width is for the ntk and mup parametrizations; got base_width="
                f"{base_width!r} with parametrization 'sp'"
            )
        return
    if isinstance(base_width, bool) or not isinstance(base_width, int) or base_width < 1:
        raise InitlabError(
            f"parametrization {parametrization!r} needs a base width (base_width, --base-width): "
            f"the hidden width at which it equals sp, an integer >= 1 such as 64; got "
            f"{base_width!r}"
        )


def _single_spec(activation: str | Sequence[ActivationSpec]) -> str:
    """The canonical spec of a one-activation description, for a network without hidden layers."""
    items = _activation_items(activation)
    if len(items) != 1:
        raise InitlabError(
            f"a network without hidden layers takes one activation (it is unused); got {items}"
        )
    return activations.get(items[0]).spec


def _activation_items(activation: str | Sequence[ActivationSpec]) -> list[ActivationSpec]:
    if isinstance(activation, (str, activations.Activation)):
        items: list[ActivationSpec] = (
            [*split_spec_list(activation)] if isinstance(activation, str) else [activation]
        )
    else:
        items = list(activation)
    if not items:
        raise InitlabError(
            f"give an activation, one for all hidden layers or one per layer; valid: "
            f"{', '.join(activations.names())}"
        )
    return items


def resolve_activations(
    activation: str | Sequence[ActivationSpec], n_hidden: int
) -> tuple[activations.Activation, ...]:
    """One :class:`~initlab.nn.activations.Activation` per hidden layer from one spec or a list.

    >>> [a.spec for a in resolve_activations("relu,tanh", 2)]
    ['relu', 'tanh']
    """
    items = _activation_items(activation)
    if len(items) == 1:
        return (activations.get(items[0]),) * n_hidden
    if len(items) != n_hidden:
        raise InitlabError(
            f"the activation list has {len(items)} entries ({', '.join(map(str, items))}) but the "
            f"network has {n_hidden} hidden layers; give one activation for all, or one per "
            "hidden layer"
        )
    return tuple(activations.get(item) for item in items)


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


def _layer_parts(text: str) -> list[str]:
    """The comma-separated sizes of ``text``, stripped; an empty one (``"2,,1"``, a trailing
    comma) is refused rather than dropped, which would train a different network."""
    parts = [part.strip() for part in text.split(",")]
    if len(parts) > 1 and "" in parts:
        raise InitlabError(
            f"--layers has an empty size at position {parts.index('') + 1}: write one integer "
            f">= 1 between each pair of commas, e.g. 2,10,5,1; got {text!r}"
        )
    return [part for part in parts if part]


def parse_sizes(text: str) -> tuple[int, ...]:
    """``"2,10,5,1"`` → ``(2, 10, 5, 1)``."""
    try:
        sizes = [int(part) for part in _layer_parts(text)]
    except ValueError:
        raise InitlabError(
            f"--layers must be integers separated by commas, e.g. 2,10,5,1; got {text!r}"
        ) from None
    return check_sizes(sizes)


def parse_layers(text: str) -> tuple[int | str, ...]:
    """Like :func:`parse_sizes`, but the first and last sizes may be ``auto`` (taken from the data:
    the number of features, and the output units the labels need).

    >>> parse_layers("auto,32,32,auto")
    ('auto', 32, 32, 'auto')
    """
    parts = _layer_parts(text)
    sizes: list[int | str] = []
    for i, part in enumerate(parts):
        if part.lower() == AUTO and i in (0, len(parts) - 1):
            sizes.append(AUTO)
            continue
        if is_residual(part) and 0 < i < len(parts) - 1:
            parse_block(part)
            sizes.append(part.lower())
            continue
        try:
            sizes.append(int(part))
        except ValueError:
            raise InitlabError(
                f"--layers must be integers separated by commas, the first and last may be auto, "
                f"e.g. 2,10,5,1 or auto,32,auto; got {text!r}"
            ) from None
    check_layers(sizes)
    return tuple(sizes)


def check_layers(layers: Sequence[int | str]) -> tuple[int | str, ...]:
    """Validate a layer list whose first and last entries may be ``"auto"``."""
    layers = tuple(layers)
    if len(layers) < 2:
        raise InitlabError(
            f"a layer list needs at least 2 sizes (inputs and outputs); got {list(layers)}"
        )
    last = len(layers) - 1
    inner = [
        1 if (s == AUTO and i in (0, last)) or (is_residual(s) and 0 < i < last) else s
        for i, s in enumerate(layers)
    ]
    for size in inner:
        if isinstance(size, str):
            raise InitlabError(
                f"only the first and last layer sizes may be {AUTO!r}, and residual blocks "
                f"(res<width>x<blocks>, e.g. res64x16 or res64x16:2) sit between them; got "
                f"{list(layers)}"
            )
    check_sizes(cast("list[int]", inner))  # every entry is an int by now
    return layers


def parse_layer_lists(value: str | Sequence | None) -> list[tuple[int | str, ...]]:
    """Several layer lists (a sweep's networks): ``"2,10,5,1"``, ``"auto,32,auto;2,10,5,1"``
    (separated by ``;``), one list ``[2, 10, 5, 1]`` or several ``[[2, 10, 5, 1], [2, 32, 1]]``;
    each read by :func:`parse_layers`.

    >>> parse_layer_lists("auto,8,auto;2,4,1")
    [('auto', 8, 'auto'), (2, 4, 1)]
    """
    if value is None:
        return []
    if isinstance(value, str):
        return [parse_layers(text) for text in value.split(";") if text.strip()]
    if not isinstance(value, (list, tuple)):
        raise InitlabError(
            f"layers must be text like 'auto,10,5,auto', a list of sizes or a list of such "
            f"lists; got {value!r}"
        )
    items = list(value)
    if items and all(not isinstance(item, (list, tuple)) for item in items):
        items = [items]
    return [parse_layers(",".join(str(size) for size in sizes)) for sizes in items]


def fit_layers(
    layers: str | Sequence[int | str], dataset: Dataset, output: str = "auto"
) -> tuple[tuple[int, ...], tuple[Block, ...], outputs.Output]:
    """The sizes and residual blocks of ``layers`` on ``dataset`` and the output layer: ``auto``
    first/last sizes become the number of features and the output units the labels need (1 for
    sigmoid, one per class for softmax); explicit ends must equal them; residual items
    (``res64x16``, :mod:`initlab.nn.residual`) become ``(start, m)`` blocks, ``()`` for a plain
    MLP (a sweep's networks, :mod:`initlab.runs.grid`)."""
    layers = parse_layers(layers) if isinstance(layers, str) else check_layers(layers)
    out = outputs.for_classes(dataset.n_classes, output)
    units = out.units(dataset.n_classes)
    n_in = dataset.n_features
    first = n_in if layers[0] == AUTO else layers[0]
    last = units if layers[-1] == AUTO else layers[-1]
    if first != n_in:
        raise InitlabError(
            f"the layer list starts with {first} inputs but dataset {dataset.spec!r} has "
            f"{n_in} features, so it must start with {n_in}: the first size must be {n_in} "
            "(or auto)"
        )
    if last != units:
        raise InitlabError(
            f"the {out.name} output for {dataset.n_classes} classes needs {units} output "
            f"unit{'s' if units > 1 else ''}; the layer list ends with {last}: make the last "
            f"size {units} (or auto)"
        )
    sizes, blocks = expand([first, *layers[1:-1], last])
    return sizes, blocks, out


def network_for(
    layers: str | Sequence[int | str],
    dataset: Dataset,
    activation: str | Sequence[str] = "relu",
    output: str = "auto",
    parametrization: str = "sp",
    base_width: int | None = None,
) -> Network:
    """The network for ``dataset``: ``auto`` first/last sizes become the number of features and
    the output units the labels need (:func:`fit_layers`); residual items
    (``res64x16``, :mod:`initlab.nn.residual`) become residual blocks."""
    sizes, blocks, out = fit_layers(layers, dataset, output)
    hidden = activation if isinstance(activation, str) else tuple(activation)
    return Network(sizes, hidden, out.name, blocks, parametrization, base_width)
