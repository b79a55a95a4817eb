#!/usr/bin/env bash
# Sets up a fresh machine (Docker engine, packages, npm deps, build) and runs kplay's main job:
# node preparation on three local test hosts, or on the inventory given with -i.
set -euo pipefail
cd "$(dirname "$0")/.."
KPLAY_SETUP_ONLY=1 bash .ci/run
exec npx tsx scripts/demo.ts "$@"
