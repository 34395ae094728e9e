#!/usr/bin/env bash
# ./run.sh [EXPERIMENT.ini | nestbench args...]
# The main job. On a fresh Debian machine: installs what is needed, builds
# the kernels (base, patched) and the root filesystem if they are not cached,
# runs the nv-fp-eret-quick experiment and prints its report.
#   ./run.sh                               experiments/nv-fp-eret-quick.ini
#   ./run.sh experiments/aa.ini            another experiment
#   ./run.sh --resume results/X/TIMESTAMP  continue an interrupted one
set -euo pipefail
cd "$(dirname "$0")"

if [ "$(id -u)" = 0 ] || ! scripts/install-deps.sh --check 2>/dev/null; then
	scripts/install-deps.sh
fi
make -s
make -s images

if [ $# -eq 0 ]; then
	set -- experiments/nv-fp-eret-quick.ini
fi
exec build/nestbench experiment "$@"
