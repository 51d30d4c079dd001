#!/usr/bin/env bash
# Prints the capacity planner's scale figures (the OpenStack issue's targets: 10,000 servers x 20 VMs
# for 1 h under 15 s; 100,000 servers under 2 minutes and 4 GiB), single-threaded.
# Usage: bench/planner_scale.sh [BUILD_DIR] [SERVERS...]   (default: build, 10000 100000)
set -euo pipefail
build=${1:-build}
shift || true
sizes=("$@")
((${#sizes[@]})) || sizes=(10000 100000)
tbsim="$build/apps/tbsim"
printf '%9s %6s %10s %10s %9s %12s\n' servers vms events wall_s max_rss_MiB mean_kbps
for s in "${sizes[@]}"; do
  out=$(mktemp)
  /usr/bin/time -f '%M' -o "$out.rss" "$tbsim" plan --servers "$s" --vms-per-server 20 --duration 1h --json > "$out"
  python3 - "$out" "$out.rss" "$s" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
rss = int(open(sys.argv[2]).read().split()[-1]) / 1024
print(f"{sys.argv[3]:>9} {20:>6} {j['events']:>10} {j['wall_s']:>10.2f} {rss:>11.0f} {j['mean_kbps']:>12.1f}")
PY
  rm -f "$out" "$out.rss"
done
