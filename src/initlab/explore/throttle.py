"""How often a browser may send: token buckets, so a flood of messages costs the server little.

Every incoming frame, even one that will not parse, costs a token of the session's bucket (a
burst of ``message_burst``, refilled at ``messages_per_second``); the expensive messages
(``configure`` builds data and draws weights, ``report`` runs a whole comparison with figures)
also cost a token of a smaller bucket. A frame that finds a bucket empty is answered with an error
frame and dropped; the session goes on. With steps of at most 100 updates, steps alone stay within
the session's speed limit.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from initlab.explore.limits import Limits

EXPENSIVE = ("configure", "report")


@dataclass
class Bucket:
    rate: float
    burst: float
    clock: Callable[[], float] = time.monotonic
    tokens: float = field(init=False)
    last: float = field(init=False)

    def __post_init__(self) -> None:
        self.tokens = self.burst
        self.last = self.clock()

    def take(self) -> bool:
        """Whether a token was there to take (refilled for the time since the last call)."""
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.last) * self.rate)
        self.last = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


class Throttle:
    """The two buckets of one session, sized by its :class:`~initlab.explore.limits.Limits`."""

    def __init__(self, limits: Limits, clock: Callable[[], float] = time.monotonic) -> None:
        self.all = Bucket(limits.messages_per_second, limits.message_burst, clock)
        self.expensive = Bucket(limits.expensive_per_second, limits.expensive_burst, clock)

    def refuse_frame(self) -> str | None:
        """Why an incoming frame (any, even one that will not parse) must be dropped, or
        ``None``."""
        if not self.all.take():
            return f"too many messages: at most {self.all.rate:g} per second; one dropped"
        return None

    def refuse_kind(self, kind: str) -> str | None:
        """Why a valid message of ``kind`` must be dropped (an expensive one, too often), or
        ``None``."""
        if kind in EXPENSIVE and not self.expensive.take():
            return (
                f"too many {', '.join(EXPENSIVE)} messages: at most {self.expensive.rate:g} per "
                f"second; {kind!r} dropped"
            )
        return None
