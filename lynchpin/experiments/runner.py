"""Run many scenario runs as chunks of worlds on any executor, and join chunks in world order.

Chunks start on random-stream block boundaries, so a run's joined result is the same bit for bit
whatever the backend, the number of workers or the chunk size. The runner knows nothing about
files: callers get each finished (or failed) run through `on_done`, in completion order.
"""

from __future__ import annotations

import dataclasses
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from dataclasses import dataclass
from typing import Any

from lynchpin.experiments.tasks import run_chunk
from lynchpin.model.config import ModelConfig
from lynchpin.model.results import Results
from lynchpin.model.run import plan_chunks

DEFAULT_CHUNK_WORLDS = 2500


@dataclass(frozen=True)
class Job:
    """One run to compute: a model configuration, its worlds and its seed."""

    key: str
    config: ModelConfig
    worlds: int
    seed: int
    name: str = "custom"


def merge_results(job: Job, parts: list[Results]) -> Results:
    """Join a run's chunks in world order and label it with the run's scenario name."""
    return dataclasses.replace(Results.merge(parts), scenario=job.name)


DoneCallback = Callable[[Job, Any, BaseException | None, float], None]


def execute(
    jobs: Sequence[Job],
    executor: Executor,
    on_done: DoneCallback,
    chunk_worlds: int = DEFAULT_CHUNK_WORLDS,
    task: Callable[..., Any] = run_chunk,
    combine: Callable[[Job, list[Any]], Any] = merge_results,
    on_chunks: Callable[[int], None] | None = None,
    window: int = 8,
) -> None:
    """Compute every job chunk by chunk; call `on_done(job, result, error, wall_s)` per job.

    `task(config, seed, first_world, worlds)` computes one chunk and `combine(job, parts)` joins
    the parts in world order. At most `window` chunks are in flight, which bounds memory and lets
    the caller save one run while workers compute the next. A failing chunk fails only its run.
    """
    queue = deque(
        (j, k, first, n)
        for j, job in enumerate(jobs)
        for k, (first, n) in enumerate(plan_chunks(job.worlds, chunk_worlds))
    )
    remaining = {j: 0 for j in range(len(jobs))}
    for j, _, _, _ in queue:
        remaining[j] += 1
    parts: dict[int, dict[int, Any]] = {j: {} for j in remaining}
    started: dict[int, float] = {}
    in_flight: dict[Future, tuple[int, int]] = {}
    advance = on_chunks or (lambda n: None)

    def finish(j: int, result: Any, error: BaseException | None) -> None:
        advance(remaining[j])
        remaining[j] = 0
        parts[j].clear()
        on_done(jobs[j], result, error, time.perf_counter() - started[j])

    def fill() -> None:
        while queue and len(in_flight) < window:
            j, k, first, n = queue.popleft()
            if remaining[j] == 0:  # the run already failed
                continue
            started.setdefault(j, time.perf_counter())
            job = jobs[j]
            in_flight[executor.submit(task, job.config, job.seed, first, n)] = (j, k)

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
                    finish(j, None, error)
                    continue
                parts[j][k] = future.result()
                remaining[j] -= 1
                advance(1)
                if remaining[j] == 0:
                    try:
                        result, error = (
                            combine(jobs[j], [parts[j][i] for i in sorted(parts[j])]),
                            None,
                        )
                    except Exception as failure:
                        result, error = None, failure
                    finish(j, result, error)
            fill()
    finally:
        for future in in_flight:
            future.cancel()
