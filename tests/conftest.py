import os
import shutil
import tempfile

import matplotlib
import pytest

matplotlib.use("Agg")


def pytest_configure(config):
    """Kernels generated for a network's shape (initlab.engine.fused) go to a folder of this
    session's own, so no test depends on, or writes into, the user's cache."""
    config._initlab_kernels = tempfile.mkdtemp(prefix="initlab-test-kernels-")
    os.environ["INITLAB_CACHE_DIR"] = config._initlab_kernels


def pytest_unconfigure(config):
    shutil.rmtree(getattr(config, "_initlab_kernels", ""), ignore_errors=True)


@pytest.fixture(scope="session")
def seed_comparison():
    """The course's experiment, run once for the whole session."""
    import initlab

    return initlab.compare()
