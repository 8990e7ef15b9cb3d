"""Writing a command's outputs as one transaction: all of them or none, nothing stale.

The destinations are checked first (:func:`check_folder`, :func:`check_file`), so a command can
refuse a bad ``--out`` or ``--json`` before any work. Writing then stages everything and only
then replaces:

- a folder's files are staged in a hidden folder *inside* the output folder (created if missing),
  so only the chosen folder needs to be writable and every move is a rename on one file system;
- a single file (``--json``, ``export``) is staged as a hidden temporary file *next to it*;
- the folder's previous outputs are moved aside, the new files moved in, the single files
  replaced last; on any error the moves are undone, so the folder keeps the previous run, whole.

An output folder holds one run's files. A reused folder may hold only files initlab writes (its
documents, ``*.png`` figures and leftovers of an interrupted write); the previous run's files that
the new run does not write are removed (:func:`previous_outputs` names them, and the CLI says so).
A folder holding anything else is refused, never emptied.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from initlab.errors import InitlabError

#: the documents initlab's commands write into an output folder (figures are ``*.png``)
DOCUMENTS = frozenset(
    {"report.html", "report.md", "results.json", "theory.json", "race.json", "collapse.json"}
    | {"summary.csv", "pairs.csv", "summary.md"}
)
_HIDDEN = ".initlab-"  # prefix of the staging and backup folders inside an output folder

Content = bytes | str


def _is_ours(entry: Path) -> bool:
    """Whether ``entry`` is something an initlab command writes into an output folder."""
    if entry.name.startswith(_HIDDEN):
        return entry.is_dir() and not entry.is_symlink()
    ours = entry.name in DOCUMENTS or entry.name.endswith(".png")
    return ours and entry.is_file() and not entry.is_symlink()


def _creatable(path: Path, label: str) -> None:
    """``path`` does not exist: its nearest existing ancestor must be a writable folder."""
    ancestor = path.parent
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise InitlabError(f"{label} {path}: {ancestor} is a file, not a folder")
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise InitlabError(f"{label} {path}: cannot create it, {ancestor} is not writable")


def check_folder(path: str | os.PathLike, label: str = "--out") -> Path:
    """``path`` as an output folder: new, empty, or holding only initlab's outputs; writable."""
    out = Path(path)
    if not out.exists():
        _creatable(out, label)
        return out
    if not out.is_dir():
        raise InitlabError(f"{label} {out} is a file; give a folder (new, empty or initlab's)")
    if not os.access(out, os.W_OK | os.X_OK):
        raise InitlabError(f"{label} {out} is not writable; give a folder you can write to")
    foreign = sorted(entry.name for entry in out.iterdir() if not _is_ours(entry))
    if foreign:
        shown = ", ".join(foreign[:5]) + (", ..." if len(foreign) > 5 else "")
        raise InitlabError(
            f"{label} {out} holds files initlab did not write ({shown}); a reused output folder "
            "may hold only initlab's outputs (reports, results, *.png figures), which a new run "
            "replaces; give a new or empty folder"
        )
    return out


def check_file(
    path: str | os.PathLike, label: str = "--json", folder: str | os.PathLike | None = None
) -> Path:
    """``path`` as an output file: not a folder, in a folder that exists or can be created and is
    writable, and not inside ``folder`` (the output folder, which holds its own copy)."""
    file = Path(path)
    if file.is_dir():
        raise InitlabError(f"{label} {file} is a folder; give a file path")
    if folder is not None:
        inside = Path(os.path.abspath(file)).parent
        if (
            inside == Path(os.path.abspath(folder))
            or Path(os.path.abspath(folder)) in inside.parents
        ):
            raise InitlabError(
                f"{label} {file} is inside the output folder {folder}, which holds only the run's "
                "own files (and already a copy of these numbers); give a path outside it"
            )
    if file.exists():
        if not file.is_file():
            raise InitlabError(f"{label} {file} is not a regular file (a device or pipe)")
        if not os.access(file.parent, os.W_OK | os.X_OK):
            raise InitlabError(f"{label} {file}: its folder {file.parent} is not writable")
    else:
        _creatable(file, label)
    return file


def previous_outputs(out_dir: str | os.PathLike, names: Mapping[str, Content]) -> list[str]:
    """The files of a previous run in ``out_dir`` that writing ``names`` there removes."""
    out = Path(out_dir)
    if not out.is_dir():
        return []
    return sorted(
        e.name
        for e in out.iterdir()
        if _is_ours(e) and not e.name.startswith(_HIDDEN)
        if e.name not in names
    )


def _make_dirs(path: Path, created: list[Path]) -> None:
    """``mkdir -p path``, recording each folder created (to remove them if the write fails)."""
    missing = []
    while not path.exists():
        missing.append(path)
        path = path.parent
    for folder in reversed(missing):
        folder.mkdir()
        created.append(folder)


def _put(path: Path, content: Content) -> None:
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)


def write_all(
    out_dir: str | os.PathLike | None,
    files: Mapping[str, Content],
    also: Mapping[Path, Content] | None = None,
) -> list[Path]:
    """Write ``files`` (name → content) into the folder ``out_dir`` and each of ``also`` (path →
    content) to its path, as one transaction (see the module's docstring). Returns the written
    paths; raises :class:`InitlabError` naming the path and the reason, leaving nothing changed."""
    # through a symbolic link to its target (replacing the link itself would surprise)
    given = list(also or {})
    singles = {Path(os.path.realpath(p)): c for p, c in (also or {}).items()}
    out = None if out_dir is None else check_folder(out_dir)
    for single in singles:
        check_file(single, folder=out)
    created: list[Path] = []
    temps: list[Path] = []
    single_temps: list[Path] = []
    moved_old: list[tuple[Path, Path]] = []
    moved_new: list[Path] = []
    target: Path | None = out
    try:
        written = []
        if out is not None:
            _make_dirs(out, created)
            staging = Path(tempfile.mkdtemp(prefix=f"{_HIDDEN}staging-", dir=out))
            backup = Path(tempfile.mkdtemp(prefix=f"{_HIDDEN}previous-", dir=out))
            temps += [staging, backup]
            for name, content in files.items():
                _put(staging / name, content)
        for single, content in singles.items():
            target = single
            _make_dirs(single.parent, created)
            handle, temp = tempfile.mkstemp(
                prefix=f".{single.name}.", suffix=".tmp", dir=single.parent
            )
            os.close(handle)
            single_temps.append(Path(temp))
            _put(Path(temp), content)
        target = out
        if out is not None:
            for entry in sorted(out.iterdir()):
                if _is_ours(entry) and not entry.name.startswith(_HIDDEN):
                    os.replace(entry, backup / entry.name)
                    moved_old.append((backup / entry.name, entry))
            for name in files:
                os.replace(staging / name, out / name)
                moved_new.append(out / name)
                written.append(out / name)
        for single, staged, shown in zip(singles, single_temps, given, strict=True):
            target = single
            os.replace(staged, single)
            written.append(shown)
        created.clear()  # done: the folders made stay
        if out is not None:  # and leftovers of an interrupted write go
            temps += [e for e in out.iterdir() if e.name.startswith(_HIDDEN) and _is_ours(e)]
        return written
    except OSError as error:
        for new in moved_new:
            new.unlink(missing_ok=True)
        for saved, original in moved_old:
            os.replace(saved, original)
        raise InitlabError(f"cannot write {target}: {error.strerror or error}") from None
    finally:
        for leftover in temps + single_temps:
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                leftover.unlink(missing_ok=True)
        for folder in reversed(created):
            shutil.rmtree(folder, ignore_errors=True)


def write_file(path: str | os.PathLike, content: Content, label: str = "--json") -> Path:
    """Write one file atomically (a temporary file beside it, then a rename)."""
    check_file(path, label)
    return write_all(None, {}, {Path(path): content})[0]
