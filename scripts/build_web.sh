#!/usr/bin/env bash
# Installs the web UI's front-end files from npm (exact versions from dateline/web/package-lock.json).
# Idempotent: does nothing when node_modules is already there. Install scripts are disabled (--ignore-scripts):
# the packages are data and plain browser files, nothing needs to run at install time.
set -euo pipefail
cd "$(dirname "$0")/../dateline/web"
if [ -d node_modules/world-atlas ] && [ -d node_modules/topojson-client ] && [ -d node_modules/swagger-ui-dist ] \
   && [ -d node_modules/d3 ] && [ -d node_modules/@observablehq/plot ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "warning: npm not found; the web UI's map, charts, network and /docs need: cd dateline/web && npm ci --ignore-scripts" >&2
  exit 0
fi
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
