#!/usr/bin/env bash
# Prints the sweep figures of the sweeps-at-scale issue, each the median of 3 runs (the machine is
# noisy: compare several runs of this script, or time the commands with `hyperfine`):
#   - a 40-point sweep (openstack, 40 to 400 servers) with --jobs 1 and --jobs 2: the speed-up
#     (target: 1.8 or more on 2 cores);
#   - the same with `mpirun -n 2 ... --jobs 1` against --jobs 1 (when mpirun is installed);
#   - the overhead per run beyond the simulation: 400 runs of a 1 ms scenario (target: under 5 ms);
#   - Study A's rate sweep (2 profiles x 12 rates x N in {4, 8, 16, 24} x 10 replications) with
#     --jobs 2 (target: under 5 minutes).
# Usage: bench/sweep_scale.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
tbsim=$(realpath "${1:-build}")/apps/tbsim
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat > "$work/forty.yaml" <<'YAML'
name: forty
seed: 1
duration: 20min
model: openstack
profile: juno
deployment: {servers: 1, vms_per_server: 10}
sweep:
  axes:
    - {key: deployment.servers, range: {from: 10, to: 400, steps: 40}}
  collect: [mean_kbps, p99_kbps]
YAML
cat > "$work/tiny.yaml" <<'YAML'
name: tiny
seed: 1
duration: 1ms
topology: {nodes: [a, b], links: [{name: ab, between: [a, b]}]}
sweep:
  axes:
    - {key: seed, range: {from: 1, to: 400, steps: 400}}
YAML

# The median wall-clock seconds of 3 runs of a command (a fresh output folder each time).
median3() {
  local times=()
  for i in 1 2 3; do
    rm -rf "$work/out"
    local t0 t1
    t0=$(date +%s.%N)
    "$@" --out "$work/out" > /dev/null 2>&1
    t1=$(date +%s.%N)
    times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')")
  done
  printf '%s\n' "${times[@]}" | sort -g | sed -n 2p
}

one=$(median3 "$tbsim" sweep "$work/forty.yaml" --json --jobs 1)
two=$(median3 "$tbsim" sweep "$work/forty.yaml" --json --jobs 2)
printf '40-point sweep, --jobs 1:           %8.2f s\n' "$one"
printf '40-point sweep, --jobs 2:           %8.2f s   speed-up %.2f\n' "$two" "$(awk -v a="$one" -v b="$two" 'BEGIN { print a / b }')"
if command -v mpirun > /dev/null; then
  mpi=$(median3 env OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 mpirun --oversubscribe -n 2 "$tbsim" sweep "$work/forty.yaml" --json --jobs 1)
  printf '40-point sweep, mpirun -n 2:        %8.2f s   speed-up %.2f\n' "$mpi" "$(awk -v a="$one" -v b="$mpi" 'BEGIN { print a / b }')"
else
  echo "40-point sweep, mpirun -n 2:        (mpirun not installed)"
fi
tiny=$(median3 "$tbsim" sweep "$work/tiny.yaml" --json --jobs 1)
printf '400 runs of a 1 ms scenario:        %8.2f s   %.2f ms per run (load, schedule, store, tables)\n' "$tiny" "$(awk -v a="$tiny" 'BEGIN { print a * 1000 / 400 }')"
rate=$(median3 "$tbsim" sweep scenarios/sweeps/study-a-rate.yaml --json --jobs 2)
printf "Study A's rate sweep, 960 runs, --jobs 2: %8.2f s\n" "$rate"
