"""A name → entry table with aliases, shared by the initializer, dataset, activation registries."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar

from initlab.errors import unknown_choice
from initlab.specs import Spec, bind_params, parse_spec

T = TypeVar("T")


class Registry(Generic[T]):
    """Entries addressed by canonical name or alias; unknown names raise with a suggestion.

    ``what`` names the kind of entry in error messages ("initializer", "dataset", ...);
    ``factory_of(entry)`` is the callable whose keyword parameters a spec may set.
    """

    def __init__(self, what: str, factory_of: Callable[[T], Callable[..., Any]]):
        self.what = what
        self.factory_of = factory_of
        self._entries: dict[str, T] = {}
        self.aliases: dict[str, str] = {}

    def add(self, name: str, entry: T, aliases: tuple[str, ...] = ()) -> None:
        for key in (name, *aliases):
            if key in self._entries or key in self.aliases:
                raise RuntimeError(f"{self.what} {key!r} registered twice")
        self._entries[name] = entry
        for alias in aliases:
            self.aliases[alias] = name

    def canonical(self, name: str) -> str:
        name = self.aliases.get(name, name)
        if name not in self._entries:
            raise unknown_choice(self.what, name, self.names())
        return name

    def __getitem__(self, name: str) -> T:
        return self._entries[self.canonical(name)]

    def __contains__(self, name: object) -> bool:
        return name in self._entries or name in self.aliases

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def values(self) -> list[T]:
        return list(self._entries.values())

    def names(self, include_aliases: bool = True) -> list[str]:
        return sorted([*self._entries, *(self.aliases if include_aliases else ())])

    def resolve(self, spec: str | Spec) -> tuple[str, T, dict[str, Any]]:
        """``(canonical name, entry, params with defaults)`` for a spec; bad names/keys raise."""
        if isinstance(spec, str):
            spec = parse_spec(spec, self.what)
        name = self.canonical(spec.name)
        entry = self._entries[name]
        return name, entry, bind_params(self.what, name, self.factory_of(entry), spec.params)
