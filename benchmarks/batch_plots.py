"""What charts cost a batch: `lynchpin batch` of 10 runs x 1,000 worlds with and without --plots.

Both run with `--executor serial` in a fresh subprocess; best of `--repeats`. CPU seconds are
those of the whole process tree: with --plots the batch draws its charts in two forked chart
workers (lynchpin.plots.workers), which saves wall time on a machine with a free core and no
CPU time; `wall_ratio` shows that and means something only on a quiet machine. With
`--in-process` the batch is also measured with its charts drawn in its own process
(LYNCHPIN_CHART_WORKERS=0). Target: with charts <= 2x without.

    .venv/bin/python benchmarks/batch_plots.py [--runs 10] [--worlds 1000] [--repeats 2]

Last line: without_s=<cpu s> with_s=<cpu s> plots_ratio=<with/without> wall_ratio=<with/without>
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
    parser.add_argument("--in-process", action="store_true", help="also charts in one process")
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
        cases = [("without", [], "2"), ("with", ["--plots"], "2")]
        if options.in_process:
            cases.append(("in-process", ["--plots"], "0"))
        cost: dict[str, list] = {label: [] for label, _, _ in cases}
        for i in range(options.repeats):
            for label, extra, chart_workers in cases:
                os.environ["LYNCHPIN_CHART_WORKERS"] = chart_workers
                out = root / f"{label}-{i}"
                cmd = [sys.executable, "-m", "lynchpin", "batch", str(batch), "--out", str(out)]
                cost[label].append(child([*cmd, "--executor", "serial", *extra]))
    best = {label: min(t.cpu for t in timings) for label, timings in cost.items()}
    wall = {label: min(t.wall for t in timings) for label, timings in cost.items()}
    for label in cost:
        name = {"without": "without --plots", "with": "with --plots"}.get(label, "--plots, 1 proc")
        print(f"{name:>15}: cpu {best[label]:.2f} s, wall {wall[label]:.2f} s")
    ratio = best["with"] / best["without"]
    print(
        f"without_s={best['without']:.2f} with_s={best['with']:.2f} plots_ratio={ratio:.2f} "
        f"wall_ratio={wall['with'] / wall['without']:.2f}"
    )


if __name__ == "__main__":
    main()
