"""The one boundary validator: each constraint kind, its message, bools and non-finite numbers."""

import math
from numbers import Integral, Real

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from initlab import checks
from initlab.checks import Boolean, Instance, Interval, Options, check
from initlab.errors import InitlabError


def message(name, value, constraint):
    with pytest.raises(InitlabError) as error:
        check(name, value, constraint)
    return str(error.value)


# -- Interval ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "constraint, text",
    [
        (Interval(Real), "a finite number"),
        (Interval(Real, 0, None, closed="left"), "a finite number >= 0"),
        (Interval(Real, 0, None, closed="neither"), "a finite number > 0"),
        (Interval(Real, None, 5, closed="right"), "a finite number <= 5"),
        (Interval(Real, None, 5, closed="neither"), "a finite number < 5"),
        (Interval(Real, 0, 1, closed="left"), "a number in [0, 1)"),
        (Interval(Real, 0, 1, closed="neither"), "a number in (0, 1)"),
        (Interval(Real, 0.5, 2.5, closed="both"), "a number in [0.5, 2.5]"),
        (Interval(Integral, 1, None, closed="left"), "an integer >= 1"),
        (Interval(Integral, 2, 9, closed="right"), "an integer in (2, 9]"),
        (checks.TARGET, "an accuracy in [0, 1]"),
        (Interval(Real, 0, None, closed="neither", noun="a number"), "a number > 0"),
    ],
)
def test_an_interval_says_what_it_allows(constraint, text):
    assert str(constraint) == text


@pytest.mark.parametrize(
    "value, ok",
    [(0.0, False), (1e-300, True), (0.5, True), (1, False), (-1, False), (True, False)],
)
def test_open_interval_ends(value, ok):
    assert checks.OPEN_FRACTION.accepts(value) is ok


@pytest.mark.parametrize("closed", ["left", "right", "both", "neither"])
def test_closed_says_which_ends_are_allowed(closed):
    interval = Interval(Real, 0, 1, closed=closed)
    assert interval.accepts(0) is (closed in ("left", "both"))
    assert interval.accepts(1) is (closed in ("right", "both"))
    assert interval.accepts(0.5)


def test_the_message_names_parameter_allowed_and_given():
    assert message("lr", -0.5, checks.POSITIVE) == "lr must be a finite number > 0; got -0.5"
    assert message("seed", -1, checks.SEED) == "seed must be an integer in [0, 4294967295]; got -1"
    assert message("target", 1.5, checks.TARGET) == (
        "target must be an accuracy in [0, 1]; got 1.5"
    )
    assert message("gain", "big", checks.NON_NEGATIVE) == (
        "gain must be a finite number >= 0; got 'big'"
    )


@pytest.mark.parametrize("value", [True, False])
@pytest.mark.parametrize(
    "constraint", [checks.NUMBER, checks.NON_NEGATIVE, checks.POSITIVE_INTEGER, checks.TARGET]
)
def test_bools_are_not_numbers(constraint, value):
    assert not constraint.accepts(value)
    assert f"; got {value!r}" in message("x", value, constraint)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, np.float64("nan")])
@pytest.mark.parametrize(
    "constraint",
    [checks.NUMBER, checks.NON_NEGATIVE, checks.POSITIVE, checks.FRACTION, checks.TARGET],
)
def test_nan_and_infinities_are_refused(constraint, value):
    assert not constraint.accepts(value)
    with pytest.raises(InitlabError, match="must be"):
        check("x", value, constraint)


def test_integers_refuse_floats_and_accept_numpy_integers():
    assert not checks.POSITIVE_INTEGER.accepts(2.0)
    assert check("n", np.int64(3), checks.POSITIVE_INTEGER) == 3
    assert type(check("n", np.int64(3), checks.POSITIVE_INTEGER)) is int


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_a_real_interval_accepts_exactly_the_finite_values_in_range(value):
    interval = Interval(Real, -1.5, 2, closed="right")
    expected = math.isfinite(value) and -1.5 < value <= 2
    assert interval.accepts(value) is expected
    if expected:
        result = check("v", value, interval)
        assert result == value and type(result) is float
    else:
        assert message("v", value, interval) == f"v must be a number in (-1.5, 2]; got {value!r}"


@given(st.integers(-(10**20), 10**20), st.integers(-50, 50))
def test_an_integer_interval_matches_the_comparison(value, low):
    interval = Interval(Integral, low, None, closed="left")
    assert interval.accepts(value) is (value >= low)
    if value >= low:
        assert checks.integer_at_least("k", value, low) == value
    else:
        assert message("k", value, interval) == f"k must be an integer >= {low}; got {value}"


# -- Options, Boolean, Instance ------------------------------------------------------------------


def test_options_suggest_and_list_the_valid_names():
    modes = Options(("fan_in", "fan_out", "fan_avg"))
    assert check("mode", "fan_out", modes) == "fan_out"
    text = message("mode", "fan_avgg", modes)
    assert text == (
        "unknown mode 'fan_avgg' (did you mean 'fan_avg'?); valid: fan_avg, fan_in, fan_out"
    )
    assert "unknown mode '3'" in message("mode", 3, modes)


def test_boolean_is_true_or_false_only():
    assert check("standardize", True, Boolean()) is True
    for value in (1, 0, "yes", None):
        assert message("standardize", value, Boolean()) == (
            f"standardize must be true or false; got {value!r}"
        )


def test_instance_names_the_kind():
    engine = Instance(str, "a string such as 'auto'")
    assert check("engine", "numpy", engine) == "numpy"
    assert message("engine", 3, engine) == "engine must be a string such as 'auto'; got 3"


# -- the short names keep their messages -----------------------------------------------------------


@pytest.mark.parametrize(
    "helper, args, text",
    [
        (checks.number, ("a", "x"), "a must be a finite number; got 'x'"),
        (checks.non_negative, ("std", -0.5), "std must be a finite number >= 0; got -0.5"),
        (checks.positive_number, ("scale", 0), "scale must be a finite number > 0; got 0"),
        (checks.integer_at_least, ("depth", 0, 1), "depth must be an integer >= 1; got 0"),
        (checks.fraction, ("sparsity", 1), "sparsity must be a number in [0, 1); got 1"),
        (checks.positive_integer, ("max_tries", 0), "max_tries must be an integer >= 1; got 0"),
        (checks.choice, ("mode", "x", ["fan_in"]), "unknown mode 'x'; valid: fan_in"),
    ],
)
def test_short_names_over_check(helper, args, text):
    with pytest.raises(InitlabError) as error:
        helper(*args)
    assert str(error.value) == text


def test_short_names_return_plain_types():
    assert type(checks.number("a", 3)) is float
    assert type(checks.positive_integer("n", np.int32(4))) is int
    assert checks.choice("mode", "fan_in", ("fan_in",)) == "fan_in"


def test_seeds_are_numpys_randomstate_range():
    assert checks.SEED.accepts(0) and checks.SEED.accepts(2**32 - 1)
    assert not checks.SEED.accepts(2**32) and not checks.SEED.accepts(-1)
    assert not checks.SEED.accepts(True) and not checks.SEED.accepts(3.0)
    assert checks.MAX_SEED == 2**32 - 1


def test_summarize_refuses_a_bootstrap_seed_out_of_range():
    import pandas as pd

    from initlab.analysis.statistics import summary_table

    runs = pd.DataFrame({"init": ["he"], "test_accuracy": [0.9]})
    with pytest.raises(InitlabError, match=r"seed must be an integer in \[0, 4294967295\]"):
        summary_table(runs, target=0.9, seed=2**32)
