"""Run many scenario runs on any executor: whole runs per task, or chunks of worlds per task.

A run is computed in three steps: `task` simulates each block-aligned chunk of worlds, `combine`
joins the chunks in world order, `finish` turns the joined result into what the caller keeps
(for `lynchpin batch`: writes the run folder and returns a small record). `combine(job, parts,
executor)` gets an executor it may spread a costly join over (a second pass over a big run's
chunks): the runner's own in chunks mode, a SerialExecutor inside a worker in runs mode. Where
the steps execute depends on the shape of the batch:

- `runs` mode (at least as many runs as workers): each run is one task, `run_job`, which does
  all three steps inside the worker and returns only `finish`'s value. The main process just
  waits, so it never competes with the workers.
- `chunks` mode (fewer runs than workers, e.g. one huge run): each chunk is one task; the main
  process combines a run's chunks (handing `combine` the executor, so the workers share that
  work too) and calls `finish` itself.

Chunks start on random-stream block boundaries, so a run's numbers are the same bit for bit
whatever the mode, the backend, the number of workers or the chunk size. The runner knows
nothing about files; `task`, `combine` and `finish` must be picklable (module-level functions
or partials of them) for the process and Dask backends.

An optional `collect(job, first_world, part)` runs on each chunk's result in the process that
computed it, before the part travels anywhere: a big run can put its chunks on disk there
(lynchpin.outputs.spill) and send back only where they are.
"""

from __future__ import annotations

import dataclasses
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

from lynchpin.experiments.executors import SerialExecutor, worker_count
from lynchpin.experiments.tasks import run_chunk
from lynchpin.model.config import ModelConfig
from lynchpin.model.results import Results
from lynchpin.model.run import plan_chunks

DEFAULT_CHUNK_WORLDS = 2500
Mode = Literal["auto", "runs", "chunks"]


@dataclass(frozen=True)
class Job:
    """One run to compute: a model configuration, its worlds and its seed.

    `payload` is opaque to the runner and travels with the job to `finish` (e.g. the scenario
    and the folder a batch run is written to).
    """

    key: str
    config: ModelConfig
    worlds: int
    seed: int
    name: str = "custom"
    payload: Any = None


def merge_results(job: Job, parts: list[Results], executor: Executor | None = None) -> Results:
    """Join a run's chunks in world order and label it with the run's scenario name (one
    concatenation per output: nothing worth spreading over `executor`)."""
    return dataclasses.replace(Results.merge(parts), scenario=job.name)


def keep(job: Job, value: Any, wall: float) -> Any:
    """The default `finish`: hand the combined result back unchanged."""
    return value


class Finished(NamedTuple):
    """What `run_job` sends back: `finish`'s value and the run's wall time in the worker."""

    value: Any
    wall: float


Collect = Callable[[Job, int, Any], Any]
Combine = Callable[[Job, list[Any], Executor], Any]


def run_piece(
    task: Callable[..., Any], collect: Collect | None, job: Job, first: int, n: int
) -> Any:
    """One chunk of a job: `task`'s result, passed through `collect` if there is one."""
    part = task(job.config, job.seed, first, n)
    return part if collect is None else collect(job, first, part)


def run_job(
    job: Job,
    chunk_worlds: int,
    task: Callable[..., Any] = run_chunk,
    combine: Combine = merge_results,
    finish: Callable[[Job, Any, float], Any] = keep,
    collect: Collect | None = None,
) -> Finished:
    """A whole run in one worker: its chunks in world order, combined, then finished.

    `finish(job, combined, wall)` gets the compute time so far (simulation and combination);
    the returned wall time also includes `finish`.
    """
    start = time.perf_counter()
    parts = [
        run_piece(task, collect, job, first, n)
        for first, n in plan_chunks(job.worlds, chunk_worlds)
    ]
    combined = combine(job, parts, SerialExecutor())
    del parts  # only the combined copy stays alive while finishing
    value = finish(job, combined, time.perf_counter() - start)
    return Finished(value, time.perf_counter() - start)


DoneCallback = Callable[[Job, Any, BaseException | None, float], None]
ProgressCallback = Callable[[int, int, str], None]


def choose_mode(jobs: int, workers: int, mode: Mode = "auto") -> Literal["runs", "chunks"]:
    """`runs` when every worker can get a whole run, else `chunks` (unless forced)."""
    if mode != "auto":
        return mode
    return "runs" if jobs >= workers else "chunks"


def execute(
    jobs: Sequence[Job],
    executor: Executor,
    on_done: DoneCallback,
    chunk_worlds: int = DEFAULT_CHUNK_WORLDS,
    task: Callable[..., Any] = run_chunk,
    combine: Combine = merge_results,
    finish: Callable[[Job, Any, float], Any] = keep,
    workers: int | None = None,
    mode: Mode = "auto",
    on_progress: ProgressCallback | None = None,
    collect: Collect | None = None,
) -> str:
    """Compute every job; call `on_done(job, value, error, wall_s)` per job, in completion order.

    `value` is `finish(job, combine(job, [task(...) per chunk], executor), wall)`. `workers`
    defaults to what the executor reports (`worker_count`). `on_progress(done, total, unit)` is
    called at the start and after each unit of work (unit is "runs" or "chunks"). A failure in
    any step fails only its run (`value` None, `error` set). Returns the mode used.
    """
    workers = workers or worker_count(executor)
    chosen = choose_mode(len(jobs), workers, mode)
    progress = on_progress or (lambda done, total, unit: None)
    steps = (task, combine, finish, collect)
    if chosen == "runs":
        _execute_runs(jobs, executor, on_done, chunk_worlds, steps, workers, progress)
    else:
        _execute_chunks(jobs, executor, on_done, chunk_worlds, steps, workers, progress)
    return chosen


def _execute_runs(jobs, executor, on_done, chunk_worlds, steps, workers, progress):
    """One task per run; at most `workers` in flight so each result is recorded promptly."""
    queue = deque(enumerate(jobs))
    in_flight: dict[Future, tuple[int, float]] = {}
    done_count = 0
    progress(0, len(jobs), "runs")

    def fill() -> None:
        while queue and len(in_flight) < max(1, workers):
            j, job = queue.popleft()
            submitted = time.perf_counter()
            in_flight[executor.submit(run_job, job, chunk_worlds, *steps)] = (j, submitted)

    try:
        fill()
        while in_flight:
            done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in done:
                j, submitted = in_flight.pop(future)
                error = future.exception()
                if error is None:
                    finished = future.result()
                    on_done(jobs[j], finished.value, None, finished.wall)
                else:
                    on_done(jobs[j], None, error, time.perf_counter() - submitted)
                done_count += 1
                progress(done_count, len(jobs), "runs")
            fill()
    finally:
        for future in in_flight:
            future.cancel()


def _execute_chunks(jobs, executor, on_done, chunk_worlds, steps, workers, progress):
    """One task per chunk; the main process combines and finishes each run."""
    task, combine, finish, collect = steps
    queue = deque(
        (j, k, first, n)
        for j, job in enumerate(jobs)
        for k, (first, n) in enumerate(plan_chunks(job.worlds, chunk_worlds))
    )
    total = len(queue)
    remaining = {j: 0 for j in range(len(jobs))}
    for j, _, _, _ in queue:
        remaining[j] += 1
    parts: dict[int, dict[int, Any]] = {j: {} for j in remaining}
    started: dict[int, float] = {}
    in_flight: dict[Future, tuple[int, int]] = {}
    window = max(8, 2 * workers)  # bounds memory; lets workers run ahead while a run is saved
    counted = 0
    progress(0, total, "chunks")

    def advance(n: int) -> None:
        nonlocal counted
        counted += n
        progress(counted, total, "chunks")

    def settle(j: int, value: Any, error: BaseException | None) -> None:
        advance(remaining[j])
        remaining[j] = 0
        parts[j].clear()
        on_done(jobs[j], value, error, time.perf_counter() - started[j])

    def fill() -> None:
        while queue and len(in_flight) < window:
            j, k, first, n = queue.popleft()
            if remaining[j] == 0:  # the run already failed
                continue
            started.setdefault(j, time.perf_counter())
            job = jobs[j]
            in_flight[executor.submit(run_piece, task, collect, job, first, n)] = (j, k)

    try:
        fill()
        while in_flight:
            done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in done:
                j, k = in_flight.pop(future)
                if remaining[j] == 0:
                    continue
                error = future.exception()
                if error is not None:
                    settle(j, None, error)
                    continue
                parts[j][k] = future.result()
                remaining[j] -= 1
                advance(1)
                if remaining[j] == 0:
                    # This run's chunks are all in: let workers start on the next ones first.
                    fill()
                    try:
                        ordered = [parts[j][i] for i in sorted(parts[j])]
                        combined = combine(jobs[j], ordered, executor)
                        parts[j].clear()
                        value, error = (
                            finish(jobs[j], combined, time.perf_counter() - started[j]),
                            None,
                        )
                    except Exception as failure:
                        value, error = None, failure
                    settle(j, value, error)
            fill()
    finally:
        for future in in_flight:
            future.cancel()
