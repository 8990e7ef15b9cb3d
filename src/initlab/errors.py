"""The one error type initlab raises for bad input.

An :class:`InitlabError` says what was wrong, what is allowed and what was given. It is a
``ValueError``, so Python callers may catch it as one; the CLI turns it into a message on stderr and
exit code 2.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class InitlabError(ValueError):
    """Bad input: names the offending parameter, the allowed values and the value given."""


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """A ``" (did you mean 'x'?)"`` suffix when ``name`` is close to one of ``choices``."""
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def unknown_choice(what: str, name: str, choices: Iterable[str]) -> InitlabError:
    """Error for a name that is not in a registry, listing the valid names."""
    choices = sorted(choices)
    return InitlabError(
        f"unknown {what} {name!r}{did_you_mean(name, choices)}; valid: {', '.join(choices)}"
    )
