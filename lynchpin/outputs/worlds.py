"""worlds.parquet: every world's trajectory as a long table, written one output at a time.

The table is never built in memory: each (actor, metric) output of a piece of worlds becomes
one Parquet row group (periods x worlds rows), so peak memory is the run's arrays plus one row
group, whatever the number of worlds. Values stay float64 so that a summary or a comparison
recomputed from this file equals the one from the run bit for bit; the repeated text columns
cost little on disk because Parquet dictionary-encodes them.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from lynchpin.outputs.atomic import atomic_path

WORLDS_COLUMNS = ("scenario", "period", "actor", "metric", "world", "value")
_TEXT = pa.dictionary(pa.int32(), pa.string())
# Text columns are handed to Parquet as dictionaries (built in microseconds, written as the
# dictionary pages Parquet would make anyway); without the Arrow schema stored they read back
# as plain strings, as before.
SCHEMA = pa.schema(
    [
        ("scenario", _TEXT),
        ("period", _TEXT),
        ("actor", _TEXT),
        ("metric", _TEXT),
        ("world", pa.int64()),
        ("value", pa.float64()),
    ]
)
KEYS = ["scenario", "period", "actor", "metric", "world"]
# One piece: ((actor, metric), global index of its first world, array (periods, worlds)).
Piece = tuple[tuple[str, str], int, np.ndarray]


def worlds_table(scenario: str, periods: list[str], piece: Piece) -> pa.Table:
    """The long-table rows of one piece: period-major, then world, as `Results.per_world`."""
    (actor, metric), first_world, array = piece
    n_periods, n_worlds = array.shape
    zeros = pa.array(np.zeros(n_periods * n_worlds, dtype=np.int32))
    period_index = pa.array(np.repeat(np.arange(n_periods, dtype=np.int32), n_worlds))
    worlds = np.arange(first_world, first_world + n_worlds, dtype=np.int64)
    columns = [
        pa.DictionaryArray.from_arrays(zeros, pa.array([scenario])),
        pa.DictionaryArray.from_arrays(period_index, pa.array(periods)),
        pa.DictionaryArray.from_arrays(zeros, pa.array([actor])),
        pa.DictionaryArray.from_arrays(zeros, pa.array([metric])),
        pa.array(np.tile(worlds, n_periods)),
        pa.array(np.ascontiguousarray(array, dtype=np.float64).ravel()),
    ]
    return pa.Table.from_arrays(columns, schema=SCHEMA)


def write_worlds(
    path: str | Path, scenario: str, periods: list[str], pieces: Iterable[Piece]
) -> Path:
    """Stream `pieces` into the Parquet file `path` (atomically: all of it or nothing).

    Statistics (min/max per row group) only for the key columns, which let readers skip row
    groups by actor or metric; those of the values would serve no query and cost writing time.
    """
    options = {"use_dictionary": KEYS, "write_statistics": KEYS, "store_schema": False}
    with atomic_path(path) as tmp, pq.ParquetWriter(tmp, SCHEMA, **options) as writer:
        for piece in pieces:
            writer.write_table(worlds_table(scenario, periods, piece))
    return Path(path)
