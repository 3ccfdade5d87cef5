"""One execution interface for every backend: a `concurrent.futures.Executor`.

The runner only calls `submit` and waits on futures, so running in-process, in a local process
pool or on a Dask cluster changes wall time but never the numbers: every task is a block-aligned
chunk of worlds with its own random streams.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Literal

from lynchpin.errors import UserError

ExecutorKind = Literal["serial", "processes", "dask"]
EXECUTORS: tuple[str, ...] = ("serial", "processes", "dask")


class SerialExecutor(Executor):
    """Runs each task at submit time in this process: no pickling, easy debugging."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except KeyboardInterrupt:
            raise
        except BaseException as error:  # the runner records it against the run
            future.set_exception(error)
        return future


@contextmanager
def open_executor(
    kind: str = "serial", workers: int | None = None, scheduler: str | None = None
) -> Iterator[Executor]:
    """Yield a ready executor of `kind`; shut it (and any cluster it started) down afterwards.

    `workers` defaults to the number of CPUs. For Dask, `scheduler` is the address of a running
    scheduler (tcp://host:8786); without one a LocalCluster of single-threaded worker processes
    is started on 127.0.0.1 only.
    """
    if kind not in EXECUTORS:
        raise UserError(
            f"--executor: unknown executor {kind!r}; expected one of serial, processes, dask"
        )
    if workers is not None and workers < 1:
        raise UserError("--workers: must be at least 1")
    if scheduler and kind != "dask":
        raise UserError("--scheduler: only meaningful with --executor dask")
    n = workers or multiprocessing.cpu_count()
    if kind == "serial":
        yield SerialExecutor()
    elif kind == "processes":
        # spawn/forkserver: no inherited locks or threads from the parent (fork is unsafe here).
        method = (
            "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        )
        with ProcessPoolExecutor(n, mp_context=multiprocessing.get_context(method)) as pool:
            yield pool
    else:
        yield from _dask_executor(n, scheduler)


def _dask_executor(workers: int, scheduler: str | None) -> Iterator[Executor]:
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout="10s")
        except OSError as error:
            raise UserError(
                f"--scheduler: cannot reach Dask scheduler {scheduler}: {error}"
            ) from None
        with client:
            yield client.get_executor(pure=False)
        return
    cluster = LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    )
    with cluster, Client(cluster) as client:
        yield client.get_executor(pure=False)
