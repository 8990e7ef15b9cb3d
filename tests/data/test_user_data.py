"""The user's own files: csv:PATH and npz:PATH, and one clear error for each kind of bad file."""

import numpy as np
import pytest

from initlab import data
from initlab.data.registry import parse_dataset_spec
from initlab.errors import InitlabError

ROWS = [  # x1, x2, label: 12 rows, 2 classes
    (0.1, 0.2, "a"),
    (1.5, 2.0, "b"),
    (0.3, -0.1, "a"),
    (2.2, 1.9, "b"),
    (-0.2, 0.4, "a"),
    (1.8, 2.5, "b"),
    (0.0, 0.0, "a"),
    (2.0, 2.0, "b"),
    (0.5, 0.1, "a"),
    (1.7, 2.2, "b"),
    (0.2, 0.3, "a"),
    (2.4, 1.6, "b"),
]


def write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def csv_text(header="x1,x2,label", rows=ROWS):
    lines = [header] if header else []
    lines += [",".join(map(str, row)) for row in rows]
    return "\n".join(lines) + "\n"


def test_csv_with_a_header(tmp_path):
    path = write(tmp_path, csv_text())
    ds = data.load(f"csv:{path}")
    assert ds.feature_names == ("x1", "x2") and ds.class_names == ("a", "b")
    assert ds.X_train.shape == (8, 2) and ds.X_test.shape == (4, 2)  # ⌊¼·6 + ½⌋ = 2 per class
    everything = {tuple(x) for x in np.vstack([ds.X_train, ds.X_test])}
    assert everything == {(r[0], r[1]) for r in ROWS}
    for X, y in ((ds.X_train, ds.y_train), (ds.X_test, ds.y_test)):
        for x, label in zip(X, y, strict=True):
            row = next(r for r in ROWS if (r[0], r[1]) == tuple(x))
            assert ds.class_names[label] == row[2]
    assert ds.spec == f"csv:{path}"


def test_csv_without_a_header(tmp_path):
    path = write(tmp_path, csv_text(header=None))
    ds = data.load(f"csv:{path}")
    assert ds.feature_names is None and ds.class_names == ("a", "b")
    assert ds.X_train.shape[0] + ds.X_test.shape[0] == 12


def test_csv_with_the_label_column_named(tmp_path):
    text = "species,width,height\n" + "".join(f"{r[2]},{r[0]},{r[1]}\n" for r in ROWS)
    path = write(tmp_path, text)
    ds = data.load(f"csv:{path},label=species,test_fraction=0.5,seed=3")
    assert ds.feature_names == ("width", "height") and ds.class_names == ("a", "b")
    assert ds.X_train.shape == (6, 2) and ds.X_test.shape == (6, 2)
    assert ds.spec == f"csv:{path},label=species,test_fraction=0.5,seed=3"
    by_number = data.load(f"csv:{path},label=0,test_fraction=0.5,seed=3")
    assert np.array_equal(by_number.X_train, ds.X_train)


def test_integer_labels_sort_numerically_and_the_split_is_stratified(tmp_path):
    rows = [(i, i % 7, [10, 2, 33][i % 3]) for i in range(60)]
    path = write(tmp_path, csv_text("a,b,y", rows))
    ds = data.load(f"csv:{path}")
    assert ds.class_names == ("2", "10", "33") and ds.n_classes == 3
    assert np.bincount(ds.y_test).tolist() == [5, 5, 5]  # a quarter of each class
    again = data.load(f"csv:{path}")
    assert np.array_equal(again.X_test, ds.X_test)
    other = data.load(f"csv:{path},seed=1")
    assert not np.array_equal(other.X_test, ds.X_test)


def test_csv_options(tmp_path):
    text = "# a comment\n\n" + csv_text(header=None).replace(",", ";")
    path = write(tmp_path, text)
    ds = data.load(f"csv:{path},delimiter=semicolon,standardize=true")
    np.testing.assert_allclose(ds.X_train.mean(axis=0), 0, atol=1e-12)
    assert ds.spec.endswith(",delimiter=semicolon,standardize=True")


def test_a_path_may_hold_a_comma(tmp_path):
    folder = tmp_path / "a,b"
    folder.mkdir()
    path = write(folder, csv_text())
    assert parse_dataset_spec(f"csv:{path},label=label").params == {"path": path, "label": "label"}
    assert data.load(f"csv:{path}").n_classes == 2


def test_npz_with_X_and_y(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((40, 5))
    y = np.repeat([3, 7], 20)
    np.savez(tmp_path / "d.npz", X=X, y=y)
    ds = data.load(f"npz:{tmp_path / 'd.npz'}")
    assert ds.n_features == 5 and ds.class_names == ("3", "7")
    assert ds.X_train.shape == (30, 5) and ds.X_test.shape == (10, 5)


def test_npz_with_its_own_split(tmp_path):
    np.savez(
        tmp_path / "d.npz",
        X_train=np.eye(4),
        y_train=np.array(["u", "v", "u", "v"]),
        X_test=np.ones((2, 4)),
        y_test=np.array(["v", "u"]),
    )
    ds = data.load(f"npz:{tmp_path / 'd.npz'}")
    assert np.array_equal(ds.X_train, np.eye(4)) and ds.y_test.tolist() == [1, 0]
    assert ds.class_names == ("u", "v")


def csv_error(tmp_path, text, extra=""):
    path = write(tmp_path, text)
    with pytest.raises(InitlabError) as info:
        data.load(f"csv:{path}{extra}")
    message = str(info.value)
    assert path in message
    return message


def test_missing_file(tmp_path):
    with pytest.raises(InitlabError, match="dataset file .*nope.csv' not found"):
        data.load(f"csv:{tmp_path / 'nope.csv'}")


def test_non_numeric_cell(tmp_path):
    rows = list(ROWS)
    rows[3] = (2.2, "abc", "b")
    message = csv_error(tmp_path, csv_text(rows=rows))
    assert "line 5, column 'x2': 'abc' is not a number" in message


def test_non_numeric_cell_without_a_header_names_the_column_number(tmp_path):
    rows = list(ROWS)
    rows[3] = ("x", 2.2, "b")
    message = csv_error(tmp_path, csv_text(header=None, rows=rows))
    assert "line 4, column 1: 'x' is not a number" in message


@pytest.mark.parametrize("bad", ["nan", "NaN", "inf", "-Infinity"])
def test_nan_and_infinity(tmp_path, bad):
    rows = list(ROWS)
    rows[6] = (bad, 0.0, "a")
    message = csv_error(tmp_path, csv_text(rows=rows))
    assert f"line 8, column 'x1': '{bad}' is not a finite number" in message


def test_empty_cell(tmp_path):
    message = csv_error(tmp_path, csv_text().replace("0.3,-0.1,a", "0.3,,a"))
    assert "line 4, column 'x2': empty cell" in message


def test_single_class(tmp_path):
    rows = [(r[0], r[1], "a") for r in ROWS]
    message = csv_error(tmp_path, csv_text(rows=rows))
    assert "single class ('a')" in message and "column 'label'" in message


def test_too_few_samples_to_split(tmp_path):
    message = csv_error(tmp_path, csv_text(rows=[(0, 0, "a"), (1, 1, "b"), (2, 2, "a")]))
    assert "class 'b' has only 1 sample (line 3)" in message and "too few" in message


def test_ragged_rows(tmp_path):
    message = csv_error(tmp_path, csv_text().replace("2.2,1.9,b", "2.2,1.9,b,7"))
    assert "line 5 has 4 fields; expected 3 (as the header)" in message


def test_ragged_rows_without_a_header(tmp_path):
    message = csv_error(tmp_path, csv_text(header=None).replace("0.3,-0.1,a", "0.3,a"))
    assert "line 3 has 2 fields; expected 3 (as line 1)" in message


def test_unknown_label_column(tmp_path):
    message = csv_error(tmp_path, csv_text(), ",label=species")
    assert "no column named 'species'; its columns: x1, x2, label" in message
    assert "the file has 3 columns, numbered 0 to 2" in csv_error(tmp_path, csv_text(), ",label=5")
    assert "must be a column name or number" in csv_error(tmp_path, csv_text(), ",label=true")


def test_continuous_label(tmp_path):
    rows = [(r[0], r[1], r[0] * 0.37) for r in ROWS]
    message = csv_error(tmp_path, csv_text(rows=rows))
    assert "is not a whole number" in message and "line 2, column 'label'" in message


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", "has no data rows"),
        ("x1,x2,label\n", "has a header but no data rows"),
        ("1\n2\n", "need at least one feature column"),
    ],
)
def test_empty_and_one_column_files(tmp_path, text, expected):
    assert expected in csv_error(tmp_path, text)


def test_not_a_text_file(tmp_path):
    path = tmp_path / "bin.csv"
    path.write_bytes(b"\xff\xfe\x00\x01\x02,\x9c\n")
    with pytest.raises(InitlabError, match="not a UTF-8 text file"):
        data.load(f"csv:{path}")


def test_bad_npz_files(tmp_path):
    np.savez(tmp_path / "keys.npz", features=np.zeros((4, 2)), y=np.zeros(4))
    with pytest.raises(InitlabError, match="holds arrays features, y; expected X and y"):
        data.load(f"npz:{tmp_path / 'keys.npz'}")
    X = np.zeros((6, 2))
    X[4, 1] = np.nan
    np.savez(tmp_path / "nan.npz", X=X, y=np.array([0, 1] * 3))
    with pytest.raises(InitlabError, match=r"X\[4, 1\] is nan"):
        data.load(f"npz:{tmp_path / 'nan.npz'}")
    np.savez(tmp_path / "len.npz", X=np.zeros((6, 2)), y=np.zeros(5))
    with pytest.raises(InitlabError, match=r"array y has shape \(5,\); expected \(6,\)"):
        data.load(f"npz:{tmp_path / 'len.npz'}")
    (tmp_path / "junk.npz").write_text("not a zip")
    with pytest.raises(InitlabError, match="not a readable .npz archive"):
        data.load(f"npz:{tmp_path / 'junk.npz'}")


def test_spec_needs_a_path():
    with pytest.raises(InitlabError, match="dataset 'csv' needs a file"):
        data.load("csv:")
    with pytest.raises(InitlabError, match="dataset 'npz' needs a file"):
        data.load("npz")


def test_quoted_fields_and_a_byte_order_mark(tmp_path):
    text = '\ufeff"x 1","x,2",label\n' + "".join(f'{r[0]},"{r[1]}","{r[2]}"\n' for r in ROWS)
    path = tmp_path / "quoted.csv"
    path.write_text(text, encoding="utf-8")
    ds = data.load(f"csv:{path}")
    assert ds.feature_names == ("x 1", "x,2") and ds.class_names == ("a", "b")


def test_malformed_quoting(tmp_path):
    message = csv_error(tmp_path, 'x1,x2,label\n1,2,a\n1,"2,a\n')
    assert "line 3" in message and "malformed CSV" in message


@pytest.mark.parametrize(
    "arrays, message",
    [
        (
            {"X": np.zeros((0, 2)), "y": np.zeros(0, dtype=int)},
            r"array X has shape \(0, 2\), no rows",
        ),
        ({"X": np.zeros((6, 0)), "y": np.array([0, 1] * 3)}, "no feature columns"),
        (
            {
                "X_train": np.zeros((4, 2)),
                "y_train": np.array([0, 1] * 2),
                "X_test": np.zeros((0, 2)),
                "y_test": np.zeros(0, dtype=int),
            },
            r"array X_test has shape \(0, 2\), no rows",
        ),
    ],
)
def test_an_npz_without_rows_or_features_is_refused_naming_the_file(tmp_path, arrays, message):
    np.savez(tmp_path / "empty.npz", **arrays)
    with pytest.raises(InitlabError, match=message) as error:
        data.load(f"npz:{tmp_path / 'empty.npz'}")
    assert "empty.npz" in str(error.value) and "at least 2 samples of each class" in str(
        error.value
    )


def test_integer_labels_beyond_2_to_the_53_are_refused_not_merged(tmp_path):
    # 2**53 + 1 and 2**53 + 2 are distinct integers but the same float: once merged into one class
    y = np.array([2**53 + 1, 2**53 + 2] * 4, dtype=np.int64)
    np.savez(tmp_path / "big.npz", X=np.arange(16.0).reshape(8, 2), y=y)
    with pytest.raises(InitlabError, match=r"big.npz, y\[0\]: label '9007199254740993' is beyond"):
        data.load(f"npz:{tmp_path / 'big.npz'}")
    header = "x1,x2,label\n"
    rows = "".join(f"{i},{i % 2},{-(2**60) if i % 2 else 1}\n" for i in range(8))
    with pytest.raises(
        InitlabError,
        match=r"data.csv, line 3, column 'label': label '-1152921504606846976' is beyond",
    ):
        data.load(f"csv:{write(tmp_path, header + rows)}")


def test_integer_labels_up_to_2_to_the_53_stay_distinct(tmp_path):
    y = np.array([2**53, 2**53 - 1] * 4, dtype=np.int64)
    np.savez(tmp_path / "edge.npz", X=np.arange(16.0).reshape(8, 2), y=y)
    ds = data.load(f"npz:{tmp_path / 'edge.npz'}")
    assert ds.class_names == (str(2**53 - 1), str(2**53))
