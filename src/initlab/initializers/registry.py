"""The registry of initializers, addressed by name or by ``name:key=value,...`` spec.

Every initializer is registered once with a factory ``factory(**params) -> weight_fn`` where
``weight_fn(shape, rng) -> ndarray`` draws a weight of shape ``(fan_out, fan_in)`` from ``rng`` (a
numpy ``Generator`` or legacy ``RandomState``). Aliases from other frameworks resolve to the same
entry, so they give identical arrays for the same seed. :func:`get` is the one entry point.

Each entry also declares its ``variance`` rule (:class:`~initlab.initializers.variance.Variance`)
when it draws i.i.d. zero-mean weights of a known variance; the mean-field theory reads it
(:func:`variance_rules`), so adding an initializer never means editing the theory.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, cast

import numpy as np

from initlab.errors import InitlabError
from initlab.initializers.variance import Variance
from initlab.registry import Registry
from initlab.specs import Spec, bind_params, format_spec, split_spec_list

Rng = np.random.Generator | np.random.RandomState


class WeightFn(Protocol):
    def __call__(self, shape: tuple[int, int], rng: Rng) -> np.ndarray: ...


class BiasFn(Protocol):
    def __call__(self, shape: tuple[int], fan_in: int, rng: Rng) -> np.ndarray: ...


Layers = list[tuple[np.ndarray, np.ndarray]]
# forward(layers, l): layer l's (0-based) pre-activation (fan_out, m) on a data batch, given the
# layers drawn so far; provided by the engine side for data-dependent initializers.
Forward = Callable[[Layers, int], np.ndarray]
RefineFn = Callable[[Layers, Forward], Layers]
# network(layers, sizes, blocks, rng): the layers drawn one by one, rewritten by a rule over the
# whole network (residual schemes, ZerO, RAI); for a residual network it may append the
# (α, trained) entry.
NetworkFn = Callable[[Layers, tuple[int, ...], tuple[tuple[int, int], ...], "Rng"], Layers]


@dataclass(frozen=True)
class InitializerInfo:
    """What the registry knows of one initializer: its factory, formula, names elsewhere and its
    variance rule (``None``: not variance-based)."""

    name: str
    factory: Callable[..., WeightFn]
    formula: str
    aliases: tuple[str, ...] = ()
    frameworks: Mapping[str, str] = field(default_factory=dict)
    bias: Callable[..., BiasFn] | None = None
    needs_data: bool = False
    refine: Callable[..., RefineFn] | None = None
    variance: Variance | None = None
    network: Callable[..., NetworkFn] | None = None

    def defaults(self) -> dict[str, Any]:
        return bind_params("initializer", self.name, self.factory, {})


@dataclass(frozen=True)
class Initializer:
    """A ready initializer: call it as ``init(shape, rng)`` for a ``(fan_out, fan_in)`` weight.

    ``spec`` is the canonical text of what runs (name with every parameter), shown in tables, plots
    and JSON. ``bias`` draws the bias vector when the scheme has one (``None``: zeros).
    ``needs_data`` marks data-dependent schemes (LSUV): after the weights are drawn,
    ``refine(layers, forward)`` completes them on the data (see :func:`init_network`).
    """

    spec: str
    name: str
    params: Mapping[str, Any]
    weight: WeightFn
    bias: BiasFn | None = None
    needs_data: bool = False
    refine: RefineFn | None = None
    network: NetworkFn | None = None
    """A rule over the whole network applied after the layer-by-layer draw (None: none)."""

    def __call__(self, shape: tuple[int, int], rng: Rng) -> np.ndarray:
        return self.weight(cast("tuple[int, int]", tuple(shape)), rng)

    def __str__(self) -> str:
        return self.spec


REGISTRY: Registry[InitializerInfo] = Registry("initializer", lambda entry: entry.factory)


def register(
    name: str,
    *,
    formula: str,
    aliases: tuple[str, ...] = (),
    frameworks: Mapping[str, str] | None = None,
    bias: Callable[..., BiasFn] | None = None,
    needs_data: bool = False,
    refine: Callable[..., RefineFn] | None = None,
    variance: Variance | None = None,
    network: Callable[..., NetworkFn] | None = None,
) -> Callable[[Callable[..., WeightFn]], Callable[..., WeightFn]]:
    """Decorator: register ``factory`` under ``name`` (and ``aliases``).

    ``bias(**params)`` gives the bias rule, if any; ``refine(**params)`` the data step of a
    data-dependent initializer (which then ``needs_data``). Both take the factory's parameters.
    ``variance`` is the rule of an i.i.d. zero-mean draw (Var(W), Var(b) from the parameters and
    fans), which the mean-field theory reads; leave it ``None`` for a scheme that is not one.
    """

    def decorate(factory: Callable[..., WeightFn]) -> Callable[..., WeightFn]:
        entry = InitializerInfo(
            name=name,
            factory=factory,
            formula=formula,
            aliases=tuple(aliases),
            frameworks=dict(frameworks or {}),
            bias=bias,
            needs_data=needs_data or refine is not None,
            refine=refine,
            variance=variance,
            network=network,
        )
        REGISTRY.add(name, entry, tuple(aliases))
        return factory

    return decorate


def names(include_aliases: bool = True) -> list[str]:
    """Every registered name (sorted), aliases included unless asked otherwise."""
    return REGISTRY.names(include_aliases)


def info(name: str) -> InitializerInfo:
    """The registry entry for ``name`` or one of its aliases."""
    return REGISTRY[name]


def variance_rules() -> dict[str, Variance]:
    """Canonical name → variance rule of every registered initializer that declares one."""
    return {entry.name: entry.variance for entry in REGISTRY.values() if entry.variance is not None}


def get(spec: str | Spec | Initializer | Callable[..., np.ndarray]) -> Initializer:
    """An :class:`Initializer` from a spec string, a :class:`Spec`, or a callable ``(shape, rng)``.

    >>> import numpy as np
    >>> w = get("random:scale=10")((2, 3), np.random.RandomState(3))
    >>> round(float(w[0, 0]), 8)
    17.88628473
    """
    if isinstance(spec, Initializer):
        return spec
    if isinstance(spec, (str, Spec)):
        _, entry, params = REGISTRY.resolve(spec)
        try:
            weight = entry.factory(**params)
            bias = entry.bias(**params) if entry.bias is not None else None
            refine = entry.refine(**params) if entry.refine is not None else None
            whole = entry.network(**params) if entry.network is not None else None
        except InitlabError as error:
            raise InitlabError(f"initializer {str(spec)!r}: {error}") from None
        return Initializer(
            format_spec(entry.name, params),
            entry.name,
            params,
            weight,
            bias,
            entry.needs_data,
            refine,
            whole,
        )
    if callable(spec):
        label = getattr(spec, "__name__", type(spec).__name__)
        return Initializer(label, label, {}, spec)
    raise InitlabError(
        f"an initializer is a name, a 'name:key=value' spec or a callable (shape, rng); "
        f"got {type(spec).__name__}"
    )


InitSpec = str | Initializer | Callable[..., np.ndarray]


def get_list(inits: str | Sequence[InitSpec]) -> list[Initializer]:
    """Initializers from a comma-separated spec list (``"zeros,random:scale=5,he"``) or a list of
    specs, initializers and callables; at least one."""
    if isinstance(inits, str):
        specs: list = split_spec_list(inits)
    elif isinstance(inits, (list, tuple)):
        specs = list(inits)
    else:  # one initializer or callable; get() refuses anything else with its message
        specs = [inits]
    if not specs:
        raise InitlabError(f"give at least one initializer; valid: {', '.join(names())}")
    return [get(spec) for spec in specs]
