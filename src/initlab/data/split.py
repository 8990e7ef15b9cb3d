"""A fixed, stratified train/test split: every class keeps its share in both parts."""

from __future__ import annotations

import numpy as np

from initlab.errors import InitlabError


def stratified_split(
    y: np.ndarray, test_fraction: float, rng: np.random.Generator, where: str = "the data"
) -> tuple[np.ndarray, np.ndarray]:
    """Indices ``(train, test)``, each in increasing order.

    Each class c with n_c samples puts ⌊test_fraction · n_c + ½⌋, at least 1 and at most n_c − 1,
    into the test part, chosen by ``rng``; so a class needs at least 2 samples and each part gets
    at least one sample of every class (and so at least 2 samples in all). ``where`` names the
    source in errors.
    """
    train: list[np.ndarray] = []
    test: list[np.ndarray] = []
    for c in np.unique(y):
        members = np.flatnonzero(y == c)
        if members.size < 2:
            raise InitlabError(
                f"{where}: class {int(c)} has only {members.size} sample; every class needs at "
                "least 2, so that both the training and the test split get one"
            )
        shuffled = rng.permutation(members)
        n_test = min(max(int(np.floor(test_fraction * members.size + 0.5)), 1), members.size - 1)
        test.append(shuffled[:n_test])
        train.append(shuffled[n_test:])
    return np.sort(np.concatenate(train)), np.sort(np.concatenate(test))
