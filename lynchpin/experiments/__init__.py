"""Experiments: what to run (batches, sweeps, samples) and how (executors, chunked runner).

Analysis of the results lives in `lynchpin.analysis`; writing them lives in `lynchpin.outputs`.
"""

from lynchpin.experiments.batch import Batch, RunSpec, grid_points, latin_hypercube, load_batch
from lynchpin.experiments.executors import EXECUTORS, SerialExecutor, open_executor
from lynchpin.experiments.runner import DEFAULT_CHUNK_WORLDS, Job, execute

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
    "execute",
    "grid_points",
    "latin_hypercube",
    "load_batch",
    "open_executor",
]
