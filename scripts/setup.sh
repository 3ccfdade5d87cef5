#!/usr/bin/env bash
# Create .venv with a Python >= 3.12 and install lynchpin with its extras.
# Idempotent: re-installs only when pyproject.toml changed since the last setup.
set -euo pipefail
cd "$(dirname "$0")/.."

find_python() {
    local candidate
    for candidate in "${LYNCHPIN_PYTHON:-}" python3.13 python3.12 python3; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[2-9]*/bin/python; do
        if [ -x "$candidate" ]; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

if [ ! -x .venv/bin/python ]; then
    if ! PYTHON=$(find_python); then
        echo "error: lynchpin needs Python >= 3.12 (Mesa 3.5 requires it); none found on PATH or in ~/.pyenv/versions. Install one (e.g. 'pyenv install 3.12') or set LYNCHPIN_PYTHON=/path/to/python3.12." >&2
        exit 1
    fi
    echo "setup: creating .venv with $PYTHON ($("$PYTHON" --version))"
    "$PYTHON" -m venv .venv
fi

EXTRAS="${1:-dashboard,classroom}"  # classroom: JupyterLab for `lynchpin notebooks`
STAMP=".venv/.lynchpin-$EXTRAS-$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -f "$STAMP" ]; then
    echo "setup: installing lynchpin[$EXTRAS] into .venv (first time takes a few minutes)"
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e ".[$EXTRAS]"
    touch "$STAMP"
fi

# The dashboard must work offline: fetch any front-end package the installed solara needs
# that solara-assets lacks (idempotent; needs the npm registry only the first time).
bash scripts/install-dashboard-assets.sh .venv
