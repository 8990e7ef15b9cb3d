"""Names, aliases, specs, both kinds of rng, callables, and one clear error for each bad spec."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from initlab import initializers
from initlab.errors import InitlabError
from initlab.initializers import REGISTRY

NO_DATA = [name for name in REGISTRY if not REGISTRY[name].needs_data]


@pytest.mark.parametrize("alias", sorted(REGISTRY.aliases))
def test_aliases_resolve_to_one_implementation_and_identical_arrays(alias):
    canonical = REGISTRY.aliases[alias]
    assert initializers.info(alias) is initializers.info(canonical)
    a = initializers.get(alias)((7, 5), np.random.RandomState(11))
    b = initializers.get(canonical)((7, 5), np.random.RandomState(11))
    assert np.array_equal(a, b)
    assert initializers.get(alias).spec == initializers.get(canonical).spec


@pytest.mark.parametrize(
    "alias, canonical",
    [
        ("xavier_uniform", "glorot_uniform"),
        ("xavier_normal", "glorot_normal"),
        ("kaiming_normal", "he_normal"),
        ("kaiming_uniform", "he_uniform"),
        ("eye", "identity"),
    ],
)
def test_the_frameworks_aliases_exist(alias, canonical):
    assert REGISTRY.aliases[alias] == canonical
    assert getattr(initializers, alias) is getattr(initializers, canonical)


@pytest.mark.parametrize("name", NO_DATA)
@pytest.mark.parametrize("kind", ["generator", "random_state"])
def test_every_initializer_draws_from_either_rng_reproducibly(name, kind):
    make = np.random.default_rng if kind == "generator" else np.random.RandomState
    init = initializers.get(name)
    a, b = init((6, 9), make(5)), init((6, 9), make(5))
    assert a.shape == (6, 9) and a.dtype == np.float64 and np.all(np.isfinite(a))
    assert np.array_equal(a, b)


@settings(max_examples=30, deadline=None)
@given(fan_in=st.integers(1, 30), fan_out=st.integers(1, 30), seed=st.integers(0, 2**31))
def test_named_forms_equal_their_variance_scaling_settings(fan_in, fan_out, seed):
    shape = (fan_out, fan_in)

    def draw(spec):
        return initializers.get(spec)(shape, np.random.RandomState(seed))

    for named, general in [
        ("glorot_normal:gain=1.5", "variance_scaling:scale=2.25,mode=fan_avg,distribution=normal"),
        ("glorot_uniform", "variance_scaling:mode=fan_avg,distribution=uniform"),
        ("he_normal", "variance_scaling:scale=2,distribution=normal"),
        ("he_uniform:mode=fan_out", "variance_scaling:scale=2,mode=fan_out,distribution=uniform"),
        ("lecun_normal", "variance_scaling:distribution=normal"),
        ("lecun_uniform", "variance_scaling:distribution=uniform"),
        ("he", "he_normal"),  # the course's He is PyTorch's kaiming_normal_ default
    ]:
        # equal up to rounding (uniform draws are low + (high − low)·u, so compare to the bound)
        expected = draw(general)
        np.testing.assert_allclose(
            draw(named), expected, rtol=1e-14, atol=1e-14 * abs(expected).max()
        )
    for named, general in [
        ("glorot_truncated_normal", "variance_scaling:scale=1,mode=fan_avg"),
        ("he_truncated_normal", "variance_scaling:scale=2"),
        ("lecun_truncated_normal", "variance_scaling"),
    ]:
        assert np.array_equal(draw(named), draw(general))


def test_the_course_initializers_keep_their_exact_streams():
    rng = np.random.RandomState(3)
    expected = rng.standard_normal((10, 2)) * np.sqrt(2 / 2)
    assert np.array_equal(initializers.get("he")((10, 2), np.random.RandomState(3)), expected)
    expected = np.random.RandomState(3).standard_normal((5, 10)) * np.sqrt(1 / 10)
    assert np.array_equal(
        initializers.get("lecun_normal")((5, 10), np.random.RandomState(3)), expected
    )


def test_specs_show_every_parameter_of_what_ran():
    assert (
        initializers.get("kaiming_uniform:a=2.236,mode=fan_out").spec
        == "he_uniform:a=2.236,mode=fan_out,nonlinearity=leaky_relu"
    )
    assert (
        initializers.get("variance_scaling:scale=2,mode=fan_avg").spec
        == "variance_scaling:scale=2,mode=fan_avg,distribution=truncated_normal"
    )
    assert initializers.get("xavier_uniform").spec == "glorot_uniform:gain=1.0"
    assert initializers.get("lsuv").spec == "lsuv:tol=0.1,max_tries=10"
    assert initializers.get("torch_linear").spec == "torch_linear"


def test_a_callable_is_an_initializer():
    def halves(shape, rng):
        return np.full(shape, 0.5)

    init = initializers.get(halves)
    assert init.spec == "halves" and not init.needs_data
    layers = initializers.init_network([2, 3, 1], init, np.random.default_rng(0))
    assert [W.tolist() for W, _ in layers] == [[[0.5] * 2] * 3, [[0.5] * 3]]


def test_factories_work_directly_as_in_jax():
    W = initializers.glorot_uniform(gain=2.0)((30, 20), np.random.default_rng(0))
    assert np.abs(W).max() <= 2.0 * np.sqrt(6 / 50)


@pytest.mark.parametrize(
    "spec, message",
    [
        ("glorot_unifrom", "did you mean 'glorot_uniform'"),
        ("kaiming_normall", "did you mean 'kaiming_normal'"),
        ("he_normal:b=1", "unknown parameter 'b' for initializer 'he_normal'; valid: a, mode"),
        ("variance_scaling:scale=-1", "scale must be a finite number > 0; got -1"),
        ("variance_scaling:scale=0", "scale must be a finite number > 0; got 0"),
        ("variance_scaling:scale=nan", "scale must be a finite number > 0"),
        ("normal:std=-0.5", "std must be a finite number >= 0; got -0.5"),
        ("truncated_normal:std=-1", "std must be a finite number > 0; got -1"),
        ("sparse:std=-1", "std must be a finite number >= 0"),
        ("glorot_uniform:gain=-1", "gain must be a finite number >= 0; got -1"),
        ("orthogonal:gain=big", "gain must be a finite number >= 0; got 'big'"),
        ("variance_scaling:mode=fan_avgg", "unknown mode 'fan_avgg' (did you mean 'fan_avg'?)"),
        ("variance_scaling:mode=fan_avgg", "valid: fan_avg, fan_in, fan_out"),
        ("variance_scaling:distribution=gaussian", "unknown distribution 'gaussian'"),
        ("variance_scaling:distribution=gaussian", "valid: normal, truncated_normal, uniform"),
        ("he_normal:mode=fan_avg", "unknown mode 'fan_avg'"),
        ("he_uniform:nonlinearity=swish", "unknown nonlinearity 'swish'"),
        ("sparse:sparsity=1", "sparsity must be a number in [0, 1); got 1"),
        ("sparse:sparsity=1.5", "sparsity must be a number in [0, 1); got 1.5"),
        ("sparse:sparsity=-0.1", "sparsity must be a number in [0, 1); got -0.1"),
        ("uniform:low=2,high=1", "uniform needs low <= high; got low=2.0, high=1.0"),
        ("truncated_normal:low=1,high=1", "truncated_normal needs low < high"),
        ("lsuv:tol=0", "tol must be a finite number > 0"),
        ("lsuv:max_tries=0", "max_tries must be an integer >= 1; got 0"),
        ("he_normal:a=x", "a must be a finite number; got 'x'"),
    ],
)
def test_bad_specs_give_one_clear_error(spec, message):
    with pytest.raises(InitlabError) as error:
        initializers.get(spec)
    assert message in str(error.value)
    if "did you mean" not in message and "unknown parameter" not in message:
        assert str(error.value).startswith(f"initializer {spec!r}: ")


def test_unknown_name_lists_the_valid_ones():
    with pytest.raises(InitlabError, match="valid: .*glorot_uniform.*lsuv.*xavier_uniform"):
        initializers.get("nope")
