"""What a request will cost before it is spent: memory and time of runs, batches, designs.

A run of 10^6 worlds or a grid of 10^9 points is refused with the estimate in the message,
instead of dying with a MemoryError (or being killed) after minutes of work. The figures are
measured on the reference machine (docs/batches.md): per world-quarter-output a run holds the
trajectory (8 bytes) about three times at its peak (trajectories, the stacked copy and the
sorted copy the quantiles need), and `--keep-worlds` adds the long per-world table and its
Parquet encoding (about twelve times more). Time is per simulated world-quarter plus a fixed
cost per quarter. `--force` runs anyway.

Checked against peak RSS of `lynchpin run baseline --no-plots` (51 outputs, 64 quarters):
4,000 worlds 534 MB measured / 599 MB estimated, with --keep-worlds 1,752 / 1,794 MB; 8,000
worlds 846 / 897 MB, with --keep-worlds 3,241 / 3,287 MB.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

from lynchpin.errors import UserError
from lynchpin.model.config import ModelConfig

BYTES_PER_VALUE = 8
PEAK_COPIES = 3.0  # trajectory + stacked copy + quantile sort
KEEP_WORLDS_COPIES = 12.0  # per_world() long table + Parquet buffer, per value
PROCESS_BASE_BYTES = 300 * 1024**2  # an interpreter with numpy, pandas, mesa imported
SECONDS_PER_WORLD_QUARTER = 4e-6
SECONDS_PER_QUARTER = 3e-3
MEMORY_FRACTION = 0.8  # of what the machine (or container) has available
MAX_SECONDS = 24 * 3600.0  # longer requests need --force: a typo (10^6 worlds) is likelier
MAX_DESIGN_POINTS = 100_000  # grid points, samples or sensitivity evaluations in one request
FORCE_HINT = "pass --force to start it anyway"


@dataclass(frozen=True)
class Estimate:
    """Peak memory (bytes, for what runs at once) and wall time (seconds) of a request."""

    memory: float
    seconds: float

    def __str__(self) -> str:
        return f"about {_bytes(self.memory)} of memory and {_duration(self.seconds)}"


def output_count(config: ModelConfig) -> int:
    """How many (actor, metric) outputs the model records for this configuration."""
    from lynchpin.agents import ROLE_CLASSES
    from lynchpin.model.system import SYSTEM_OUTPUTS

    return sum(len(ROLE_CLASSES[a.role].outputs) for a in config.actors) + len(SYSTEM_OUTPUTS)


def run_memory(config: ModelConfig, worlds: int, keep_worlds: bool = False) -> float:
    """Peak bytes of one run of `worlds` worlds, beyond the interpreter itself."""
    values = float(worlds) * config.periods * output_count(config)
    copies = PEAK_COPIES + (KEEP_WORLDS_COPIES if keep_worlds else 0.0)
    return values * BYTES_PER_VALUE * copies


def run_seconds(config: ModelConfig, worlds: int) -> float:
    """Wall time of one run on one core."""
    return config.periods * (SECONDS_PER_QUARTER + worlds * SECONDS_PER_WORLD_QUARTER)


def run_estimate(config: ModelConfig, worlds: int, keep_worlds: bool = False) -> Estimate:
    """One run in this process."""
    return Estimate(
        PROCESS_BASE_BYTES + run_memory(config, worlds, keep_worlds), run_seconds(config, worlds)
    )


def parallel_workers(executor: str, workers: int | None) -> int:
    """How many runs go at once on `executor` ("serial", "processes", "dask") with `workers`
    (None: one per CPU): what a batch's cost estimate divides its time by."""
    return 1 if executor == "serial" else workers or os.cpu_count() or 1


def batch_estimate(
    runs: list[tuple[ModelConfig, int]], workers: int, keep_worlds: bool = False
) -> Estimate:
    """Runs (config, worlds) spread over `workers` processes: the largest runs at once, and the
    total time divided among the workers."""
    if not runs:
        return Estimate(PROCESS_BASE_BYTES, 0.0)
    parallel = max(1, min(workers, len(runs)))
    sizes = sorted((run_memory(c, w, keep_worlds) for c, w in runs), reverse=True)
    memory = PROCESS_BASE_BYTES * (parallel + 1) + sum(sizes[:parallel])
    seconds = sum(run_seconds(c, w) for c, w in runs) / parallel
    return Estimate(memory, seconds)


def available_memory() -> float | None:
    """Bytes this process may still use: MemAvailable, or a smaller cgroup (container) limit."""
    found: list[float] = []
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                found.append(float(line.split()[1]) * 1024)
    except (OSError, ValueError, IndexError):
        pass
    try:
        limit = Path("/sys/fs/cgroup/memory.max").read_text().strip()
        used = Path("/sys/fs/cgroup/memory.current").read_text().strip()
        if limit.isdigit() and used.isdigit():
            found.append(float(limit) - float(used))
    except OSError:
        pass
    if not found and hasattr(os, "sysconf"):
        with contextlib.suppress(ValueError, OSError):
            found.append(float(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")))
    return min(found) if found else None


def check_cost(what: str, estimate: Estimate, force: bool) -> None:
    """Refuse (UserError with the estimate) what would not fit in memory or would take more
    than MAX_SECONDS, unless `force`."""
    if force:
        return
    available = available_memory()
    if available is not None and estimate.memory > MEMORY_FRACTION * available:
        raise UserError(
            f"{what} needs {estimate}; only {_bytes(available)} of memory is available",
            f"  use fewer worlds (or a batch with --chunk-worlds), or {FORCE_HINT}",
        )
    if estimate.seconds > MAX_SECONDS:
        raise UserError(
            f"{what} needs {estimate}, more than the {_duration(MAX_SECONDS)} limit",
            f"  use fewer worlds, runs or samples, or {FORCE_HINT}",
        )


def check_design_size(what: str, points: int, limit: int = MAX_DESIGN_POINTS) -> None:
    """Refuse a design (grid, sample, sensitivity evaluations) too large to even list."""
    if points > limit:
        raise UserError(f"{what} has {points:,} points; at most {limit:,} are allowed")


def _bytes(size: float) -> str:
    for unit, scale in (("TB", 1024**4), ("GB", 1024**3), ("MB", 1024**2)):
        if size >= scale:
            return f"{size / scale:,.1f} {unit}"
    return f"{size / 1024:,.0f} KB"


def _duration(seconds: float) -> str:
    if seconds >= 2 * 86400:
        return f"{seconds / 86400:,.0f} days"
    if seconds >= 7200:
        return f"{seconds / 3600:,.0f} hours"
    if seconds >= 120:
        return f"{seconds / 60:,.0f} minutes"
    return f"{seconds:,.0f} s"
