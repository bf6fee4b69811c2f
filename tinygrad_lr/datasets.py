"""The linear-regression tutorials' data helpers: make data, read a table, split it.

- :func:`synthetic_data` draws y = Xw + b + noise with a known w and b (to check a fit against);
- :func:`data_iter` is the from-scratch tutorial's shuffled mini-batch iterator;
- :func:`load_csv` reads a numeric table with a header (such as ISLR's Advertising.csv);
- :func:`train_test_split` splits arrays or tensors into a training and a test part, as
  scikit-learn's function of that name does.

They are not part of torch, so they live in this submodule rather than at the top level:
``from tinygrad_lr.datasets import synthetic_data, load_csv``. The metrics are in
:mod:`tinygrad_lr.metrics`.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
import math
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from . import dtypes
from .creation import as_tensor, from_numpy
from .dtypes import DType
from .functions import matmul
from .random import Generator, normal, randperm
from .tensor import Tensor


def synthetic_data(
    w: Any, b: float, num_examples: int, *, noise: float = 0.01, generator: Generator | None = None
) -> tuple[Tensor, Tensor]:
    """Draw ``num_examples`` samples of y = Xw + b + ε with X ~ N(0, 1) and ε ~ N(0, noise²).

    Parameters
    ----------
    w : Tensor or sequence of float
        The true weights, one per feature.
    b : float
        The true bias.
    num_examples : int
        Number of rows.
    noise : float
        Standard deviation of ε (the tutorial's 0.01).
    generator : Generator, optional
        Source of the random numbers; the default generator (see ``manual_seed``) if None.

    Returns
    -------
    X : Tensor
        Shape (num_examples, len(w)), with w's floating dtype (float32 for Python floats).
    y : Tensor
        Shape (num_examples, 1).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr.datasets import synthetic_data
    >>> X, y = synthetic_data(tg.tensor([2.0, -3.4]), 4.2, 1000)
    >>> tuple(X.shape), tuple(y.shape)
    ((1000, 2), (1000, 1))
    """
    w = as_tensor(w)
    if w.ndim != 1:
        # X (n, d) @ w of any other shape would not give one target per row.
        raise ValueError(
            f"synthetic_data: w must be 1-D, one weight per feature, got shape {tuple(w.shape)}; "
            "flatten it with w.reshape(-1)"
        )
    if not w.is_floating_point():
        w = w.float()
    X = normal(0, 1, (num_examples, len(w)), generator=generator, dtype=w.dtype)
    y = matmul(X, w) + b
    y += normal(0, noise, y.shape, generator=generator, dtype=w.dtype)
    return X, y.reshape((-1, 1))


def data_iter(
    batch_size: int, features: Any, labels: Any, *, generator: Generator | None = None
) -> Iterator[tuple[Any, Any]]:
    """Yield ``(features, labels)`` mini-batches in a random order, each example once.

    The from-scratch tutorial's iterator: shuffle the indices, then take ``batch_size`` of
    them at a time (the last batch may be smaller). Each batch is one fancy-index of
    ``features`` and of ``labels``, tensors or NumPy arrays.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr.datasets import data_iter
    >>> X, y = tg.arange(10.0).reshape(5, 2), tg.arange(5.0)
    >>> [tuple(Xb.shape) for Xb, yb in data_iter(2, X, y)]
    [(2, 2), (2, 2), (1, 2)]
    """
    if (
        isinstance(batch_size, bool)
        or not isinstance(batch_size, (int, np.integer))
        or batch_size < 1
    ):
        raise ValueError(f"data_iter: batch_size must be a positive int, got {batch_size!r}")
    num_examples = len(features)
    if len(labels) != num_examples:
        raise ValueError(
            f"data_iter: features have {num_examples} rows but labels have {len(labels)}"
        )
    indices = randperm(num_examples, generator=generator).numpy()
    for i in range(0, num_examples, batch_size):
        batch_indices = indices[i : i + batch_size]
        yield features[batch_indices], labels[batch_indices]


def _permutation(n: int, random_state: Any) -> np.ndarray:
    """A random order of 0 .. n-1; for an int seed, the one scikit-learn draws."""
    if random_state is None or isinstance(random_state, Generator):
        return randperm(n, generator=random_state).numpy()
    if isinstance(random_state, (int, np.integer)) and not isinstance(random_state, bool):
        # scikit-learn seeds NumPy's legacy RandomState: the same seed gives the same split.
        return np.random.RandomState(int(random_state)).permutation(n)
    if isinstance(random_state, (np.random.RandomState, np.random.Generator)):
        return random_state.permutation(n)
    raise TypeError(
        "random_state must be None, an int seed, a tinygrad_lr.Generator or a NumPy random "
        f"generator, got {type(random_state).__name__}"
    )


def _take(array: Any, indices: np.ndarray) -> Any:
    if isinstance(array, (Tensor, np.ndarray)):
        return array[indices]
    if isinstance(array, list):
        return [array[i] for i in indices]
    raise TypeError(
        f"train_test_split accepts Tensors, NumPy arrays and lists, got {type(array).__name__}"
    )


def train_test_split(
    *arrays: Any, test_size: float = 0.25, random_state: Any = None, shuffle: bool = True
) -> list[Any]:
    """Split arrays into random train and test parts, with scikit-learn's semantics.

    A float ``test_size`` is a fraction: the test part has ``ceil(test_size * n)`` rows; an int
    is a count. The same rows are taken from every array.

    Parameters
    ----------
    *arrays : Tensor, numpy.ndarray or list
        All with the same length (first dimension).
    test_size : float or int
        Fraction in (0, 1) or number of test rows.
    random_state : None, int, Generator, numpy.random.RandomState or numpy.random.Generator
        None draws from tinygrad_lr's default generator (so ``manual_seed`` repeats the split);
        an int seed gives the very split scikit-learn gives for that seed.
    shuffle : bool
        False keeps the order: the first rows train, the last ones test.

    Returns
    -------
    list
        ``[a_train, a_test, b_train, b_test, ...]``, each of its input's type.

    Examples
    --------
    >>> import numpy as np
    >>> from tinygrad_lr.datasets import train_test_split
    >>> X, y = np.arange(20).reshape(10, 2), np.arange(10)
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
    >>> X_train.shape, X_test.shape, y_test
    ((8, 2), (2, 2), array([2, 8]))
    """
    if not arrays:
        raise ValueError("At least one array required as input")
    lengths = [len(array) for array in arrays]
    if len(set(lengths)) != 1:
        raise ValueError(f"Found input variables with inconsistent numbers of samples: {lengths}")
    n = lengths[0]
    if isinstance(test_size, (float, np.floating)):
        if not 0 < test_size < 1:
            raise ValueError(
                f"test_size={test_size} should be a float in the (0, 1) range or an int in "
                f"[1, {n - 1}]"
            )
        n_test = math.ceil(test_size * n)
    elif isinstance(test_size, (int, np.integer)) and not isinstance(test_size, bool):
        if not 0 < test_size < n:
            raise ValueError(
                f"test_size={test_size} should be either positive and smaller than the number "
                f"of samples {n} or a float in the (0, 1) range"
            )
        n_test = int(test_size)
    else:
        raise TypeError(f"test_size must be a float or an int, got {type(test_size).__name__}")
    n_train = n - n_test
    if n_train == 0:
        raise ValueError(
            f"With n_samples={n} and test_size={test_size}, the resulting train set will be "
            "empty; use a smaller test_size"
        )
    if shuffle:
        order = _permutation(n, random_state)
        test, train = order[:n_test], order[n_test:]
    else:
        train, test = np.arange(n_train), np.arange(n_train, n)
    return [part for array in arrays for part in (_take(array, train), _take(array, test))]


class CSVTable(NamedTuple):
    """What :func:`load_csv` returns; unpacks as ``X, y, names = load_csv(...)``.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr.datasets import CSVTable
    >>> X, y, names = CSVTable(tg.zeros(3, 2), tg.zeros(3, 1), ["TV", "radio"])
    >>> names
    ['TV', 'radio']
    """

    features: Tensor
    """Shape (rows, features)."""
    targets: Tensor
    """Shape (rows, 1)."""
    feature_names: list[str]
    """The names of the columns of ``features``, in order."""


# The first bytes of the binary files most often passed to load_csv by mistake.
_BINARY_SIGNATURES = (
    (
        b"PK\x03\x04",
        "a zip archive (an .xlsx workbook, an .npz file or a tinygrad_lr checkpoint): export "
        "the sheet as CSV, or read a checkpoint with tinygrad_lr.load",
    ),
    (b"\x93NUMPY", "a NumPy .npy file: read it with numpy.load"),
    (b"\x89PNG", "a PNG image"),
    (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "a gzip-compressed file: decompress it first"),
)


def _read_text(path: Path) -> str:
    """The file's text, decoded as UTF-8 (a byte-order mark is allowed).

    Anything else is refused with what the file seems to be: a binary format, UTF-16 (what
    some spreadsheet programs write as "Unicode text"), or a single-byte encoding like Latin-1.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        where = "" if path.is_absolute() else f" (relative to {Path.cwd()})"
        raise FileNotFoundError(f"load_csv: no such file: {str(path)!r}{where}") from None
    except IsADirectoryError:
        raise IsADirectoryError(f"load_csv: {str(path)!r} is a directory, not a file") from None
    for signature, what in _BINARY_SIGNATURES:
        if raw.startswith(signature):
            raise ValueError(f"{path} is not a CSV table: it is {what}")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ValueError(
            f"{path}, line 1: UTF-16 text (the file starts with a UTF-16 byte-order mark); "
            "save it as UTF-8 (in a spreadsheet program: 'CSV UTF-8')"
        )
    if b"\x00" in raw:
        line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        raise ValueError(
            f"{path}, line {line}: the file contains NUL bytes, which text never has: it is "
            "UTF-16 text without a byte-order mark, or not a text file; save the table as UTF-8 "
            "CSV"
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - raw.rfind(b"\n", 0, error.start)  # counted in bytes, from 1
        raise ValueError(
            f"{path}, line {line}: not UTF-8 text (byte 0x{raw[error.start]:02x} at column "
            f"{column} cannot be decoded; the file may be Latin-1 or Windows-1252); save the "
            "table as UTF-8 CSV"
        ) from None


def _parse_number(cell: str, where: str) -> float:
    if not cell.strip():
        raise ValueError(f"{where}: empty cell (a missing value); fill it in or remove the row")
    try:
        value = float(cell)
    except ValueError:
        raise ValueError(f"{where}: could not convert {cell!r} to a number") from None
    if not math.isfinite(value):
        raise ValueError(f"{where}: {cell!r} is not a finite number")
    return value


def load_csv(
    path: str | Path,
    target: str,
    *,
    features: Sequence[str] | None = None,
    dtype: DType | None = None,
) -> CSVTable:
    """Read a numeric CSV table with a header line into feature and target tensors.

    A first column with an empty header cell is a row index (as in ISLR's Advertising.csv,
    written by R or pandas) and is dropped. Blank lines are skipped. Every other cell must be a
    finite number.

    Parameters
    ----------
    path : str or Path
        A UTF-8 CSV file whose first line holds the column names.
    target : str
        The column to predict.
    features : sequence of str, optional
        The columns to predict from; by default every column but the target (and the index).
    dtype : DType, optional
        Of the tensors; float32 by default.

    Returns
    -------
    CSVTable
        ``(features, targets, feature_names)``: tensors of shape (rows, features) and (rows, 1),
        and the features' column names.

    Raises
    ------
    FileNotFoundError
        When there is no such file.
    ValueError
        When the file is empty, not UTF-8, lacks a column, or has a row of the wrong length or
        a cell that is not a number; the message names the file, and the line and column.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from tinygrad_lr.datasets import load_csv
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "ads.csv"
    >>> _ = path.write_text(',TV,radio,sales\\n1,230.1,37.8,22.1\\n2,44.5,39.3,10.4\\n')
    >>> X, y, names = load_csv(path, target="sales")
    >>> names, tuple(X.shape), tuple(y.shape)
    (['TV', 'radio'], (2, 2), (2, 1))
    """
    path = Path(path)
    dtype = dtypes.to_dtype(dtype) or dtypes.DEFAULT_FLOAT
    if not dtype.is_floating_point:
        raise TypeError(f"load_csv: dtype must be a floating-point type, got {dtype}")
    if not isinstance(target, str):
        raise TypeError(f"load_csv: target must be a column name, got {type(target).__name__}")
    if isinstance(features, str):  # a string is a sequence too: of one-letter names
        raise TypeError(
            f"load_csv: features must be a list of column names, e.g. [{features!r}], not a str"
        )
    text = _read_text(path)
    if not text.strip():
        raise ValueError(f"{path} is empty: expected a header line of column names, then rows")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
        while not header:  # blank lines before the header
            header = next(reader)
        names = [name.strip() for name in header]
        first = 1 if names[0] == "" else 0  # an unnamed first column is the row index
        columns = {}
        for position, name in enumerate(names[first:], start=first):
            if not name:
                raise ValueError(
                    f"{path}, line {reader.line_num}: column {position + 1} has no name"
                )
            if name in columns:
                raise ValueError(f"{path}, line {reader.line_num}: column {name!r} appears twice")
            columns[name] = position

        def position_of(name: str) -> int:
            if name not in columns:
                close = difflib.get_close_matches(name, list(columns), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                for separator, separators in ((";", "semicolons"), ("\t", "tabs")):
                    if len(columns) == 1 and separator in next(iter(columns)):
                        hint = (
                            f"; the header is a single column: is the file separated by "
                            f"{separators}? load_csv reads comma-separated values"
                        )
                raise ValueError(
                    f"{path} has no column {name!r}; available columns: {', '.join(columns)}{hint}"
                )
            return columns[name]

        position_of(target)  # a missing target is reported before anything else
        if features is None:
            features = [name for name in columns if name != target]
        feature_names = list(features)
        if target in feature_names:
            raise ValueError(f"load_csv: the target {target!r} is also listed as a feature")
        wanted = [(name, position_of(name)) for name in [*feature_names, target]]
        rows = []
        for row in reader:
            if not row:
                continue
            if len(row) != len(names):
                raise ValueError(
                    f"{path}, line {reader.line_num}: {len(row)} fields, but the header has "
                    f"{len(names)} columns"
                )
            rows.append(
                [
                    _parse_number(row[p], f"{path}, line {reader.line_num}, column {name!r}")
                    for name, p in wanted
                ]
            )
    except csv.Error as error:
        raise ValueError(
            f"{path}, line {reader.line_num}: not a readable CSV line ({error})"
        ) from None
    if not rows:
        raise ValueError(f"{path} has a header but no data rows")
    table = np.array(rows, dtype=np.float64)
    largest = np.finfo(dtype.numpy).max
    if np.abs(table).max() > largest:  # the cast would turn it into inf, as "inf" is refused
        row, column = np.unravel_index(np.abs(table).argmax(), table.shape)
        name = [*feature_names, target][column]
        raise ValueError(
            f"{path}: the value {table[row, column]:g} in column {name!r} (data row {row + 1}) "
            f"is too large for {dtype} (at most {largest:g}); pass dtype=tinygrad_lr.float64"
        )
    table = table.astype(dtype.numpy)
    return CSVTable(
        from_numpy(np.ascontiguousarray(table[:, :-1])),
        from_numpy(np.ascontiguousarray(table[:, -1:])),
        feature_names,
    )
