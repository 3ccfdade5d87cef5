"""One run of 100,000 worlds in chunks: serial against a Dask LocalCluster of 2 workers.

Each configuration runs `lynchpin batch` in a fresh subprocess; peak memory is the largest sum
of resident memory over that process tree (main process + workers), sampled with psutil. The
chunks of a run this big wait on disk (lynchpin.outputs.spill), so memory stays flat while the
summary remains the exact one; the script checks both backends wrote identical summary.csv.

    .venv/bin/python benchmarks/big_run.py [--worlds 100000]

Last line: serial_s=<s> dask_s=<s> speedup=<serial/dask> peak_mib=<largest peak> identical=<yes|NO>
(targets: speedup >= 1.7 on an idle 2-core machine, peak_mib <= 2048).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from batch import measure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worlds", type=int, default=100_000)
    options = parser.parse_args()
    lynchpin = [sys.executable, "-m", "lynchpin"]
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start")
    with tempfile.TemporaryDirectory(prefix="lynchpin-big-") as tmp:
        root = Path(tmp)
        batch = root / "big.yaml"
        batch.write_text(
            f"name: big\nruns:\n  - {{scenario: baseline, worlds: {options.worlds}}}\n"
        )
        walls, peaks, summaries = {}, {}, {}
        for kind, workers in (("serial", 1), ("dask", 2)):
            out = root / kind
            cmd = [*lynchpin, "batch", str(batch), "--out", str(out), "--executor", kind]
            measured = measure([*cmd, "--workers", str(workers)])
            walls[kind], peaks[kind] = measured.wall, measured.peak
            summaries[kind] = next(out.glob("runs/*/summary.csv")).read_bytes()
            largest = ", ".join(f"{k} {v:.0f}" for k, v in measured.kinds.items())
            print(
                f"{kind:>7} x{workers}: {measured.wall:6.1f} s  cpu {measured.cpu:6.1f} s  "
                f"peak {measured.peak:5.0f} MiB (largest process, MiB: {largest})"
            )
    same = summaries["serial"] == summaries["dask"]
    print(f"load average {os.getloadavg()[0]:.1f} at end")
    print(
        f"serial_s={walls['serial']:.1f} dask_s={walls['dask']:.1f} "
        f"speedup={walls['serial'] / walls['dask']:.2f} peak_mib={max(peaks.values()):.0f} "
        f"identical={'yes' if same else 'NO'}"
    )


if __name__ == "__main__":
    main()
