"""Files a run leaves behind: tables, manifest, per-world trajectories. No plotting here."""

from lynchpin.outputs.atomic import atomic_write_bytes, atomic_write_text
from lynchpin.outputs.headline import KEY_OUTCOMES, key_outcomes
from lynchpin.outputs.run_dir import (
    MANIFEST_FILE,
    SUMMARY_FILE,
    WORLDS_FILE,
    check_out_dir,
    read_run,
    write_run,
)

__all__ = [
    "KEY_OUTCOMES",
    "MANIFEST_FILE",
    "SUMMARY_FILE",
    "WORLDS_FILE",
    "atomic_write_bytes",
    "atomic_write_text",
    "check_out_dir",
    "key_outcomes",
    "read_run",
    "write_run",
]
