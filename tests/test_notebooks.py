"""The teaching notebooks run top to bottom, produce their key outputs, and are stored clean."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).parents[1] / "notebooks"
CELL_TIMEOUT_S = 300  # generous: a slow CI machine must not fail a correct notebook

# Text each notebook must print or show when it works (its key outputs).
EXPECTED: dict[str, list[str]] = {
    "01-quickstart.ipynb": ["quarters 2020Q1 to", "p05", "of worlds see at least one", "image/png"],
    "02-comparing-scenarios.ipynb": [
        "america-first",
        "worlds where it rose",
        "90% band width, unpaired",
        "probability of armed conflict since 2020 (mean over worlds)",
        "image/png",
    ],
    "03-classroom-exercise.ipynb": ["peak", "pandemic distraction", "image/png"],
}


def _outputs_text(notebook: nbformat.NotebookNode) -> str:
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            parts.append(output.get("text", ""))
            for mime, value in output.get("data", {}).items():
                parts.append(mime)
                if mime.startswith("text/"):
                    parts.append(value if isinstance(value, str) else "".join(value))
    return "\n".join(parts)


def test_every_notebook_is_listed() -> None:
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_notebook_is_stored_without_outputs(name: str) -> None:
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, name


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_notebook_runs_and_shows_its_results(name: str, tmp_path: Path) -> None:
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT_S,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},  # run where it cannot litter the repo
    )
    client.execute()  # raises CellExecutionError with the failing cell on any error
    errors = [
        output
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
    ]
    assert errors == []
    text = _outputs_text(notebook)
    for expected in EXPECTED[name]:
        assert expected in text, f"{name}: no output contains {expected!r}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_armed_conflict_is_never_called_a_share_of_worlds(name: str) -> None:
    """Each world holds P(conflict | its crises): the mean over worlds is the probability."""
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    text = " ".join(" ".join(cell.source.split()) for cell in notebook.cells).lower()
    for wrong in ("risk of armed conflict", "escalated to armed conflict", "conflict in % of"):
        assert wrong not in text, (name, wrong)
