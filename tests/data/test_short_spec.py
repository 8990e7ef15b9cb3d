# Parameters come back in the loader signature's (canonical) order.
import pytest

from initlab.data import load, short_spec
from initlab.errors import InitlabError


def test_defaults_are_left_out_and_changes_kept():
    assert short_spec(load("circles").spec) == "circles"
    assert short_spec(load("moons:noise=0.2").spec) == "moons:noise=0.2"
    assert short_spec(load("spiral:classes=3,seed=7").spec) == "spiral:seed=7,classes=3"


@pytest.mark.parametrize("value", [5, None, ["circles"], b"circles", 2.5])
def test_a_dataset_that_is_not_a_spec_names_the_allowed_kinds(value):
    import initlab

    with pytest.raises(InitlabError) as error:
        initlab.compare(dataset=value, iterations=1)
    message = str(error.value)
    assert message.startswith("dataset must be a spec text such as 'circles'")
    assert "or an initlab Dataset" in message and f"got {value!r}" in message
    assert "Datasets: blobs, breast_cancer, circles, csv, digits" in message
