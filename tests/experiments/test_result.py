"""What every result shares: keyword construction, JSON from to_dict, a repr of a few lines."""

import json

import pytest

import initlab
from initlab.experiments.comparison import Comparison
from initlab.experiments.phase import PhaseDiagram
from initlab.experiments.summary import Summary


def test_results_are_built_with_keywords_only(seed_comparison):
    with pytest.raises(TypeError):
        Comparison(seed_comparison.dataset, seed_comparison.network)  # type: ignore[misc]
    copy = Comparison(
        dataset=seed_comparison.dataset,
        network=seed_comparison.network,
        lr=seed_comparison.lr,
        iterations=seed_comparison.iterations,
        every=seed_comparison.every,
        seed=seed_comparison.seed,
        runs=seed_comparison.runs,
        engine=seed_comparison.engine,
        dtype=seed_comparison.dtype,
        engine_note=seed_comparison.engine_note,
        created=seed_comparison.created,
    )
    assert copy.to_json() == seed_comparison.to_json()


def test_the_repr_says_what_was_studied_and_how_each_initializer_did(seed_comparison):
    text = repr(seed_comparison)
    assert len(text) < 1000  # not every number of every layer
    heading, *lines = text.splitlines()
    assert heading.startswith("Comparison: 2-10-5-1 network (relu hidden, sigmoid output)")
    assert "on circles" in heading and "15,000 iterations" in heading
    assert [line.split()[0] for line in lines] == [run.init for run in seed_comparison.runs]
    assert "fails to break symmetry" in lines[0]
    assert "converged" in lines[2]


def test_phase_diagram_and_summary_share_the_base():
    phase = initlab.phase_diagram("tanh", "lecun_normal,he", width=16)
    assert isinstance(phase, PhaseDiagram)
    heading, lecun, he = repr(phase).splitlines()
    assert heading == "PhaseDiagram: tanh, hidden layers of 16 units"
    assert "critical" in lecun and "chaotic" in he
    assert json.loads(phase.to_json())["inits"][0]["init"] == "lecun_normal"
    with pytest.raises(TypeError):
        Summary(phase.table(), phase.table())  # type: ignore[misc]


def test_over_seeds_json_is_the_summary_s_numbers(tmp_path):
    result = initlab.compare(["zeros", "he"], iterations=20, every=10, seeds="0-2", engine="numpy")
    summary = result.over_seeds.to_dict()
    over_seeds = result.to_dict()["over_seeds"]
    assert over_seeds["seeds"] == 3
    for key in ("target", "confidence", "table", "pairs"):
        assert over_seeds[key] == summary[key]
    assert json.loads(result.over_seeds.to_json())["n_runs"] == 6
    assert repr(result.over_seeds).splitlines()[0] == "Summary: 6 runs of 3 seeds by init"
