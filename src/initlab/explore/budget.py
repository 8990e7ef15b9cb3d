"""The server's CPU, shared fairly between the sessions that are training.

Every session trains in its own thread, but they share a few cores and one interpreter lock (the
compiled kernel holds it while it runs). Left alone, each session would train as fast as its
speed setting allows and build 20 frames a second; with 30 sessions on 2 cores the kernels would
take every cycle, frames would come late and a ``pause`` would wait behind everyone's segments.

So each running session gets an equal share of two budgets: ``train_share`` seconds of kernel
time per second for the whole server (the rest is left for frames, messages and the event loop)
and ``frame_share`` seconds of frame building. A session measures the CPU time an update
and a frame cost it (a moving average; waiting for the lock or a core is not counted) and sets
its speed and frame period from its share: alone it runs at the speed asked for, in a crowd
everyone slows down equally and the server stays responsive. The shares are of one core, not of
all of them: the kernel and the frames hold the interpreter lock, so they take turns on one.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field


@dataclass
class Budget:
    train_share: float = 0.4
    frame_share: float = 0.2
    _running: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def set_running(self, name: str, running: bool) -> None:
        with self._lock:
            if running:
                self._running.add(name)
            else:
                self._running.discard(name)

    @property
    def running(self) -> int:
        return len(self._running)

    def share(self) -> float:
        """One running session's fraction of the server."""
        return 1.0 / max(1, len(self._running))

    def updates_per_second(self, asked: float, seconds_per_update: float) -> float:
        """The speed a session may train at: what it asked, within its share of kernel time."""
        if seconds_per_update <= 0:
            return asked
        return max(1.0, min(asked, self.train_share * self.share() / seconds_per_update))

    def frame_period(self, fastest: float, seconds_per_frame: float) -> float:
        """Seconds between a session's frames: ``fastest`` or longer, within its frame share."""
        return max(fastest, seconds_per_frame / (self.frame_share * self.share()))


class Average:
    """An exponential moving average of a duration (the first sample sets it)."""

    def __init__(self, weight: float = 0.2) -> None:
        self.weight = weight
        self.value = 0.0

    def add(self, sample: float) -> None:
        self.value = (
            sample if self.value == 0.0 else self.value + self.weight * (sample - self.value)
        )
