"""Signal propagation beyond the mean: depth scales, Jacobian spectra and dynamical isometry, the
trainability map, width scaling (SP, NTK, μP), and the failure modes of deep narrow ReLU
networks (born dead, collapse, output-length variance). One concept per module; the public names are
re-exported here, one line each.

The functions are imported by name (not loaded lazily) because several share their module's name
(``depth_scales`` in ``depth_scales.py``): importing the function here keeps
``initlab.signal.depth_scales(...)`` the function whichever submodule was loaded first.
``import initlab`` does not import this package.
"""

from __future__ import annotations

from initlab.nn.parametrization import PARAMETRIZATIONS, layer_scalings
from initlab.signal.born_dead import BornDead, born_dead_probability, dead_at_a_point
from initlab.signal.collapse import CollapseMap, collapse_map
from initlab.signal.coordcheck import WidthScaling, coordcheck
from initlab.signal.depth_scales import DepthScales, critical_sigma_w2, depth_scales
from initlab.signal.isometry import Isometry, isometry
from initlab.signal.jacobian import JacobianSpectrum, jacobian_spectrum
from initlab.signal.output_length import LengthVariance, length_variance
from initlab.signal.trainability import Trainability, trainability

__all__ = [
    "BornDead",
    "CollapseMap",
    "LengthVariance",
    "born_dead_probability",
    "collapse_map",
    "dead_at_a_point",
    "length_variance",
    "PARAMETRIZATIONS",
    "DepthScales",
    "Isometry",
    "JacobianSpectrum",
    "Trainability",
    "WidthScaling",
    "coordcheck",
    "critical_sigma_w2",
    "depth_scales",
    "isometry",
    "jacobian_spectrum",
    "layer_scalings",
    "trainability",
]
