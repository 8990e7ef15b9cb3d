"""Writing output files all at once, so an error never leaves half a folder behind."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path


def write_all(out_dir: str | os.PathLike, files: Mapping[str, bytes | str]) -> list[Path]:
    """Write ``files`` (name → content) into ``out_dir``.

    Everything is first written to a temporary folder beside ``out_dir``; only when all files are
    complete are they moved in, each by an atomic rename. Returns the written paths.
    """
    out = Path(out_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        for name, content in files.items():
            path = staging / name
            if isinstance(content, str):
                path.write_text(content, encoding="utf-8")
            else:
                path.write_bytes(content)
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for name in files:
            os.replace(staging / name, out / name)
            written.append(out / name)
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def write_file(path: str | os.PathLike, content: bytes | str) -> Path:
    """Write one file atomically (temporary file beside it, then rename)."""
    path = Path(path)
    return write_all(path.parent, {path.name: content})[0]
