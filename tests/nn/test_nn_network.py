"""Network shapes: one activation or one per hidden layer; layer lists with ``auto``."""

import pickle

import numpy as np
import pytest

from initlab.errors import InitlabError
from initlab.nn.network import Network, parse_layers


def test_one_activation_for_all_hidden_layers():
    network = Network((2, 4, 3, 1), "tanh")
    assert network.activation == "tanh"
    assert network.activations == ("tanh", "tanh")
    assert network.activation_text() == "tanh"


def test_one_activation_per_hidden_layer():
    network = Network((2, 4, 3, 5, 1), "relu,leaky_relu:slope=0.2,elu")
    assert network.activation == ("relu", "leaky_relu:slope=0.2", "elu:alpha=1.0")
    assert [a.name for a in network.hidden_activations()] == ["relu", "leaky_relu", "elu"]
    assert network.activation_text() == "relu, leaky_relu:slope=0.2, elu:alpha=1.0"
    assert Network((2, 4, 3, 1), ["tanh", "tanh"]).activation == "tanh"  # same everywhere


def test_the_course_network_is_unchanged():
    network = Network((2, 10, 5, 1))
    assert (network.activation, network.output, network.depth) == ("relu", "sigmoid", 3)
    assert network == Network((2, 10, 5, 1), "relu", "sigmoid")


def test_a_network_pickles_by_its_specs():
    network = Network((2, 4, 3, 1), "relu,leaky_relu:slope=0.2", "sigmoid")
    again = pickle.loads(pickle.dumps(network))
    assert again == network and again.activations == network.activations
    z = np.array([-1.0, 2.0])
    assert again.hidden_activations()[1].forward(z).tolist() == [-0.2, 2.0]


def test_wrong_number_of_per_layer_activations():
    with pytest.raises(InitlabError, match="3 entries .* but the network has 2 hidden layers"):
        Network((2, 4, 3, 1), "relu,tanh,relu")


def test_unknown_output():
    with pytest.raises(InitlabError, match="unknown output 'softmaxx'"):
        Network((2, 3), "relu", "softmaxx")


def test_layers_with_auto():
    assert parse_layers("auto,32,32,auto") == ("auto", 32, 32, "auto")
    assert parse_layers("2, 10, 5, 1") == (2, 10, 5, 1)
    assert parse_layers("AUTO,3,1") == ("auto", 3, 1)


@pytest.mark.parametrize(
    "text, message",
    [
        ("2,auto,1", "the first and last may be auto"),
        ("auto", "at least 2 sizes"),
        ("auto,0,auto", "integer >= 1"),
        ("auto,x,auto", "integers separated by commas"),
    ],
)
def test_bad_layer_lists(text, message):
    with pytest.raises(InitlabError, match=message):
        parse_layers(text)
