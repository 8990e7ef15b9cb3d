"""Statistics of a sweep against scipy, numpy and hand-computed cases."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from initlab.analysis import statistics as S
from initlab.errors import InitlabError

Z95 = 1.959963984540054  # Φ⁻¹(0.975)

# -- bootstrap -----------------------------------------------------------------------------------


def test_bootstrap_matches_scipy_percentile_bootstrap_with_the_same_generator():
    x = np.array([0.62, 0.71, 0.55, 0.93, 0.88, 0.79, 0.66, 0.97, 0.58, 0.74])
    ours = S.bootstrap_ci(x, np.random.default_rng(7), n_resamples=2000)
    theirs = stats.bootstrap(
        (x,),
        np.mean,
        n_resamples=2000,
        method="percentile",
        rng=np.random.default_rng(7),
        vectorized=True,
    ).confidence_interval
    assert ours == pytest.approx((theirs.low, theirs.high), rel=1e-12)


def test_bootstrap_by_hand_with_a_fixed_seed():
    """The same draws written out: resample indices, means, 2.5 % and 97.5 % quantiles."""
    x = np.array([3.0, 1.0, 4.0, 1.0, 5.0])
    index = np.random.default_rng(42).integers(0, 5, (400, 5))
    all_means = np.sort([sum(x[i] for i in row) / 5 for row in index])
    # numpy's linear quantile: position q·(n − 1) between the sorted values
    pos_low, pos_high = 0.025 * 399, 0.975 * 399
    low = all_means[int(pos_low)] + (pos_low % 1) * (
        all_means[int(pos_low) + 1] - all_means[int(pos_low)]
    )
    high = all_means[int(pos_high)] + (pos_high % 1) * (
        all_means[int(pos_high) + 1] - all_means[int(pos_high)]
    )
    assert S.bootstrap_ci(x, np.random.default_rng(42), n_resamples=400) == pytest.approx(
        (low, high), rel=1e-14
    )


def test_bootstrap_of_two_points_spans_both():
    """Means of resamples of {0, 1} are 0, ½, 1 with probability ¼, ½, ¼: the 95 % percentile
    interval is [0, 1]."""
    assert S.bootstrap_ci([0.0, 1.0], np.random.default_rng(0)) == (0.0, 1.0)


def test_bootstrap_edge_cases():
    assert S.bootstrap_ci([0.7] * 5, np.random.default_rng(0)) == (0.7, 0.7)
    assert S.bootstrap_ci([2.5], np.random.default_rng(0)) == (2.5, 2.5)
    assert all(math.isnan(v) for v in S.bootstrap_ci([], np.random.default_rng(0)))
    assert S.bootstrap_ci([np.nan, 1.0, 1.0], np.random.default_rng(0)) == (1.0, 1.0)


@given(st.lists(st.floats(-100, 100), min_size=2, max_size=30), st.integers(0, 2**31))
def test_bootstrap_interval_lies_within_the_data(values, seed):
    low, high = S.bootstrap_ci(values, np.random.default_rng(seed), n_resamples=200)
    assert min(values) - 1e-9 <= low <= high <= max(values) + 1e-9


# -- Wilson --------------------------------------------------------------------------------------


def test_wilson_hand_computed_cases():
    z2 = Z95**2
    assert S.wilson_interval(0, 10) == pytest.approx((0.0, z2 / (10 + z2)))
    assert S.wilson_interval(10, 10) == pytest.approx((10 / (10 + z2), 1.0))
    low, high = S.wilson_interval(5, 10)
    assert low + high == pytest.approx(1.0) and low == pytest.approx(0.2365930)
    # 8/10 by the textbook formula, computed here in full
    p, n = 0.8, 10
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    assert S.wilson_interval(8, 10) == pytest.approx((centre - half, centre + half))
    assert S.wilson_interval(8, 10) == pytest.approx((0.4901625, 0.9433178), abs=1e-7)


@given(st.integers(1, 500), st.data())
def test_wilson_bounds_solve_the_score_equation(n, data):
    """Each bound p solves (p̂ − p)² = z²·p(1 − p)/n (the interval's definition)."""
    k = data.draw(st.integers(0, n))
    p_hat = k / n
    for p in S.wilson_interval(k, n):
        if 0 < p < 1:
            assert (p_hat - p) ** 2 == pytest.approx(Z95**2 * p * (1 - p) / n, abs=1e-12)
    low, high = S.wilson_interval(k, n)
    assert 0 <= low <= p_hat <= high <= 1


# -- Wilcoxon and effect size --------------------------------------------------------------------


def test_rank_biserial_by_hand():
    # |d| = 1, 2, 3, 4 → ranks 1..4; T+ = 1 + 3 + 4 = 8, T− = 2 → r = (8 − 2) / 10
    assert S.rank_biserial([1, -2, 3, 4]) == pytest.approx(0.6)
    assert S.rank_biserial([0, 0, 5]) == 1.0 and S.rank_biserial([-1, -2]) == -1.0
    # ties share ranks: |d| = 1, 1, 2 → ranks 1.5, 1.5, 3; T+ = 1.5 + 3, T− = 1.5
    assert S.rank_biserial([1, -1, 2]) == pytest.approx((4.5 - 1.5) / 6)


def test_wilcoxon_is_scipys():
    a = [0.91, 0.88, 0.95, 0.97, 0.85, 0.93, 0.90, 0.99]
    b = [0.80, 0.89, 0.81, 0.84, 0.79, 0.92, 0.70, 0.86]
    result = S.wilcoxon(a, b)
    expected = stats.wilcoxon(a, b)
    assert result["p_value"] == expected.pvalue and result["statistic"] == expected.statistic
    assert result["n"] == 8 and result["median_diff"] == pytest.approx(np.median(np.subtract(a, b)))
    assert S.wilcoxon([1, 2], [1, 2])["p_value"] == 1.0


# -- tables over runs ----------------------------------------------------------------------------


def _runs():
    """Two initializers × two depths × 5 seeds with known accuracies; one run diverged."""
    rng = np.random.default_rng(0)
    rows = []
    for init, base in (("he", 0.9), ("zeros", 0.5)):
        for depth in (2, 5):
            for seed in range(5):
                acc = round(base + rng.normal(0, 0.05), 2)
                diverged = init == "zeros" and depth == 5 and seed == 4
                rows.append(
                    {
                        "init": init,
                        "depth": depth,
                        "seed": seed,
                        "lr": 0.01,
                        "test_accuracy": np.nan if diverged else acc,
                        "train_accuracy": np.nan if diverged else acc,
                        "final_cost": np.nan if diverged else 1 - acc,
                        "diverged_at": 7 if diverged else None,
                        "iters_to_target": 1000 * (seed + 1)
                        if acc >= 0.9 and not diverged
                        else None,
                    }
                )
    frame = pd.DataFrame(rows)
    for column in ("diverged_at", "iters_to_target"):
        frame[column] = frame[column].astype("Int64")
    return frame


def test_summary_table_against_numpy_and_scipy():
    runs = _runs()
    table = S.summary_table(runs, ["init", "depth"], target=0.9, n_resamples=500, seed=3)
    assert list(zip(table["init"], table["depth"], strict=True)) == [
        ("he", 2),
        ("zeros", 2),
        ("he", 5),
        ("zeros", 5),
    ]
    for _, row in table.iterrows():
        group = runs[(runs["init"] == row["init"]) & (runs["depth"] == row["depth"])]
        acc = group["test_accuracy"].dropna().to_numpy()
        assert row["n"] == 5 and row["diverged"] == (1 if len(acc) == 4 else 0)
        assert row["test_accuracy_mean"] == pytest.approx(np.mean(acc))
        assert row["test_accuracy_std"] == pytest.approx(np.std(acc, ddof=1))
        assert row["test_accuracy_median"] == pytest.approx(np.median(acc))
        assert (row["test_accuracy_ci_low"], row["test_accuracy_ci_high"]) == S.bootstrap_ci(
            acc, np.random.default_rng(3), n_resamples=500
        )
        k = int(np.sum(acc >= 0.9))
        assert row["successes"] == k and row["success_rate"] == k / 5
        assert (row["success_ci_low"], row["success_ci_high"]) == S.wilson_interval(k, 5)
        reached = group["iters_to_target"].dropna().to_numpy(dtype=float)
        if reached.size:
            assert row["median_iters_to_target"] == np.median(reached)
        else:
            assert math.isnan(row["median_iters_to_target"])


def test_wilcoxon_pairs_match_runs_on_everything_but_the_initializer():
    runs = _runs().sample(frac=1.0, random_state=1)  # order must not matter
    pairs = S.wilcoxon_pairs(runs, ["init", "depth"])
    assert list(pairs["depth"]) == [2, 5]
    assert all({a, b} == {"zeros", "he"} for a, b in zip(pairs["a"], pairs["b"], strict=True))
    for _, row in pairs.iterrows():
        at = runs[runs["depth"] == row["depth"]]
        a = at[at["init"] == row["a"]].set_index("seed")["test_accuracy"]
        b = at[at["init"] == row["b"]].set_index("seed")["test_accuracy"]
        both = pd.concat([a, b], axis=1).dropna()
        expected = stats.wilcoxon(both.iloc[:, 0], both.iloc[:, 1])
        assert row["n"] == len(both) == (5 if row["depth"] == 2 else 4)
        assert row["p_value"] == pytest.approx(expected.pvalue)
        assert row["rank_biserial"] == pytest.approx(
            S.rank_biserial(both.iloc[:, 0] - both.iloc[:, 1])
        )


def test_unknown_group_column_is_one_clear_error():
    with pytest.raises(InitlabError, match=r"unknown column 'dpeth' in --by \(did you mean "):
        S.summary_table(_runs(), "init,dpeth", target=0.9)
    with pytest.raises(InitlabError, match="names a column twice"):
        S.check_by("init,init")
