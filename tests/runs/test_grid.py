"""The sweep grid: the product of its axes, auto layer ends, one clear error for a bad grid."""

import pytest

from initlab.errors import InitlabError
from initlab.runs.grid import make_grid


def test_the_grid_is_the_product_of_its_axes_without_duplicates():
    grid = make_grid(
        "zeros,he,he", "0-2", lrs="0.01,0.1", depths="1,3", widths=4, iterations=10, every=5
    )
    runs = grid.runs()
    assert len(runs) == 2 * 3 * 2 * 2
    assert {r.layers for r in runs} == {(2, 4, 1), (2, 4, 4, 4, 1)}
    assert {r.depth for r in runs} == {1, 3} and {r.width for r in runs} == {4}
    assert len({r.key for r in runs}) == len(runs)


def test_auto_layers_take_their_ends_from_each_dataset():
    runs = make_grid("he", "0", datasets="circles,spiral:classes=3", layers="auto,8,auto")
    sizes = {r.dataset.partition(":")[0]: (r.layers, r.output) for r in runs.runs()}
    assert sizes["circles"] == ((2, 8, 1), "sigmoid")
    assert sizes["spiral"] == ((2, 8, 3), "softmax")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"inits": "", "seeds": "0-3"}, "the grid is empty: --inits"),
        ({"inits": "he", "seeds": ""}, "the grid is empty: --seeds"),
        ({"inits": "he", "seeds": "0", "lrs": ""}, "the grid is empty: --lr"),
        ({"inits": "he", "seeds": "0", "depths": "2"}, "--depth needs --width"),
        ({"inits": "he", "seeds": "0", "layers": "3,4,1"}, "must start with 2"),
        ({"inits": "hee", "seeds": "0"}, "did you mean 'he'"),
        ({"inits": "he", "seeds": "0", "lrs": "-1"}, "lr must be a finite number > 0"),
    ],
)
def test_bad_grids_are_one_clear_error(kwargs, message):
    with pytest.raises(InitlabError, match=message):
        make_grid(**kwargs).runs()
