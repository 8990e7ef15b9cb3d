"""``compare`` derives its diagnosis and its report's "why" from the per-layer statistics."""

import numpy as np

from initlab.report.why import explain_run as explain


def test_seed_rows_are_explained_from_their_layers(seed_comparison):
    zeros, random, he = seed_comparison.runs
    # the diagnosis column of the seed, derived from the statistics
    assert zeros.diagnosis == "fails to break symmetry (each hidden layer acts as one unit)"
    assert random.diagnosis.startswith(
        "very large initial cost (1.77e+03) / saturated output (100% of outputs at init)"
    )
    assert he.diagnosis == "converged"
    # every run carries its per-layer numbers at init and at the end, and the theory
    for run in seed_comparison.runs:
        layers = run.facts["layers"]
        assert [len(layers["init"][k]) for k in ("pre_std", "grad_z", "dead")] == [3, 3, 2]
        assert layers["end"]["distinct"] == run.facts["distinct_units"]
    assert zeros.facts["layers"]["end"]["distinct"] == [1, 1]
    assert he.facts["layers"]["end"]["distinct"] == [10, 5]
    assert zeros.facts["layers"]["init"]["dead"] == [1.0, 1.0]
    np.testing.assert_allclose(he.facts["theory"]["sigma_w2"], [2.0, 2.0, 2.0])
    np.testing.assert_allclose(random.facts["theory"]["sigma_w2"], [200.0, 1000.0, 500.0])
    # the sentences quote those numbers
    assert "still has one distinct unit" in explain(zeros)
    assert "100% of the outputs were saturated" in explain(random)
    assert f"{he.facts['layers']['init']['pre_std'][0]:.3g} in hidden layer 1" in explain(he)


def test_report_has_the_layer_figures(seed_comparison):
    report = seed_comparison.report()
    names = [section.name for section in report.sections]
    assert names[-2:] == ["signal", "gradients"]
    signal = report.sections[-2].figure
    assert len([ax for ax in signal.axes if ax.get_visible()]) == 3  # one panel per run
