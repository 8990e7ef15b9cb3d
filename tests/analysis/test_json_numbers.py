"""Non-finite numbers become None, so every result's JSON is valid (dumped with allow_nan=False)."""

import math

import numpy as np

from initlab.analysis.json_numbers import json_number, json_numbers


def test_non_finite_is_none_and_the_rest_a_float():
    assert json_number(np.float32(0.5)) == 0.5 and type(json_number(np.int64(2))) is float
    assert json_number(math.nan) is None and json_number(-math.inf) is None
    assert json_numbers(np.array([[1.0, np.nan], [np.inf, 2.0]])) == [1.0, None, None, 2.0]
    assert json_numbers([]) == []
