"""What ``initlab diagnose --torch FILE.py:FACTORY --data X.npy`` loads: a model from a factory
function in a Python file, and arrays from ``.npy`` files, each failure one clear InitlabError."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import numpy as np
from torch import nn

from initlab.errors import InitlabError


def _reason(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def load_model(spec: str) -> nn.Module:
    """Call ``FACTORY()`` defined in ``FILE.py`` (``spec`` = ``"FILE.py:FACTORY"``) and return
    the ``nn.Module`` it builds."""
    path_text, colon, name = spec.rpartition(":")
    if not colon or not path_text or not name.isidentifier():
        raise InitlabError(
            f"--torch must be FILE.py:FACTORY, a Python file and the function in it that returns "
            f"the model (e.g. model.py:make_model); got {spec!r}"
        )
    path = Path(path_text)
    if not path.is_file():
        raise InitlabError(f"--torch: model file {path} not found")
    module_name = f"_initlab_user_model_{abs(hash(os.fspath(path.resolve())))}"
    loader_spec = importlib.util.spec_from_file_location(module_name, path)
    if loader_spec is None or loader_spec.loader is None:
        raise InitlabError(f"--torch: {path} cannot be imported as Python (is it a .py file?)")
    code = importlib.util.module_from_spec(loader_spec)
    sys.modules[module_name] = code
    try:
        loader_spec.loader.exec_module(code)
    except Exception as error:  # the user's file: any failure is reported, not raised
        raise InitlabError(f"--torch: importing {path} failed: {_reason(error)}") from None
    factory = getattr(code, name, None)
    if not callable(factory):
        found = sorted(k for k, v in vars(code).items() if callable(v) and not k.startswith("_"))
        raise InitlabError(
            f"--torch: {path} has no function {name!r}; its callables: {', '.join(found) or 'none'}"
        )
    try:
        model = factory()
    except Exception as error:
        raise InitlabError(f"--torch: {name}() in {path} raised {_reason(error)}") from None
    if not isinstance(model, nn.Module):
        raise InitlabError(
            f"--torch: {name}() in {path} returned {type(model).__name__}, not a torch.nn.Module"
        )
    return model


def load_array(path: str | os.PathLike, label: str) -> np.ndarray:
    """The array saved in the ``.npy`` file ``path`` (no pickles); ``label`` names the option."""
    path = Path(path)
    if not path.is_file():
        raise InitlabError(f"{label} {path} not found")
    try:
        return np.load(path, allow_pickle=False)
    except (ValueError, OSError, EOFError) as error:
        raise InitlabError(
            f"{label} {path} is not a .npy array file (numpy.save writes one): {_reason(error)}"
        ) from None
