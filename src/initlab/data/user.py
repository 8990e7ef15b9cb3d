"""The user's own data: ``csv:PATH`` and ``npz:PATH``.

A CSV file holds numeric feature columns and one label column (by default the last; or named with
``label=species``, or numbered from 0 with ``label=2``). Its first row is a header when a cell other
than the label is not a number (``header=true/false`` to say so). Labels may be integers or names;
they become ``0 … K−1`` in sorted order, and the names are kept for tables and JSON. An ``.npz``
archive (``numpy.savez``) holds arrays ``X`` (n_samples, n_features) and ``y`` (n_samples,) — or
``X_train, y_train, X_test, y_test`` for a split of its own.

The split is stratified (:func:`~initlab.data.split.stratified_split`) with ``test_fraction`` and
``seed``: fixed for a given file and seed. Every problem in the file is one :class:`InitlabError`
naming the file and the line and column (or the array and index) where it is.
"""

from __future__ import annotations

import csv as csvlib
import math
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from initlab import checks
from initlab.data.dataset import Dataset
from initlab.data.registry import register
from initlab.data.split import stratified_split
from initlab.errors import InitlabError

# integer labels are compared as numbers; beyond 2**53 two labels can become the same float, so
# larger ones are refused rather than silently merged into one class
MAX_LABEL = 2**53

DELIMITERS = {"comma": ",", "semicolon": ";", "tab": "\t", "\\t": "\t", "space": " ", "pipe": "|"}


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _check_file(path: str) -> Path:
    file = Path(path).expanduser()
    if not file.exists():
        raise InitlabError(f"dataset file {path!r} not found")
    if not file.is_file():
        raise InitlabError(f"dataset file {path!r} is not a file")
    return file


def _check_split_params(path: str, test_fraction: float, seed: int) -> None:
    checks.check(f"test_fraction for {path!r}", test_fraction, checks.OPEN_FRACTION)
    checks.check(f"seed for {path!r}", seed, checks.SEED)


def _read_rows(path: str, file: Path, delimiter: str) -> list[tuple[int, list[str]]]:
    """``(line number, cells)`` of every non-blank row; lines starting with ``#`` are comments."""
    rows: list[tuple[int, list[str]]] = []
    try:
        with file.open(encoding="utf-8-sig", newline="") as handle:
            reader = csvlib.reader(handle, delimiter=delimiter, strict=True)
            start = 1
            for cells in reader:
                line = start
                start = reader.line_num + 1
                if not any(c.strip() for c in cells) or cells[0].lstrip().startswith("#"):
                    continue
                rows.append((line, [c.strip() for c in cells]))
    except UnicodeDecodeError as error:
        raise InitlabError(
            f"{path}: not a UTF-8 text file (byte {error.start}); save it as CSV in UTF-8"
        ) from None
    except csvlib.Error as error:
        raise InitlabError(f"{path} line {reader.line_num}: malformed CSV ({error})") from None
    except OSError as error:
        raise InitlabError(f"dataset file {path!r} cannot be read: {error.strerror}") from None
    if not rows:
        raise InitlabError(f"{path} has no data rows")
    return rows


def _label_column(path: str, label: int | str | None, names: list[str] | None, n_cols: int) -> int:
    if label is None:
        return n_cols - 1
    if isinstance(label, bool):
        raise InitlabError(f"label for {path} must be a column name or number; got {label!r}")
    if names is not None and str(label) in names:
        return names.index(str(label))
    if isinstance(label, int) and not isinstance(label, bool):
        if -n_cols <= label < n_cols:
            return label % n_cols
        raise InitlabError(
            f"label={label} for {path}: the file has {n_cols} columns, numbered 0 to {n_cols - 1}"
        )
    if names is None:
        raise InitlabError(
            f"label={label!r} names a column but {path} has no header row; give the label "
            f"column's number (0 to {n_cols - 1}) or add a header"
        )
    raise InitlabError(f"{path} has no column named {label!r}; its columns: {', '.join(names)}")


def encode_labels(
    raw: Sequence[str], where: Sequence[str], source: str
) -> tuple[np.ndarray, tuple[str, ...]]:
    """Labels as integers ``0 … K−1`` and the class names in that order.

    All-integer labels (``1``, ``2.0``) sort numerically; otherwise labels are names, sorted as
    text. A non-integer number among numeric labels is an error (a regression target is not a
    class). ``where[i]`` says where label i is, for the error.
    """
    numeric = [_is_number(v) for v in raw]
    if all(numeric):
        values = [float(v) for v in raw]
        for v, text, place in zip(values, raw, where, strict=True):
            if not math.isfinite(v) or v != int(v):
                raise InitlabError(
                    f"{source}, {place}: label {text!r} is not a whole number; labels must be "
                    "integers or class names (a continuous target cannot be classified)"
                )
            _check_label_size(text, source, place)
        keys = sorted(set(int(v) for v in values))
        index = {k: i for i, k in enumerate(keys)}
        return np.array([index[int(v)] for v in values], dtype=np.int64), tuple(map(str, keys))
    names = sorted(set(raw))
    by_name = {k: i for i, k in enumerate(names)}
    return np.array([by_name[v] for v in raw], dtype=np.int64), tuple(names)


def _check_label_size(text: str, source: str, place: str) -> None:
    """Refuse an integer label beyond ±2**53, where distinct integers become equal floats."""
    try:
        exact: float = int(text)  # exact for integer text, however long
    except ValueError:
        exact = float(text)
    if abs(exact) > MAX_LABEL:
        raise InitlabError(
            f"{source}, {place}: label {text!r} is beyond ±2^53 ({MAX_LABEL:,}); integer labels "
            "must lie within it (larger ones cannot all be told apart) — renumber the classes or "
            "give them names"
        )


def _check_classes(
    source: str, y: np.ndarray, class_names: tuple[str, ...], label_where: str, where: Sequence[str]
) -> None:
    if len(class_names) < 2:
        raise InitlabError(
            f"{source}: {label_where} holds a single class ({class_names[0]!r}); classification "
            "needs at least 2 classes"
        )
    counts = np.bincount(y, minlength=len(class_names))
    for c, count in enumerate(counts):
        if count < 2:
            place = where[int(np.flatnonzero(y == c)[0])]
            raise InitlabError(
                f"{source}: class {class_names[c]!r} has only 1 sample ({place}); every class "
                "needs at least 2 so that the training and the test split each get one — too few "
                "samples to split"
            )


def _split(
    spec: str,
    source: str,
    X: np.ndarray,
    y: np.ndarray,
    class_names: tuple[str, ...],
    feature_names: tuple[str, ...] | None,
    test_fraction: float,
    seed: int,
) -> Dataset:
    train, test = stratified_split(y, float(test_fraction), np.random.default_rng(seed), source)
    return Dataset(spec, X[train], y[train], X[test], y[test], class_names, feature_names)


def _column(names: list[str] | None, j: int) -> str:
    """How an error names column ``j``: by its header name, else by its number from 1."""
    return f"column {names[j]!r}" if names else f"column {j + 1}"


def _csv_cells(
    path: str,
    data: list[tuple[int, list[str]]],
    n_cols: int,
    label_col: int,
    names: list[str] | None,
    shape_from: str,
) -> tuple[np.ndarray, list[str], list[str]]:
    """The feature matrix, the raw labels and where each row is (``"line 7"``) of the data rows;
    every row must have ``n_cols`` fields, finite numbers as features and a label."""
    features = [j for j in range(n_cols) if j != label_col]
    X = np.empty((len(data), len(features)))
    raw_labels: list[str] = []
    where: list[str] = []
    for i, (line, cells) in enumerate(data):
        if len(cells) != n_cols:
            raise InitlabError(
                f"{path} line {line} has {len(cells)} fields; expected {n_cols} (as {shape_from})"
            )
        for k, j in enumerate(features):
            cell = cells[j]
            if not cell:
                raise InitlabError(f"{path} line {line}, {_column(names, j)}: empty cell")
            try:
                value = float(cell)
            except ValueError:
                raise InitlabError(
                    f"{path} line {line}, {_column(names, j)}: {cell!r} is not a number; feature "
                    "columns must be numeric"
                ) from None
            if not math.isfinite(value):
                raise InitlabError(
                    f"{path} line {line}, {_column(names, j)}: {cell!r} is not a finite number; "
                    "remove or fill rows with NaN or infinity"
                )
            X[i, k] = value
        if not cells[label_col]:
            raise InitlabError(
                f"{path} line {line}, {_column(names, label_col)} (the label): empty cell"
            )
        raw_labels.append(cells[label_col])
        where.append(f"line {line}")
    return X, raw_labels, where


@register("csv", "your CSV file: numeric feature columns and a label column", takes_path=True)
def csv(
    spec: str,
    /,
    path: str,
    label: int | str | None = None,
    header: bool | None = None,
    delimiter: str = ",",
    test_fraction: float = 0.25,
    seed: int = 0,
) -> Dataset:
    """Load a CSV file: ``csv:PATH[,label=NAME_OR_NUMBER][,header=true][,delimiter=tab]``
    ``[,test_fraction=0.25][,seed=0]`` (see the module docstring)."""
    path = str(path)
    _check_split_params(path, test_fraction, seed)
    if header is not None:
        checks.check(f"header for {path!r}", header, checks.Boolean())
    delimiter = DELIMITERS.get(str(delimiter), str(delimiter))
    if len(delimiter) != 1:
        raise InitlabError(
            f"delimiter for {path!r} must be one character or one of "
            f"{', '.join(DELIMITERS)}; got {delimiter!r}"
        )
    rows = _read_rows(path, _check_file(path), delimiter)
    first_line, first = rows[0]
    n_cols = len(first)
    if n_cols < 2:
        raise InitlabError(
            f"{path} line {first_line} has {n_cols} column; need at least one feature column and "
            f"a label column (is the delimiter {delimiter!r} right?)"
        )
    if header is None:
        if isinstance(label, str) and not _is_number(label):
            header = True
        else:
            skip = _label_column(path, label, None, n_cols) if label is not None else n_cols - 1
            header = any(not _is_number(c) for j, c in enumerate(first) if j != skip)
    names = [c or f"column {j + 1}" for j, c in enumerate(first)] if header else None
    label_col = _label_column(path, label, names, n_cols)
    data = rows[1:] if header else rows
    shape_from = "the header" if header else f"line {first_line}"
    X, raw_labels, where = _csv_cells(path, data, n_cols, label_col, names, shape_from)
    if not data:
        raise InitlabError(f"{path} has a header but no data rows")
    label_where = f"the label {_column(names, label_col)}"
    label_places = [f"{w}, {_column(names, label_col)}" for w in where]
    y, class_names = encode_labels(raw_labels, label_places, path)
    _check_classes(path, y, class_names, label_where, where)
    feature_names = tuple(n for j, n in enumerate(names) if j != label_col) if names else None
    return _split(spec, path, X, y, class_names, feature_names, test_fraction, seed)


def _npz_claimed_bytes(file: Path) -> int:
    """The bytes the arrays of an ``.npz`` say they hold, read from each ``.npy`` header (shape
    and dtype, numpy's format spec NEP 1) before any array is loaded: a header may claim far more
    than the file (a compressed or forged one)."""
    total = 0
    with zipfile.ZipFile(file) as archive:
        for name in archive.namelist():
            if not name.endswith(".npy"):
                continue
            with archive.open(name) as member:
                version = np.lib.format.read_magic(member)
                if version == (1, 0):
                    shape, _, dtype = np.lib.format.read_array_header_1_0(member)
                else:
                    shape, _, dtype = np.lib.format.read_array_header_2_0(member)
            total += math.prod(shape) * dtype.itemsize
    return total


def _npz_arrays(path: str, file: Path) -> dict[str, np.ndarray]:
    if not zipfile.is_zipfile(file):
        raise InitlabError(f"{path} is not a readable .npz archive (numpy.savez): not a zip file")
    try:
        checks.check_budget(f"{path}", memory=_npz_claimed_bytes(file))
        with np.load(file, allow_pickle=False) as archive:
            return {key: archive[key] for key in archive.files}
    except (zipfile.BadZipFile, EOFError, OSError) as error:
        raise InitlabError(
            f"{path} is not a readable .npz archive (numpy.savez): {error}"
        ) from None
    except ValueError as error:  # object arrays need pickle, which is never loaded
        raise InitlabError(f"{path}: {error}; save numeric X and integer or text y") from None


def _npz_features(path: str, key: str, X: np.ndarray) -> np.ndarray:
    if X.ndim == 1:
        X = X.reshape(-1, 1)
    if X.ndim != 2:
        raise InitlabError(
            f"{path}: array {key} has shape {X.shape}; expected (n_samples, n_features)"
        )
    if X.dtype.kind not in "biuf":
        raise InitlabError(f"{path}: array {key} holds {X.dtype} values; features must be numbers")
    if X.shape[0] == 0 or X.shape[1] == 0:
        what = "no rows" if X.shape[0] == 0 else "no feature columns"
        raise InitlabError(
            f"{path}: array {key} has shape {X.shape}, {what}; expected (n_samples, n_features) "
            "with at least 1 feature and at least 2 samples of each class"
        )
    X = X.astype(float)
    bad = np.argwhere(~np.isfinite(X))
    if bad.size:
        i, j = bad[0]
        raise InitlabError(
            f"{path}: {key}[{i}, {j}] is {X[i, j]}, not a finite number; every feature must be "
            "finite"
        )
    return X


def _npz_labels(path: str, key: str, y: np.ndarray, n: int, x_key: str) -> list[str]:
    if y.ndim == 2 and 1 in y.shape:
        y = y.ravel()
    if y.ndim != 1 or y.shape[0] != n:
        raise InitlabError(
            f"{path}: array {key} has shape {y.shape}; expected ({n},), one label per row of "
            f"{x_key}"
        )
    if y.dtype.kind not in "biufUS":
        raise InitlabError(
            f"{path}: array {key} holds {y.dtype} values; labels must be integers or text"
        )
    if y.dtype.kind == "S":
        y = y.astype(str)
    if y.dtype.kind == "f":
        bad = np.flatnonzero(~np.isfinite(y))
        if bad.size:
            raise InitlabError(f"{path}: {key}[{bad[0]}] is {y[bad[0]]}; labels must be finite")
        return [repr(float(v)) for v in y]
    return [str(int(v)) if y.dtype.kind in "biu" else str(v) for v in y]


@register("npz", "your .npz archive with arrays X and y (numpy.savez)", takes_path=True)
def npz(spec: str, /, path: str, test_fraction: float = 0.25, seed: int = 0) -> Dataset:
    """Load ``X`` and ``y`` from an ``.npz`` archive, split with ``test_fraction`` and ``seed``; or
    ``X_train, y_train, X_test, y_test`` as they are (``test_fraction`` and ``seed`` unused)."""
    path = str(path)
    _check_split_params(path, test_fraction, seed)
    arrays = _npz_arrays(path, _check_file(path))
    fixed = ("X_train", "y_train", "X_test", "y_test")
    if all(k in arrays for k in fixed):
        parts = [("X_train", "y_train"), ("X_test", "y_test")]
    elif "X" in arrays and "y" in arrays:
        parts = [("X", "y")]
    else:
        raise InitlabError(
            f"{path} holds arrays {', '.join(sorted(arrays)) or 'none'}; expected X and y (or "
            "X_train, y_train, X_test, y_test)"
        )
    Xs, raws, where = [], [], []
    for x_key, y_key in parts:
        X = _npz_features(path, x_key, arrays[x_key])
        Xs.append(X)
        raws += _npz_labels(path, y_key, arrays[y_key], X.shape[0], x_key)
        where += [f"{y_key}[{i}]" for i in range(X.shape[0])]
    if len({X.shape[1] for X in Xs}) > 1:
        raise InitlabError(
            f"{path}: X_train has {Xs[0].shape[1]} features but X_test has {Xs[1].shape[1]}"
        )
    y, class_names = encode_labels(raws, where, path)
    if len(parts) == 1:
        _check_classes(path, y, class_names, "y", where)
        return _split(spec, path, Xs[0], y, class_names, None, test_fraction, seed)
    if len(class_names) < 2:
        raise InitlabError(
            f"{path}: y_train and y_test hold a single class ({class_names[0]!r}); "
            "classification needs at least 2 classes"
        )
    n_train = Xs[0].shape[0]
    for key, X in zip(("X_train", "X_test"), Xs, strict=True):
        if X.shape[0] < 2:
            raise InitlabError(f"{path}: {key} has {X.shape[0]} rows; each split needs at least 2")
    return Dataset(spec, Xs[0], y[:n_train], Xs[1], y[n_train:], class_names, None)
