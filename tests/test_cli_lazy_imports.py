"""`lynchpin --help` stays quick: the CLI imports the heavy layers only inside the commands.

A behaviour test, not a timing test: it checks which modules a fresh interpreter has loaded
after building the help, so a stray top-level `import pandas` in a command module fails here.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("matplotlib", "pandas", "dask", "distributed", "SALib", "scipy", "mesa", "solara")
LAYERS = ("lynchpin.model", "lynchpin.plots", "lynchpin.dashboard", "lynchpin.experiments")

PROBE = """
import json, sys
from lynchpin.cli import main
main({argv!r})
print(json.dumps(sorted(sys.modules)))
"""


def _loaded_after(argv: list[str]) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(argv=argv)], capture_output=True, text=True, check=True
    )
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    "argv", [[], ["--help"], ["run", "--help"], ["batch", "--help"], ["version"]]
)
def test_help_imports_no_heavy_library(argv):
    loaded = _loaded_after(argv)
    roots = {name.split(".")[0] for name in loaded}
    assert not roots & set(HEAVY), sorted(roots & set(HEAVY))
    assert not [name for name in loaded if name.startswith(LAYERS)]


def test_importing_the_package_is_lazy_but_complete():
    loaded = _loaded_after(["version"])
    assert "numpy" not in loaded  # `import lynchpin` alone builds nothing
    import lynchpin

    assert lynchpin.simulate.__module__ == "lynchpin.model.run"
    assert callable(lynchpin.default_config)
    with pytest.raises(AttributeError, match="no attribute 'nonsense'"):
        lynchpin.nonsense  # noqa: B018
