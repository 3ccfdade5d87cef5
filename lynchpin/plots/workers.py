"""A run's charts drawn in worker processes while the main process writes its other files.

Drawing a big run's nine charts costs more CPU than its summary, tables and report together,
and matplotlib's import alone about half a 10,000-world simulation. `ChartWorkers` forks its
workers *before* the simulation, once Mesa and pandas are imported, so they import matplotlib
while the model runs (the main process never imports it) and share everything imported before
the fork. After the run each worker draws its share of the charts from the summary and the
few per-world outputs the charts read, and sends back the files' bytes; the main process
writes them into the run's staging folder. The bytes are the ones `plot_run` writes in
process (tests/test_plots_workers.py).

Only where it pays and is safe: at least PARALLEL_WORLDS worlds, a `fork` start method, no
other thread running (forking a threaded process can deadlock). Otherwise `draw` draws in
this process, so callers have one code path.

A batch whose runs are written in the main process (`--executor serial`) forks its workers
once, before its first run (`batch_chart_workers`), and every run's charts are drawn in them
(`batch_charts`, the batch's plotter): a worker draws many runs, each from that run's inputs
alone (figures are reused, never their content), so a run's charts are the bytes it would
get in a fresh process.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from lynchpin.model.results import Results

PARALLEL_WORLDS = 2000  # below this, forking and shipping cost more than the charts
WORKERS_VARIABLE = "LYNCHPIN_CHART_WORKERS"  # 0: always draw in the main process
# Per-world outputs the standard charts read besides the summary (probabilities' exact
# intervals, yearly counts); everything else comes from the summary.
CHART_OUTPUTS = frozenset(
    {
        "armed_conflict",
        "at_war",
        "gray_zone_incidents",
        "incidents_maritime",
        "incidents_air",
        "incidents_cyber",
        "crises",
    }
)
Files = list[tuple[str, bytes]]


def _prepare(parent: int) -> None:
    """Worker initializer: end with the command, leave Ctrl-C to it (no traceback from a
    worker), and import matplotlib while it simulates."""
    import signal

    from lynchpin.experiments.executors import end_with_parent

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    end_with_parent(parent)
    import lynchpin.plots.run_plots  # noqa: F401


def chart_files(
    summary: pd.DataFrame,
    scenario: str,
    worlds: int,
    results: Results | None,
    formats: tuple[str, ...],
    uncertainty: str | None,
    names: Sequence[str] | None = None,
) -> Files:
    """(file name, bytes) of the standard charts `names` (default: all) — the worker task."""
    from lynchpin.plots.run_plots import chart_bytes

    return chart_bytes(summary, scenario, worlds, results, formats, uncertainty, names)


def chart_inputs(results: Results) -> Results:
    """The part of a run's results the charts read: small enough to ship to a worker."""
    import dataclasses

    kept = {key: array for key, array in results.values.items() if key[1] in CHART_OUTPUTS}
    return dataclasses.replace(results, values=kept)


def shares(names: Sequence[str], parts: int) -> list[list[str]]:
    """Charts split into `parts` groups of about equal cost (panels + 1 per chart, greedy)."""
    from lynchpin.plots.charts import CHARTS

    weight = {c.filename: len(c.panels) + 1 for c in CHARTS}
    groups: list[list[str]] = [[] for _ in range(parts)]
    loads = [0] * parts
    for name in sorted(names, key=lambda n: -weight.get(n, 1)):
        i = loads.index(min(loads))
        groups[i].append(name)
        loads[i] += weight.get(name, 1)
    return [g for g in groups if g]


class ChartWorkers:
    """Worker processes that draw one run's charts; a context manager (shuts them down).

    `ChartWorkers(worlds)` forks now if the run is big enough and forking is safe; `draw`
    returns the chart files, drawn in the workers or, without them, in this process.
    """

    def __init__(
        self, worlds: int, workers: int | None = None, start_method: str | None = None
    ) -> None:
        """`workers` default: $LYNCHPIN_CHART_WORKERS, else 2. `start_method` forces workers
        started that way whatever the run's size (tests use forkserver: pytest has threads)."""
        self._pool: ProcessPoolExecutor | None = None
        if workers is None:
            workers = int(os.environ.get(WORKERS_VARIABLE) or 2)
        if workers > 0 and (start_method or (worlds >= PARALLEL_WORLDS and _can_fork())):
            self._pool = ProcessPoolExecutor(
                workers,
                mp_context=multiprocessing.get_context(start_method or "fork"),
                initializer=_prepare,
                initargs=(os.getpid(),),
            )
            self._pool.submit(int).result()  # start them now: they import while we simulate
            self._workers = workers

    @property
    def parallel(self) -> bool:
        return self._pool is not None

    def submit(
        self,
        summary: pd.DataFrame,
        scenario: str,
        worlds: int,
        results: Results | None,
        formats: tuple[str, ...] = ("png",),
        uncertainty: str | None = None,
    ) -> list[Future[Files]]:
        """Start drawing every standard chart; the futures' files, in chart order, once done."""
        if self._pool is None:
            future: Future[Files] = Future()
            future.set_result(chart_files(summary, scenario, worlds, results, formats, uncertainty))
            return [future]
        from lynchpin.plots.charts import CHART_NAMES

        light = chart_inputs(results) if results is not None else None
        return [
            self._pool.submit(
                chart_files, summary, scenario, worlds, light, formats, uncertainty, group
            )
            for group in shares(CHART_NAMES, self._workers)
        ]

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> ChartWorkers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def write_chart_files(futures: Sequence[Future[Files]], folder: Path) -> list[Path]:
    """Wait for the charts and write them into `folder` (atomically, in chart order)."""
    from lynchpin.outputs.atomic import atomic_write_bytes
    from lynchpin.plots.charts import CHART_NAMES

    files = dict(pair for future in futures for pair in future.result())
    order = {stem: i for i, stem in enumerate(n[:-4] for n in CHART_NAMES)}
    names = sorted(files, key=lambda n: (order.get(n.rsplit(".", 1)[0], len(order)), n))
    return [atomic_write_bytes(folder / name, files[name]) for name in names]


_BATCH: tuple[int, ChartWorkers] | None = None  # (pid of the batch's process, its workers)


@contextmanager
def batch_chart_workers(
    worlds: int, workers: int | None = None, start_method: str | None = None
) -> Iterator[ChartWorkers]:
    """Chart workers for the runs of a batch this process writes (`worlds`: all their worlds;
    `workers`, `start_method` as for ChartWorkers), used by `batch_charts` until the block
    ends. Enter before any thread or executor starts."""
    global _BATCH
    with ChartWorkers(worlds, workers, start_method) as pool:
        _BATCH = (os.getpid(), pool) if pool.parallel else None
        try:
            yield pool
        finally:
            _BATCH = None


def batch_charts(summary: pd.DataFrame, results: Results) -> Callable[[Path], list[Path]]:
    """Plotter of a batch run: start drawing its standard charts (in the batch's chart workers
    when this process has them, else here and now); the returned function waits for them and
    writes them into a staging run folder's plots/."""
    from lynchpin.model.results import Results

    workers = None
    if _BATCH is not None and _BATCH[0] == os.getpid() and isinstance(results, Results):
        workers = _BATCH[1]  # not in a forked executor worker; spilled runs stay here
    pool = workers or ChartWorkers(0)
    drawing = pool.submit(summary, results.scenario, results.worlds, results)
    return lambda folder: write_chart_files(drawing, Path(folder) / "plots")


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
