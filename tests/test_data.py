"""tinygrad_lr.utils.data (Dataset, TensorDataset, DataLoader, random_split) and the tutorial
data helpers in tinygrad_lr.datasets (synthetic_data, data_iter, train_test_split, load_csv)."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import numpy as np
import pytest

import tinygrad_lr as tg
from tinygrad_lr.datasets import data_iter, load_csv, synthetic_data, train_test_split
from tinygrad_lr.utils.data import (
    DataLoader,
    Dataset,
    Subset,
    TensorDataset,
    default_collate,
    random_split,
)

ADVERTISING = Path(__file__).parents[2] / "shared/data/Advertising.csv"


def make_dataset(n: int = 23, features: int = 3) -> TensorDataset:
    """Row i of X is [i, i + 0.5, ...] and y[i] = i, so a batch shows which rows it holds."""
    X = tg.arange(n * features, dtype=tg.float32).reshape(n, features) / features
    return TensorDataset(X, tg.arange(n))


def batch_ids(loader: DataLoader) -> list[list[int]]:
    """The y values (row ids) of each batch; checks that X rows travel with their y."""
    ids = []
    for X_batch, y_batch in loader:
        rows = y_batch.tolist()
        np.testing.assert_array_equal(X_batch.numpy()[:, 0], np.array(rows, dtype=np.float32))
        ids.append(rows)
    return ids


# ---------------------------------------------------------------------------- Dataset classes
def test_dataset_base_class_asks_subclasses_for_getitem_and_len():
    with pytest.raises(NotImplementedError, match="__getitem__"):
        Dataset()[0]
    with pytest.raises(NotImplementedError, match="__len__"):
        len(Dataset())


def test_tensor_dataset_gives_rows_of_every_tensor():
    ds = make_dataset(5)
    X, y = ds[3]
    assert y.item() == 3 and X.tolist() == pytest.approx([3.0, 3 + 1 / 3, 3 + 2 / 3])
    assert len(ds) == 5
    assert ds.tensors[0] is not None and len(ds.tensors) == 2


def test_tensor_dataset_size_mismatch_names_the_sizes():
    with pytest.raises(ValueError, match=r"\[4, 3\].*\(4, 2\), \(3,\)"):
        TensorDataset(tg.zeros(4, 2), tg.zeros(3))
    with pytest.raises(TypeError, match="from_numpy"):
        TensorDataset(np.zeros((4, 2)))
    with pytest.raises(ValueError, match="at least one"):
        TensorDataset()


def test_subset_maps_indices():
    part = Subset(make_dataset(10), [7, 2, 5])
    assert len(part) == 3
    assert part[1][1].item() == 2
    assert part[[0, 2]][1].tolist() == [7, 5]


# ---------------------------------------------------------------------------- DataLoader
@pytest.mark.parametrize("shuffle", [False, True])
@pytest.mark.parametrize("batch_size", [1, 4, 5, 23, 50])
def test_an_epoch_covers_every_sample_exactly_once(shuffle, batch_size):
    loader = DataLoader(make_dataset(23), batch_size=batch_size, shuffle=shuffle)
    ids = batch_ids(loader)
    assert sorted(i for batch in ids for i in batch) == list(range(23))
    assert [len(b) for b in ids[:-1]] == [batch_size] * (len(ids) - 1)
    assert len(ids) == len(loader) == -(-23 // batch_size)
    if not shuffle:
        assert [i for batch in ids for i in batch] == list(range(23))


@pytest.mark.parametrize("shuffle", [False, True])
def test_drop_last_leaves_out_the_short_batch(shuffle):
    loader = DataLoader(make_dataset(23), batch_size=5, shuffle=shuffle, drop_last=True)
    ids = batch_ids(loader)
    assert len(loader) == len(ids) == 4
    assert all(len(batch) == 5 for batch in ids)
    assert len({i for batch in ids for i in batch}) == 20
    assert len(DataLoader(make_dataset(20), batch_size=5, drop_last=True)) == 4
    assert len(DataLoader(make_dataset(3), batch_size=5, drop_last=True)) == 0


def test_shuffle_draws_a_new_order_each_epoch():
    loader = DataLoader(make_dataset(50), batch_size=7, shuffle=True)
    first, second = batch_ids(loader), batch_ids(loader)
    assert first != second
    assert sorted(sum(first, [])) == sorted(sum(second, [])) == list(range(50))


def test_shuffle_repeats_under_manual_seed():
    loader = DataLoader(make_dataset(50), batch_size=7, shuffle=True)
    tg.manual_seed(3)
    epochs_a = [batch_ids(loader) for _ in range(2)]
    tg.manual_seed(3)
    epochs_b = [batch_ids(loader) for _ in range(2)]
    assert epochs_a == epochs_b


def test_shuffle_repeats_with_a_generator_independent_of_the_default_one():
    ds = make_dataset(50)
    a = DataLoader(ds, batch_size=7, shuffle=True, generator=tg.Generator().manual_seed(1))
    b = DataLoader(ds, batch_size=7, shuffle=True, generator=tg.Generator().manual_seed(1))
    first_a = batch_ids(a)
    tg.randn(100)  # using the default generator in between changes nothing
    assert batch_ids(b) == first_a
    assert batch_ids(a) == batch_ids(b) != first_a


def count_getitem(monkeypatch) -> list:
    """Record the key of every Tensor.__getitem__ call."""
    keys = []
    original = tg.Tensor.__getitem__

    def counting(self, key):
        keys.append(key)
        return original(self, key)

    monkeypatch.setattr(tg.Tensor, "__getitem__", counting)
    return keys


@pytest.mark.parametrize("shuffle", [False, True])
def test_a_batch_is_one_index_per_tensor(monkeypatch, shuffle):
    ds = make_dataset(23)
    keys = count_getitem(monkeypatch)
    loader = DataLoader(ds, batch_size=5, shuffle=shuffle)
    batches = list(loader)
    if shuffle:
        assert len(keys) == 2 * len(loader)  # one per tensor per batch, never one per sample
        assert all(isinstance(key, np.ndarray) for key in keys)
    else:  # consecutive rows: a read-only view of the dataset, no indexing and no copy
        assert keys == []
        for X_batch, _ in batches:
            assert np.shares_memory(X_batch.numpy(), ds.tensors[0].numpy())
            assert not X_batch.numpy().flags.writeable


def test_a_subset_batch_is_one_index_per_tensor(monkeypatch):
    train, test = random_split(make_dataset(40), [30, 10])
    nested = Subset(train, list(range(0, 30, 2)))
    keys = count_getitem(monkeypatch)
    for part, expected_ids in ((test, test.indices), (nested, nested.indices)):
        keys.clear()
        loader = DataLoader(part, batch_size=4)
        ids = batch_ids(loader)
        assert len(keys) == 2 * len(loader)
        if part is nested:
            expected_ids = [train.indices[i] for i in nested.indices]
        assert sum(ids, []) == list(expected_ids)


def test_a_batch_is_a_copy_that_changes_in_place_without_changing_the_dataset(torch):
    for shuffle in (False, True):
        ds = make_dataset(10)
        X_batch, _ = next(iter(DataLoader(ds, batch_size=4, shuffle=shuffle)))
        X_batch -= X_batch.mean(0)  # normalising a batch in place, as torch allows
        X_batch[0] = 5.0
        assert not np.shares_memory(X_batch.numpy(), ds.tensors[0].numpy())
        assert ds.tensors[0][0, 0].item() == 0 and ds.tensors[0][1, 0].item() == 1.0
        assert X_batch[0, 0].item() == 5.0
    theirs = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.zeros(4, 2)), 2)
    (batch,) = next(iter(theirs))
    batch += 1  # torch: the same
    assert theirs.dataset.tensors[0].sum().item() == 0


def test_a_memory_mapped_dataset_streams(tmp_path):
    rows, columns = 100_000, 32
    path = tmp_path / "features.npy"
    np.save(path, np.arange(rows * columns, dtype=np.float32).reshape(rows, columns))
    file_size = path.stat().st_size  # 12.8 MB
    X = tg.from_numpy(np.load(path, mmap_mode="r"))
    dataset = TensorDataset(X, tg.arange(rows))
    tracemalloc.start()
    try:
        for shuffle in (False, True):
            seen = 0
            for X_batch, y_batch in DataLoader(dataset, batch_size=256, shuffle=shuffle):
                assert X_batch.numpy()[0, 0] == y_batch[0].item() * columns
                seen += len(y_batch)
            assert seen == rows
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # Only batches (and the 0.8 MB permutation) were allocated, never a copy of the file.
    assert peak < file_size / 5, f"peak {peak / 1e6:.1f} MB for a {file_size / 1e6:.1f} MB file"


class Squares(Dataset):
    def __init__(self, n):
        self.n = n
        self.calls = 0

    def __len__(self):
        return self.n

    def __getitem__(self, index):
        self.calls += 1
        return tg.tensor([float(index)]), index * index


def test_a_generic_dataset_is_read_sample_by_sample_and_collated():
    ds = Squares(7)
    batches = list(DataLoader(ds, batch_size=3))
    assert ds.calls == 7
    features, targets = batches[0]
    assert features.shape == (3, 1) and targets.tolist() == [0, 1, 4]
    assert targets.dtype is tg.int64
    custom = DataLoader(ds, batch_size=3, collate_fn=lambda samples: len(samples))
    assert list(custom) == [3, 3, 1]


def test_a_tensor_subclass_of_dataset_keeps_its_getitem():
    class Doubled(TensorDataset):
        def __getitem__(self, index):
            X, y = super().__getitem__(index)
            return X * 2, y

    X_batch, _ = next(iter(DataLoader(Doubled(tg.ones(4, 1), tg.zeros(4)), batch_size=4)))
    assert X_batch.tolist() == [[2.0]] * 4


def test_dataloader_over_a_tensor_batches_its_rows():
    assert [b.tolist() for b in DataLoader(tg.arange(5), batch_size=2)] == [[0, 1], [2, 3], [4]]


def test_dataloader_rejects_bad_arguments():
    with pytest.raises(ValueError, match="positive integer value, but got batch_size=0"):
        DataLoader(make_dataset(), batch_size=0)
    with pytest.raises(TypeError, match="batch_size"):
        DataLoader(make_dataset(), batch_size=2.5)
    with pytest.raises(TypeError, match="TensorDataset"):
        DataLoader(42)
    with pytest.raises(TypeError, match="Generator"):
        DataLoader(make_dataset(), generator=np.random.default_rng(0))


def test_dataloader_yields_what_torch_yields(torch):
    X = np.arange(30, dtype=np.float32).reshape(10, 3)
    y = np.arange(10, dtype=np.int64)
    ours = list(DataLoader(TensorDataset(tg.from_numpy(X), tg.from_numpy(y)), batch_size=4))
    theirs = list(
        torch.utils.data.DataLoader(
            torch.utils.data.TensorDataset(torch.from_numpy(X), torch.from_numpy(y)), batch_size=4
        )
    )
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert type(a) is type(b) is list
        for ta, tb in zip(a, b):
            np.testing.assert_array_equal(ta.numpy(), tb.numpy())
            assert ta.dtype.name == str(tb.dtype).removeprefix("torch.")


@pytest.mark.parametrize(
    "samples",
    [
        [1.0, 2.0],
        [1, 2, 3],
        [True, False],
        [(1, 2.5), (3, 4.5)],
        [[np.float32(1), np.zeros(2)], [np.float32(2), np.ones(2)]],
        [{"x": 1.0, "y": 2}, {"x": 3.0, "y": 4}],
    ],
)
def test_default_collate_matches_torch(torch, samples):
    def flatten(batch):
        if isinstance(batch, dict):
            return [v for key in sorted(batch) for v in flatten(batch[key])]
        if isinstance(batch, list):
            return [v for item in batch for v in flatten(item)]
        return [batch]

    ours = default_collate(samples)
    theirs = torch.utils.data.default_collate(samples)
    assert (
        isinstance(ours, tg.Tensor)
        if isinstance(theirs, torch.Tensor)
        else type(ours) is type(theirs)
    )
    for a, b in zip(flatten(ours), flatten(theirs), strict=True):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
        assert a.dtype.name == str(b.dtype).removeprefix("torch.")


def test_default_collate_refuses_ragged_and_unknown_samples():
    with pytest.raises(RuntimeError, match="equal size"):
        default_collate([(1, 2), (3,)])
    with pytest.raises(TypeError, match="found <class 'object'>"):
        default_collate([object()])


# ---------------------------------------------------------------------------- random_split
def test_random_split_partitions_the_dataset():
    ds = make_dataset(20)
    parts = random_split(ds, [12, 5, 3], generator=tg.Generator().manual_seed(0))
    assert [len(p) for p in parts] == [12, 5, 3]
    assert all(isinstance(p, Subset) and p.dataset is ds for p in parts)
    assert sorted(sum((list(p.indices) for p in parts), [])) == list(range(20))
    again = random_split(ds, [12, 5, 3], generator=tg.Generator().manual_seed(0))
    assert [p.indices for p in parts] == [p.indices for p in again]


@pytest.mark.parametrize(
    ("n", "fractions"),
    [(10, [0.8, 0.2]), (11, [0.5, 0.5]), (3, [0.1, 0.9]), (100, [0.7, 0.2, 0.1]), (7, [1 / 3] * 3)],
)
def test_random_split_fractions_give_torch_lengths(torch, n, fractions):
    ours = [len(p) for p in random_split(range(n), fractions)]
    theirs = [len(p) for p in torch.utils.data.random_split(range(n), fractions)]
    assert ours == theirs


def test_random_split_errors_and_warnings():
    with pytest.raises(ValueError, match=r"sum to 6, but the dataset has 10"):
        random_split(range(10), [3, 3])
    with pytest.raises(ValueError, match="summing to 1"):
        random_split(range(10), [0.5, 0.4])
    with pytest.warns(UserWarning, match="index 1 is 0"):
        random_split(range(2), [1.0, 0.0])


# ---------------------------------------------------------------------------- tutorial helpers
def test_synthetic_data_follows_the_model():
    tg.manual_seed(0)
    true_w = tg.tensor([2.0, -3.4])
    X, y = synthetic_data(true_w, 4.2, 20_000)
    assert X.shape == (20_000, 2) and y.shape == (20_000, 1)
    assert X.dtype is y.dtype is tg.float32
    noise = y.numpy()[:, 0] - X.numpy() @ np.array([2.0, -3.4]) - 4.2
    assert 0.0095 < noise.std() < 0.0105 and abs(noise.mean()) < 5e-4
    assert 0.97 < X.numpy().std() < 1.03
    tg.manual_seed(0)
    X_again, _ = synthetic_data([2.0, -3.4], 4.2, 20_000)
    np.testing.assert_array_equal(X.numpy(), X_again.numpy())


def test_data_iter_covers_each_example_once_in_random_order():
    X = np.arange(20.0).reshape(10, 2)
    y = np.arange(10)
    batches = list(data_iter(3, X, y))
    assert [len(b[1]) for b in batches] == [3, 3, 3, 1]
    order = np.concatenate([b[1] for b in batches])
    assert sorted(order) == list(range(10))
    for X_batch, y_batch in batches:
        np.testing.assert_array_equal(X_batch[:, 0], 2 * y_batch)
    tg.manual_seed(5)
    first = [b[1].tolist() for b in data_iter(3, tg.from_numpy(X), tg.from_numpy(y))]
    tg.manual_seed(5)
    assert first == [b[1].tolist() for b in data_iter(3, X, y)]
    with pytest.raises(ValueError, match="10 rows but labels have 9"):
        next(data_iter(3, X, y[:9]))
    with pytest.raises(ValueError, match="batch_size must be a positive int, got 0"):
        next(data_iter(0, X, y))


def test_train_test_split_sizes_and_pairing():
    X = tg.arange(40.0).reshape(20, 2)
    y = np.arange(20)
    names = [f"row{i}" for i in range(20)]
    X_train, X_test, y_train, y_test, n_train, n_test = train_test_split(
        X, y, names, test_size=0.22
    )
    assert isinstance(X_train, tg.Tensor) and isinstance(y_train, np.ndarray)
    assert len(X_test) == len(y_test) == len(n_test) == 5  # ceil(0.22 * 20), as scikit-learn
    assert len(X_train) == 15
    assert sorted([*y_train, *y_test]) == list(range(20))
    np.testing.assert_array_equal(X_test.numpy()[:, 0], 2 * y_test)
    assert n_test == [f"row{i}" for i in y_test]
    assert [len(part) for part in train_test_split(y, test_size=3)] == [17, 3]
    assert [len(part) for part in train_test_split(y)] == [15, 5]  # test_size=0.25


def test_train_test_split_int_seed_gives_scikit_learns_split():
    # scikit-learn draws RandomState(seed).permutation(n) and takes the test rows first.
    y = np.arange(50)
    y_train, y_test = train_test_split(y, test_size=0.2, random_state=42)
    permutation = np.random.RandomState(42).permutation(50)
    np.testing.assert_array_equal(y_test, permutation[:10])
    np.testing.assert_array_equal(y_train, permutation[10:])


def test_train_test_split_reproducibility_and_no_shuffle():
    y = np.arange(30)
    tg.manual_seed(1)
    a = train_test_split(y)
    tg.manual_seed(1)
    b = train_test_split(y)
    c = train_test_split(y, random_state=tg.Generator().manual_seed(1))
    np.testing.assert_array_equal(a[1], b[1])
    np.testing.assert_array_equal(a[1], c[1])
    train, test = train_test_split(y, test_size=0.2, shuffle=False)
    assert train.tolist() == list(range(24)) and test.tolist() == list(range(24, 30))


def test_train_test_split_errors():
    with pytest.raises(ValueError, match=r"inconsistent numbers of samples: \[10, 9\]"):
        train_test_split(np.zeros(10), np.zeros(9))
    with pytest.raises(ValueError, match="test_size=1.5"):
        train_test_split(np.zeros(10), test_size=1.5)
    with pytest.raises(ValueError, match="test_size=10"):
        train_test_split(np.zeros(10), test_size=10)
    with pytest.raises(TypeError, match="random_state"):
        train_test_split(np.zeros(10), random_state="seed")
    with pytest.raises(ValueError, match="At least one array"):
        train_test_split()


# ---------------------------------------------------------------------------- load_csv
ADS_SAMPLE = """\
,TV,radio,newspaper,sales
1,230.1,37.8,69.2,22.1
2,44.5,39.3,45.1,10.4
3,17.2,45.9,69.3,9.3

4,151.5,41.3,58.5,18.5
"""


def write(tmp_path: Path, text: str, name: str = "Advertising.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_load_csv_drops_the_index_column_and_skips_blank_lines(tmp_path):
    X, y, names = load_csv(write(tmp_path, ADS_SAMPLE), "sales")
    assert names == ["TV", "radio", "newspaper"]
    assert X.dtype is y.dtype is tg.float32
    assert X.shape == (4, 3) and y.shape == (4, 1)
    np.testing.assert_allclose(X.numpy()[3], [151.5, 41.3, 58.5])
    np.testing.assert_allclose(y.numpy()[:, 0], [22.1, 10.4, 9.3, 18.5])


def test_load_csv_feature_selection_dtype_and_crlf(tmp_path):
    path = write(tmp_path, "TV,sales\r\n1.5,2\r\n3,4\r\n")
    table = load_csv(path, "sales", dtype=tg.float64)
    assert table.feature_names == ["TV"] and table.features.dtype is tg.float64
    X, y, names = load_csv(write(tmp_path, ADS_SAMPLE), "sales", features=["radio", "TV"])
    assert names == ["radio", "TV"] and X.numpy()[0].tolist() == pytest.approx([37.8, 230.1])


def test_load_csv_missing_file_names_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="nowhere.csv"):
        load_csv(tmp_path / "nowhere.csv", "sales")


def test_load_csv_missing_target_lists_the_columns(tmp_path):
    path = write(tmp_path, ADS_SAMPLE)
    with pytest.raises(ValueError, match="Advertising.csv has no column 'Sales'") as error:
        load_csv(path, "Sales")
    assert "TV, radio, newspaper, sales" in str(error.value)
    assert "did you mean 'sales'" in str(error.value)
    with pytest.raises(ValueError, match="no column 'TV2'"):
        load_csv(path, "sales", features=["TV2"])


@pytest.mark.parametrize("text", ["", "\n\n  \n"])
def test_load_csv_empty_file(tmp_path, text):
    with pytest.raises(ValueError, match="Advertising.csv is empty"):
        load_csv(write(tmp_path, text), "sales")


def test_load_csv_header_without_rows(tmp_path):
    with pytest.raises(ValueError, match="Advertising.csv has a header but no data rows"):
        load_csv(write(tmp_path, ",TV,sales\n"), "sales")


def test_load_csv_non_numeric_cell_names_line_and_column(tmp_path):
    text = ADS_SAMPLE.replace("151.5", "abc")  # on line 6 (the blank line 5 counts)
    with pytest.raises(
        ValueError, match=r"Advertising.csv, line 6, column 'TV': could not convert 'abc'"
    ):
        load_csv(write(tmp_path, text), "sales")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("4,151.5,,58.5,18.5", "line 6, column 'radio': empty cell"),
        ("4,151.5,nan,58.5,18.5", "line 6, column 'radio': 'nan' is not a finite number"),
        ("4,151.5,41.3,58.5", "line 6: 4 fields, but the header has 5 columns"),
        ("4,151.5,41.3,58.5,18.5,1", "line 6: 6 fields"),
    ],
)
def test_load_csv_bad_rows(tmp_path, line, message):
    text = ADS_SAMPLE.replace("4,151.5,41.3,58.5,18.5", line)
    with pytest.raises(ValueError, match=message):
        load_csv(write(tmp_path, text), "sales")


def test_load_csv_bad_header(tmp_path):
    with pytest.raises(ValueError, match="line 1: column 3 has no name"):
        load_csv(write(tmp_path, "TV,radio,,sales\n1,2,3,4\n"), "sales")
    with pytest.raises(ValueError, match="line 1: column 'TV' appears twice"):
        load_csv(write(tmp_path, "TV,TV,sales\n1,2,3\n"), "sales")


def test_load_csv_wrong_encoding_names_file_and_line(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("TV,sales\n1,2\ncaf\u00e9,3\n".encode("latin-1"))
    with pytest.raises(ValueError, match=r"latin1.csv, line 3: not UTF-8 text"):
        load_csv(path, "sales")


def test_load_csv_reads_a_byte_order_mark(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes("TV,sales\n1,2\n".encode("utf-8-sig"))
    assert load_csv(path, "sales").feature_names == ["TV"]


@pytest.mark.skipif(not ADVERTISING.exists(), reason=f"{ADVERTISING} is not on this machine")
def test_load_csv_reads_the_advertising_table():
    X, y, names = load_csv(ADVERTISING, "sales")
    assert names == ["TV", "radio", "newspaper"]
    assert X.shape == (200, 3) and y.shape == (200, 1)
    np.testing.assert_allclose(X.numpy()[0], [230.1, 37.8, 69.2], rtol=1e-6)
    assert y.numpy()[0, 0] == pytest.approx(22.1)


TUTORIAL_BUILTINS = """
dataset = data.TensorDataset(features, labels)
data_iter = data.DataLoader(dataset, batch_size=10, shuffle=False)
net = nn.Sequential(nn.Linear(2, 1))
net[0].weight.data.copy_(torch.from_numpy(initial_weight))
net[0].bias.data.fill_(0)
loss = nn.MSELoss()
trainer = torch.optim.SGD(net.parameters(), lr=0.03)
for epoch in range(3):
    for X, y in data_iter:
        l = loss(net(X), y)
        trainer.zero_grad()
        l.backward()
        trainer.step()
    l = loss(net(features), labels)
    print(f"epoch {epoch + 1}, loss {l:f}")
    losses.append(l.item())
"""


def test_the_tutorial_builtins_program_with_a_dataloader_gives_torchs_losses(torch, capsys):
    """The tutorial's text, run twice with only the imports changed (batches in a fixed order:
    the two libraries' random generators differ, so shuffled orders would too)."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((1000, 2)).astype(np.float32)
    y = (X @ np.array([[3.0], [-1.2]]) + 2.0 + 0.01 * rng.standard_normal((1000, 1))).astype(
        np.float32
    )
    initial_weight = rng.normal(0, 0.01, (1, 2)).astype(np.float32)
    results = {}
    for imports in (
        "import torch\nfrom torch import nn\nfrom torch.utils import data",
        "import tinygrad_lr as torch\nfrom tinygrad_lr import nn\n"
        "from tinygrad_lr.utils import data",
    ):
        scope = {"initial_weight": initial_weight, "losses": []}
        exec(imports, scope)
        scope["features"], scope["labels"] = (
            scope["torch"].from_numpy(X),
            scope["torch"].from_numpy(y),
        )
        exec(TUTORIAL_BUILTINS, scope)
        results[scope["torch"].__name__] = (scope["losses"], capsys.readouterr().out)
    ours, theirs = results["tinygrad_lr"], results["torch"]
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-5)
    assert ours[1].count("epoch") == 3
    assert ours[0][-1] < 2e-4


@pytest.mark.parametrize("indices", [[1.7, 2.2], np.array([0.0, 1.0])])
def test_subset_indices_that_are_not_integers_raise_as_in_torch(torch, indices):
    ds = make_dataset(10)
    with pytest.raises(IndexError, match="integers"):
        list(DataLoader(Subset(ds, indices), batch_size=2))
    theirs = torch.utils.data.TensorDataset(torch.arange(10.0))
    with pytest.raises(IndexError):
        list(torch.utils.data.DataLoader(torch.utils.data.Subset(theirs, indices), batch_size=2))


def test_load_csv_refuses_a_number_too_large_for_the_dtype_instead_of_making_it_inf(tmp_path):
    path = write(tmp_path, "x,y\n1,1e39\n2,3\n")
    with pytest.raises(ValueError, match=r"1e\+39 in column 'y' \(data row 1\).*float64"):
        load_csv(path, "y")
    X, y, _ = load_csv(path, "y", dtype=tg.float64)
    assert y.numpy()[0, 0] == 1e39
    with pytest.raises(ValueError, match="too large for tinygrad_lr.float16"):
        load_csv(write(tmp_path, "x,y\n70000,1\n"), "y", dtype=tg.float16)
