import matplotlib
import pytest

matplotlib.use("Agg")


@pytest.fixture(scope="session")
def seed_comparison():
    """The course's experiment, run once for the whole session."""
    import initlab

    return initlab.compare()
