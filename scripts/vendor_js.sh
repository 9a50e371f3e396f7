#!/usr/bin/env bash
# Vendor the chart library of the web UI from the npm registry, reproducibly, at build time (never at run time).
#
# Fetches uPlot at a pinned version with `npm pack`, checks the tarball against the pinned sha512 integrity
# (the value the registry publishes as dist.integrity), and extracts only the files the pages load — the minified
# IIFE build and its stylesheet — with the package's LICENSE into src/onrecord/serve/static/vendor/.
# The extracted files are committed; re-running this script re-creates them byte for byte.
# Why uPlot: docs/web.md (no eval, no injected <style>, draws on <canvas>, time axes built in, ~50 kB).
set -euo pipefail

PACKAGE="uplot"
VERSION="1.6.32"
INTEGRITY="sha512-KIMVnG68zvu5XXUbC4LQEPnhwOxBuLyW1AHtpm6IKTXImkbLgkMy+jabjLgSLMasNuGGzQm/ep3tOkyTxpiQIw=="
FILES=("dist/uPlot.iife.min.js" "dist/uPlot.min.css" "LICENSE")

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/src/onrecord/serve/static/vendor"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

command -v npm >/dev/null || { echo "error: npm is not installed; it is needed to vendor $PACKAGE" >&2; exit 1; }
(cd "$WORK" && npm pack --silent "$PACKAGE@$VERSION" >/dev/null)
TARBALL="$WORK/$PACKAGE-$VERSION.tgz"
[ -f "$TARBALL" ] || { echo "error: npm pack did not produce $TARBALL" >&2; exit 1; }

ACTUAL="sha512-$(openssl dgst -sha512 -binary "$TARBALL" | base64 -w0)"
if [ "$ACTUAL" != "$INTEGRITY" ]; then
    echo "error: $PACKAGE@$VERSION tarball integrity $ACTUAL does not match the pinned $INTEGRITY" >&2
    exit 1
fi

tar -xzf "$TARBALL" -C "$WORK"
mkdir -p "$DEST"
for file in "${FILES[@]}"; do
    name="$(basename "$file")"
    [ "$name" = "LICENSE" ] && name="uPlot.LICENSE"
    install -m 0644 "$WORK/package/$file" "$DEST/$name"
done
printf '%s@%s %s\n' "$PACKAGE" "$VERSION" "$INTEGRITY" > "$DEST/VERSIONS"
echo "vendored $PACKAGE@$VERSION into ${DEST#"$ROOT"/}: ${FILES[*]}"
