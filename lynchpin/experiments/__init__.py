"""Experiments: what to run (batches, sweeps, samples) and how (executors, chunked runner).

Analysis of the results lives in `lynchpin.analysis`; writing them lives in `lynchpin.outputs`.
"""

from lynchpin.experiments.batch import Batch, RunSpec, grid_points, latin_hypercube, load_batch
from lynchpin.experiments.executors import (
    EXECUTORS,
    SerialExecutor,
    open_executor,
    shares_filesystem,
    worker_count,
)
from lynchpin.experiments.runner import DEFAULT_CHUNK_WORLDS, Job, choose_mode, execute, run_job

INDEX_FILE = "index.csv"  # batch folder layout: DIR/index.csv and DIR/runs/<run_id>/
RUNS_DIR = "runs"

__all__ = [
    "DEFAULT_CHUNK_WORLDS",
    "EXECUTORS",
    "INDEX_FILE",
    "RUNS_DIR",
    "Batch",
    "Job",
    "RunSpec",
    "SerialExecutor",
    "choose_mode",
    "execute",
    "grid_points",
    "latin_hypercube",
    "load_batch",
    "open_executor",
    "run_job",
    "shares_filesystem",
    "worker_count",
]
