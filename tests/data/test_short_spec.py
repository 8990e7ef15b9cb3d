# Parameters come back in the loader signature's (canonical) order.
from initlab.data import load, short_spec


def test_defaults_are_left_out_and_changes_kept():
    assert short_spec(load("circles").spec) == "circles"
    assert short_spec(load("moons:noise=0.2").spec) == "moons:noise=0.2"
    assert short_spec(load("spiral:classes=3,seed=7").spec) == "spiral:seed=7,classes=3"
