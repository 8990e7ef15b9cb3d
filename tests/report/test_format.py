"""The number formatters: every table and sentence writes numbers through these."""

import math

import pandas as pd

from initlab.report import format as fmt


def test_numbers_percentages_and_dashes():
    assert fmt.number(0.012345) == "0.0123"
    assert fmt.number(1234.56, 4) == "1235"
    assert fmt.number(1.77e3) == "1.77e+03"
    assert fmt.significant(math.nan, 4) == "nan"  # as is: no dash
    for missing in (None, math.nan, math.inf):
        assert fmt.number(missing) == fmt.percent(missing) == "—"
        assert fmt.points(missing) == fmt.p_value(missing) == fmt.count(missing) == "–"
    assert fmt.number(None, missing="–") == "–"
    assert fmt.percent(0.5) == "50.0%" and fmt.percent(1 / 3, 0) == "33%"
    assert fmt.points(0.875) == "87.5"
    assert fmt.p_value(0.0123) == "0.012" and fmt.p_value(3e-6) == "<1e-4"
    assert fmt.count(1500.0) == "1,500"
    assert fmt.diverged_or(None) == "diverged" and fmt.diverged_or(0.5) == 0.5


def test_format_columns_leaves_the_others_and_the_original():
    table = pd.DataFrame({"a": [0.5, None], "b": [1, 2]})
    out = fmt.format_columns(table, {"a": fmt.percent})
    assert out["a"].tolist() == ["50.0%", "—"]
    assert out["b"].tolist() == [1, 2] and table["a"].iloc[0] == 0.5
