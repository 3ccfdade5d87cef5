"""Files a run leaves behind: tables, manifest, per-world trajectories. No plotting here."""

from lynchpin.outputs.atomic import atomic_write_bytes, atomic_write_text
from lynchpin.outputs.headline import (
    KEY_OUTCOMES,
    PROBABILITY_LABEL,
    PROBABILITY_OUTCOMES,
    is_probability,
    key_outcomes,
    mean_interval,
)
from lynchpin.outputs.run_dir import (
    MANIFEST_FILE,
    SUMMARY_FILE,
    WORLDS_FILE,
    check_out_dir,
    check_out_location,
    folder_manifest,
    is_lynchpin_folder,
    read_run,
    recover_interrupted,
    safe_folder_name,
    staged_dir,
    write_run,
)

__all__ = [
    "KEY_OUTCOMES",
    "MANIFEST_FILE",
    "PROBABILITY_LABEL",
    "PROBABILITY_OUTCOMES",
    "SUMMARY_FILE",
    "WORLDS_FILE",
    "atomic_write_bytes",
    "atomic_write_text",
    "check_out_dir",
    "check_out_location",
    "folder_manifest",
    "is_lynchpin_folder",
    "is_probability",
    "key_outcomes",
    "mean_interval",
    "read_run",
    "recover_interrupted",
    "safe_folder_name",
    "staged_dir",
    "write_run",
]
