#!/usr/bin/env bash
# Prints the capacity planner's scale figures beside a bare reference event loop run in the same
# session (../shared/reference-bench/ctrl: S servers sending 15 kb/s of control messages over FIFO
# links for one hour, a 4-ary heap; about the same number of events as the planner's run):
#   tbsim plan --servers S --vms-per-server 20 --duration 1h [--wan-capacity 10Gbps]
# wall-clock seconds, events, peak memory, and the ratio to the reference (the issue's target:
# at most 1.5 at 100,000 servers, both without and with a capacity; peak memory under 1 GB).
# Without a capacity the plan runs once on one thread and once on every core.
# The machine is noisy: the ratio of runs made one after the other is what holds.
# Usage: bench/planner_scale.sh [BUILD_DIR] [SERVERS...]   (default: build 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
shift || true
sizes=("$@")
((${#sizes[@]})) || sizes=(100000)
tbsim="$build/apps/tbsim"
reference_src=../shared/reference-bench/ctrl/ctrl_cpp.cc
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Seconds and peak MiB of a command, from /usr/bin/time (GNU time) or bash's clock.
measure() {
  local out=$1
  shift
  if [[ -x /usr/bin/time ]]; then
    /usr/bin/time -f '%e %M' -o "$work/time" "$@" > "$out"
    read -r seconds kib < "$work/time"
    echo "$seconds $((kib / 1024))"
  else
    local t0 t1
    t0=$(date +%s.%N)
    "$@" > "$out"
    t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a, "?" }'
  fi
}

reference=""
if [[ -f $reference_src ]] && command -v g++ > /dev/null; then
  g++ -O3 -std=c++17 -o "$work/ctrl_cpp" "$reference_src"
  reference="$work/ctrl_cpp"
fi

printf '%9s  %-24s %10s %11s %9s %7s\n' servers run wall_s events peak_MiB ratio
for s in "${sizes[@]}"; do
  ref_s=""
  if [[ -n $reference ]]; then
    read -r ref_s ref_mib < <(measure "$work/ref.txt" "$reference" "$s" msg 3600 1)
    ref_events=$(grep -o 'events=[0-9]*' "$work/ref.txt" | cut -d= -f2)
    printf '%9s  %-24s %10.2f %11s %9s %7s\n' "$s" "reference loop" "$ref_s" "$ref_events" "$ref_mib" 1.00
  fi
  # Without a capacity the servers are independent and run in partitions: on one thread and on
  # every core (the figures are the same). With one, they share the uplink's calendar: one thread.
  for variant in "1" "" 10Gbps; do
    args=(plan --servers "$s" --vms-per-server 20 --duration 1h --json)
    label="plan, $(nproc) threads"
    case $variant in
      1) args+=(--jobs 1) && label="plan, 1 thread" ;;
      "") ;;
      *) args+=(--wan-capacity "$variant") && label="plan, capacity $variant" ;;
    esac
    read -r plan_s plan_mib < <(measure "$work/plan.json" "$tbsim" "${args[@]}")
    events=$(grep -o '"events": [0-9]*' "$work/plan.json" | grep -o '[0-9]*$')
    ratio="-"
    [[ -n $ref_s ]] && ratio=$(awk -v a="$plan_s" -v b="$ref_s" 'BEGIN { printf "%.2f", a / b }')
    printf '%9s  %-24s %10.2f %11s %9s %7s\n' "$s" "$label" "$plan_s" "$events" "$plan_mib" "$ratio"
  done
done
