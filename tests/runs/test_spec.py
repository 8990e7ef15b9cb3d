"""Runs in canonical form: seeds, canonical specs and their keys."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from initlab.errors import InitlabError
from initlab.runs.grid import make_grid
from initlab.runs.spec import parse_seeds

# -- seeds ---------------------------------------------------------------------------------------


def test_seed_ranges_and_lists():
    assert parse_seeds("0-3,7, 9-10") == (0, 1, 2, 3, 7, 9, 10)
    assert parse_seeds("5") == (5,)
    assert parse_seeds([3, 1, 3]) == (3, 1)
    assert parse_seeds(4) == (4,)


@given(st.integers(0, 10_000), st.integers(0, 50))
def test_a_range_is_every_seed_from_low_to_high(low, span):
    assert parse_seeds(f"{low}-{low + span}") == tuple(range(low, low + span + 1))


@pytest.mark.parametrize(
    "text, message",
    [
        ("5-2", "seed range '5-2' runs backwards"),
        ("a", "seeds are integers >= 0 or ranges"),
        ("-3", "seeds are integers >= 0 or ranges"),
        ("1-2-3", "seeds are integers >= 0 or ranges"),
        ("4294967296", r"a seed must be an integer in \[0, 4294967295\]; got 4294967296"),
    ],
)
def test_bad_seeds_are_one_clear_error(text, message):
    with pytest.raises(InitlabError, match=message):
        parse_seeds(text)


# -- canonical specs and keys --------------------------------------------------------------------


def test_aliases_and_defaults_give_the_same_key():
    a = make_grid("kaiming_normal,random", "3").runs()
    b = make_grid("he_normal,random:scale=10.0", [3], datasets="circles:noise=0.05").runs()
    assert [r.key for r in a] == [r.key for r in b]
    assert a[0].init.startswith("he_normal:") and a[1].init == "random:scale=10.0"


def test_the_key_is_the_hash_of_the_canonical_spec():
    import hashlib
    import json

    run = make_grid("he", "3").runs()[0]
    canonical = run.canonical()
    assert canonical["layers"] == [2, 10, 5, 1] and canonical["seed"] == 3
    assert canonical["dataset"].startswith("circles:") and "noise=0.05" in canonical["dataset"]
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"))
    assert run.key == hashlib.sha256(text.encode()).hexdigest()[:32]


def test_every_setting_changes_the_key():
    base = make_grid("he", "3").runs()[0]
    others = [
        make_grid("he", "4").runs()[0],
        make_grid("he_normal", "3").runs()[0],
        make_grid("he", "3", lrs=0.02).runs()[0],
        make_grid("he", "3", iterations=100).runs()[0],
        make_grid("he", "3", every=10).runs()[0],
        make_grid("he", "3", activations_="tanh").runs()[0],
        make_grid("he", "3", layers="2,10,1").runs()[0],
        make_grid("he", "3", datasets="circles:noise=0.1").runs()[0],
    ]
    assert len({base.key, *(r.key for r in others)}) == len(others) + 1
