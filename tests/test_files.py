"""Reading and writing files: every bad file ends in an error that names it and says why.

The common cases (missing, empty, a non-numeric cell, a row of the wrong length, a truncated or
pickled checkpoint) are in tests/test_data.py and tests/test_serialization.py. This file adds the
files people pick by mistake (a UTF-16 or Latin-1 export, a spreadsheet, an image, a checkpoint
given to load_csv, a table given to load) and a save that is killed half-way.
"""

from __future__ import annotations

import codecs
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

import tinygrad_lr as tg
from tinygrad_lr.datasets import load_csv

TABLE = ",TV,radio,sales\n1,230.1,37.8,22.1\n2,44.5,39.3,10.4\n"


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


def npy_bytes() -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, np.ones(3))
    return buffer.getvalue()


# file content -> what the error must say (a regex), besides the file's name
FOREIGN_TABLES = {
    "utf16_bom.csv": (TABLE.encode("utf-16"), r"line 1: UTF-16 text.*save it as UTF-8"),
    "utf16_no_bom.csv": (TABLE.encode("utf-16-le"), r"line 1: .*NUL bytes.*UTF-16"),
    "latin1.csv": (
        TABLE.replace("radio", "r\u00e4dio").encode("latin-1"),
        r"line 1: not UTF-8 text \(byte 0xe4 at column 6.*Latin-1",
    ),
    "workbook.xlsx": (zip_bytes(), r"zip archive \(an \.xlsx workbook.*export.*CSV"),
    "array.npy": (npy_bytes(), r"NumPy \.npy file"),
    "picture.png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", r"PNG image"),
    "binary.bin": (b"\x00\x01\x02\x03abc", r"NUL bytes"),
}


@pytest.mark.parametrize("name", FOREIGN_TABLES)
def test_load_csv_names_a_file_that_is_not_a_utf8_table(tmp_path: Path, name: str) -> None:
    data, message = FOREIGN_TABLES[name]
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ValueError, match=message) as info:
        load_csv(path, target="sales")
    assert str(info.value).startswith(str(path)), info.value


def test_load_csv_of_a_checkpoint_says_what_it_is(tmp_path: Path) -> None:
    tg.save({"w": tg.ones(2)}, tmp_path / "model.pt")
    with pytest.raises(ValueError, match=r"model.pt.*zip archive.*tinygrad_lr.load"):
        load_csv(tmp_path / "model.pt", target="sales")


@pytest.mark.parametrize("separator", [";", "\t"])
def test_load_csv_with_another_separator_says_so(tmp_path: Path, separator: str) -> None:
    path = tmp_path / "european.csv"
    path.write_text(TABLE.replace(",", separator).replace(".", ","))
    with pytest.raises(ValueError, match="no column 'sales'.*separated by (semicolons|tabs)"):
        load_csv(path, target="sales")


def test_load_csv_of_a_directory_names_it(tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError, match=str(tmp_path)):
        load_csv(tmp_path, target="sales")


def test_load_of_a_csv_table_points_to_load_csv(tmp_path: Path) -> None:
    path = tmp_path / "table.csv"
    path.write_text(TABLE)
    with pytest.raises(RuntimeError, match=r"table.csv is not a tinygrad_lr checkpoint: .*text"):
        tg.load(path)
    with pytest.raises(RuntimeError, match="load_csv"):
        tg.load(path)


def test_load_of_a_utf16_bom_is_not_taken_for_text(tmp_path: Path) -> None:
    path = tmp_path / "table.csv"
    path.write_bytes(codecs.BOM_UTF16_LE + TABLE.encode("utf-16-le"))
    with pytest.raises(RuntimeError, match="table.csv is not a tinygrad_lr checkpoint"):
        tg.load(path)


def test_load_of_a_directory_names_it(tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError, match=rf"{tmp_path}.*is a directory, not a checkpoint"):
        tg.load(tmp_path)


CRASHING_SAVE = """
import os, sys
import numpy as np
import tinygrad_lr as tg

real_savez = np.savez

def savez_then_die(file, **arrays):
    real_savez(file, **arrays)
    file.flush()
    os._exit(9)  # killed half-way: no exception handler, no cleanup runs

np.savez = savez_then_die
tg.save({"version": 2, "w": tg.ones(1000)}, sys.argv[1])
"""


def test_a_save_killed_half_way_leaves_the_old_checkpoint(tmp_path: Path) -> None:
    path = tmp_path / "model.pt"
    tg.save({"version": 1, "w": tg.zeros(1000)}, path)
    before = path.read_bytes()
    root = Path(__file__).parents[1]
    env = {**os.environ, "PYTHONPATH": str(root)}
    result = subprocess.run(
        [sys.executable, "-c", CRASHING_SAVE, str(path)], env=env, capture_output=True, timeout=60
    )
    assert result.returncode == 9, result.stderr.decode()
    assert path.read_bytes() == before
    assert tg.load(path)["version"] == 1
    # What the crash left is a hidden temporary file beside it, never a half-written model.pt.
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "model.pt"]
    assert all(name.startswith(".model.pt.") and name.endswith(".tmp") for name in leftovers)
