"""The training engine: K models of one shape, forward/backward/step, full-batch descent."""

from initlab.engine.history import History
from initlab.engine.params import Params, stack, unstack
from initlab.engine.train import train

__all__ = ["History", "Params", "stack", "train", "unstack"]
