"""The package's public names are the functions, whichever submodule was imported first."""

import importlib


def test_public_names_are_the_functions():
    importlib.import_module("initlab.signal.depth_scales")
    importlib.import_module("initlab.signal.isometry")
    import initlab.signal as signal

    assert callable(signal.depth_scales) and callable(signal.isometry)
    assert callable(signal.trainability) and callable(signal.coordcheck)
    assert signal.depth_scales("relu", 1.0, 0.1)["chi_1"] == 0.5
