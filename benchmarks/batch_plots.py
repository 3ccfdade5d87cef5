"""What charts cost a batch: `lynchpin batch` of 10 runs x 1,000 worlds with and without --plots.

Both run serially in a fresh subprocess (one process, so its CPU seconds are the batch's work
even on a shared machine); best of `--repeats`. Target: with charts <= 2x without.

    .venv/bin/python benchmarks/batch_plots.py [--runs 10] [--worlds 1000] [--repeats 2]

Last line: without_s=<cpu s> with_s=<cpu s> plots_ratio=<with/without>
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from pipeline import child


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--worlds", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=2)
    options = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start")
    with tempfile.TemporaryDirectory(prefix="lynchpin-batch-plots-") as tmp:
        root = Path(tmp)
        batch = root / "b.yaml"
        runs = "\n".join(
            f"  - {{scenario: baseline, worlds: {options.worlds}, seed: {seed}}}"
            for seed in range(options.runs)
        )
        batch.write_text(f"name: plots\nruns:\n{runs}\n")
        cost: dict[str, list] = {"without": [], "with": []}
        for i in range(options.repeats):
            for label, extra in (("without", []), ("with", ["--plots"])):
                out = root / f"{label}-{i}"
                cmd = [sys.executable, "-m", "lynchpin", "batch", str(batch), "--out", str(out)]
                cost[label].append(child([*cmd, "--executor", "serial", *extra]))
    best = {label: min(t.cpu for t in timings) for label, timings in cost.items()}
    for label, timings in cost.items():
        wall = min(t.wall for t in timings)
        print(f"{label:>7} --plots: cpu {best[label]:.2f} s, wall {wall:.2f} s")
    ratio = best["with"] / best["without"]
    print(f"without_s={best['without']:.2f} with_s={best['with']:.2f} plots_ratio={ratio:.2f}")


if __name__ == "__main__":
    main()
