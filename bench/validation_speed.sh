#!/usr/bin/env bash
# Prints the speed figures of the replay and calibration issues:
#   - replaying every committed testbed trace (validation/traces/mysqlrep, model mode, --jobs 2),
#     the median of 3 runs (target: under 30 s on a 2-core machine);
#   - `tbsim validate validation/mysqlrep.yaml`: the calibration's seconds and evaluations (target:
#     under 5 minutes on a 2-core machine), and the whole command's;
#   - `tbsim validate validation/openstack-zed.yaml`: the whole command's seconds.
# The machines these run on are noisy: compare several runs of this script, or two builds side by
# side (bench/validation_speed.sh build-a; bench/validation_speed.sh build-b).
# Usage: bench/validation_speed.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
tbsim=$(realpath "${1:-build}")/apps/tbsim
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

seconds() {  # the wall-clock seconds of a command, its output in $work/log
  local t0 t1
  t0=$(date +%s.%N)
  "$@" > "$work/log" 2>&1 || { echo "failed: $*" >&2; tail -5 "$work/log" >&2; exit 1; }
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }'
}

traces=$(find validation/traces/mysqlrep -name meta.json | wc -l)
times=()
for i in 1 2 3; do
  rm -rf "$work/replay"
  times+=("$(seconds "$tbsim" replay validation/traces/mysqlrep --jobs 2 --out "$work/replay")")
done
replay=$(printf '%s\n' "${times[@]}" | sort -g | sed -n 2p)
printf 'replay of %d testbed traces, --jobs 2:     %8.2f s  (median of 3; target 30 s)\n' "$traces" "$replay"

whole=$(seconds "$tbsim" validate validation/mysqlrep.yaml --report "$work/mysqlrep")
fit=$(grep -Eo 'calibration [0-9.]+ s' "$work/log" | grep -Eo '[0-9.]+' || echo '?')
evaluations=$(grep -Eo '[0-9]+ evaluations' "$work/log" | tail -1 | grep -Eo '[0-9]+' || echo '?')
printf 'validate mysqlrep: calibration          %8.2f s  (%s evaluations; target 300 s)\n' "$fit" "$evaluations"
printf 'validate mysqlrep: whole command        %8.2f s\n' "$whole"

zed=$(seconds "$tbsim" validate validation/openstack-zed.yaml --report "$work/zed")
printf 'validate openstack-zed: whole command   %8.2f s\n' "$zed"
