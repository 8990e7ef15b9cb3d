"""Generated seeds and layer lists thrown at initlab.compare: each gives a valid run or one
InitlabError, never another exception; a run always has the network and seed it was given."""

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import initlab
from initlab.checks import MAX_SEED
from initlab.errors import InitlabError

DATA = "circles:n_samples=20,n_test=10"

SEEDS = st.one_of(
    st.integers(-(2**40), 2**40),
    st.sampled_from([0, MAX_SEED, MAX_SEED + 1, -1]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.text(max_size=4),
    st.none(),
)
ITEMS = st.sampled_from(["", " ", "auto", "AUTO", "0", "1", "3", "12", "-1", "1.5", "x", "2 "])
# mostly plausible lists (a valid first and last size around a few generated ones), some not
LAYERS = st.one_of(
    st.tuples(
        st.sampled_from(["auto", "2", " 2", ""]),
        st.lists(ITEMS, max_size=3),
        st.sampled_from(["auto", "1", "", "3"]),
    ).map(lambda t: ",".join([t[0], *t[1], t[2]])),
    st.lists(ITEMS, max_size=5).map(",".join),
)


def _expected(layers: str) -> tuple[int, ...] | None:
    """The hidden sizes a valid layer text must train, or None when it must be refused."""
    parts = [part.strip() for part in layers.split(",")]
    if len(parts) < 2 or "" in parts:
        return None
    ends, inner = (parts[0], parts[-1]), parts[1:-1]
    if any(end not in ("auto", "AUTO", "2" if i == 0 else "1") for i, end in enumerate(ends)):
        return None
    if not all(part.isdigit() and int(part) >= 1 for part in inner):
        return None
    return tuple(int(part) for part in inner)


@example(seed=3, layers="2,,1")
@example(seed=2**32, layers="auto,4,auto")
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=SEEDS, layers=LAYERS)
def test_compare_gives_a_run_or_an_initlab_error(seed, layers):
    valid_seed = isinstance(seed, int) and not isinstance(seed, bool) and 0 <= seed <= MAX_SEED
    hidden = _expected(layers)
    try:
        result = initlab.compare(
            "he", layers, dataset=DATA, seed=seed, iterations=1, every=1, engine="numpy"
        )
    except InitlabError:
        assert not (valid_seed and hidden is not None), (seed, layers)
        return
    assert valid_seed and hidden is not None, (seed, layers)
    assert result.seed == seed
    assert result.network.sizes == (2, *hidden, 1)
