"""Per-session limits: what keeps one browser tab from starving a classroom's shared server.

A teacher runs one ``initlab explore --host 0.0.0.0`` for 30 students on a 2-core machine. Every
session trains in its own worker thread, but the CPU is shared, so each session is bounded in the
size of what it trains (models, layers, widths, samples) and in how fast it may train (updates
per second). The message size bounds what one frame may cost the server to read.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """The bounds every session's configuration and messages are checked against.

    ``max_message_bytes`` is the largest message the session reads (a CSV upload is the largest
    legitimate one); larger ones get an error frame. ``max_socket_bytes`` is the WebSocket
    protocol's own cap (uvicorn's ``ws_max_size``): beyond it the connection is closed (code
    1009) before the application sees the data, so it is set well above the message limit so that
    oversized-but-bounded messages are answered with an error frame instead.
    """

    max_models: int = 8
    max_hidden_layers: int = 8
    max_residual_blocks: int = 64  # ReZero's 64-layer example; res<width>x<blocks> items
    max_width: int = 128
    max_samples: int = 4000
    max_features: int = 64
    max_iterations: int = 1_000_000
    max_updates_per_second: int = 6000
    frames_per_second: float = 20.0
    max_message_bytes: int = 4 * 1024 * 1024
    max_socket_bytes: int = 128 * 1024 * 1024
    max_csv_bytes: int = 2 * 1024 * 1024
    grid_cells: int = 48
    messages_per_second: float = 20.0
    message_burst: float = 60.0
    expensive_per_second: float = 2.0  # configure and report
    expensive_burst: float = 6.0

    def to_dict(self) -> dict[str, int | float]:
        return {
            "max_models": self.max_models,
            "max_hidden_layers": self.max_hidden_layers,
            "max_residual_blocks": self.max_residual_blocks,
            "max_width": self.max_width,
            "max_samples": self.max_samples,
            "max_features": self.max_features,
            "max_iterations": self.max_iterations,
            "max_updates_per_second": self.max_updates_per_second,
            "max_message_bytes": self.max_message_bytes,
            "max_csv_bytes": self.max_csv_bytes,
        }


DEFAULT_LIMITS = Limits()
