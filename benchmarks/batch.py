"""Batch throughput: the same batch on serial, processes(2) and a Dask LocalCluster(2).

Each configuration runs `lynchpin batch` in a fresh subprocess; peak memory is the largest sum
of resident memory over that process tree (main process + workers), sampled with psutil.
Also checks that every backend wrote byte-identical summaries, shows how memory grows with the
number of worlds of a single run, and times one 10,000-world run split into chunks over
processes(2) (fewer runs than workers: chunks run in parallel, the main process merges).

    .venv/bin/python benchmarks/batch.py            # 20 runs x 10,000 worlds
    .venv/bin/python benchmarks/batch.py --quick    # 20 runs x 1,000 worlds
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

BUNDLED = [
    "baseline",
    "america-first",
    "china-slowdown",
    "cyber-article5",
    "fortified-alliance",
    "pandemic-distraction",
    "quad-institutionalised",
    "taiwan-strait-crisis",
    "us-retrenchment",
]
CONFIGS = [("serial", 1), ("processes", 2), ("dask", 2)]


def batch_yaml(worlds: int) -> str:
    """Nine bundled scenarios + an 11-point Latin hypercube on the baseline = 20 runs."""
    runs = "\n".join(f"  - {{scenario: {name}, worlds: {worlds}}}" for name in BUNDLED)
    return f"""name: benchmark
runs:
{runs}
sweeps:
  - scenario: baseline
    worlds: {worlds}
    design: latin_hypercube
    samples: 11
    seed: 1
    ranges:
      JPN.defence_ceiling: [0.01, 0.04]
      counter_a2ad_share: [0.0, 0.3]
"""


@dataclass
class Measured:
    """What one command cost: wall seconds, CPU seconds of its whole tree, and peak resident
    memory (MiB) of the tree and of its largest process of each kind."""

    wall: float
    cpu: float
    peak: float
    kinds: dict[str, float] = field(default_factory=dict)


def process_kind(process: psutil.Process, root: psutil.Process) -> str:
    """main (the command), helper (multiprocessing's resource tracker, or the forkserver that
    forks pool workers: a child with children) or worker (a pool or Dask worker process)."""
    if process.pid == root.pid:
        return "main"
    if "resource_tracker" in " ".join(process.cmdline()) or process.children():
        return "helper"
    return "worker"


def measure(args: list[str]) -> Measured:
    """Run a command; sample the resident memory of it and all its children every 50 ms.

    CPU seconds come from the kernel's accounting of waited-for descendants (RUSAGE_CHILDREN),
    so a worker that ended between two samples is still counted.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    root, peak, kinds = psutil.Process(proc.pid), 0, {}
    while proc.poll() is None:
        try:
            tree = [root, *root.children(recursive=True)]
            sizes = [(p, p.memory_info().rss) for p in tree if p.is_running()]
            peak = max(peak, sum(size for _, size in sizes))
            for process, size in sizes:
                kind = process_kind(process, root)
                kinds[kind] = max(kinds.get(kind, 0), size)
        except psutil.Error:
            pass
        time.sleep(0.05)
    wall = time.perf_counter() - start
    if proc.returncode:
        sys.exit(f"failed: {' '.join(args)}\n{proc.stderr.read().decode()}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    mib = {kind: size / 2**20 for kind, size in sorted(kinds.items())}
    return Measured(wall, cpu, peak / 2**20, mib)


def run_measured(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MiB) of a command and all its children."""
    measured = measure(args)
    return measured.wall, measured.peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 worlds per run")
    options = parser.parse_args()
    worlds = 1000 if options.quick else 10_000
    lynchpin = [sys.executable, "-m", "lynchpin"]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        batch = root / "bench.yaml"
        batch.write_text(batch_yaml(worlds))
        print(f"batch: 20 runs x {worlds:,} worlds, chunks of 2,500 worlds")
        walls, summaries = {}, {}
        for kind, workers in CONFIGS:
            out = root / kind
            cmd = [*lynchpin, "batch", str(batch), "--out", str(out), "--executor", kind]
            wall, peak = run_measured([*cmd, "--workers", str(workers)])
            walls[kind] = wall
            summaries[kind] = {
                p.parent.name: p.read_bytes() for p in out.glob("runs/*/summary.csv")
            }
            speedup = walls["serial"] / wall
            line = f"{kind:>9} x{workers}: {wall:6.1f} s  speedup {speedup:4.2f}x"
            print(f"{line}  peak {peak:5.0f} MiB")
        same = all(summaries[k] == summaries["serial"] for k in walls)
        print(f"summaries identical across backends: {'yes' if same else 'NO'}")
        for n in (2500, 5000, 10_000):
            one = root / f"one-{n}.yaml"
            one.write_text(f"name: one\nruns:\n  - {{scenario: baseline, worlds: {n}}}\n")
            cmd = [*lynchpin, "batch", str(one), "--out", str(root / f"one-{n}")]
            wall, peak = run_measured([*cmd, "--executor", "serial", "--chunk-worlds", str(n)])
            print(
                f"one run, {n:>6,} worlds (serial, one chunk): {wall:5.1f} s  peak {peak:5.0f} MiB"
            )
            if n == worlds:
                cmd = [*lynchpin, "batch", str(one), "--out", str(root / f"one-{n}-pool")]
                wall, peak = run_measured([*cmd, "--executor", "processes", "--workers", "2"])
                print(
                    f"one run, {n:>6,} worlds (processes x2, chunks of 2,500): {wall:5.1f} s  "
                    f"peak {peak:5.0f} MiB"
                )


if __name__ == "__main__":
    main()
