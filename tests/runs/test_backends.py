"""Backends: a Dask cluster gives the local backend's rows and numbers; bad addresses fail fast."""

import socket

import pytest
from helpers import store_rows

from initlab.errors import InitlabError
from initlab.runs import backends
from initlab.runs.execute import execute
from initlab.runs.grid import make_grid


def _rows(path):
    return store_rows(
        path,
        "key, init, seed, lr, final_cost, best_cost, test_cost, train_accuracy, test_accuracy, "
        "diverged_at, iters_to_target",
    )


def test_dask_equals_local(tmp_path):
    """A LocalCluster of 2 worker processes on loopback, reached through its tcp:// address;
    a residual network's batches travel to the workers with their blocks."""
    from distributed import LocalCluster

    grid = make_grid(
        "zeros,random,he",
        "0-3",
        lrs="0.01,0.1",
        layers="auto,10,5,auto;auto,4,res4x2,auto",
        iterations=200,
        every=50,
    )
    local = execute(
        grid, str(tmp_path / "local.db"), backends.get("local", engine="numpy"), batch_size=5
    )
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=":0"
    ) as cluster:
        runner = backends.get("dask", scheduler=cluster.scheduler_address, engine="numpy")
        remote = execute(grid, str(tmp_path / "dask.db"), runner, batch_size=5)
        again = execute(grid, str(tmp_path / "dask.db"), runner, batch_size=5)
    assert (local.ran, remote.ran, remote.batches, remote.backend) == (48, 48, 10, "dask")
    assert (again.already, again.ran) == (48, 0)  # resume works the same through Dask
    assert _rows(tmp_path / "dask.db") == _rows(tmp_path / "local.db")
    assert {row[1] for row in store_rows(tmp_path / "dask.db", "key, layers")[0]} == {
        "2-10-5-1",
        "2-4-res4x2-1",
    }


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unreachable_scheduler_is_one_clear_error(tmp_path):
    address = f"tcp://127.0.0.1:{_free_port()}"
    runner = backends.get("dask", scheduler=address, timeout=1)
    grid = make_grid("he", "0", iterations=5, every=5)
    with pytest.raises(
        InitlabError, match=f"cannot reach the Dask scheduler at {address} within 1 s"
    ):
        execute(grid, str(tmp_path / "s.db"), runner)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"name": "spark"}, "unknown backend 'spark'"),
        ({"name": "local", "scheduler": "tcp://1.2.3.4:8786"}, "needs --backend dask"),
        ({"name": "dask", "timeout": 0}, "timeout must be a number > 0"),
    ],
)
def test_bad_backend_settings(kwargs, message):
    with pytest.raises(InitlabError, match=message):
        backends.get(**kwargs)


def test_a_bad_address_is_refused_before_connecting(tmp_path):
    runner = backends.get("dask", scheduler="tcp://nowhere", timeout=1)
    with pytest.raises(InitlabError, match="bad scheduler address 'tcp://nowhere'"):
        execute(make_grid("he", "0", iterations=5, every=5), str(tmp_path / "s.db"), runner)
