"""Batch files: errors point to file:line:col and field; grids, samples and run ids behave."""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pytest

from lynchpin.errors import UserError
from lynchpin.experiments import grid_points, latin_hypercube, load_batch


def write(tmp_path: Path, text: str, name: str = "b.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def error_lines(path: Path) -> list[str]:
    with pytest.raises(UserError) as caught:
        load_batch(path)
    return caught.value.lines


def test_bad_value_names_file_line_and_field(tmp_path):
    path = write(
        tmp_path,
        """\
        name: bad
        runs:
          - scenario: baseline
            worlds: -5
        """,
    )
    [line] = error_lines(path)
    assert f"{path.name}:4:5: runs[0].worlds:" in line
    assert "greater than 0" in line


def test_unknown_field_and_bad_sweep_are_reported_with_positions(tmp_path):
    path = write(
        tmp_path,
        """\
        name: bad
        runs:
          - scenario: baseline
            wrolds: 10
        sweeps:
          - scenario: baseline
            design: latin_hypercube
            samples: 4
            seed: 1
            ranges: {counter_a2ad_share: [0.3, 0.1]}
        """,
    )
    lines = error_lines(path)
    assert any(":4:5: runs[0].wrolds: Extra inputs are not permitted" in x for x in lines)
    assert any(":10:5: sweeps[0].ranges:" in x and "below high" in x for x in lines)


def test_unknown_scenario_points_at_its_line(tmp_path):
    path = write(tmp_path, "name: x\nruns:\n  - scenario: baselnie\n")
    [first, *_] = error_lines(path)
    assert ":3:5: runs[0].scenario: unknown scenario 'baselnie'" in first


def test_empty_batch_is_refused(tmp_path):
    [line] = error_lines(write(tmp_path, "name: x\n"))
    assert "at least one entry" in line


def test_grid_is_cartesian_in_order(tmp_path):
    assert grid_points({"a": [1, 2], "b": [3, 4, 5]}) == [
        {"a": a, "b": b} for a in (1, 2) for b in (3, 4, 5)
    ]
    path = write(
        tmp_path,
        """\
        name: g
        sweeps:
          - scenario: baseline
            worlds: 250
            grid: {JPN.defence_ceiling: [0.015, 0.03], counter_a2ad_share: [0.05, 0.15, 0.25]}
        """,
    )
    runs = load_batch(path).runs
    assert len(runs) == 6
    assert {tuple(r.params.values()) for r in runs} == {
        (c, s) for c in (0.015, 0.03) for s in (0.05, 0.15, 0.25)
    }
    assert all(r.worlds == 250 and r.seed == 20200119 for r in runs)


def test_latin_hypercube_is_within_ranges_stratified_and_reproducible():
    ranges = {"x": (0.0, 0.5), "y": (10.0, 20.0)}
    points = latin_hypercube(ranges, 20, seed=7)
    assert points == latin_hypercube(ranges, 20, seed=7)
    assert points != latin_hypercube(ranges, 20, seed=8)
    for name, (low, high) in ranges.items():
        values = np.array([p[name] for p in points])
        assert ((values >= low) & (values <= high)).all()
        strata = np.floor((values - low) / (high - low) * 20).astype(int)
        assert sorted(strata) == list(range(20))  # one point per stratum


def test_run_ids_are_stable_and_depend_on_what_changes_numbers(tmp_path):
    text = """\
        name: ids
        chunk_worlds: {chunk}
        runs:
          - {{scenario: baseline, worlds: 500}}
          - {{scenario: baseline, worlds: 500, seed: 3}}
          - {{scenario: baseline, worlds: 500, params: {{counter_a2ad_share: 0.2}}}}
          - {{scenario: baseline, worlds: 500}}
        """
    first = load_batch(write(tmp_path, text.format(chunk=250), "a.yaml")).runs
    again = load_batch(write(tmp_path, text.format(chunk=1000), "b.yaml")).runs
    assert [r.run_id for r in first] == [r.run_id for r in again]  # chunking is not identity
    assert len(first) == 3  # the repeated run is dropped, not run twice
    assert len({r.run_id for r in first}) == 3
    assert all(r.run_id.startswith("baseline-") for r in first)


def test_bundled_batches_load():
    root = Path(__file__).resolve().parents[1] / "scenarios" / "batches"
    assert len(load_batch(root / "example.yaml").runs) == 6
    nine = load_batch(root / "all-nine.yaml").runs
    assert (
        len(nine) == 9 and {r.worlds for r in nine} == {1000} and len({r.seed for r in nine}) == 1
    )
