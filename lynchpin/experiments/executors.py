"""One execution interface for every backend: a `concurrent.futures.Executor`.

The runner only calls `submit` and waits on futures, so running in-process, in a local process
pool or on a Dask cluster changes wall time but never the numbers: every task is a whole run or
a block-aligned chunk of worlds, each with its own random streams.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import select
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
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
        with ProcessPoolExecutor(
            n,
            mp_context=multiprocessing.get_context(method),
            initializer=end_with_parent,
            initargs=(os.getpid(),),
        ) as pool:
            yield pool
    else:
        yield from _dask_executor(n, scheduler)


def end_with_parent(parent: int) -> None:
    """Worker initializer: exit as soon as process `parent` (the command) has ended.

    A pool's workers wait on a queue whose write end they hold themselves, so after `kill -9`
    of the command they (and the forkserver that made them) would wait for ever, holding
    gigabytes. A daemon thread blocks on a pidfd of the parent (Linux >= 5.3), which becomes
    readable when the parent exits, or else polls for it once a second.
    """
    threading.Thread(target=_watch, args=(parent,), daemon=True, name="end-with-parent").start()


def _watch(parent: int) -> None:
    try:
        handle = os.pidfd_open(parent)
    except (AttributeError, OSError):
        handle = None
    if handle is not None:
        select.select([handle], [], [])
        os._exit(1)
    while True:
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:
            pass
        time.sleep(1.0)


def _dask_executor(workers: int, scheduler: str | None) -> Iterator[Executor]:
    from distributed import Client, LocalCluster

    if scheduler:
        check_scheduler_address(scheduler)
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, ValueError, TypeError) as error:
            raise UserError(
                f"--scheduler: cannot reach Dask scheduler {scheduler}: {error}"
            ) from None
        with client:
            yield client.get_executor(pure=False)
        return
    import dask

    # distributed always starts an HTTP server in the scheduler and in each worker, even with
    # no dashboard. Bind them to 127.0.0.1 (the scheduler's on a free port, not 8787) and give
    # them no routes, so the only listening sockets are loopback ones that serve nothing.
    no_http = {"distributed.scheduler.http.routes": [], "distributed.worker.http.routes": []}
    with dask.config.set(no_http):
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            worker_dashboard_address=None,
            scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
        )
    with cluster, Client(cluster) as client:
        yield client.get_executor(pure=False)


_ADDRESS = re.compile(r"^(?:(tcp|tls|inproc|ucx|ws|wss)://)?[A-Za-z0-9_.\-\[\]:]+$")


def check_scheduler_address(address: str) -> None:
    """A Dask scheduler address looks like tcp://host:8786 (UserError naming it otherwise)."""
    match = _ADDRESS.match(address)
    port = address.rsplit(":", 1)[-1] if match else ""
    if not match or not port.isdigit() or not 0 < int(port) <= 65535:
        raise UserError(
            f"--scheduler {address!r}: expected an address like tcp://host:8786 "
            "(protocol://host:port, port 1..65535)"
        )


def worker_count(executor: Executor) -> int:
    """How many tasks the executor runs at once (1 for serial; Dask: threads of its workers)."""
    if isinstance(executor, SerialExecutor):
        return 1
    client = getattr(executor, "_client", None)  # distributed.client.ClientExecutor
    if client is not None:
        return max(1, sum(client.nthreads().values()))
    return max(1, getattr(executor, "_max_workers", None) or os.cpu_count() or 1)


def shares_filesystem(executor: Executor, folder: Path) -> bool:
    """Whether every worker sees `folder` (always, except for a Dask cluster without it)."""
    client = getattr(executor, "_client", None)
    if client is None:
        return True
    probe = Path(folder).resolve() / f".probe-{uuid.uuid4().hex[:8]}"
    probe.touch()
    try:
        seen = client.run(os.path.isfile, str(probe))
    finally:
        probe.unlink(missing_ok=True)
    return bool(seen) and all(seen.values())
