#!/usr/bin/env bash
# Packaging check (run by .ci/run): `npm pack` makes a tarball that installs in an empty folder and
# runs the demo there, with no repository, no tsx and no source beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tarball=$(npm pack --pack-destination "$work" --silent | tail -1)
echo "packed $tarball ($(du -h "$work/$tarball" | cut -f1))"
cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund --loglevel=error "./$tarball" >/dev/null
test ! -e node_modules/musktracker/src || { echo "error: the package ships src/"; exit 1; }
npx --no-install musktracker --version
out=$(env -u DATABASE_URL -u EVENTSTORE_URL -u X_BEARER_TOKEN LOG_LEVEL=warn npx --no-install musktracker demo --weeks 12 --seed 3 --data-dir "$work/store")
echo "$out" | tail -4
echo "$out" | grep -Eq '[0-9]+ numbers compared, 0 differences' || { echo "error: the installed package's demo did not reproduce its forecast"; exit 1; }
echo "package check: OK"
