#!/usr/bin/env bash
# Make the dashboard work with no internet: Solara's browser page loads its front-end packages
# from <venv>/share/solara/cdn/ (filled by the solara-assets wheel) and otherwise from a public
# CDN that classrooms and CI machines often cannot reach. A solara release can ask for newer
# packages than solara-assets carries (solara 1.64.1 wants @widgetti/solara-vuetify3-app@5.2.0,
# solara-assets 1.58.2 ships 5.1.1; solara.Markdown loads katex@0.16.9, which it lacks), so
# this script asks lynchpin which versions the installed solara needs and fetches any missing
# one from the npm registry (npm pack, or curl of the registry tarball) once. Idempotent:
# packages already present are left alone; afterwards no network is needed.
#
# Usage: scripts/install-dashboard-assets.sh [VENV]   (default: .venv of this checkout)
set -euo pipefail
cd "$(dirname "$0")/.."

VENV="${1:-.venv}"
PYTHON="$VENV/bin/python"
if [ ! -x "$PYTHON" ]; then
    echo "install-dashboard-assets: $PYTHON not found; run 'make setup' first" >&2
    exit 1
fi
if ! "$PYTHON" -c 'import solara' 2>/dev/null; then
    echo "install-dashboard-assets: solara is not installed in $VENV (pip install -e '.[dashboard]')" >&2
    exit 1
fi

# The packages the installed solara loads by exact version (page template bundles and files
# like katex that solara.Markdown fetches), and where the server looks for local copies.
if ! "$PYTHON" -c 'import lynchpin.dashboard.serve' 2>/dev/null; then
    echo "install-dashboard-assets: lynchpin is not installed in $VENV (make setup)" >&2
    exit 1
fi
CDN_DIR=$("$PYTHON" -c 'from lynchpin.dashboard.serve import asset_dir; print(asset_dir())')
mapfile -t PACKAGES < <("$PYTHON" -c 'from lynchpin.dashboard.serve import needed_packages
print("\n".join(needed_packages()))')

REGISTRY="${NPM_CONFIG_REGISTRY:-https://registry.npmjs.org}"
REGISTRY="${REGISTRY%/}"

fetch_tarball() { # <name> <version> <dest.tgz>
    local name="$1" version="$2" dest="$3" work
    work=$(mktemp -d)
    if command -v npm >/dev/null 2>&1 &&
        (cd "$work" && npm pack --silent --prefer-offline "$name@$version" >/dev/null 2>&1); then
        mv "$work"/*.tgz "$dest"
    else
        local base="${name##*/}"
        curl -fsSL --retry 3 -o "$dest" "$REGISTRY/$name/-/$base-$version.tgz"
    fi
    rm -rf "$work"
}

status=0
for spec in "${PACKAGES[@]}"; do
    name="${spec%@*}"
    version="${spec##*@}"
    target="$CDN_DIR/$spec"
    if [ -n "$(ls -A "$target" 2>/dev/null)" ]; then
        echo "install-dashboard-assets: $spec present"
        continue
    fi
    echo "install-dashboard-assets: fetching $spec from the npm registry into $target"
    tmp=$(mktemp -d)
    if fetch_tarball "$name" "$version" "$tmp/pkg.tgz" && tar -xzf "$tmp/pkg.tgz" -C "$tmp"; then
        mkdir -p "$(dirname "$target")"
        rm -rf "$target.partial"
        mv "$tmp/package" "$target.partial"
        rm -rf "$target"
        mv "$target.partial" "$target"
    else
        echo "install-dashboard-assets: could not fetch $spec (no npm registry access?)." >&2
        echo "  The dashboard page will stay blank offline. Alternatives: copy" >&2
        echo "  $spec from a machine that has it into $CDN_DIR/, or install a solara" >&2
        echo "  release whose bundles solara-assets ships." >&2
        status=1
    fi
    rm -rf "$tmp"
done
exit $status
